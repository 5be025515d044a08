"""Parts the two export dialogs share: the passphrase choice, the destination row, and the
job that runs an export off the GUI thread and then shows the passphrase once."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from vault.crypto import strength
from vault.errors import VaultError
from vault.export.passphrase import check_typed_passphrase, entropy_bits
from vault.ui.file_dialogs import FileDialogs
from vault.ui.widgets.passphrase_field import PassphraseField


class PassphraseChoice(QWidget):
    """Generate a passphrase (the default) or use one agreed with the recipient."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.generate = QRadioButton(
            f"Generate eight random words (about {entropy_bits():.0f} bits) — recommended", self)
        self.generate.setAccessibleName("Generate a passphrase")
        self.agreed = QRadioButton("Use a passphrase agreed with the recipient", self)
        self.agreed.setAccessibleName("Use an agreed passphrase")
        group = QButtonGroup(self)
        group.addButton(self.generate)
        group.addButton(self.agreed)
        self.generate.setChecked(True)
        self.field = PassphraseField("Agreed passphrase", self)
        self.field.setEnabled(False)
        self.hint = QLabel("", self)
        self.hint.setObjectName("hintText")
        self.hint.setWordWrap(True)
        self.hint.setAccessibleName("Passphrase strength")
        self.agreed.toggled.connect(self._mode)
        self.field.edit.textChanged.connect(self._judge)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.generate)
        layout.addWidget(self.agreed)
        layout.addWidget(self.field)
        layout.addWidget(self.hint)

    def typed(self) -> str | None:
        """None to generate; else the agreed passphrase, checked.

        Raises: InvalidInput, WeakPassphrase (one-line reasons).
        """
        if not self.agreed.isChecked():
            return None
        return check_typed_passphrase(self.field.text())

    def wipe(self) -> None:
        self.field.wipe()

    def _mode(self, agreed: bool) -> None:
        self.field.setEnabled(agreed)
        self.hint.setText("" if not agreed else "At least 12 characters, plain letters, "
                          "digits, spaces and punctuation.")
        if agreed:
            self.field.setFocus()

    def _judge(self, text: str) -> None:
        if not text:
            self.hint.setText("")
            return
        try:
            check_typed_passphrase(text)
        except VaultError as exc:
            self.hint.setText(str(exc))
            return
        report = strength.check_passphrase(text)
        self.hint.setText(f"Strong enough (would take {report.crack_time_display} to guess).")


class DestinationRow(QWidget):
    """Where the bundle goes: a read-only path and "Choose…" (through the file-dialog seam)."""

    def __init__(self, file_dialogs: FileDialogs, suggested: str, title: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dialogs = file_dialogs
        self._suggested = suggested
        self._title = title
        self.path_edit = QLineEdit(self)
        self.path_edit.setReadOnly(True)
        self.path_edit.setAccessibleName("Save the bundle as")
        self.path_edit.setPlaceholderText("Choose where to save the bundle")
        self.choose = QPushButton("Choose…", self)
        self.choose.setAccessibleName("Choose where to save the bundle")
        self.choose.clicked.connect(self.ask)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.path_edit, 1)
        layout.addWidget(self.choose)

    @property
    def path(self) -> Path | None:
        text = self.path_edit.text().strip()
        return Path(text) if text else None

    def ask(self) -> Path | None:
        chosen = self._dialogs.save_file(self, self._title, self._suggested)
        if chosen is not None:
            self.path_edit.setText(str(chosen))
        return chosen
