"""The desktop-hygiene screenshot script keeps working (Settings sections, the Open with…
warning, the unlock window offering quick unlock)."""

from __future__ import annotations

from PySide6.QtGui import QImage

from tests.ui.make_lock_screenshots import make_lock_screenshots


def test_lock_screenshots_render(tmp_path, qapp):
    saved = make_lock_screenshots(tmp_path)
    assert {p.stem for p in saved} == {"settings-top", "settings-quick-unlock-device-check",
                                       "open-with-warning", "unlock-quick-unlock"}
    for path in saved:
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 600 and image.height() >= 400
