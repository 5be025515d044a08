"""Forgot passphrase? Type the recovery code and choose a new passphrase.

Opened from the unlock window. The code's words are checked as they are typed (count, known
words, checksum) so a typo is named before any key work; the new passphrase gets the strength
meter and must be typed twice. On a worker: ``VaultManager.recover`` opens the vault with the
code, sets a new master key under the new passphrase (as a passphrase change does, so an old
copy of vault.keys opens nothing) and writes the reset to the paper trail;
``recovered`` then carries the open session to the unlock window. The recovery code keeps
working afterwards.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from vault.crypto import recovery_code
from vault.crypto.strength import check_passphrase
from vault.errors import InvalidInput, VaultError, WrongPassphrase
from vault.session import VaultManager
from vault.ui.task_runner import Task, TaskControl, TaskRunner
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.passphrase_field import PassphraseField
from vault.ui.widgets.strength_meter import StrengthMeter

if TYPE_CHECKING:
    from vault.session import Session

log = logging.getLogger(__name__)

MIN_LENGTH = 12
CODE_REFUSED_TEXT = "That recovery code does not open this vault."


class ForgotPassphraseDialog(QDialog):
    """Emits ``recovered`` with the unlocked session once the new passphrase is set."""

    recovered = Signal(object)  # Session

    def __init__(self, manager: VaultManager, tasks: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self._tasks = tasks
        self._task: Task | None = None
        self.setWindowTitle("Forgot passphrase")
        self.setAccessibleName("Forgot passphrase")
        self.setMinimumWidth(560)

        intro = QLabel("Type the 15 words of your recovery code (the first four letters of each "
                       "are enough), then choose a new passphrase.", self)
        intro.setWordWrap(True)
        intro.setAccessibleName("How to use the recovery code")
        self.code = QPlainTextEdit(self)
        self.code.setAccessibleName("Recovery code")
        self.code.setPlaceholderText("word word word …")
        self.code.setTabChangesFocus(True)
        self.code.setFixedHeight(80)
        self.code_status = QLabel(self)
        self.code_status.setObjectName("hintText")
        self.code_status.setAccessibleName("Recovery code check")
        self.new = PassphraseField("New passphrase", self)
        self.repeat = PassphraseField("Repeat the new passphrase", self)
        self.meter = StrengthMeter(self)
        form = QFormLayout()
        form.addRow("Recovery &code", self.code)
        form.addRow("", self.code_status)
        form.addRow("&New passphrase", self.new)
        form.addRow("", self.meter)
        form.addRow("&Repeat", self.repeat)

        self.error = error_label(self)
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Setting the new passphrase")
        self.busy.hide()
        self.buttons = QDialogButtonBox(self)
        self.reset_button = self.buttons.addButton(
            "Set new passphrase", QDialogButtonBox.ButtonRole.AcceptRole)
        self.reset_button.setAccessibleName("Set the new passphrase")
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self.code.textChanged.connect(self._check_code)
        self.new.edit.textChanged.connect(self.meter.update_for)
        self.code.setFocus()

    @property
    def busy_now(self) -> bool:
        return self._task is not None

    def _check_code(self) -> str | None:
        """Say what is wrong with the code as typed; the problem, or None when it is whole."""
        text = self.code.toPlainText()
        if not text.strip():
            self.code_status.setText("")
            return "Type your recovery code."
        try:
            recovery_code.decode(text)[:] = bytes(recovery_code.ENTROPY_BYTES)
        except InvalidInput as exc:
            count = len([w for w in text.replace(",", " ").split() if not w.isdigit()])
            shown = (f"{count} of {recovery_code.WORD_COUNT} words"
                     if count < recovery_code.WORD_COUNT else str(exc))
            self.code_status.setText(shown)
            return str(exc)
        self.code_status.setText("All 15 words, and the code's check matches.")
        return None

    def submit(self) -> None:
        if self._task is not None:
            return
        new = self.new.text()
        problem = self._check_code()
        if problem is None:
            if len(new) < MIN_LENGTH:
                problem = f"Too short: use at least {MIN_LENGTH} characters."
            elif self._manager.enforce_strength and not check_passphrase(new).acceptable:
                problem = f"Too weak: {check_passphrase(new).reason}"
            elif new != self.repeat.text():
                problem = "The two new passphrases are different."
        if problem:
            self._show_error(problem)
            return
        code = self.code.toPlainText()
        manager = self._manager

        def job(control: TaskControl) -> Session:
            return manager.recover(code, new)

        self._set_busy(True)
        self._task = self._tasks.start("recover", job)
        self._task.signals.finished.connect(self._on_recovered)
        self._task.signals.failed.connect(self._on_failed)

    def _on_recovered(self, session: object) -> None:
        self._task = None
        self._set_busy(False)
        self._wipe()
        log.info("passphrase reset with the recovery code (GUI)")
        self.accept()
        self.recovered.emit(session)

    def _on_failed(self, error: object) -> None:
        self._task = None
        self._set_busy(False)
        if isinstance(error, WrongPassphrase):
            self._show_error(CODE_REFUSED_TEXT)
        else:
            self._show_error(str(error) if isinstance(error, VaultError)
                             else "The passphrase was not changed.")

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.code, self.new, self.repeat, self.buttons):
            widget.setEnabled(not busy)
        self.busy.setVisible(busy)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setAccessibleDescription(text)
        self.error.show()

    def _wipe(self) -> None:
        self.code.clear()
        self.new.wipe()
        self.repeat.wipe()

    def reject(self) -> None:
        if self._task is not None:
            return  # the key file is being rewritten; let it finish
        self._wipe()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._task is not None:
            event.ignore()
            return
        self._wipe()
        super().closeEvent(event)
