"""Lock on OS screen lock, session lock, user switch and suspend — over a real, private D-Bus.

A private ``dbus-daemon --session --print-address`` stands in for both the session and the
system bus. The test emits the real signal names (screensaver ``ActiveChanged``, logind
``PrepareForSleep``, ``Session.Lock``, the session's ``Active`` property) with jeepney and
checks the vault locked within 100 ms with every view emptied, and that an unlock still deriving
its key when the screen locks is cancelled and its session wiped.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
from jeepney import DBusAddress, new_signal
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import STRONG_PASSPHRASE
from tests.ui.helpers import add_member_and_case, make_pdf, visible_texts
from vault.settings import SettingsStore
from vault.ui.dbus_lock_signals import (
    FREEDESKTOP_SCREENSAVER,
    GNOME_SCREENSAVER,
    LOGIN1_MANAGER,
    LOGIN1_PATH,
    LOGIN1_SESSION,
    PROPERTIES,
    BusAddresses,
    LockReason,
)
from vault.ui.session_lock_watcher import (
    PBT_APMSUSPEND,
    WM_POWERBROADCAST,
    WM_WTSSESSION_CHANGE,
    WTS_SESSION_LOCK,
    SessionLockWatcher,
    windows_lock_reason,
)

MEMBER = "Quentin Canary-Lockwatch"
TITLE = "Canary screen-lock case"
SESSION_PATH = "/org/freedesktop/login1/session/_3"
LOCK_BUDGET_S = 0.100
CYCLES = 5


@pytest.fixture(scope="module")
def private_bus() -> Iterator[str]:
    """A private session bus of our own; never the desktop's."""
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, text=True)
    assert daemon.stdout is not None
    address = daemon.stdout.readline().strip()
    assert address.startswith(("unix:", "tcp:")), "dbus-daemon printed no address"
    yield address
    daemon.terminate()
    daemon.wait(10)


@pytest.fixture
def emitter(private_bus: str) -> Iterator[DBusConnection]:
    conn = open_dbus_connection(private_bus)
    yield conn
    conn.close()


@pytest.fixture
def watched(qtbot, qapp, ui_manager, ui_dirs, private_bus):  # type: ignore[no-untyped-def]
    """A controller whose lock watcher listens on the private bus (as both buses)."""
    from vault.ui.vault_controller import VaultController

    watcher = SessionLockWatcher(qapp, addresses=BusAddresses(
        session=private_bus, system=private_bus, login_session_path=SESSION_PATH))
    ctl = VaultController(qapp, ui_manager, lock_watcher=watcher,
                          settings_store=SettingsStore(ui_dirs / "config" / "settings.json"))
    ui_manager.create(STRONG_PASSPHRASE).lock()
    ctl.start()
    assert watcher.dbus is not None and watcher.dbus.wait_ready()
    assert watcher.dbus.listening == {"session", "system"}
    yield ctl
    ctl.shutdown()
    for window in (ctl.main_window, ctl.unlock_window, ctl.create_window):
        if window is not None:
            window.close()
            window.deleteLater()


