"""Later starts and after every lock: ask for the passphrase and open the vault.

A wrong passphrase says so plainly and lets the rep try again. Key derivation runs on a worker
with a busy indicator; the window never freezes. ``cancel_unlock`` (the screen locked while
the key was being derived) stops waiting: the worker cannot be interrupted inside Argon2id, so
the session it still produces is wiped on arrival and never shown.

After an idle auto-lock with keyring quick unlock on, the card also offers "Unlock without
passphrase": the secret is read from the OS keyring on a worker (5 s at most) and any failure
falls back to the passphrase with one plain sentence.

A damaged database (issue 11) opens read-only (``VaultManager.unlock_or_read_only``; the main
window then shows the read-only banner). One damaged beyond that is said in one line, with the
newest backup found named by its date and a "Restore from backup…" button; the same action is
always on the card as a link. ``restore_requested`` asks the controller for the restore dialog.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from vault.clock import Clock
from vault.device_check import CLOUD_SYNC_WARNING
from vault.errors import (
    Cancelled,
    DatabaseDamaged,
    DatabaseUnreadable,
    IntegrityError,
    QuickUnlockUnavailable,
    VaultError,
    WrongPassphrase,
)
from vault.paths import looks_cloud_synced
from vault.session import VaultManager
from vault.ui.task_runner import Task, TaskControl, TaskRunner
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.link_button import LinkButton
from vault.ui.widgets.passphrase_field import PassphraseField
from vault.ui.windows.vault_card import APP_TITLE, VaultCard, centred

if TYPE_CHECKING:
    from vault.backup.finder import FoundBackup
    from vault.session import Session
    from vault.ui.dialogs.forgot_passphrase_dialog import ForgotPassphraseDialog

log = logging.getLogger(__name__)

DAMAGED_HINT = ("If the vault's files were damaged, restore the latest backup (Restore from "
                "backup…); the damaged vault is moved aside and kept.")
UNREADABLE_TEXT = "This vault's database is damaged and cannot be read at all."
UNLOCK_REFUSED_TEXT = ("That passphrase does not unlock this vault. Check Caps Lock and "
                         "try again.")


class UnlockWindow(QWidget):
    """Emits ``unlocked`` with the session once the passphrase opened the vault."""

    unlocked = Signal(object)  # Session
    restore_requested = Signal()

    def __init__(self, manager: VaultManager, tasks: TaskRunner,
                 parent: QWidget | None = None, *,
                 find_backups: Callable[[], list[FoundBackup]] | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self._tasks = tasks
        self._find_backups = find_backups or (lambda: manager.find_backups())
        self._task: Task | None = None
        # The last unlock found the database damaged beyond reading (a restore then moves the
        # vault aside as "damaged"; otherwise as "replaced").
        self.saw_damage = False
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

        self.notice = QLabel(card)
        self.notice.setObjectName("banner")
        self.notice.setWordWrap(True)
        self.notice.setAccessibleName("What happened")
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        card.body.addWidget(self.notice)

        self.restore_offer = QWidget(card)
        offer = QHBoxLayout(self.restore_offer)
        offer.setContentsMargins(0, 0, 0, 0)
        self.latest_backup = QLabel(self.restore_offer)
        self.latest_backup.setWordWrap(True)
        self.latest_backup.setAccessibleName("Latest backup")
        self.restore_button = QPushButton("Restore from backup…", self.restore_offer)
        self.restore_button.setAccessibleName("Restore the vault from a backup")
        self.restore_button.clicked.connect(self.restore_requested)
        offer.addWidget(self.latest_backup, 1)
        offer.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignTop)
        self.restore_offer.hide()
        card.body.addWidget(self.restore_offer)

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
        self.sync_warning: QLabel | None = None
        if looks_cloud_synced(manager.root):
            self.sync_warning = QLabel(CLOUD_SYNC_WARNING, card)
            self.sync_warning.setObjectName("banner")
            self.sync_warning.setWordWrap(True)
            self.sync_warning.setAccessibleName("Cloud sync warning")
            card.body.addWidget(self.sync_warning)

        self.quick_hint = QLabel("Quick unlock is on for this login session: the system keyring "
                                 "holds a key that opens the vault until you quit.", card)
        self.quick_hint.setObjectName("hintText")
        self.quick_hint.setWordWrap(True)
        self.quick_hint.setAccessibleName("About quick unlock")
        self.quick_hint.hide()
        card.body.addWidget(self.quick_hint)
        self.quick_button = QPushButton("Unlock without passphrase", card)
        self.quick_button.setAccessibleName("Unlock without passphrase, with the system keyring")
        self.quick_button.clicked.connect(self.quick_unlock)
        self.quick_button.hide()
        card.body.addWidget(self.quick_button, 0, Qt.AlignmentFlag.AlignRight)

        self.unlock_button = QPushButton("Unlock", card)
        self.unlock_button.setAccessibleName("Unlock")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        self.forgot_button = LinkButton("Forgot passphrase?", card)
        self.forgot_button.setAccessibleName("Forgot passphrase? Use the recovery code")
        self.forgot_button.clicked.connect(self.forgot_passphrase)
        self.restore_link = LinkButton("Restore from backup…", card)
        self.restore_link.setAccessibleName("Restore from backup")
        self.restore_link.clicked.connect(self.restore_requested)
        buttons = QHBoxLayout()
        buttons.addWidget(self.forgot_button)
        buttons.addWidget(self.restore_link)
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

    @property
    def offers_quick_unlock(self) -> bool:
        return not self.quick_button.isHidden()

    def offer_quick_unlock(self, offered: bool) -> None:
        """Show or hide "Unlock without passphrase" (only after an idle auto-lock)."""
        self.quick_button.setVisible(offered)
        self.quick_hint.setVisible(offered)
        if offered:
            self.quick_button.setFocus()

    def quick_unlock(self) -> None:
        """Unlock with the keyring's secret on a worker; fall back to the passphrase on failure."""
        if self._task is not None or not self.offers_quick_unlock:
            return
        self._set_busy(True)
        manager = self._manager

        def job(control: TaskControl) -> Session:
            session = manager.quick_unlock()
            if control.is_cancelled():
                session.lock()
                raise Cancelled()
            return session

        self._task = self._tasks.start("quick-unlock", job)
        self._task.signals.finished.connect(self._on_unlocked)
        self._task.signals.failed.connect(self._on_failed)

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
            session = manager.unlock_or_read_only(passphrase)
            if control.is_cancelled():
                session.lock()
                raise Cancelled()
            return session

        self._task = self._tasks.start("unlock", job)
        self._task.signals.finished.connect(self._on_unlocked)
        self._task.signals.failed.connect(self._on_failed)

    def cancel_unlock(self, message: str) -> bool:
        """Abandon an unlock in progress (True) or do nothing when none runs (False)."""
        task = self._task
        if task is None:
            return False
        task.cancel()
        task.signals.finished.disconnect(self._on_unlocked)
        task.signals.failed.disconnect(self._on_failed)
        task.signals.finished.connect(_wipe_late_session)
        self._task = None
        self.reset()
        self._show_error(message)
        return True

    def forgot_passphrase(self) -> ForgotPassphraseDialog | None:
        """Open the recovery-code dialog; its session opens the vault like an unlock."""
        if self._task is not None:
            return None
        from vault.ui.dialogs.forgot_passphrase_dialog import ForgotPassphraseDialog
        dialog = ForgotPassphraseDialog(self._manager, self._tasks, self)
        dialog.recovered.connect(self._on_unlocked)
        dialog.open()
        return dialog

    def show_notice(self, text: str) -> None:
        """A sentence on the card about what just happened (a restore), until the next unlock."""
        self.notice.setText(text)
        self.notice.setAccessibleDescription(text)
        self.notice.setVisible(bool(text))
        self.restore_offer.hide()
        self.saw_damage = False

    def show_restore_offer(self, clock: Clock | None = None) -> FoundBackup | None:
        """Name the newest backup found and offer to restore it (after damage)."""
        found = self._find_backups()
        latest = found[0] if found else None
        now = (clock or self._manager.clock).now()
        if latest is not None:
            from vault.ui.dialogs.restore_backup_dialog import when_text
            self.latest_backup.setText(f"Latest backup: {when_text(latest.created, now)}.")
        else:
            self.latest_backup.setText("No backup was found in the folder the app knows; "
                                       "choose the file on your backup drive.")
        self.latest_backup.setAccessibleDescription(self.latest_backup.text())
        self.restore_offer.show()
        return latest

    def _on_unlocked(self, session: object) -> None:
        self._task = None
        self.failed_attempts = 0
        self.saw_damage = False
        self.notice.hide()
        self.restore_offer.hide()
        self.reset()
        self.offer_quick_unlock(False)
        self.unlocked.emit(session)

    def _on_failed(self, error: object) -> None:
        self._task = None
        self._set_busy(False)
        if isinstance(error, QuickUnlockUnavailable):
            self.offer_quick_unlock(False)
            self._show_error(str(error))
            self.passphrase.setFocus()
            return
        if isinstance(error, WrongPassphrase):
            self.failed_attempts += 1
            self._show_error(UNLOCK_REFUSED_TEXT)
        elif isinstance(error, DatabaseUnreadable):
            self.saw_damage = True
            self._show_error(UNREADABLE_TEXT)
            self.show_restore_offer()
        elif isinstance(error, IntegrityError):
            self._show_error(f"{error} {DAMAGED_HINT}")
            if isinstance(error, DatabaseDamaged):  # e.g. quick unlock, which has no fallback
                self.saw_damage = True
                self.show_restore_offer()
        elif isinstance(error, VaultError):
            self._show_error(str(error))
        else:
            self._show_error("The vault could not be opened.")
        self.passphrase.edit.selectAll()

    def _set_busy(self, busy: bool) -> None:
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.quick_button.setEnabled(not busy)
        self.busy.setVisible(busy)
        if not busy:
            self.passphrase.setFocus()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setAccessibleDescription(text)
        self.error.show()


def _wipe_late_session(session: object) -> None:
    """A cancelled unlock finished anyway: wipe its keys, show nothing."""
    from vault.session.services import Session  # loaded already: a session was built

    if isinstance(session, Session):
        session.lock()
        log.info("a cancelled unlock's session was wiped")
