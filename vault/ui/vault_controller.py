"""The GUI's life cycle: which window shows, the unlocked session, and locking.

``VaultController`` owns the app-wide helpers (tasks, message boxes, file dialogs, clipboard,
settings, the inactivity timer) and the three windows. It shows the create-vault or unlock
window, builds a ``PageContext`` when a session opens (and, after a vault was just created,
shows the first-run tour over the main window), and locks on Ctrl+L, the toolbar
button, auto-lock, the operating system locking the screen, switching user or suspending
(``SessionLockWatcher``), a crash or quit; an unlock still deriving its key when the screen
locks is cancelled. Locking, in this order: stop auto-lock, cancel and wait for
background work, clear the clipboard if it holds our copy, hide the main window, empty and
delete every page and dialog, wipe keys and close the database, scrub the "Open with…" folder,
then show the unlock window (the folder is also scrubbed at quit and at every start).
"""

from __future__ import annotations

import gc
import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from vault.domain import format_uk_date
from vault.errors import Cancelled, DatabaseDamaged, VaultError
from vault.paths import looks_cloud_synced
from vault.session import VaultManager
from vault.settings import AppSettings, SettingsStore
from vault.ui.builtin_pages import default_registry
from vault.ui.crash_handler import CrashHandler
from vault.ui.dialogs.first_run_tour_dialog import FirstRunTourDialog
from vault.ui.file_dialogs import FileDialogs
from vault.ui.inactivity_timer import InactivityTimer
from vault.ui.lazy import preload
from vault.ui.live_settings import LiveSettings
from vault.ui.main.main_window import MainWindow
from vault.ui.message_boxes import MessageBoxes
from vault.ui.open_with import ExternalOpener
from vault.ui.page_context import PageContext, VaultEvents
from vault.ui.registry import UiRegistry
from vault.ui.sensitive_clipboard import SensitiveClipboard
from vault.ui.session_lock_watcher import SessionLockWatcher
from vault.ui.task_runner import TaskRunner
from vault.ui.windows.create_vault_window import CreateVaultWindow
from vault.ui.windows.unlock_window import UnlockWindow

if TYPE_CHECKING:
    from vault.session import Session
    from vault.ui.dialogs.recovery_code_dialog import RecoveryCodeDialog
    from vault.ui.dialogs.restore_backup_dialog import RestoreBackupDialog

log = logging.getLogger(__name__)

MINUTE_MS = 60_000


# Imported on a thread after the first window shows (no Qt in it: Qt classes are defined on the
# GUI thread only; one CI run's crash in the garbage collector made that suspect).
SERVICES_MODULE = "vault.session.services"


