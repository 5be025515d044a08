"""The modal-UI seams: queued answers and paths, and the dangerous-default rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from vault.ui.file_dialogs import FileDialogs
from vault.ui.message_boxes import Answer, MessageBoxes


def test_dangerous_confirmation_defaults_to_cancel(qtbot):
    boxes = MessageBoxes()
    box = boxes.build_confirm(None, "Destroy case?", "This cannot be undone.",
                              accept_text="Destroy", dangerous=True)
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.Cancel)
    assert box.escapeButton() is box.button(QMessageBox.StandardButton.Cancel)
    box.deleteLater()
    boxes.set_next_answer(Answer.DEFAULT)  # pressing Enter
    assert boxes.confirm(None, "Destroy case?", "x", accept_text="Destroy",
                         dangerous=True) is False
    assert boxes.last_confirm is not None and boxes.last_confirm.default_is_cancel


def test_ordinary_confirmation_defaults_to_its_action(qtbot):
    boxes = MessageBoxes()
    boxes.set_next_answer(Answer.DEFAULT)
    assert boxes.confirm(None, "Mark returned?", "x", accept_text="Mark returned") is True
    boxes.set_next_answer(Answer.CANCEL)
    assert boxes.confirm(None, "Mark returned?", "x", accept_text="Mark returned") is False


def test_notices_never_block(qtbot):
    boxes = MessageBoxes()
    box = boxes.warning(None, "Careful", "Something to know")
    assert box.isVisible()
    assert boxes.last_box is box and box.text() == "Something to know"
    box.close()


def test_file_dialog_seam_returns_queued_paths(tmp_path: Path):
    dialogs = FileDialogs()
    dialogs.set_next_open_paths([tmp_path / "a.pdf", tmp_path / "b.png"])
    dialogs.set_next_save_path(None)
    assert dialogs.open_files(None, "t") == [tmp_path / "a.pdf", tmp_path / "b.png"]
    assert dialogs.save_file(None, "t", "x.pdf") is None


def test_an_unanswered_modal_fails_the_test_instead_of_hanging_the_run(qtbot, modal_guard):
    """The test-wide guard (tests/ui/conftest.py): a confirmation nobody answers is rejected
    after the limit and named, so a missing ``set_next_answer`` is a failure, not a hung CI."""
    modal_guard.limit_ms = 200
    boxes = MessageBoxes()
    assert boxes.confirm(None, "Remove course", "Remove it?", accept_text="Remove") is False
    assert modal_guard.stuck == ["Remove course"]
    modal_guard.stuck.clear()  # this test's own stuck dialog is the expected one


def test_a_file_dialog_with_nothing_queued_is_refused_in_tests(tmp_path: Path):
    with pytest.raises(AssertionError, match="getSaveFileName"):
        FileDialogs().save_file(None, "Save", "x.pdf")
