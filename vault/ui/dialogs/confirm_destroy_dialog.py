"""The confirmation before a case is destroyed: Cancel is the default, and the rep types the
case reference before Destroy can be pressed.

UX.md: "Destructive actions … confirm with Cancel as the default; destroying asks to type the
case reference." The dialog says in plain words what destruction does and what it cannot
reach (copies outside the vault), so the rep decides knowing both. It only answers yes or no;
the Retention page runs the erase.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

WHAT_HAPPENS = (
    "Destroying a case is permanent. Its key is destroyed, so nothing of it can be decrypted "
    "again; its records, documents, search entries and paper-trail text are deleted; the "
    "member is removed too if they have no other case. A destruction certificate, naming no "
    "one, is kept in the vault."
)
NOT_COVERED = (
    "Copies outside the vault (documents saved out, emailed bundles, paper, older backups) "
    "are not touched: deal with those separately."
)


class ConfirmDestroyDialog(QDialog):
    """Accepted only when the typed reference matches ``case_ref`` exactly (spaces trimmed)."""

    def __init__(self, case_ref: str, *, summary: str = "", copies_outside: int = 0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ref = case_ref
        self.setWindowTitle(f"Destroy case {case_ref}?")
        self.setAccessibleName("Confirm destruction")
        self.setMinimumWidth(520)

        heading = QLabel(f"<b>Destroy case {case_ref} for good?</b>", self)
        heading.setTextFormat(Qt.TextFormat.RichText)
        body = QLabel(WHAT_HAPPENS, self)
        body.setWordWrap(True)
        body.setAccessibleName("What destroying does")
        extra = NOT_COVERED
        if copies_outside:
            extra = (f"The paper trail records {copies_outside} cop"
                     f"{'y' if copies_outside == 1 else 'ies'} made outside the vault. "
                     + NOT_COVERED)
        outside = QLabel(extra, self)
        outside.setWordWrap(True)
        outside.setAccessibleName("What destroying does not cover")
        self.summary = QLabel(summary, self)
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("The case")
        self.summary.setVisible(bool(summary))
        prompt = QLabel(f"To confirm, type the case reference <b>{case_ref}</b>:", self)
        prompt.setTextFormat(Qt.TextFormat.RichText)
        self.typed = QLineEdit(self)
        self.typed.setAccessibleName("Type the case reference to confirm")
        self.typed.setPlaceholderText(case_ref)
        prompt.setBuddy(self.typed)

        self.buttons = QDialogButtonBox(self)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName("Cancel")
        self.destroy_button: QPushButton = self.buttons.addButton(
            "Destroy case", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.destroy_button.setAccessibleName("Destroy case")
        self.destroy_button.setObjectName("dangerButton")
        self.destroy_button.setEnabled(False)
        self.destroy_button.setAutoDefault(False)
        self.cancel_button.setDefault(True)
        self.cancel_button.setAutoDefault(True)
        self.destroy_button.clicked.connect(self._confirm)
        self.cancel_button.clicked.connect(self.reject)
        self.typed.textChanged.connect(self._typed_changed)
        # Enter anywhere presses the default button, Cancel: only a deliberate press of
        # "Destroy case" (enabled once the reference matches) confirms.

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.summary)
        layout.addWidget(body)
        layout.addWidget(outside)
        layout.addWidget(prompt)
        layout.addWidget(self.typed)
        layout.addWidget(self.buttons)
        self.typed.setFocus()

    @property
    def matches(self) -> bool:
        return self.typed.text().strip() == self._ref

    def _typed_changed(self, _text: str) -> None:
        self.destroy_button.setEnabled(self.matches)

    def _confirm(self) -> None:
        if self.matches:
            self.accept()
