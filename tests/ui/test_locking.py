"""Locking: auto-lock after inactivity, Ctrl+L, the toolbar button; afterwards nothing of any
member remains in any model, view, title or clipboard, and the unlock window shows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import STRONG_PASSPHRASE
from tests.ui.helpers import add_member_and_case, loaded_page, make_pdf, visible_texts
from vault.ui.main.main_window import WINDOW_TITLE

MEMBER = "Zebedee Canary-Name"
TITLE = "Canary grievance title"


def _populate(controller, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    """A member, a case with a PDF open in the viewer, and the tables filled."""
    _m, case = add_member_and_case(controller.session, name=MEMBER, title=TITLE)
    window = controller.main_window
    window.show_page("members")
    window.show_page("cases")
    window.open_case(case.ref, "documents")
    tab = window.case_page.tab_by_key["documents"]
    controller.file_dialogs.set_next_open_paths([make_pdf(tmp_path / "canary.pdf")])
    with qtbot.waitSignal(tab.imported, timeout=20_000):
        tab.pick_files()
    tab.select_document(tab.model.row_at(0).id)
    qtbot.waitUntil(lambda: tab.viewer.pdf.pageCount() > 0, timeout=10_000)
    assert any(MEMBER in t for t in visible_texts(window))
    return case, tab


def _assert_locked_and_empty(controller, models, viewer) -> None:  # type: ignore[no-untyped-def]
    window = controller.main_window
    assert not controller.is_unlocked
    assert not window.isVisible()
    assert window.windowTitle() == WINDOW_TITLE
    assert controller.unlock_window is not None and controller.unlock_window.isVisible()
    for model in models:
        assert model.rowCount() == 0
    assert viewer.pdf.pageCount() == 0 and viewer.kind.value == "none"
    assert window.pages == {} and window.case_page is None
    for widget in QApplication.topLevelWidgets():
        for text in visible_texts(widget):
            assert MEMBER not in text and TITLE not in text and "canary.pdf" not in text
    assert controller.session is None and controller.context is None


def test_auto_lock_fires_after_inactivity_and_empties_everything(unlocked, qtbot, tmp_path):
    _case, tab = _populate(unlocked, qtbot, tmp_path)
    window = unlocked.main_window
    models = [window.pages["members"].model, window.pages["cases"].model, tab.model]
    viewer = tab.viewer
    session = unlocked.session
    unlocked.clipboard.copy("copied sha")
    unlocked.set_auto_lock_timeout_ms(200)
    with qtbot.waitSignal(unlocked.locked, timeout=5_000):
        pass
    _assert_locked_and_empty(unlocked, models, viewer)
    assert session.is_locked
    assert QApplication.clipboard().text() == ""


def test_input_restarts_the_auto_lock_countdown(unlocked, qtbot):
    unlocked.set_auto_lock_timeout_ms(60_000)
    qtbot.waitUntil(lambda: unlocked.inactivity.remaining_ms() < 59_990, timeout=5_000)
    qtbot.keyClick(unlocked.main_window.search_box, Qt.Key.Key_A)
    assert unlocked.inactivity.remaining_ms() > 59_900
    assert unlocked.main_window.status.countdown.text().startswith("Locks in")


def test_ctrl_l_locks(unlocked, qtbot, tmp_path):
    _case, tab = _populate(unlocked, qtbot, tmp_path)
    window = unlocked.main_window
    models = [window.pages["members"].model, window.pages["cases"].model, tab.model]
    window.activateWindow()
    qtbot.waitActive(window)
    with qtbot.waitSignal(unlocked.locked, timeout=5_000):
        qtbot.keyClick(window.pages["cases"].table, Qt.Key.Key_L,
                       Qt.KeyboardModifier.ControlModifier)
    _assert_locked_and_empty(unlocked, models, tab.viewer)


def test_toolbar_lock_button_locks_and_unlock_brings_everything_back(unlocked, qtbot, tmp_path):
    case, _tab = _populate(unlocked, qtbot, tmp_path)
    window = unlocked.main_window
    button = window.toolbar.widgetForAction(window.lock_action)
    with qtbot.waitSignal(unlocked.locked, timeout=5_000):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not window.lock_action.isEnabled()
    unlock = unlocked.unlock_window
    unlock.passphrase.setText(STRONG_PASSPHRASE)
    with qtbot.waitSignal(unlocked.unlocked, timeout=20_000):
        qtbot.mouseClick(unlock.unlock_button, Qt.MouseButton.LeftButton)
    assert window.isVisible() and window.lock_action.isEnabled()
    window.show_page("cases")
    assert loaded_page(window, "cases").model.rowCount() == 1
    window.open_case(case.ref, "documents")
    assert window.case_page.tab_by_key["documents"].model.rowCount() == 1


def test_lock_during_an_import_cancels_it_cleanly(unlocked, qtbot, tmp_path):
    _m, case = add_member_and_case(unlocked.session, name=MEMBER, title=TITLE)
    window = unlocked.main_window
    window.open_case(case.ref, "documents")
    tab = window.case_page.tab_by_key["documents"]
    big = tmp_path / "big.bin"
    big.write_bytes(b"\0" * (8 * 1024 * 1024))
    tab.import_files([big])
    unlocked.lock()
    assert unlocked.tasks.active == []
    unlocked.manager.lock_all()
    session = unlocked.manager.unlock(STRONG_PASSPHRASE)
    try:
        assert len(session.documents.list(case.ref)) in (0, 1)  # all or nothing
        leftovers = [p for p in (unlocked.manager.root / "documents").rglob("*.part")]
        assert leftovers == []
    finally:
        session.lock()
