"""Keyring quick unlock (opt-in): after an idle auto-lock the vault reopens without the
passphrase; any keyring failure (locked, missing, hanging, refused) falls back to the
passphrase in time with one plain sentence; the item and its slot go at quit and on passphrase
change. In-memory and hanging backends only — never the OS keychain."""

from __future__ import annotations

import threading
import time

import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError
from PySide6.QtCore import Qt

from tests.ui.conftest import STRONG_PASSPHRASE
from vault.crypto import keyfile
from vault.crypto.keystore import SERVICE, KeyringStore
from vault.errors import QuickUnlockUnavailable
from vault.session import QUICK_UNLOCK_TIMEOUT_SECONDS

NEW_PASSPHRASE = "violet lantern across frozen harbour"
TEST_TIMEOUT_S = 0.5


class MemoryKeyring(KeyringBackend):
    """A recommended-priority backend in a dict; can be told to hang or to be locked."""

    priority = 5  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.calls: list[str] = []
        self.hang = threading.Event()
        self.release = threading.Event()
        self.locked = False

    def _maybe_block(self, name: str) -> None:
        self.calls.append(name)
        if self.hang.is_set():
            self.release.wait(30)
        if self.locked:
            raise KeyringLocked("the collection is locked")

    def get_password(self, service: str, username: str) -> str | None:
        self._maybe_block("get")
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self._maybe_block("set")
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self._maybe_block("delete")
        if (service, username) not in self.entries:
            raise PasswordDeleteError("not found")
        del self.entries[(service, username)]


class PlaintextAltKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's plain-text file backend: must be refused."""

    priority = 9  # type: ignore[assignment]


PlaintextAltKeyring.__module__ = "keyrings.alt.file"


@pytest.fixture
def backend() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def armed(controller, ui_manager, backend, qtbot):  # type: ignore[no-untyped-def]
    """Quick unlock on, a passphrase unlock done, and the keyring slot armed."""
    ui_manager.keyring = KeyringStore(backend, timeout=TEST_TIMEOUT_S)
    controller.settings.update(keyring_quick_unlock=True)
    controller.open_session(ui_manager.create(STRONG_PASSPHRASE))
    qtbot.waitUntil(ui_manager.has_quick_unlock, timeout=10_000)
    assert len(backend.entries) == 1
    [(service, account)] = backend.entries
    assert service == SERVICE and account == controller.session.vault.vault_id
    return controller


def test_the_keyring_holds_random_bytes_never_the_passphrase(armed, backend):
    [stored] = backend.entries.values()
    assert STRONG_PASSPHRASE not in stored
    kf = keyfile.KeyFile.load(armed.manager.paths.keys)
    assert keyfile.has_slot(kf, keyfile.SLOT_OS_KEYRING)


def test_after_an_idle_auto_lock_the_vault_reopens_without_the_passphrase(armed, qtbot):
    armed.auto_lock()
    window = armed.unlock_window
    assert not armed.is_unlocked and window.offers_quick_unlock
    assert window.passphrase.text() == ""
    with qtbot.waitSignal(armed.unlocked, timeout=10_000):
        qtbot.mouseClick(window.quick_button, Qt.MouseButton.LeftButton)
    assert armed.is_unlocked and armed.main_window.isVisible()


@pytest.mark.parametrize("lock", ["manual", "screen-locked"])
def test_no_quick_unlock_after_lock_or_an_os_lock(armed, lock):
    if lock == "manual":
        armed.lock()
    else:
        armed.os_lock(lock)
    assert not armed.is_unlocked
    assert not armed.unlock_window.offers_quick_unlock


def _failing_quick_unlock(armed, qtbot):  # type: ignore[no-untyped-def]
    armed.auto_lock()
    window = armed.unlock_window
    assert window.offers_quick_unlock
    started = time.monotonic()
    qtbot.mouseClick(window.quick_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.error.isVisible(), timeout=10_000)
    elapsed = time.monotonic() - started
    assert not armed.is_unlocked
    assert window.error.text() == str(QuickUnlockUnavailable())
    assert not window.offers_quick_unlock
    assert window.passphrase.isEnabled() and window.unlock_button.isEnabled()
    return window, elapsed


