"""Later starts: a wrong passphrase says so and lets the rep retry; the right one opens."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt

from tests.ui.conftest import STRONG_PASSPHRASE
from vault.ui.windows.unlock_window import UNLOCK_REFUSED_TEXT


def _snapshot(root) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {os.path.relpath(os.path.join(d, f), root): os.path.getsize(os.path.join(d, f))
            for d, _dirs, files in os.walk(root) for f in files
            if not f.startswith("vault.db")}


def test_wrong_then_right_passphrase(controller, ui_manager, qtbot):
    ui_manager.create(STRONG_PASSPHRASE).lock()
    before = _snapshot(ui_manager.root)
    controller.start()
    window = controller.unlock_window
    assert window is not None and window.isVisible()
    assert controller.create_window is None

    window.passphrase.setText("not the right passphrase at all")
    qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.busy_now, timeout=20_000)
    assert window.error.isVisible()
    assert window.error.text() == UNLOCK_REFUSED_TEXT
    assert window.failed_attempts == 1
    assert window.passphrase.isEnabled() and window.unlock_button.isEnabled()
    assert not controller.is_unlocked
    assert _snapshot(ui_manager.root) == before  # nothing written, nothing left behind

    window.passphrase.setText(STRONG_PASSPHRASE)
    assert not window.error.isVisible()  # typing again clears the message
    with qtbot.waitSignal(controller.unlocked, timeout=20_000):
        qtbot.keyClick(window.passphrase.edit, Qt.Key.Key_Return)
    assert controller.is_unlocked
    assert controller.main_window.isVisible()
    assert not window.isVisible()
    assert window.passphrase.text() == ""


def test_empty_passphrase_is_not_sent(controller, ui_manager, qtbot):
    ui_manager.create(STRONG_PASSPHRASE).lock()
    controller.start()
    window = controller.unlock_window
    qtbot.mouseClick(window.unlock_button, Qt.MouseButton.LeftButton)
    assert window.error.text() == "Enter your passphrase."
    assert not window.busy_now
