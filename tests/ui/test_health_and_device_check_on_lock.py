"""Health: the Settings device check, the cloud-sync warning, and a plain restore hint when the
database is damaged at unlock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.conftest import STRONG_PASSPHRASE
from vault.crypto.kdf import Argon2Params
from vault.device_check import CLOUD_SYNC_WARNING, DeviceReport
from vault.session import VaultManager
from vault.settings import SettingsStore
from vault.ui.windows.unlock_window import UNREADABLE_TEXT


def test_settings_device_check_reports_each_finding(unlocked, qtbot):
    window = unlocked.main_window
    window.show_page("settings")
    page = window.pages["settings"]
    with qtbot.waitSignal(unlocked.tasks.about_to_start, timeout=5_000) as started:
        qtbot.mouseClick(page.device_button, Qt.MouseButton.LeftButton)
    task = started.args[0]
    assert task.name == "device-check"
    qtbot.waitUntil(lambda: page.device_report is not None, timeout=20_000)
    assert isinstance(page.device_report, DeviceReport)
    text = page.device_result.text()
    for title in ("Disk encryption", "Screen lock", "Cloud sync"):
        assert title in text
    assert page.device_button.isEnabled()


def _controller(qapp, root: Path, ui_dirs: Path, clock):  # type: ignore[no-untyped-def]
    from vault.ui.vault_controller import VaultController

    manager = VaultManager(root=root, clock=clock, kdf_params=Argon2Params(1, 8, 1))
    return manager, VaultController(qapp, manager, settings_store=SettingsStore(
        ui_dirs / "config" / "settings.json"))


def test_a_vault_in_a_cloud_sync_folder_is_warned_about(qapp, qtbot, ui_dirs, ui_clock):
    root = ui_dirs / "Dropbox" / "casevault"
    manager, ctl = _controller(qapp, root, ui_dirs, ui_clock)
    try:
        manager.create(STRONG_PASSPHRASE).lock()
        manager.lock_all()
        ctl.start()
        warning = ctl.unlock_window.sync_warning
        assert warning is not None and warning.text() == CLOUD_SYNC_WARNING
        ctl.open_session(manager.unlock(STRONG_PASSPHRASE))
        assert "cloud-sync" in ctl.main_window.status.currentMessage()
    finally:
        ctl.shutdown()
        manager.lock_all()
        for window in (ctl.main_window, ctl.unlock_window):
            if window is not None:
                window.close()
                window.deleteLater()


def test_a_damaged_database_at_unlock_says_how_to_restore(controller, ui_manager, qtbot):
    ui_manager.create(STRONG_PASSPHRASE).lock()
    ui_manager.lock_all()
    db = ui_manager.paths.db
    data = bytearray(db.read_bytes())
    for offset in range(4096, len(data), 4096):  # every page after the first
        data[offset + 100:offset + 164] = bytes(64)
    db.write_bytes(bytes(data))
    controller.start()
    window = controller.unlock_window
    window.passphrase.setText(STRONG_PASSPHRASE)
    window.submit()
    qtbot.waitUntil(lambda: window.error.isVisible(), timeout=20_000)
    # Damaged beyond a read-only open (issue 11): one line, and the restore offered.
    assert window.error.text() == UNREADABLE_TEXT
    assert window.restore_offer.isVisible() and window.restore_button.isEnabled()
    assert not controller.is_unlocked
