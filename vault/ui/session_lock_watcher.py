"""Lock the vault when the operating system locks the screen, switches user or suspends.

``SessionLockWatcher`` gathers what each platform tells us and emits one ``lock_requested``
signal (on the GUI thread) that the controller connects to ``lock``:

- Linux: the D-Bus signals of ``vault.ui.dbus_lock_signals`` (screensaver, logind sleep, lock
  and session switch), read by jeepney threads; their callback emits the Qt signal, which Qt
  queues onto the GUI thread.
- Windows: a native event filter for ``WM_WTSSESSION_CHANGE`` (lock, console or remote
  disconnect) and ``WM_POWERBROADCAST`` / ``PBT_APMSUSPEND``, installed at ``start``; the
  controller calls ``watch_window`` for each top-level window it shows, which registers it
  with ``WTSRegisterSessionNotification``, and ``stop`` (at quit) unregisters every one.
  Untested on real Windows: the parsing and the calls are tested with fakes.
- Everywhere (and all that Qt exposes on macOS): the application turning ``Suspended``.

The idle timer (``InactivityTimer``) is separate and always on.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import sys
from collections.abc import Callable
from typing import Any, Protocol

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


class SessionNotifications(Protocol):
    """The two ``wtsapi32`` calls, behind a seam so tests can stand in for Windows."""

    def register(self, hwnd: int) -> bool: ...

    def unregister(self, hwnd: int) -> None: ...


class Wtsapi32:
    """``WTSRegisterSessionNotification`` / ``WTSUnRegisterSessionNotification`` via ctypes.

    Untested on a real Windows machine (CI runs Linux): the message parsing and the calls
    being made are tested with fakes (``tests/ui/test_windows_session_lock.py``).
    """

    def __init__(self) -> None:
        self._dll: Any = ctypes.WinDLL("wtsapi32")  # type: ignore[attr-defined,unused-ignore]

    def register(self, hwnd: int) -> bool:
        return bool(self._dll.WTSRegisterSessionNotification(ctypes.c_void_p(hwnd),
                                                             NOTIFY_FOR_THIS_SESSION))

    def unregister(self, hwnd: int) -> None:
        self._dll.WTSUnRegisterSessionNotification(ctypes.c_void_p(hwnd))


def lock_reason_of_native_event(event_type: QByteArray | bytes | bytearray | memoryview,
                                message: int) -> LockReason | None:
    """Read the ``MSG`` a native event points at (Windows only hands ``windows_generic_MSG``);
    the lock reason, or None for every other event."""
    kind = event_type.data() if isinstance(event_type, QByteArray) else bytes(event_type)
    if kind != b"windows_generic_MSG" or not message:
        return None
    from ctypes import wintypes  # importable everywhere; only Windows sends these events

    msg = wintypes.MSG.from_address(int(message))
    return windows_lock_reason(int(msg.message), int(msg.wParam))


class WindowsSessionFilter(QAbstractNativeEventFilter):
    """Reads ``MSG`` structures Qt hands over on Windows; never consumes them."""

    def __init__(self, on_lock: Callable[[LockReason], None]) -> None:
        super().__init__()
        self._on_lock = on_lock

    def nativeEventFilter(self, event_type: QByteArray | bytes | bytearray | memoryview,
                          message: int) -> Any:
        reason = lock_reason_of_native_event(event_type, message)
        if reason is not None:
            self._on_lock(reason)
        return False, 0


class SessionLockWatcher(QObject):
    """Emits ``lock_requested`` with a ``LockReason`` value whenever the OS locks or sleeps.

    ``addresses`` chooses the D-Bus buses on Linux (tests pass a private daemon's address);
    ``enable_dbus=False`` leaves D-Bus alone (the controller's tests that do not test it).
    ``platform`` and ``notifications`` are seams for the Windows path (default: this machine's
    ``sys.platform`` and ``Wtsapi32`` when it is ``win32``).
    """

    lock_requested = Signal(str)

    def __init__(self, app: QGuiApplication, *, addresses: BusAddresses | None = None,
                 enable_dbus: bool = True, platform: str | None = None,
                 notifications: SessionNotifications | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._platform = platform or sys.platform
        self._dbus = (DBusLockListener(self._from_any_thread, addresses)
                      if enable_dbus and self._platform.startswith("linux") else None)
        self._notifications = notifications
        self._windows_filter: WindowsSessionFilter | None = None
        self._registered_hwnds: set[int] = set()
        self._started = False

    @property
    def dbus(self) -> DBusLockListener | None:
        return self._dbus

    @property
    def is_windows(self) -> bool:
        return self._platform == "win32"

    @property
    def windows_filter(self) -> WindowsSessionFilter | None:
        return self._windows_filter

    @property
    def registered_windows(self) -> frozenset[int]:
        return frozenset(self._registered_hwnds)

    def start(self) -> None:
        if self._started:
            return
        self._started = True
        if self._dbus is not None:
            self._dbus.start()
        if self._platform == "win32":
            self._windows_filter = WindowsSessionFilter(self._from_any_thread)
            self._app.installNativeEventFilter(self._windows_filter)
        self._app.applicationStateChanged.connect(self._state_changed)

    def watch_window(self, win_id: int) -> None:
        """Windows: ask for session-change messages for this top-level window (no-op elsewhere,
        and for a window already registered). ``WM_POWERBROADCAST`` needs no registration."""
        if self._platform != "win32" or not win_id or win_id in self._registered_hwnds:
            return
        try:
            if self._notifications is None:
                self._notifications = Wtsapi32()
            if self._notifications.register(win_id):
                self._registered_hwnds.add(win_id)
            else:
                log.warning("session notifications not registered for a window")
        except (OSError, AttributeError) as exc:
            log.warning("session notifications unavailable: %s", type(exc).__name__)

    def stop(self) -> None:
        if not self._started:
            return
        self._started = False
        if self._dbus is not None:
            self._dbus.stop()
        if self._notifications is not None:
            for hwnd in sorted(self._registered_hwnds):
                try:
                    self._notifications.unregister(hwnd)
                except (OSError, AttributeError) as exc:
                    log.warning("session notifications not unregistered: %s",
                                type(exc).__name__)
        self._registered_hwnds.clear()
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
