"""A damaged vault in the app, and restoring from a backup without the command line (issue 11).

Real damage (bytes overwritten in the middle of a page of a populated vault's database):
- found at unlock → the vault opens read-only with the banner, the toolbar's writes are off,
  Settings → Backups cannot back up, a change is refused in one line;
- found by the background check after unlock → the window turns read-only;
- beyond reading → the unlock card says so in one line and names the latest backup;
- "Restore from backup…" (banner, unlock card, create card on a new laptop, Settings) restores
  on a worker with progress, keeps the damaged vault aside, and the unlock card opens the result.

Set CASEVAULT_SCREENSHOTS=1 to write the banner and the dialog into docs/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import STRONG_PASSPHRASE
from tests.ui.helpers import add_member_and_case, loaded_page, make_pdf
from tests.unit.backup.damage import corrupt_page, page_count, root_pages
from vault.errors import ReadOnlyVault
from vault.ui.dialogs.restore_backup_dialog import CANCELLED_TEXT, RestoreBackupDialog
from vault.ui.message_boxes import Answer
from vault.ui.windows.unlock_window import UNREADABLE_TEXT

MEMBER = "Dora Damage"
TITLE = "Case that must survive"
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if not os.environ.get("CASEVAULT_SCREENSHOTS"):
        return
    from vault.ui.theme import apply_theme

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app)
    for _ in range(3):
        QApplication.processEvents()
    assert widget.grab().save(str(SHOTS / f"{name}.png"))


@pytest.fixture
def filled(ui_manager, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A vault with a member, a case, a PDF and an automatic backup; locked. Returns the
    backup folder, the document's bytes and each table's root page."""
    session = ui_manager.create(STRONG_PASSPHRASE)
    _member, case = add_member_and_case(session, name=MEMBER, title=TITLE)
    pdf = make_pdf(tmp_path / "letter.pdf")
    session.documents.import_file(case.ref, pdf)
    drive = tmp_path / "drive"
    drive.mkdir()
    session.admin.backups.configure(folder=drive, keep=5)
    session.admin.backup_automatic()
    pages = root_pages(session)
    session.lock()
    ui_manager.lock_all()
    return drive, pdf.read_bytes(), pages


def _unlock(controller, qtbot):  # type: ignore[no-untyped-def]
    window = controller.unlock_window
    window.passphrase.setText(STRONG_PASSPHRASE)
    window.submit()
    qtbot.waitUntil(lambda: controller.is_unlocked or window.error.isVisible(), timeout=20_000)
    return window


def _restore_in(dialog: RestoreBackupDialog, qtbot, *, accept_move: bool = True):  # type: ignore[no-untyped-def]
    dialog.passphrase.setText(STRONG_PASSPHRASE)
    return dialog.start()


def _everything_is_back(controller, ui_manager, qtbot, pdf_bytes: bytes) -> None:  # type: ignore[no-untyped-def]
    _unlock(controller, qtbot)
    assert controller.is_unlocked and not controller.session.admin.read_only
    assert not controller.main_window.read_only_banner.isVisible()
    session = controller.session
    assert [m.member.name for m in session.members.list()] == [MEMBER]
    cases = session.cases.list()
    assert [c.case.title for c in cases] == [TITLE]
    docs = session.documents.list(cases[0].case.ref)
    assert [session.documents.read_bytes(cases[0].case.ref, d.id) for d in docs] == [pdf_bytes]


