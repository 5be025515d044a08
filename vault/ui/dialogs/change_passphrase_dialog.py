"""Change the vault passphrase: current one, new one twice, strength meter.

The VMK is re-wrapped on a worker (``UnlockedVault.change_passphrase``; Argon2id takes about a
second), with a busy indicator in the dialog. The documents and database are not touched.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from vault.admin.service import PassphraseChange
from vault.crypto.strength import check_passphrase
from vault.errors import VaultError, WrongPassphrase
from vault.ui.page_context import PageContext
from vault.ui.task_runner import Task, TaskControl
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.passphrase_field import PassphraseField
from vault.ui.widgets.strength_meter import StrengthMeter

log = logging.getLogger(__name__)

MIN_LENGTH = 12


class ChangePassphraseDialog(QDialog):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._task: Task | None = None
        self.setWindowTitle("Change passphrase")
        self.setAccessibleName("Change passphrase")
        self.setMinimumWidth(480)

        self.current = PassphraseField("Current passphrase", self)
        self.new = PassphraseField("New passphrase", self)
        self.repeat = PassphraseField("Repeat the new passphrase", self)
        self.meter = StrengthMeter(self)
        form = QFormLayout()
        form.addRow("&Current", self.current)
        form.addRow("&New", self.new)
        form.addRow("", self.meter)
        form.addRow("&Repeat", self.repeat)

        self.error = error_label(self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Changing the passphrase")
        self.busy.hide()

        self.buttons = QDialogButtonBox(self)
        self.change_button = self.buttons.addButton(
            "Change passphrase", QDialogButtonBox.ButtonRole.AcceptRole)
        self.change_button.setAccessibleName("Change passphrase")
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        note = QLabel("Your documents stay as they are; only the lock on the vault's master key "
                      "changes. Nobody can recover a forgotten passphrase.", self)
        note.setWordWrap(True)
        note.setObjectName("hintText")
        note.setAccessibleName("About changing the passphrase")
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self.new.edit.textChanged.connect(self.meter.update_for)
        self.current.setFocus()

    def submit(self) -> None:
        if self._task is not None or not self._context.is_open:
            return
        old, new = self.current.text(), self.new.text()
        problem = ""
        if not old:
            problem = "Enter your current passphrase."
        elif len(new) < MIN_LENGTH:
            problem = f"Too short: use at least {MIN_LENGTH} characters."
        elif not check_passphrase(new).acceptable:
            problem = f"Too weak: {check_passphrase(new).reason}"
        elif new != self.repeat.text():
            problem = "The two new passphrases are different."
        if problem:
            self._show_error(problem)
            return
        admin = self._context.session.admin

        def job(control: TaskControl) -> PassphraseChange:
            return admin.change_passphrase(old, new)

        self._set_busy(True)
        self._task = self._context.tasks.start("change-passphrase", job)
        self._task.signals.finished.connect(self._on_changed)
        self._task.signals.failed.connect(self._on_failed)

    def _on_changed(self, result: object) -> None:
        self._task = None
        self._set_busy(False)
        for field in (self.current, self.new, self.repeat):
            field.wipe()
        log.info("passphrase changed")
        self.accept()
        message = (result.message if isinstance(result, PassphraseChange)
                   else "Your vault now opens with the new passphrase.")
        self._context.message_boxes.information(self.parentWidget(), "Passphrase changed",
                                                message)

    def _on_failed(self, error: object) -> None:
        self._task = None
        self._set_busy(False)
        if isinstance(error, WrongPassphrase):
            self._show_error("The current passphrase is not right.")
        else:
            self._show_error(str(error) if isinstance(error, VaultError)
                             else "The passphrase was not changed.")

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.current, self.new, self.repeat, self.buttons):
            widget.setEnabled(not busy)
        self.busy.setVisible(busy)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def reject(self) -> None:
        if self._task is not None and self._context.is_open:
            return  # the key file is being rewritten; let it finish
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._task is not None and self._context.is_open:
            event.ignore()
            return
        super().closeEvent(event)