class VaultController(QObject):
    """Emits ``unlocked`` after a session opens and ``locked`` after it is wiped."""

    unlocked = Signal()
    locked = Signal()

    def __init__(self, app: QApplication, manager: VaultManager, *,
                 settings_store: SettingsStore | None = None,
                 registry: UiRegistry | None = None,
                 lock_watcher: SessionLockWatcher | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.manager = manager
        self.settings = LiveSettings(settings_store or SettingsStore(), self)
        self.tasks = TaskRunner(parent=self)
        # Keyring calls (up to 5 s each) run here, so a lock never waits for the keyring.
        self.keyring_tasks = TaskRunner(parent=self)
        self.message_boxes = MessageBoxes()
        self.file_dialogs = FileDialogs()
        self.opener = ExternalOpener()
        current = self.settings.current
        self.clipboard = SensitiveClipboard(app.clipboard(),
                                            current.clipboard_clear_seconds * 1000, self)
        self.clipboard.watch()
        self.inactivity = InactivityTimer(app, current.auto_lock_minutes * MINUTE_MS, self)
        self.inactivity.inactive.connect(self.auto_lock)
        self.registry = registry or default_registry()
        self.main_window = MainWindow(self.registry)
        self.main_window.lock_requested.connect(self.lock)
        self.main_window.restore_requested.connect(self.restore_from_backup)
        self.restore_dialog: RestoreBackupDialog | None = None
        # The automatic-backup folder the open vault records (kept once it locks, so a restore
        # offered from the unlock card can look there).
        self._vault_backup_folder: Path | None = None
        self.create_window: CreateVaultWindow | None = None
        self.unlock_window: UnlockWindow | None = None
        self.session: Session | None = None
        # Where the rep was when the vault locked (page, case ref, tab): memory only.
        self._resume_at: tuple[str, str | None, str | None] | None = None
        self.context: PageContext | None = None
        self.tour: FirstRunTourDialog | None = None
        self.recovery_code_dialog: RecoveryCodeDialog | None = None
        self.crash_handler = CrashHandler(self.lock, self.message_boxes)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.settings.changed.connect(self._settings_changed)
        self._shut_down = False
        self.lock_watcher = lock_watcher
        if lock_watcher is not None:
            lock_watcher.lock_requested.connect(self.os_lock)
        self.last_lock_reason: str | None = None
        self._quick_unlock_on = self.settings.current.keyring_quick_unlock
        self.preloading: threading.Thread | None = None  # imports the services once started

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
        if self.lock_watcher is not None:
            self.lock_watcher.start()
        self.manager.scrub_open_with()  # copies left by a crash or power cut
        if self.manager.finish_interrupted_restore():  # a restore a power cut stopped
            log.warning("an interrupted restore was finished")
        if self.manager.exists() and self.manager.has_quick_unlock():
            # A keyring slot left by a crash: quick unlock never outlives the app's run.
            manager = self.manager
            self.keyring_tasks.start("quick-unlock-clear",
                                     lambda _control: manager.disable_quick_unlock())
        if self.manager.exists():
            self.show_unlock()
        else:
            self.show_create()
        # The services load on a thread while the rep types (docs/performance.md).
        QTimer.singleShot(0, self._preload)

    def _preload(self) -> None:
        if self.preloading is None and not self._shut_down:
            self.preloading = preload([SERVICES_MODULE])

    def show_create(self) -> CreateVaultWindow:
        if self.create_window is None:
            self.create_window = CreateVaultWindow(self.manager, self.tasks)
            self.create_window.created.connect(self.open_session)
            self.create_window.restore_requested.connect(self.restore_from_backup)
        self.create_window.show()
        self.create_window.raise_()
        self.create_window.activateWindow()
        self._watch(self.create_window)
        log.info("create-vault window shown")  # the bundle's start-up timing waits for this
        return self.create_window

    def show_unlock(self, *, offer_quick_unlock: bool = False) -> UnlockWindow:
        if self.unlock_window is None:
            self.unlock_window = UnlockWindow(
                self.manager, self.tasks,
                find_backups=lambda: self.manager.find_backups(*self.backup_folders()))
            self.unlock_window.unlocked.connect(self.open_session)
            self.unlock_window.restore_requested.connect(self.restore_from_backup)
        self.unlock_window.reset()
        self.unlock_window.offer_quick_unlock(offer_quick_unlock)
        self.unlock_window.show()
        self.unlock_window.raise_()
        self.unlock_window.activateWindow()
        self._watch(self.unlock_window)
        log.info("unlock window shown")
        return self.unlock_window

    def _watch(self, window: QWidget) -> None:
        """Windows: register the shown window for session-change messages (no-op elsewhere)."""
        if self.lock_watcher is not None and self.lock_watcher.is_windows:
            self.lock_watcher.watch_window(int(window.winId()))

    def open_session(self, session: object) -> None:
        """Show the main window for ``session`` (from the create or unlock window)."""
        from vault.session.services import Session  # loaded already: a session was built

        if not isinstance(session, Session):
            return
        if self._shut_down:
            session.lock()
            return
        first_run = self.create_window is not None  # a vault just created, not unlocked
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
            registry=self.registry, opener=self.opener,
        )
        self.context.events.restore_requested.connect(self.restore_from_backup)
        read_only = session.admin.read_only
        self.main_window.set_read_only(read_only)
        self.main_window.attach(self.context)
        self._resume_where_the_rep_was()
        self.main_window.show()
        self.main_window.raise_()
        self.main_window.activateWindow()
        self._watch(self.main_window)
        self.inactivity.start()
        self._countdown.start()
        self._tick()
        self._report_recovery(session)
        if read_only:
            # Damaged (issue 11): no keyring slot, no check (the damage is known), and above
            # all no automatic backup, whose rotation would delete a good one.
            log.info("vault opened read-only in the GUI")
        else:
            self._remember_backup_folder(session)
            if self.settings.current.keyring_quick_unlock:
                self._arm_quick_unlock(session)
            self._check_in_background(session)
            self._automatic_backup()
        log.info("vault opened in the GUI")
        if first_run:
            # The recovery code first (while the rep is here), then the short tour.
            code_dialog = self.offer_recovery_code()
            if code_dialog is not None:
                code_dialog.finished.connect(lambda _r: self.session is not None
                                             and self.show_tour())
            else:
                self.show_tour()
        self.unlocked.emit()

    def _check_in_background(self, session: Session) -> None:
        """The database quick check, off the unlock path: on a worker, after the window shows.

        After a crash it already ran before unlock. Lock cancels it within milliseconds.
        """
        if not session.needs_background_check:
            return
        task = self.tasks.start("quick-check", lambda control: session.quick_check(
            control.is_cancelled))
        task.signals.failed.connect(self._background_check_failed)

    def _background_check_failed(self, error: object) -> None:
        if isinstance(error, Cancelled) or self.session is None:
            return
        if isinstance(error, DatabaseDamaged):
            self.enter_read_only()
            return
        self.message_boxes.warning(
            self.main_window, "Casework Vault",
            f"{error} Check it with: casevault verify; restore a backup if it finds damage.")

    # -- a damaged vault and restoring (issue 11) -----------------------------------------------

    def enter_read_only(self) -> None:
        """The background check found damage: refuse every change from now on and say so."""
        if self.session is None:
            return
        self.session.admin.enter_read_only()
        self.main_window.set_read_only(True)
        self.main_window.status.showMessage(
            "The database check found damage: the vault is now read-only. Restore it from a "
            "backup (the damaged vault is kept).", 60_000)
        log.warning("background check found damage; the GUI is read-only")

    def backup_folders(self) -> list[Path]:
        """Where to look for backups: the folder the vault records, and the one remembered in
        the app settings (outside the vault, for a database that cannot be read)."""
        folders = [self._vault_backup_folder] if self._vault_backup_folder else []
        remembered = self.settings.current.backup_folder
        if remembered:
            folders.append(Path(remembered))
        return folders

    def _remember_backup_folder(self, session: Session) -> None:
        try:
            folder = session.admin.backups.settings().folder
        except VaultError:
            return
        self._vault_backup_folder = folder
        wanted = str(folder) if folder is not None else ""
        if wanted and wanted != self.settings.current.backup_folder:
            self.settings.update(backup_folder=wanted)

    def restore_from_backup(self) -> RestoreBackupDialog | None:
        """"Restore from backup…" from the unlock or create card, the read-only banner or
        Settings. An open vault is locked first (a healthy one only after a confirmation whose
        default is Cancel); the dialog then shows over the card."""
        if self.restore_dialog is not None:
            self.restore_dialog.raise_()
            return self.restore_dialog
        label = "damaged"
        if self.session is not None:
            read_only = self.session.admin.read_only
            if not read_only and not self.message_boxes.confirm(
                    self.main_window, "Restore from backup",
                    "Restore a backup in place of this vault?",
                    accept_text="Lock and choose a backup", dangerous=True,
                    informative="The vault locks first. The vault as it is now is moved aside "
                                "and kept; nothing is deleted."):
                return None
            label = "damaged" if read_only else "replaced"
            self._remember_backup_folder(self.session)
            self.lock()
        elif self.unlock_window is not None and not self.unlock_window.saw_damage:
            label = "replaced"
        parent = self.visible_window()
        found = self.manager.find_backups(*self.backup_folders())
        from vault.ui.dialogs.restore_backup_dialog import RestoreBackupDialog
        dialog = RestoreBackupDialog(self.manager, self.tasks, self.message_boxes,
                                     self.file_dialogs, found, now=self.manager.clock.now(),
                                     label=label, parent=parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.restored.connect(self._restored)
        dialog.finished.connect(self._restore_dialog_gone)
        self.restore_dialog = dialog
        dialog.open()
        log.info("restore dialog shown")
        return dialog

    def _restore_dialog_gone(self) -> None:
        self.restore_dialog = None

    def _restored(self, outcome: object) -> None:
        """The backup is in place: the unlock card opens the restored vault."""
        from vault.backup.reader import RestoreOutcome
        if not isinstance(outcome, RestoreOutcome):
            return
        if self.create_window is not None:
            self.create_window.hide()
            self.create_window.deleteLater()
            self.create_window = None
        unlock = self.show_unlock()
        summary = outcome.summary
        text = (f"Restored the backup of {format_uk_date(summary.created.astimezone())}: "
                f"{summary.cases} cases, {summary.documents} documents. Unlock it with the "
                "passphrase of that day.")
        if outcome.set_aside is not None:
            text += f" The vault that was here is kept, unchanged, in {outcome.set_aside}."
        unlock.show_notice(text)

    def _resume_where_the_rep_was(self) -> None:
        """After an unlock, the page (or case and tab) shown when the vault locked. Held in
        memory only, as a page key and an opaque case reference; dropped if it no longer
        opens (the case was destroyed, say)."""
        where, self._resume_at = self._resume_at, None
        if where is None:
            return
        page, ref, tab = where
        window = self.main_window
        if ref is not None:
            window.open_case(ref, tab)
            if window.case_page is None or window.case_page.current_ref != ref:
                window.show_page(window.registry.pages()[0].key)
        elif page:
            window.show_page(page)

    def show_tour(self) -> FirstRunTourDialog | None:
        """The first-run tour over the main window (after a vault is created)."""
        if self.session is None:
            return None
        self.tour = FirstRunTourDialog(self.session.root, self.settings.current.auto_lock_minutes,
                                       self.main_window)
        self.tour.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.tour.finished.connect(self._tour_gone)
        self.tour.open()
        log.info("first-run tour shown")
        return self.tour

    def _tour_gone(self) -> None:
        self.tour = None

    def _report_recovery(self, session: Session) -> None:
        lines = session.admin.startup.lines()
        if looks_cloud_synced(session.root):
            lines = ["The vault folder looks like a cloud-sync folder; move it out (see "
                     "Settings → Device check).", *lines]
        if lines:
            self.main_window.status.showMessage("At start-up: " + " ".join(lines), 30_000)

    def offer_recovery_code(self) -> RecoveryCodeDialog | None:
        """Right after creation: make the recovery code (DESIGN §3) while the rep is here."""
        if self.context is None:
            return None
        from vault.ui.dialogs.recovery_code_dialog import RecoveryCodeDialog
        dialog = RecoveryCodeDialog(self.context, self.main_window)
        self.recovery_code_dialog = dialog
        dialog.finished.connect(lambda _r: setattr(self, "recovery_code_dialog", None))
        dialog.open()
        return dialog

    def _automatic_backup(self) -> None:
        """Today's automatic backup, on a worker, if one is due (issue 11)."""
        if self.context is None:
            return
        from vault.ui.widgets.backup_panel import start_automatic_backup
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

    def _where_the_rep_is(self) -> tuple[str, str | None, str | None] | None:
        window = self.main_window
        key = window.current_page_key()
        case_page = window.open_case_page  # building it here would cost a lock 0.35 s
        if case_page is not None and key == "case" and case_page.current_ref:
            current = case_page.tabs.currentWidget()
            tab = next((k for k, w in case_page.tab_by_key.items() if w is current), None)
            return key, case_page.current_ref, tab
        return (key, None, None) if key else None

    def auto_lock(self) -> None:
        log.info("auto-lock")
        self._lock(show_unlock=not self._shut_down, reason="idle")

    def os_lock(self, reason: str = "os") -> None:
        """The OS locked the screen, switched user or is suspending: lock now, and cancel an
        unlock that is still deriving its key (its session is wiped as soon as it arrives)."""
        if self.session is not None:
            log.info("locking: %s", reason)
            self._lock(show_unlock=not self._shut_down, reason=reason)
        elif self.unlock_window is not None and self.unlock_window.cancel_unlock(
                "The computer was locked, so the unlock was stopped. Enter your passphrase "
                "again."):
            log.info("unlock cancelled: %s", reason)

    def _lock(self, *, show_unlock: bool, reason: str = "manual") -> None:
        if self.session is None:
            return
        self._resume_at = self._where_the_rep_is()
        # No cyclic garbage collection in the middle of a lock: a full pass over a long
        # session's Qt wrappers can take longer than the whole lock (it runs right after).
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._lock_now(self.session, show_unlock=show_unlock, reason=reason)
        finally:
            if was_enabled:
                gc.enable()

    def _lock_now(self, session: Session, *, show_unlock: bool, reason: str) -> None:
        self.last_lock_reason = reason
        self.inactivity.stop()
        self._countdown.stop()
        self.tasks.shutdown()
        self.clipboard.clear_if_ours()
        if self.tour is not None:
            self.tour.close()
            self.tour = None
        # Hide first: nothing of the vault stays on screen while the pages are torn down, and
        # removing pages from a hidden window costs no re-layout (the lock stays under 100 ms).
        self.main_window.hide()
        self.main_window.detach()
        self.session = None
        if self.context is not None:
            self.context.events.deleteLater()
            self.context = None
        try:
            session.lock()
        finally:
            self.manager.lock_all()
            self.manager.scrub_open_with()
        log.info("locked")
        if show_unlock:
            # Quick unlock only after an idle auto-lock, never after Ctrl+L or an OS lock.
            self.show_unlock(offer_quick_unlock=(
                reason == "idle" and self.settings.current.keyring_quick_unlock
                and self.manager.has_quick_unlock()))
        self.locked.emit()

    def shutdown(self) -> None:
        """On quit: lock without showing anything, clear the clipboard, stop workers."""
        if self._shut_down:
            return
        self._shut_down = True
        self._lock(show_unlock=False)
        self.clipboard.clear_if_ours()
        self.clipboard.unwatch()
        self.tasks.shutdown()
        # A vault opened by an unlock still running at quit never reached the window.
        self.manager.lock_all()
        self.manager.scrub_open_with()
        self.keyring_tasks.shutdown(timeout_ms=1_000)
        if self.settings.current.keyring_quick_unlock or self.manager.has_quick_unlock():
            # The slot first (local, instant), then the keyring item (5 s at most, at quit).
            self.manager.disable_quick_unlock()
        self.inactivity.stop()
        if self.lock_watcher is not None:
            self.lock_watcher.stop()
        self.crash_handler.uninstall()

    # -- timers and settings -------------------------------------------------------------------

    def set_auto_lock_timeout_ms(self, ms: int) -> None:
        """Test hook (and Settings): lock after ``ms`` without input."""
        self.inactivity.set_timeout_ms(ms)

    # -- keyring quick unlock ------------------------------------------------------------------

    def _arm_quick_unlock(self, session: Session) -> None:
        manager = self.manager
        task = self.keyring_tasks.start("quick-unlock-arm",
                                        lambda _control: manager.enable_quick_unlock(session))
        task.signals.finished.connect(self._quick_unlock_armed)
        task.signals.failed.connect(lambda _error: self._quick_unlock_armed(False))

    def _quick_unlock_armed(self, armed: object) -> None:
        if self.session is None:
            return
        if armed is True:
            log.info("quick unlock ready")
        else:
            self.main_window.status.showMessage(
                "Quick unlock is not available: the system keyring is locked, missing or did not "
                "answer. After an auto-lock you will need your passphrase.", 20_000)

    def _disarm_quick_unlock(self) -> None:
        manager, session = self.manager, self.session
        self.keyring_tasks.start("quick-unlock-disarm",
                                 lambda _control: manager.disable_quick_unlock(session))

    def _settings_changed(self, settings: AppSettings) -> None:
        was_on = self._quick_unlock_on
        self._quick_unlock_on = settings.keyring_quick_unlock
        if settings.keyring_quick_unlock != was_on and self.session is not None:
            if settings.keyring_quick_unlock:
                self._arm_quick_unlock(self.session)
            else:
                self._disarm_quick_unlock()
        self.inactivity.set_timeout_ms(settings.auto_lock_minutes * MINUTE_MS)
        self.clipboard.clear_after_ms = settings.clipboard_clear_seconds * 1000
        if self.session is not None:
            self.session.admin.update_settings(settings)

    def _tick(self) -> None:
        self.main_window.refresh_countdown(self.inactivity.remaining_ms())