def test_damage_at_unlock_opens_read_only_with_the_banner_and_restores(
        controller, ui_manager, qtbot, filled):
    drive, pdf_bytes, pages = filled
    corrupt_page(ui_manager.paths.db, pages["intents"])  # read by every read-write unlock
    damaged_bytes = ui_manager.paths.db.read_bytes()
    controller.start()
    _unlock(controller, qtbot)
    assert controller.is_unlocked, controller.unlock_window.error.text()
    window = controller.main_window
    qtbot.waitExposed(window)
    banner = window.read_only_banner
    assert banner.isVisible()
    assert banner.text.text().startswith("This vault's database is damaged — it is open "
                                         "read-only.")
    assert not window.new_member_action.isEnabled() and not window.new_case_action.isEnabled()
    # Every page opens read-only without a page trying to write (no refusal pops up).
    for spec in window.registry.pages():
        window.show_page(spec.key)
        box = controller.message_boxes.last_box
        assert box is None, (spec.key, box.text() if box is not None else "")
    cases = controller.session.cases.list()
    window.open_case(cases[0].case.ref, "documents")
    for key in window.case_page.tab_by_key:
        window.open_case(cases[0].case.ref, key)
        assert controller.message_boxes.last_box is None, key
    window.show_page("members")
    assert loaded_page(window, "members").model.rowCount() == 1  # it can still be read
    with pytest.raises(ReadOnlyVault) as refused:
        controller.session.members.add("Nora New")
    assert "\n" not in str(refused.value)
    # The page's own "New member" goes through the window too: refused in one line, no dialog.
    assert window.pages["members"].add_button.isEnabled()
    window.pages["members"].add_button.click()
    box = controller.message_boxes.last_box
    assert box is not None and box.text() == str(ReadOnlyVault())
    box.close()
    assert window.new_case() is None
    window.show_page("settings")
    panel = window.pages["settings"].backup_panel
    assert not panel.backup_button.isEnabled() and panel.restore_button.isEnabled()
    window.show_page("members")
    _shot(window, "read-only-banner")

    banner.restore_button.click()  # locks, then the dialog over the unlock card
    dialog = controller.restore_dialog
    assert dialog is not None and not controller.is_unlocked
    assert dialog.selected is not None and dialog.selected.parent == drive
    assert "Latest automatic backup: 23 Nov 2026 (today)" in dialog.backup_label.text()
    assert dialog.in_use_label.isVisible() and "vault.damaged-" in dialog.in_use_label.text()
    dialog.passphrase.setText(STRONG_PASSPHRASE)
    _shot(dialog, "restore-dialog")
    controller.message_boxes.set_next_answer(Answer.ACCEPT)
    with qtbot.waitSignal(dialog.restored, timeout=30_000) as restored:
        dialog.start()
    confirm = controller.message_boxes.last_confirm
    assert confirm is not None and confirm.default_is_cancel  # moving a vault: Cancel first
    aside = restored.args[0].set_aside
    assert aside is not None and aside.name.startswith("vault.damaged-")
    assert (aside / "vault.db").read_bytes() == damaged_bytes
    unlock = controller.unlock_window
    assert unlock.isVisible() and str(aside) in unlock.notice.text()
    _everything_is_back(controller, ui_manager, qtbot, pdf_bytes)


def test_damage_found_by_the_background_check_turns_the_window_read_only(
        controller, ui_manager, qtbot, filled, caplog):
    _drive, _pdf, pages = filled
    corrupt_page(ui_manager.paths.db, pages["case_policies"])  # on no unlock path
    controller.start()
    _unlock(controller, qtbot)
    assert controller.is_unlocked  # read-write: the damaged page is on no unlock path
    window = controller.main_window
    qtbot.waitUntil(lambda: window.read_only_banner.isVisible(), timeout=20_000)
    assert "vault unlocked read-only" not in caplog.text
    assert "background check found damage" in caplog.text
    assert controller.session.admin.read_only
    assert not window.new_member_action.isEnabled()
    assert "read-only" in window.status.currentMessage()


def test_a_database_beyond_reading_says_so_in_one_line_and_offers_the_latest_backup(
        controller, ui_manager, qtbot, filled):
    drive, pdf_bytes, _pages = filled
    corrupt_page(ui_manager.paths.db, 1)
    controller.settings.update(backup_folder=str(drive))  # the folder, remembered outside
    controller.start()
    unlock = _unlock(controller, qtbot)
    assert not controller.is_unlocked
    assert unlock.error.text() == UNREADABLE_TEXT
    assert unlock.restore_offer.isVisible()
    assert unlock.latest_backup.text() == "Latest backup: 23 Nov 2026 (today)."
    unlock.restore_button.click()
    dialog = controller.restore_dialog
    assert dialog is not None and dialog.selected is not None
    dialog.passphrase.setText(STRONG_PASSPHRASE)
    controller.message_boxes.set_next_answer(Answer.ACCEPT)
    with qtbot.waitSignal(dialog.restored, timeout=30_000):
        dialog.start()
    assert list(ui_manager.root.parent.glob("vault.damaged-*"))
    _everything_is_back(controller, ui_manager, qtbot, pdf_bytes)


