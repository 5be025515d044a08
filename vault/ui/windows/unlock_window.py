"""Later starts and after every lock: ask for the passphrase and open the vault.

A wrong passphrase says so plainly and lets the rep try again. Key derivation runs on a worker
with a busy indicator; the window never freezes.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from vault.errors import VaultError, WrongPassphrase
from vault.session import Session, VaultManager
from vault.ui.dialogs.forgot_passphrase_dialog import ForgotPassphraseDialog
from vault.ui.task_runner import Task, TaskControl, TaskRunner
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.link_button import LinkButton
from vault.ui.widgets.passphrase_field import PassphraseField
from vault.ui.windows.vault_card import APP_TITLE, VaultCard, centred

log = logging.getLogger(__name__)

UNLOCK_REFUSED_TEXT = ("That passphrase does not unlock this vault. Check Caps Lock and "
                         "try again.")


class UnlockWindow(QWidget):
    """Emits ``unlocked`` with the session once the passphrase opened the vault."""

    unlocked = Signal(object)  # Session

    def __init__(self, manager: VaultManager, tasks: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self._tasks = tasks
        self._task: Task | None = None
        self.failed_attempts = 0
        self.setWindowTitle(f"{APP_TITLE} — Locked")
        self.setAccessibleName("Unlock the vault")
        self.setMinimumSize(600, 440)

        card = VaultCard("Unlock your vault", self)
        intro = QLabel("Your vault is locked. Enter your passphrase to open it.", card)
        intro.setObjectName("cardIntro")
        intro.setWordWrap(True)
        intro.setAccessibleName("The vault is locked")
        card.body.addWidget(intro)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.passphrase = PassphraseField("Passphrase", card)
        form.addRow("&Passphrase", self.passphrase)
        card.body.addLayout(form)

        self.error = error_label(card)
        card.body.addWidget(self.error)

        self.busy = QProgressBar(card)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Unlocking")
        self.busy.hide()
        card.body.addWidget(self.busy)

        location = QLabel(f"Vault: {manager.root}", card)
        location.setObjectName("hintText")
        location.setWordWrap(True)
        location.setAccessibleName("Vault location")
        location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        card.body.addWidget(location)

        self.unlock_button = QPushButton("Unlock", card)
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        self.forgot_button = LinkButton("Forgot passphrase?", card)
        self.forgot_button.setAccessibleName("Forgot passphrase? Use the recovery code")
        self.forgot_button.clicked.connect(self.forgot_passphrase)
        buttons = QHBoxLayout()
        buttons.addWidget(self.forgot_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        card.body.addLayout(buttons)

        self.passphrase.edit.returnPressed.connect(self.submit)
        self.passphrase.edit.textChanged.connect(self.error.hide)
        centred(card, self)
        self.passphrase.setFocus()

    @property
    def busy_now(self) -> bool:
        return self._task is not None

    def reset(self) -> None:
        """Ready for a fresh attempt (shown again after a lock)."""
        self.passphrase.wipe()
        self.error.hide()
        self._set_busy(False)

    def submit(self) -> None:
        if self._task is not None:
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self._show_error("Enter your passphrase.")
            return
        self._set_busy(True)
        manager = self._manager

        def job(control: TaskControl) -> Session:
            return manager.unlock(passphrase)

        self._task = self._tasks.start("unlock", job)
        self._task.signals.finished.connect(self._on_unlocked)
        self._task.signals.failed.connect(self._on_failed)

    def forgot_passphrase(self) -> ForgotPassphraseDialog | None:
        """Open the recovery-code dialog; its session opens the vault like an unlock."""
        if self._task is not None:
            return None
        dialog = ForgotPassphraseDialog(self._manager, self._tasks, self)
        dialog.recovered.connect(self._on_unlocked)
        dialog.open()
        return dialog

    def _on_unlocked(self, session: object) -> None:
        self._task = None
        self.failed_attempts = 0
        self.reset()
        self.unlocked.emit(session)

    def _on_failed(self, error: object) -> None:
        self._task = None
        self._set_busy(False)
        if isinstance(error, WrongPassphrase):
            self.failed_attempts += 1
            self._show_error(UNLOCK_REFUSED_TEXT)
        elif isinstance(error, VaultError):
            self._show_error(str(error))
        else:
            self._show_error("The vault could not be opened.")
        self.passphrase.edit.selectAll()

    def _set_busy(self, busy: bool) -> None:
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.busy.setVisible(busy)
        if not busy:
            self.passphrase.setFocus()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setAccessibleDescription(text)
        self.error.show()