def test_a_hanging_keyring_falls_back_to_the_passphrase_in_time(armed, backend, qtbot):
    backend.hang.set()
    try:
        window, elapsed = _failing_quick_unlock(armed, qtbot)
        assert elapsed < TEST_TIMEOUT_S + 1.5, f"fell back after {elapsed:.2f} s"
        # The passphrase still works.
        window.passphrase.setText(STRONG_PASSPHRASE)
        with qtbot.waitSignal(armed.unlocked, timeout=20_000):
            window.submit()
    finally:
        backend.release.set()


def test_a_locked_keyring_falls_back(armed, backend, qtbot):
    backend.locked = True
    _failing_quick_unlock(armed, qtbot)


def test_a_missing_keyring_item_falls_back(armed, backend, qtbot):
    backend.entries.clear()
    _failing_quick_unlock(armed, qtbot)


def test_quit_removes_the_item_and_the_slot(armed, backend):
    armed.shutdown()
    assert backend.entries == {}
    assert not armed.manager.has_quick_unlock()


def test_a_passphrase_change_removes_the_item_and_the_slot(armed, backend, qtbot):
    window = armed.main_window
    window.show_page("settings")
    dialog = window.pages["settings"].change_passphrase()
    dialog.current.setText(STRONG_PASSPHRASE)
    dialog.new.setText(NEW_PASSPHRASE)
    dialog.repeat.setText(NEW_PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.submit()
    assert backend.entries == {}
    assert not armed.manager.has_quick_unlock()
    armed.auto_lock()
    assert not armed.unlock_window.offers_quick_unlock


def test_turning_it_off_in_settings_removes_the_item_and_the_slot(armed, backend, qtbot):
    window = armed.main_window
    window.show_page("settings")
    page = window.pages["settings"]
    assert page.quick_unlock.isChecked()
    page.quick_unlock.setChecked(False)
    qtbot.waitUntil(lambda: not armed.manager.has_quick_unlock() and not backend.entries,
                    timeout=10_000)
    assert "Off" in page.quick_status.text()


def test_a_refused_backend_never_arms(controller, ui_manager, qtbot):
    refused = PlaintextAltKeyring()
    ui_manager.keyring = KeyringStore(refused, timeout=TEST_TIMEOUT_S)
    controller.settings.update(keyring_quick_unlock=True)
    controller.open_session(ui_manager.create(STRONG_PASSPHRASE))
    qtbot.waitUntil(lambda: "Quick unlock is not available"
                    in controller.main_window.status.currentMessage(), timeout=10_000)
    assert refused.entries == {} and refused.calls == []
    assert not ui_manager.has_quick_unlock()
    controller.main_window.show_page("settings")
    page = controller.main_window.pages["settings"]
    qtbot.waitUntil(lambda: "No trusted system keyring" in page.quick_status.text(),
                    timeout=10_000)
    controller.auto_lock()
    assert not controller.unlock_window.offers_quick_unlock


def test_off_by_default_and_then_the_keyring_is_never_touched(controller, ui_manager, qtbot):
    spy = MemoryKeyring()
    ui_manager.keyring = KeyringStore(spy, timeout=TEST_TIMEOUT_S)
    assert controller.settings.current.keyring_quick_unlock is False
    controller.open_session(ui_manager.create(STRONG_PASSPHRASE))
    controller.auto_lock()
    assert not controller.unlock_window.offers_quick_unlock
    controller.shutdown()
    assert spy.calls == []


def test_a_slot_left_by_a_crash_is_removed_at_start(controller, ui_manager, backend, qtbot):
    ui_manager.keyring = KeyringStore(backend, timeout=TEST_TIMEOUT_S)
    session = ui_manager.create(STRONG_PASSPHRASE)
    assert ui_manager.enable_quick_unlock(session)
    session.lock()
    ui_manager.lock_all()
    controller.start()
    qtbot.waitUntil(lambda: not ui_manager.has_quick_unlock() and not backend.entries,
                    timeout=10_000)


def test_each_keyring_call_is_bounded_by_five_seconds(ui_manager):
    assert QUICK_UNLOCK_TIMEOUT_SECONDS == 5.0
    store = ui_manager.keyring_store()
    assert store._timeout == 5.0  # the product's store (tests pass their own)
