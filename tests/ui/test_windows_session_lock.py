"""The Windows path of the session-lock watcher, with Windows stood in for (issue 11).

The native event filter is really installed on the application, every window the controller
shows is registered with ``WTSRegisterSessionNotification`` (a fake records the calls) and
unregistered at quit, and fake ``MSG`` structures in memory — the exact layout Qt hands over on
Windows — lock the vault for a session lock, a console or remote disconnect and a suspend, and
do nothing for an unlock, a resume or another event type. Untested on real Windows.
"""

from __future__ import annotations

import ctypes
from ctypes import wintypes

import pytest

from tests.ui.conftest import STRONG_PASSPHRASE
from vault.settings import SettingsStore
from vault.ui.dbus_lock_signals import LockReason
from vault.ui.session_lock_watcher import (
    PBT_APMSUSPEND,
    WM_POWERBROADCAST,
    WM_WTSSESSION_CHANGE,
    WTS_CONSOLE_DISCONNECT,
    WTS_REMOTE_DISCONNECT,
    WTS_SESSION_LOCK,
    SessionLockWatcher,
    lock_reason_of_native_event,
)

WTS_SESSION_UNLOCK = 0x8
PBT_APMRESUMEAUTOMATIC = 0x12
WM_TIMER = 0x0113


class FakeWtsapi:
    def __init__(self) -> None:
        self.registered: list[int] = []
        self.unregistered: list[int] = []

    def register(self, hwnd: int) -> bool:
        self.registered.append(hwnd)
        return True

    def unregister(self, hwnd: int) -> None:
        self.unregistered.append(hwnd)


def _msg(message: int, wparam: int) -> wintypes.MSG:
    msg = wintypes.MSG()
    msg.message = message
    msg.wParam = wparam
    return msg


@pytest.mark.parametrize(("message", "wparam", "reason"), [
    (WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK, LockReason.SESSION_LOCKED),
    (WM_WTSSESSION_CHANGE, WTS_CONSOLE_DISCONNECT, LockReason.SESSION_SWITCHED),
    (WM_WTSSESSION_CHANGE, WTS_REMOTE_DISCONNECT, LockReason.SESSION_SWITCHED),
    (WM_POWERBROADCAST, PBT_APMSUSPEND, LockReason.SUSPENDING),
    (WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK, None),
    (WM_POWERBROADCAST, PBT_APMRESUMEAUTOMATIC, None),
    (WM_TIMER, WTS_SESSION_LOCK, None),
])
def test_native_msg_structures_are_read_as_windows_lays_them_out(message, wparam, reason):
    msg = _msg(message, wparam)
    assert lock_reason_of_native_event(b"windows_generic_MSG", ctypes.addressof(msg)) is reason
    # Another platform's event type is never read as a MSG.
    assert lock_reason_of_native_event(b"xcb_generic_event_t", ctypes.addressof(msg)) is None
    assert lock_reason_of_native_event(b"windows_generic_MSG", 0) is None


@pytest.fixture
def on_windows(qtbot, qapp, ui_manager, ui_dirs):  # type: ignore[no-untyped-def]
    from vault.ui.vault_controller import VaultController

    wts = FakeWtsapi()
    watcher = SessionLockWatcher(qapp, enable_dbus=False, platform="win32", notifications=wts)
    ctl = VaultController(qapp, ui_manager, lock_watcher=watcher,
                          settings_store=SettingsStore(ui_dirs / "config" / "settings.json"))
    ui_manager.create(STRONG_PASSPHRASE).lock()
    ctl.start()
    yield ctl, watcher, wts
    ctl.shutdown()
    for window in (ctl.main_window, ctl.unlock_window, ctl.create_window):
        if window is not None:
            window.close()
            window.deleteLater()


@pytest.mark.parametrize(("message", "wparam"), [
    (WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK),
    (WM_WTSSESSION_CHANGE, WTS_REMOTE_DISCONNECT),
    (WM_POWERBROADCAST, PBT_APMSUSPEND),
])
def test_a_windows_lock_message_through_the_installed_filter_locks_the_vault(
        on_windows, qtbot, message, wparam):
    ctl, watcher, wts = on_windows
    assert watcher.windows_filter is not None  # installed at start
    unlock_hwnd = int(ctl.unlock_window.winId())
    assert wts.registered == [unlock_hwnd]
    ctl.open_session(ctl.manager.unlock(STRONG_PASSPHRASE))
    qtbot.waitExposed(ctl.main_window)
    assert int(ctl.main_window.winId()) in wts.registered
    # An unlock message and a foreign event change nothing.
    ignored = _msg(WM_WTSSESSION_CHANGE, WTS_SESSION_UNLOCK)
    watcher.windows_filter.nativeEventFilter(b"windows_generic_MSG", ctypes.addressof(ignored))
    assert ctl.session is not None
    msg = _msg(message, wparam)
    handled = watcher.windows_filter.nativeEventFilter(b"windows_generic_MSG",
                                                       ctypes.addressof(msg))
    assert handled == (False, 0)  # never swallowed: Windows and Qt still see it
    qtbot.waitUntil(lambda: ctl.session is None, timeout=2_000)
    assert ctl.last_lock_reason in {r.value for r in LockReason}
    assert ctl.unlock_window.isVisible() and not ctl.main_window.isVisible()
    # The same windows are not registered twice when shown again.
    assert len(wts.registered) == len(set(wts.registered))


def test_every_registered_window_is_unregistered_at_quit(on_windows, qtbot):
    ctl, watcher, wts = on_windows
    ctl.open_session(ctl.manager.unlock(STRONG_PASSPHRASE))
    qtbot.waitExposed(ctl.main_window)
    registered = set(wts.registered)
    assert len(registered) == 2
    ctl.shutdown()
    assert set(wts.unregistered) == registered
    assert watcher.windows_filter is None and watcher.registered_windows == frozenset()


def test_elsewhere_nothing_is_installed_or_registered(qapp):
    wts = FakeWtsapi()
    watcher = SessionLockWatcher(qapp, enable_dbus=False, platform="linux", notifications=wts)
    watcher.start()
    try:
        watcher.watch_window(1234)
        assert watcher.windows_filter is None and wts.registered == []
    finally:
        watcher.stop()