def _open(ctl, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    """Unlock, add a member and case, show the tables and a PDF in the viewer."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    ctl.open_session(ctl.manager.unlock(STRONG_PASSPHRASE))
    cases = ctl.session.cases.list()
    case = cases[0].case if cases else add_member_and_case(ctl.session, name=MEMBER, title=TITLE)[1]
    window = ctl.main_window
    window.show_page("members")
    window.show_page("cases")
    window.open_case(case.ref, "documents")
    tab = window.case_page.tab_by_key["documents"]
    ctl.file_dialogs.set_next_open_paths([make_pdf(tmp_path / "canary-lock.pdf")])
    with qtbot.waitSignal(tab.imported, timeout=20_000):
        tab.pick_files()
    tab.select_document(tab.model.row_at(0).id)
    qtbot.waitUntil(lambda: tab.viewer.pdf.pageCount() > 0, timeout=20_000)
    models = [window.pages["members"].model, window.pages["cases"].model, tab.model]
    assert any(MEMBER in t for t in visible_texts(window))
    # Finish the layout and painting still queued from opening all that, as on a window the rep
    # has been reading: the budget is for the lock, not for the first paint of a PDF.
    for _ in range(5):
        QApplication.processEvents()
    return models, tab.viewer


def _assert_everything_empty(ctl, models, viewer) -> None:  # type: ignore[no-untyped-def]
    assert ctl.session is None and ctl.context is None
    assert not ctl.main_window.isVisible()
    assert ctl.unlock_window is not None and ctl.unlock_window.isVisible()
    assert all(model.rowCount() == 0 for model in models)
    assert viewer.pdf.pageCount() == 0 and viewer.kind.value == "none"
    assert ctl.main_window.pages == {} and ctl.main_window.case_page is None
    for widget in QApplication.topLevelWidgets():
        for text in visible_texts(widget):
            assert MEMBER not in text and TITLE not in text and "canary-lock" not in text


SIGNALS = {
    "freedesktop-screensaver": ("/org/freedesktop/ScreenSaver", FREEDESKTOP_SCREENSAVER,
                                "ActiveChanged", "b", (True,), LockReason.SCREEN_LOCKED),
    "gnome-screensaver": ("/org/gnome/ScreenSaver", GNOME_SCREENSAVER, "ActiveChanged", "b",
                          (True,), LockReason.SCREEN_LOCKED),
    "logind-prepare-for-sleep": (LOGIN1_PATH, LOGIN1_MANAGER, "PrepareForSleep", "b", (True,),
                                 LockReason.SUSPENDING),
    "logind-session-lock": (SESSION_PATH, LOGIN1_SESSION, "Lock", None, (),
                            LockReason.SESSION_LOCKED),
    "logind-session-switched-away": (SESSION_PATH, PROPERTIES, "PropertiesChanged", "sa{sv}as",
                                     (LOGIN1_SESSION, {"Active": ("b", False)}, []),
                                     LockReason.SESSION_SWITCHED),
}


def _emit(conn: DBusConnection, path: str, interface: str, member: str,
          signature: str | None, body: tuple) -> None:  # type: ignore[type-arg]
    conn.send(new_signal(DBusAddress(path, interface=interface), member, signature, body))


def _machine_overloaded() -> bool:
    """More runnable work than twice the cores (8 helpers sharing 2 cores, say)."""
    return os.getloadavg()[0] > 2 * (os.cpu_count() or 1)


@pytest.mark.parametrize("name", sorted(SIGNALS))
def test_os_lock_signal_locks_the_vault_within_100_ms(name, watched, emitter, qtbot, tmp_path):
    """Five lock cycles per signal, from the emit on the bus to ``locked`` with every view
    emptied: the median wall time must be under 100 ms, and so must the GUI thread's own CPU
    time. On a machine so overloaded that the wall clock measures the scheduler rather than
    us (load average above twice the cores) the wall median may reach 3x the budget, and
    the CPU budget still holds."""
    path, interface, member, signature, body, reason = SIGNALS[name]
    locked_at: list[tuple[float, float]] = []
    watched.locked.connect(lambda: locked_at.append((time.monotonic(), time.thread_time())))
    reasons: list[str] = []
    watched.lock_watcher.lock_requested.connect(reasons.append)
    wall: list[float] = []
    cpu: list[float] = []
    for cycle in range(CYCLES):
        models, viewer = _open(watched, qtbot, tmp_path / f"cycle-{cycle}")
        locked_at.clear()
        sent, sent_cpu = time.monotonic(), time.thread_time()
        with qtbot.waitSignal(watched.locked, timeout=5_000):
            _emit(emitter, path, interface, member, signature, body)
        wall.append(locked_at[0][0] - sent)
        cpu.append(locked_at[0][1] - sent_cpu)
        assert watched.last_lock_reason == reason.value
        _assert_everything_empty(watched, models, viewer)
    shown = (", ".join(f"{w * 1000:.0f}" for w in wall) + " ms wall; "
             + ", ".join(f"{c * 1000:.0f}" for c in cpu) + " ms CPU")
    assert statistics.median(cpu) < LOCK_BUDGET_S, f"locked after {shown}"
    wall_budget = LOCK_BUDGET_S * (3 if _machine_overloaded() else 1)
    assert statistics.median(wall) < wall_budget, f"locked after {shown}"
    assert reasons == [reason.value] * CYCLES


def test_signals_that_do_not_mean_lock_are_ignored(watched, emitter, qtbot, tmp_path):
    _open(watched, qtbot, tmp_path)
    reasons: list[str] = []
    watched.lock_watcher.lock_requested.connect(reasons.append)
    # Screensaver off, waking from sleep, another session's Lock, our session becoming active.
    _emit(emitter, "/org/gnome/ScreenSaver", GNOME_SCREENSAVER, "ActiveChanged", "b", (False,))
    _emit(emitter, LOGIN1_PATH, LOGIN1_MANAGER, "PrepareForSleep", "b", (False,))
    _emit(emitter, "/org/freedesktop/login1/session/_9", LOGIN1_SESSION, "Lock", None, ())
    _emit(emitter, SESSION_PATH, PROPERTIES, "PropertiesChanged", "sa{sv}as",
          (LOGIN1_SESSION, {"Active": ("b", True)}, []))
    # Then a real one: messages from one sender arrive in order, so anything wrongly matched
    # above would have been reported first.
    with qtbot.waitSignal(watched.locked, timeout=5_000):
        _emit(emitter, "/org/freedesktop/ScreenSaver", FREEDESKTOP_SCREENSAVER,
              "ActiveChanged", "b", (True,))
    assert reasons == [LockReason.SCREEN_LOCKED.value]


def test_screen_lock_during_an_unlock_cancels_it_and_wipes_its_session(
        watched, emitter, qtbot, monkeypatch):
    gate = threading.Event()
    produced: list = []
    real_unlock = watched.manager.unlock

    def slow_unlock(passphrase: str):  # type: ignore[no-untyped-def]
        gate.wait(20)  # the key derivation still running when the screen locks
        session = real_unlock(passphrase)
        produced.append(session)
        return session

    monkeypatch.setattr(watched.manager, "unlock", slow_unlock)
    unlock = watched.unlock_window
    unlock.passphrase.setText(STRONG_PASSPHRASE)
    unlock.submit()
    assert unlock.busy_now
    _emit(emitter, "/org/gnome/ScreenSaver", GNOME_SCREENSAVER, "ActiveChanged", "b", (True,))
    qtbot.waitUntil(lambda: not unlock.busy_now, timeout=5_000)
    assert unlock.error.isVisible() and "unlock was stopped" in unlock.error.text()
    assert unlock.passphrase.text() == ""
    gate.set()
    qtbot.waitUntil(lambda: bool(produced) and produced[0].is_locked, timeout=20_000)
    assert watched.tasks.wait(10_000)
    qtbot.waitUntil(lambda: not watched.tasks.active, timeout=5_000)
    assert watched.session is None and not watched.main_window.isVisible()


def test_windows_session_messages_map_to_lock_reasons():
    assert windows_lock_reason(WM_WTSSESSION_CHANGE, WTS_SESSION_LOCK) is LockReason.SESSION_LOCKED
    assert windows_lock_reason(WM_WTSSESSION_CHANGE, 0x2) is LockReason.SESSION_SWITCHED
    assert windows_lock_reason(WM_WTSSESSION_CHANGE, 0x8) is None  # unlock
    assert windows_lock_reason(WM_POWERBROADCAST, PBT_APMSUSPEND) is LockReason.SUSPENDING
    assert windows_lock_reason(WM_POWERBROADCAST, 0x12) is None  # resume


def test_no_bus_leaves_only_the_idle_timer(qapp):
    watcher = SessionLockWatcher(qapp, addresses=BusAddresses(
        session="unix:path=/nonexistent/casevault-bus", system=None))
    watcher.start()
    try:
        assert watcher.dbus is not None and watcher.dbus.wait_ready()
        assert watcher.dbus.listening == set()
    finally:
        watcher.stop()
