"""Settings: auto-lock minutes persisted and applied; passphrase change off the GUI thread;
the vault check with progress."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from tests.ui.conftest import STRONG_PASSPHRASE
from vault.ui.dialogs.change_passphrase_dialog import ChangePassphraseDialog

NEW_PASSPHRASE = "violet lantern across frozen harbour"


def test_auto_lock_minutes_are_saved_and_applied(unlocked, ui_dirs, qtbot):
    window = unlocked.main_window
    window.show_page("settings")
    page = window.pages["settings"]
    assert page.auto_lock.minimum() == 1 and page.auto_lock.maximum() == 30
    assert page.auto_lock.value() == 5
    page.auto_lock.setValue(12)
    saved = json.loads((ui_dirs / "config" / "settings.json").read_text("utf-8"))
    assert saved["auto_lock_minutes"] == 12
    assert unlocked.inactivity.timeout_ms == 12 * 60_000
    page.auto_lock.setValue(99)  # clamped by the spin box
    assert unlocked.settings.current.auto_lock_minutes == 30


def test_change_passphrase_then_unlock_with_the_new_one(unlocked, qtbot):
    window = unlocked.main_window
    window.show_page("settings")
    dialog = window.pages["settings"].change_passphrase()
    assert isinstance(dialog, ChangePassphraseDialog)
    dialog.current.setText(STRONG_PASSPHRASE)
    dialog.new.setText("tooshort")
    dialog.repeat.setText("tooshort")
    dialog.submit()
    assert "at least 12" in dialog.error.text()
    dialog.new.setText(NEW_PASSPHRASE)
    dialog.repeat.setText(NEW_PASSPHRASE)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.submit()
        assert dialog.busy.isVisibleTo(dialog)
    assert "new passphrase" in unlocked.message_boxes.last_box.text()
    unlocked.lock()
    unlock = unlocked.unlock_window
    unlock.passphrase.setText(STRONG_PASSPHRASE)
    qtbot.mouseClick(unlock.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not unlock.busy_now, timeout=20_000)
    assert unlock.error.isVisible()
    unlock.passphrase.setText(NEW_PASSPHRASE)
    with qtbot.waitSignal(unlocked.unlocked, timeout=20_000):
        qtbot.mouseClick(unlock.unlock_button, Qt.MouseButton.LeftButton)


def test_wrong_current_passphrase_is_reported(unlocked, qtbot):
    dialog = unlocked.main_window.pages["settings"].change_passphrase()
    dialog.current.setText("not my passphrase at all")
    dialog.new.setText(NEW_PASSPHRASE)
    dialog.repeat.setText(NEW_PASSPHRASE)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.isVisibleTo(dialog), timeout=20_000)
    assert dialog.error.text() == "The current passphrase is not right."
    assert dialog.isVisible()


def test_vault_check_runs_with_progress(unlocked, qtbot):
    page = unlocked.main_window.pages["settings"]
    task = page.start_check()
    assert task is not None and page.check_progress.isVisibleTo(page)
    qtbot.waitUntil(lambda: page.check_result.text() != "", timeout=20_000)
    assert page.check_result.text().startswith("All good")
    assert not page.check_progress.isVisibleTo(page)


def test_follow_up_days_and_region_reach_the_services(unlocked, ui_dirs, qtbot):
    from vault.domain import Category, EntryKind

    window = unlocked.main_window
    window.show_page("settings")
    page = window.pages["settings"]
    assert page.follow_up_days.value() == 2 and page.region.currentData() == "ENG"
    page.follow_up_days.setValue(5)
    page.region.setCurrentIndex(page.region.findData("SCT"))
    saved = json.loads((ui_dirs / "config" / "settings.json").read_text("utf-8"))
    assert saved["follow_up_working_days"] == 5 and saved["bank_holiday_region"] == "SCT"
    session = unlocked.session
    assert session.settings.follow_up_working_days == 5
    member = session.members.add("Settings Member")
    case = session.cases.open(member.id, "Advice", Category.GRIEVANCE)
    session.trail_log.log(case.ref, EntryKind.ORAL_ADVICE, "Advised to submit the grievance")
    [owed] = session.followups.for_case(case.ref)
    # Mon 23 Nov 2026 + 5 working days = Mon 30 Nov 2026 (St Andrew's Day in Scotland) -> Tue 1 Dec
    assert owed.due.isoformat() == "2026-12-01"
