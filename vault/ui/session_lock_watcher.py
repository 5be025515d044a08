"""Lock the vault when the operating system locks the screen, switches user or suspends.

``SessionLockWatcher`` gathers what each platform tells us and emits one ``lock_requested``
signal (on the GUI thread) that the controller connects to ``lock``:

- Linux: the D-Bus signals of ``vault.ui.dbus_lock_signals`` (screensaver, logind sleep, lock
  and session switch), read by jeepney threads; their callback emits the Qt signal, which Qt
  queues onto the GUI thread.
- Windows: a native event filter for ``WM_WTSSESSION_CHANGE`` (lock, console or remote
  disconnect) and ``WM_POWERBROADCAST`` / ``PBT_APMSUSPEND``, after registering the window
  with ``WTSRegisterSessionNotification``.
- Everywhere (and all that Qt exposes on macOS): the application turning ``Suspended``.

The idle timer (``InactivityTimer``) is separate and always on.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import sys
from typing import Any

from PySide6.QtCore import QAbstractNativeEventFilter, QByteArray, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication

from vault.ui.dbus_lock_signals import BusAddresses, DBusLockListener, LockReason

log = logging.getLogger(__name__)

WM_WTSSESSION_CHANGE = 0x02B1
WTS_CONSOLE_DISCONNECT = 0x2
WTS_REMOTE_DISCONNECT = 0x4
WTS_SESSION_LOCK = 0x7
WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x4
NOTIFY_FOR_THIS_SESSION = 0


def windows_lock_reason(message: int, wparam: int) -> LockReason | None:
    """The lock reason of a Windows message, or None (pure, so it is tested everywhere)."""
    if message == WM_WTSSESSION_CHANGE:
        if wparam == WTS_SESSION_LOCK:
            return LockReason.SESSION_LOCKED
        if wparam in (WTS_CONSOLE_DISCONNECT, WTS_REMOTE_DISCONNECT):
            return LockReason.SESSION_SWITCHED
    if message == WM_POWERBROADCAST and wparam == PBT_APMSUSPEND:
        return LockReason.SUSPENDING
    return None


class _WindowsSessionFilter(QAbstractNativeEventFilter):
    """Reads ``MSG`` structures Qt hands over on Windows."""

    def __init__(self, on_lock: Any) -> None:
        super().__init__()
        self._on_lock = on_lock

    def nativeEventFilter(self, event_type: QByteArray | bytes | bytearray | memoryview,
                          message: int) -> Any:
        kind = event_type.data() if isinstance(event_type, QByteArray) else bytes(event_type)
        if kind != b"windows_generic_MSG":
            return False, 0
        from ctypes import wintypes

        msg = wintypes.MSG.from_address(int(message))
        reason = windows_lock_reason(int(msg.message), int(msg.wParam))
        if reason is not None:
            self._on_lock(reason)
        return False, 0


class SessionLockWatcher(QObject):
    """Emits ``lock_requested`` with a ``LockReason`` value whenever the OS locks or sleeps.

    ``addresses`` chooses the D-Bus buses on Linux (tests pass a private daemon's address);
    ``enable_dbus=False`` leaves D-Bus alone (the controller's tests that do not test it).
    """

    lock_requested = Signal(str)

    def __init__(self, app: QGuiApplication, *, addresses: BusAddresses | None = None,
                 enable_dbus: bool = True, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._dbus = (DBusLockListener(self._from_any_thread, addresses)
                      if enable_dbus and sys.platform.startswith("linux") else None)
        self._windows_filter: _WindowsSessionFilter | None = None
        self._registered_hwnds: set[int] = set()
        self._started = False

    @property
    def dbus(self) -> DBusLockListener | None:
        return self._dbus

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        if self._dbus is not None:
            self._dbus.start()
        if sys.platform == "win32":
            self._windows_filter = _WindowsSessionFilter(self._from_any_thread)
            self._app.installNativeEventFilter(self._windows_filter)
        self._app.applicationStateChanged.connect(self._state_changed)

    def watch_window(self, win_id: int) -> None:
        """Windows: ask for session-change messages for this top-level window (no-op elsewhere)."""
        if sys.platform != "win32" or not win_id or win_id in self._registered_hwnds:
            return
        try:
            wtsapi = ctypes.WinDLL("wtsapi32")  # type: ignore[attr-defined,unused-ignore]
            if wtsapi.WTSRegisterSessionNotification(ctypes.c_void_p(win_id),
                                                     NOTIFY_FOR_THIS_SESSION):
                self._registered_hwnds.add(win_id)
        except (OSError, AttributeError) as exc:
            log.warning("session notifications unavailable: %s", type(exc).__name__)

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        if self._dbus is not None:
            self._dbus.stop()
        if self._windows_filter is not None:
            self._app.removeNativeEventFilter(self._windows_filter)
            self._windows_filter = None
        with contextlib.suppress(RuntimeError, TypeError):
            self._app.applicationStateChanged.disconnect(self._state_changed)

    def _state_changed(self, state: Qt.ApplicationState) -> None:
        if state == Qt.ApplicationState.ApplicationSuspended:
            self._from_any_thread(LockReason.SUSPENDING)

    def _from_any_thread(self, reason: LockReason) -> None:
        # Emitted from a jeepney thread this is queued to the GUI thread by Qt (AutoConnection).
        self.lock_requested.emit(reason.value)
