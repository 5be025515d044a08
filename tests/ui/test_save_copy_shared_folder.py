"""Saving a decrypted copy into a folder other users can change (issue 8, finding 4): refused
first; the rep may insist after a second warning whose default is Cancel."""

from __future__ import annotations

import os
import stat

import pytest
from PySide6.QtCore import Qt

from tests.ui.helpers import add_member_and_case, make_text
from vault.ui.case_tabs.documents_tab import SHARED_FOLDER_TITLE, DocumentsTab
from vault.ui.message_boxes import Answer


@pytest.fixture
def docs_tab(unlocked, qtbot, tmp_path) -> DocumentsTab:  # type: ignore[no-untyped-def]
    _member, case = add_member_and_case(unlocked.session)
    unlocked.main_window.open_case(case.ref, "documents")
    tab = unlocked.main_window.case_page.tab_by_key["documents"]
    unlocked.file_dialogs.set_next_open_paths([make_text(tmp_path / "a.txt", "statement\n")])
    with qtbot.waitSignal(tab.imported, timeout=20_000):
        qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    tab.select_document(tab.model.row_at(0).id)
    return tab


def _shared(tmp_path):  # type: ignore[no-untyped-def]
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    return shared


def test_the_shared_folder_question_defaults_to_cancel(unlocked, docs_tab, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    shared = _shared(tmp_path)
    unlocked.message_boxes.set_next_answer(Answer.ACCEPT)   # "save a decrypted copy?"
    unlocked.message_boxes.set_next_answer(Answer.DEFAULT)  # "shared folder?" -> Enter
    unlocked.file_dialogs.set_next_save_path(shared / "copy.txt")
    assert docs_tab.save_copy() is True
    qtbot.waitUntil(lambda: docs_tab._save_task is None
                    and "No copy was saved" in docs_tab.status.text(), timeout=20_000)
    record = unlocked.message_boxes.last_confirm
    assert record is not None and record.title == SHARED_FOLDER_TITLE
    assert record.default_is_cancel and not record.answered
    assert os.listdir(shared) == []


def test_the_rep_may_insist_on_a_shared_folder(unlocked, docs_tab, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    shared = _shared(tmp_path)
    out = shared / "copy.txt"
    unlocked.message_boxes.set_next_answer(Answer.ACCEPT)
    unlocked.message_boxes.set_next_answer(Answer.ACCEPT)
    unlocked.file_dialogs.set_next_save_path(out)
    assert docs_tab.save_copy() is True
    qtbot.waitUntil(lambda: out.exists() and docs_tab._save_task is None, timeout=20_000)
    assert out.read_text() == "statement\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Decrypted copy saved" in docs_tab.status.text()
