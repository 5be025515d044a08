"""The clipboard: every copy carries the sensitive hints; passphrases and recovery codes clear
after 10 s, other copies after 30 s, only while still ours; lock and quit clear it too."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLineEdit

from vault.ui.sensitive_clipboard import (
    DEFAULT_CLEAR_MS,
    OWN_MARK,
    SECRET_CLEAR_MS,
    SENSITIVE_HINTS,
    SensitiveClipboard,
)
from vault.ui.widgets.sensitive_text_edit import SensitiveTextEdit


def _has_hints() -> bool:
    mime = QApplication.clipboard().mimeData()
    return all(mime.hasFormat(h) for h in (*SENSITIVE_HINTS, OWN_MARK))


def test_default_countdowns_are_30_s_and_10_s_for_secrets(qtbot):
    clip = SensitiveClipboard(QApplication.clipboard())
    assert clip.clear_after_ms == DEFAULT_CLEAR_MS == 30_000
    clip.copy("a sha-256")
    assert 29_000 < clip.remaining_ms() <= 30_000
    clip.copy_secret("violet lantern across frozen harbour")
    assert _has_hints()
    assert SECRET_CLEAR_MS == 10_000 and 9_000 < clip.remaining_ms() <= 10_000
    clip.clear_if_ours()
    assert QApplication.clipboard().text() == ""


def test_a_secret_is_cleared_when_its_countdown_ends(qtbot):
    clip = SensitiveClipboard(QApplication.clipboard(), clear_after_ms=150)
    clip.copy_secret("ABCD-EFGH-IJKL-MNOP")
    qtbot.waitUntil(lambda: QApplication.clipboard().text() == "", timeout=3_000)


def test_copying_case_text_from_a_viewer_carries_the_hints_and_is_cleared(qtbot):
    clip = SensitiveClipboard(QApplication.clipboard(), clear_after_ms=150)
    clip.watch()
    try:
        view = SensitiveTextEdit()
        qtbot.addWidget(view)
        view.setPlainText("Canary letter text from the employer")
        view.selectAll()
        view.copy()
        assert QApplication.clipboard().text() == "Canary letter text from the employer"
        assert _has_hints()
        assert clip.holds_ours and clip.remaining_ms() > 0
        qtbot.waitUntil(lambda: QApplication.clipboard().text() == "", timeout=3_000)
    finally:
        clip.unwatch()


def test_a_plain_copy_from_our_own_widget_gets_the_hints_at_once(qtbot):
    clip = SensitiveClipboard(QApplication.clipboard(), clear_after_ms=150,
                              owns_clipboard=lambda: True)
    clip.watch()
    try:
        edit = QLineEdit("UCU-4471")
        qtbot.addWidget(edit)
        edit.selectAll()
        edit.copy()
        assert _has_hints() and clip.holds_ours
        qtbot.waitUntil(lambda: QApplication.clipboard().text() == "", timeout=3_000)
    finally:
        clip.unwatch()


def test_another_programs_copy_is_never_touched(qtbot):
    clip = SensitiveClipboard(QApplication.clipboard(), clear_after_ms=100,
                              owns_clipboard=lambda: False)
    clip.watch()
    clip.copy("ours")
    QApplication.clipboard().setText("the rep's own text elsewhere")
    qtbot.waitUntil(lambda: clip.remaining_ms() == 0, timeout=3_000)
    assert QApplication.clipboard().text() == "the rep's own text elsewhere"
    assert not QApplication.clipboard().mimeData().hasFormat(OWN_MARK)
    clip.unwatch()


def test_lock_and_quit_clear_our_copy(unlocked, qtbot):
    unlocked.clipboard.copy_secret("correct horse battery staple orbit")
    unlocked.lock()
    assert QApplication.clipboard().text() == ""
    unlocked.clipboard.copy("copied while locked, e.g. from the unlock window")
    unlocked.shutdown()
    assert QApplication.clipboard().text() == ""
