"""Sensitive clipboard copies and the crash handler."""

from __future__ import annotations

import logging
import sys

from PySide6.QtWidgets import QApplication

from tests.ui.helpers import add_member_and_case
from vault.ui.crash_handler import CRASH_TEXT
from vault.ui.sensitive_clipboard import KDE_HINT, MACOS_HINT, WINDOWS_HINT, SensitiveClipboard


def test_copy_is_cleared_after_the_countdown_if_unchanged(qtbot):
    board = QApplication.clipboard()
    clip = SensitiveClipboard(board, clear_after_ms=100)
    clip.copy("a1b2c3")
    mime = board.mimeData()
    for hint in (KDE_HINT, WINDOWS_HINT, MACOS_HINT):
        assert mime.hasFormat(hint)
    qtbot.waitUntil(lambda: board.text() == "", timeout=3_000)


def test_copy_is_left_alone_when_the_rep_copied_something_else(qtbot):
    board = QApplication.clipboard()
    clip = SensitiveClipboard(board, clear_after_ms=100)
    clip.copy("a1b2c3")
    board.setText("the rep's own text")
    qtbot.waitUntil(lambda: clip.remaining_ms() == 0, timeout=3_000)
    assert board.text() == "the rep's own text"


def test_crash_handler_locks_and_shows_a_generic_message(unlocked, qtbot, caplog):
    add_member_and_case(unlocked.session, name="Crashy Canary")
    unlocked.main_window.show_page("members")
    unlocked.crash_handler.install()
    try:
        assert sys.excepthook == unlocked.crash_handler.handle
        secret = "Crashy Canary said something private"
        with caplog.at_level(logging.INFO):
            try:
                raise ValueError(secret)
            except ValueError as exc:
                sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        unlocked.crash_handler.uninstall()
    assert sys.excepthook is not unlocked.crash_handler.handle
    assert not unlocked.is_unlocked
    assert unlocked.unlock_window.isVisible()
    box = unlocked.message_boxes.last_box
    assert box is not None and box.text() == CRASH_TEXT
    assert "Crashy" not in box.text() and "Traceback" not in (box.detailedText() or "")
    assert "ValueError" in caplog.text
    assert secret not in caplog.text and "Crashy" not in caplog.text
    box.close()
