"""The GUI's life cycle: which window shows, the unlocked session, and locking.

``VaultController`` owns the app-wide helpers (tasks, message boxes, file dialogs, clipboard,
settings, the inactivity timer) and the three windows. It shows the create-vault or unlock
window, builds a ``PageContext`` when a session opens, and locks on Ctrl+L, the toolbar
button, auto-lock, a crash or quit. Locking, in this order: stop auto-lock, cancel and wait for
background work, clear the clipboard if it holds our copy, empty and delete every page and
dialog, hide the main window, wipe keys and close the database, then show the unlock window.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from vault.session import Session, VaultManager
from vault.settings import AppSettings, SettingsStore
from vault.ui.builtin_pages import default_registry
from vault.ui.crash_handler import CrashHandler
from vault.ui.dialogs.recovery_code_dialog import RecoveryCodeDialog
from vault.ui.file_dialogs import FileDialogs
from vault.ui.inactivity_timer import InactivityTimer
from vault.ui.live_settings import LiveSettings
from vault.ui.main.main_window import MainWindow
from vault.ui.message_boxes import MessageBoxes
from vault.ui.page_context import PageContext, VaultEvents
from vault.ui.registry import UiRegistry
from vault.ui.sensitive_clipboard import SensitiveClipboard
from vault.ui.task_runner import TaskRunner
from vault.ui.widgets.backup_panel import start_automatic_backup
from vault.ui.windows.create_vault_window import CreateVaultWindow
from vault.ui.windows.unlock_window import UnlockWindow

log = logging.getLogger(__name__)

MINUTE_MS = 60_000


class VaultController(QObject):
    """Emits ``unlocked`` after a session opens and ``locked`` after it is wiped."""

    unlocked = Signal()
    locked = Signal()

    def __init__(self, app: QApplication, manager: VaultManager, *,
                 settings_store: SettingsStore | None = None,
                 registry: UiRegistry | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.manager = manager
        self.settings = LiveSettings(settings_store or SettingsStore(), self)
        self.tasks = TaskRunner(parent=self)
        self.message_boxes = MessageBoxes()
        self.file_dialogs = FileDialogs()
        current = self.settings.current
        self.clipboard = SensitiveClipboard(app.clipboard(),
                                            current.clipboard_clear_seconds * 1000, self)
        self.inactivity = InactivityTimer(app, current.auto_lock_minutes * MINUTE_MS, self)
        self.inactivity.inactive.connect(self.auto_lock)
        self.registry = registry or default_registry()
        self.main_window = MainWindow(self.registry)
        self.main_window.lock_requested.connect(self.lock)
        self.create_window: CreateVaultWindow | None = None
        self.unlock_window: UnlockWindow | None = None
        self.session: Session | None = None
        self.context: PageContext | None = None
        self.crash_handler = CrashHandler(self.lock, self.message_boxes)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.settings.changed.connect(self._settings_changed)
        self._shut_down = False

    @property
    def is_unlocked(self) -> bool:
        return self.session is not None

    def visible_window(self) -> QWidget | None:
        for window in (self.main_window, self.unlock_window, self.create_window):
            if window is not None and window.isVisible():
                return window
        return None

    # -- start ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Show the create-vault window on first start, else the unlock window."""
        if self.manager.exists():
            self.show_unlock()
        else:
            self.show_create()

    def show_create(self) -> CreateVaultWindow:
        if self.create_window is None:
            self.create_window = CreateVaultWindow(self.manager, self.tasks)
            self.create_window.created.connect(self.open_session)
        self.create_window.show()
        self.create_window.raise_()
        self.create_window.activateWindow()
        return self.create_window

    def show_unlock(self) -> UnlockWindow:
        if self.unlock_window is None:
            self.unlock_window = UnlockWindow(self.manager, self.tasks)
            self.unlock_window.unlocked.connect(self.open_session)
        self.unlock_window.reset()
        self.unlock_window.show()
        self.unlock_window.raise_()
        self.unlock_window.activateWindow()
        return self.unlock_window

    def open_session(self, session: object) -> None:
        """Show the main window for ``session`` (from the create or unlock window)."""
        if not isinstance(session, Session):
            return
        if self._shut_down:
            session.lock()
            return
        just_created = self.create_window is not None
        if self.create_window is not None:
            self.create_window.hide()
            self.create_window.deleteLater()
            self.create_window = None
        if self.unlock_window is not None:
            self.unlock_window.hide()
        self.session = session
        session.admin.update_settings(self.settings.current)  # follow-up days and region
        self.context = PageContext(
            session=session, manager=self.manager, settings=self.settings, tasks=self.tasks,
            message_boxes=self.message_boxes, file_dialogs=self.file_dialogs,
            clipboard=self.clipboard, events=VaultEvents(self), navigator=self.main_window,
            registry=self.registry,
        )
        self.main_window.attach(self.context)
        self.main_window.show()
        self.main_window.raise_()
        self.main_window.activateWindow()
        self.inactivity.start()
        self._countdown.start()
        self._tick()
        self._report_recovery(session)
        self._automatic_backup()
        if just_created:
            self.offer_recovery_code()
        log.info("vault opened in the GUI")
        self.unlocked.emit()

    def _report_recovery(self, session: Session) -> None:
        lines = session.admin.startup.lines()
        if lines:
            self.main_window.status.showMessage("At start-up: " + " ".join(lines), 30_000)

    def offer_recovery_code(self) -> RecoveryCodeDialog | None:
        """Right after creation: make the recovery code (DESIGN §3) while the rep is here."""
        if self.context is None:
            return None
        dialog = RecoveryCodeDialog(self.context, self.main_window)
        dialog.open()
        return dialog

    def _automatic_backup(self) -> None:
        """Today's automatic backup, on a worker, if one is due (issue 11)."""
        if self.context is None:
            return
        task = start_automatic_backup(self.context)
        if task is None:
            return
        status = self.main_window.status
        task.signals.finished.connect(
            lambda _r: status.showMessage("Automatic backup written.", 10_000))
        task.signals.failed.connect(
            lambda e: status.showMessage(f"Automatic backup not written: {e}", 20_000))

    # -- lock ----------------------------------------------------------------------------------

    def lock(self) -> None:
        """Wipe everything of the session and show the unlock window. Safe to call twice."""
        self._lock(show_unlock=not self._shut_down)

    def auto_lock(self) -> None:
        log.info("auto-lock")
        self.lock()

    def _lock(self, *, show_unlock: bool) -> None:
        session = self.session
        if session is None:
            return
        self.inactivity.stop()
        self._countdown.stop()
        self.tasks.shutdown()
        self.clipboard.clear_if_ours()
        self.main_window.detach()
        self.main_window.hide()
        self.session = None
        if self.context is not None:
            self.context.events.deleteLater()
            self.context = None
        try:
            session.lock()
        finally:
            self.manager.lock_all()
        log.info("locked")
        if show_unlock:
            self.show_unlock()
        self.locked.emit()

    def shutdown(self) -> None:
        """On quit: lock without showing anything, clear the clipboard, stop workers."""
        if self._shut_down:
            return
        self._shut_down = True
        self._lock(show_unlock=False)
        self.clipboard.clear_if_ours()
        self.tasks.shutdown()
        # A vault opened by an unlock still running at quit never reached the window.
        self.manager.lock_all()
        self.inactivity.stop()
        self.crash_handler.uninstall()

    # -- timers and settings -------------------------------------------------------------------

    def set_auto_lock_timeout_ms(self, ms: int) -> None:
        """Test hook (and Settings): lock after ``ms`` without input."""
        self.inactivity.set_timeout_ms(ms)

    def _settings_changed(self, settings: AppSettings) -> None:
        self.inactivity.set_timeout_ms(settings.auto_lock_minutes * MINUTE_MS)
        self.clipboard.clear_after_ms = settings.clipboard_clear_seconds * 1000
        if self.session is not None:
            self.session.admin.update_settings(settings)

    def _tick(self) -> None:
        self.main_window.refresh_countdown(self.inactivity.remaining_ms())
