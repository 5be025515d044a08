"""Make a recovery code and show it once: passphrase first, then the 15 words.

Two steps in one dialog. First the rep confirms the passphrase (whoever holds a code can open
the vault) and is told that a new code replaces the old one. The code is made on a worker
(Argon2id checks the passphrase), then shown once as numbered words with "Save recovery
sheet (PDF)…"; Done stays disabled until the rep ticks that they have written it down or
printed it. The words are wiped from the dialog when it closes and are never logged.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from vault.crypto import recovery_code
from vault.errors import VaultError, WrongPassphrase
from vault.reports import recovery_sheet
from vault.ui.page_context import PageContext
from vault.ui.task_runner import Task, TaskControl
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.passphrase_field import PassphraseField

log = logging.getLogger(__name__)


class RecoveryCodeDialog(QDialog):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._task: Task | None = None
        self._code = ""
        self.setWindowTitle("Recovery code")
        self.setAccessibleName("Recovery code")
        self.setMinimumWidth(560)
        self.stack = QStackedWidget(self)

        # Step 1: confirm the passphrase.
        ask = QWidget(self.stack)
        ask_layout = QVBoxLayout(ask)
        replaces = context.session.admin.has_recovery_code()
        intro = QLabel(
            ("A new recovery code replaces the one you have now: the old code and any printed "
             "sheet stop working. " if replaces else "")
            + "The recovery code opens your vault if you forget your passphrase, so keep it "
              "as safe as the vault itself.", ask)
        intro.setWordWrap(True)
        intro.setAccessibleName("About the recovery code")
        ask_layout.addWidget(intro)
        form = QFormLayout()
        self.passphrase = PassphraseField("Passphrase", ask)
        form.addRow("&Passphrase", self.passphrase)
        ask_layout.addLayout(form)
        self.error = error_label(ask)
        ask_layout.addWidget(self.error)
        self.busy = QProgressBar(ask)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Making the recovery code")
        self.busy.hide()
        ask_layout.addWidget(self.busy)
        self.ask_buttons = QDialogButtonBox(ask)
        self.make_button = self.ask_buttons.addButton(
            "Make new code" if replaces else "Make recovery code",
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.make_button.setAccessibleName("Make the recovery code")
        cancel = self.ask_buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        cancel.setDefault(True)  # replacing a code is not undone: Enter does not do it
        self.ask_buttons.accepted.connect(self.submit)
        self.ask_buttons.rejected.connect(self.reject)
        ask_layout.addWidget(self.ask_buttons)
        self.stack.addWidget(ask)

        # Step 2: show the words once.
        show = QWidget(self.stack)
        show_layout = QVBoxLayout(show)
        heading = QLabel("Write these 15 words down, in order, or print the sheet. "
                         "This is the only time they are shown.", show)
        heading.setWordWrap(True)
        heading.setAccessibleName("Write the words down")
        show_layout.addWidget(heading)
        self.words_grid = QGridLayout()
        self.word_labels: list[QLabel] = []
        for n in range(recovery_code.WORD_COUNT):
            label = QLabel(show)
            label.setObjectName("recoveryWord")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
            label.setStyleSheet("font-size: 14pt; font-weight: 600; padding: 2px 8px;")
            label.setMinimumHeight(label.fontMetrics().height() * 2)
            self.word_labels.append(label)
            self.words_grid.addWidget(label, n // 3, n % 3)
        show_layout.addLayout(self.words_grid)
        self.save_sheet_button = QPushButton("Save recovery sheet (PDF)…", show)
        self.save_sheet_button.setAccessibleName("Save the recovery sheet as a PDF to print")
        self.save_sheet_button.clicked.connect(self.save_sheet)
        show_layout.addWidget(self.save_sheet_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.sheet_note = QLabel(show)
        self.sheet_note.setObjectName("hintText")
        self.sheet_note.setWordWrap(True)
        self.sheet_note.hide()
        show_layout.addWidget(self.sheet_note)
        self.written = QCheckBox("I have written these words down or printed the sheet", show)
        self.written.setAccessibleName("I have written the recovery code down")
        show_layout.addWidget(self.written)
        self.done_buttons = QDialogButtonBox(show)
        self.done_button = self.done_buttons.addButton(
            "Done", QDialogButtonBox.ButtonRole.AcceptRole)
        self.done_button.setAccessibleName("Done")
        self.done_button.setEnabled(False)
        self.written.toggled.connect(self.done_button.setEnabled)
        self.done_buttons.accepted.connect(self.accept)
        show_layout.addWidget(self.done_buttons)
        self.stack.addWidget(show)

        layout = QVBoxLayout(self)
        layout.addWidget(self.stack)
        self.passphrase.setFocus()

    @property
    def showing_code(self) -> bool:
        return self.stack.currentIndex() == 1

    def submit(self) -> None:
        if self._task is not None or not self._context.is_open:
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self._show_error("Enter your passphrase.")
            return
        admin = self._context.session.admin

        def job(control: TaskControl) -> str:
            return admin.new_recovery_code(passphrase)

        self._set_busy(True)
        self._task = self._context.tasks.start("recovery-code", job)
        self._task.signals.finished.connect(self._on_made)
        self._task.signals.failed.connect(self._on_failed)

    def _on_made(self, code: object) -> None:
        self._task = None
        self._set_busy(False)
        self.passphrase.wipe()
        if not isinstance(code, str):
            return
        self._code = code
        for label, (n, word) in zip(self.word_labels, enumerate(code.split(), start=1),
                                    strict=True):
            label.setText(f"{n}. {word}")
        self.stack.setCurrentIndex(1)
        self.written.setFocus()
        log.info("recovery code shown")

    def _on_failed(self, error: object) -> None:
        self._task = None
        self._set_busy(False)
        if isinstance(error, WrongPassphrase):
            self._show_error("That passphrase does not unlock this vault.")
        else:
            self._show_error(str(error) if isinstance(error, VaultError)
                             else "The recovery code was not made.")

    def save_sheet(self) -> None:
        if not self._code or not self._context.is_open:
            return
        path = self._context.file_dialogs.save_file(self, "Save the recovery sheet",
                                                    "recovery-sheet.pdf")
        if path is None:
            return
        session = self._context.session
        try:
            recovery_sheet.write_pdf(path, self._code, vault_id=session.admin.vault_id,
                                     created=session.clock.today())
        except VaultError as exc:
            self.sheet_note.setText(str(exc))
        else:
            self.sheet_note.setText(f"Saved to {path}. Print it, then delete the file: it "
                                    "opens your vault.")
        self.sheet_note.show()

    def _set_busy(self, busy: bool) -> None:
        self.passphrase.setEnabled(not busy)
        self.ask_buttons.setEnabled(not busy)
        self.busy.setVisible(busy)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _wipe(self) -> None:
        self._code = ""
        for label in self.word_labels:
            label.clear()

    def done(self, result: int) -> None:
        if self._task is not None and self._context.is_open:
            return  # the key file is being written; let it finish
        if self.showing_code and not self.written.isChecked():
            return  # Done (or Escape) only once the rep has the words
        self._wipe()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._task is not None or (self.showing_code and not self.written.isChecked()):
            event.ignore()
            return
        self._wipe()
        super().closeEvent(event)

    def force_close(self) -> None:
        """On lock: close whatever the state (the words are wiped)."""
        self._wipe()
        super().done(QDialog.DialogCode.Rejected)