def test_new_laptop_back_up_wipe_restore_from_the_welcome_card(
        controller, ui_manager, qtbot, filled, tmp_path: Path):
    drive, pdf_bytes, _pages = filled
    backup = next(drive.iterdir())
    usb = tmp_path / "usb"
    usb.mkdir()
    shutil.copy2(backup, usb / "my-backup.cvbackup")
    shutil.rmtree(ui_manager.root)  # the laptop is gone; this one has no vault
    shutil.rmtree(drive)
    controller.start()
    create = controller.create_window
    assert create is not None and create.isVisible()
    create.restore_link.click()
    dialog = controller.restore_dialog
    assert dialog is not None and dialog.selected is None and not dialog.restore_button.isEnabled()
    controller.file_dialogs.set_next_open_paths([usb / "my-backup.cvbackup"])
    dialog.choose_file()
    assert dialog.restore_button.isEnabled() and not dialog.in_use_label.isVisible()
    dialog.passphrase.setText(STRONG_PASSPHRASE)
    seen: list[object] = []
    controller.tasks.about_to_start.connect(
        lambda task: task.signals.progress.connect(seen.append))
    with qtbot.waitSignal(dialog.restored, timeout=30_000) as restored:
        task = dialog.start()
        assert task is not None and dialog.progress.isVisible()  # progress with Cancel, in place
        assert dialog.progress.cancel_button.isEnabled() and not dialog.close_button.isEnabled()
    assert seen and seen[-1][0] == seen[-1][1] > 0  # (done, total) up to the whole backup
    assert restored.args[0].set_aside is None  # nothing was in the way: nothing moved aside
    assert controller.create_window is None and controller.unlock_window.isVisible()
    _everything_is_back(controller, ui_manager, qtbot, pdf_bytes)


def test_cancel_and_the_wrong_passphrase_change_nothing(controller, ui_manager, qtbot, filled):
    drive, _pdf, _pages = filled
    corrupt_page(ui_manager.paths.db, page_count(ui_manager.paths.db) // 2)
    before = ui_manager.paths.db.read_bytes()
    controller.settings.update(backup_folder=str(drive))
    controller.start()
    controller.unlock_window.restore_link.click()
    dialog = controller.restore_dialog
    assert dialog is not None
    dialog.passphrase.setText("violet lantern across frozen harbour")
    controller.message_boxes.set_next_answer(Answer.ACCEPT)
    task = dialog.start()
    assert task is not None
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert "passphrase of the day" in dialog.error.text()
    controller.message_boxes.set_next_answer(Answer.ACCEPT)
    dialog.passphrase.setText(STRONG_PASSPHRASE)
    controller.tasks.about_to_start.connect(lambda started: started.cancel())
    dialog.start()
    qtbot.waitUntil(lambda: not dialog.running, timeout=30_000)
    assert dialog.error.text() == CANCELLED_TEXT
    assert ui_manager.paths.db.read_bytes() == before
    assert not list(ui_manager.root.parent.glob("vault.*-*"))
    assert not list(ui_manager.root.parent.glob(".restore-*"))
    # Declining the move-aside confirmation (its default) starts nothing.
    controller.message_boxes.set_next_answer(Answer.DEFAULT)
    assert dialog.start() is None


def test_restore_from_settings_asks_first_and_cancel_is_the_default(
        controller, ui_manager, qtbot, filled):
    controller.start()
    _unlock(controller, qtbot)
    window = controller.main_window
    window.show_page("settings")
    panel = window.pages["settings"].backup_panel
    assert panel.backup_button.isEnabled()
    controller.message_boxes.set_next_answer(Answer.DEFAULT)
    panel.restore_button.click()
    assert controller.message_boxes.last_confirm.default_is_cancel
    assert controller.is_unlocked and controller.restore_dialog is None
    controller.message_boxes.set_next_answer(Answer.ACCEPT)
    panel.restore_button.click()
    assert not controller.is_unlocked and controller.restore_dialog is not None
    assert "vault.replaced-" in controller.restore_dialog.in_use_label.text()


def test_the_backup_folder_chosen_in_settings_is_remembered_outside_the_vault(
        unlocked, qtbot, tmp_path: Path):
    folder = tmp_path / "usb-drive"
    folder.mkdir()
    window = unlocked.main_window
    window.show_page("settings")
    panel = window.pages["settings"].backup_panel
    unlocked.file_dialogs.set_next_folder(folder)
    panel.choose_folder()
    assert unlocked.settings.current.backup_folder == str(folder)
    assert folder in unlocked.backup_folders()
