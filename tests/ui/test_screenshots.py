"""The screenshot script keeps working: it drives every main screen offscreen."""

from __future__ import annotations

from PySide6.QtGui import QImage

from tests.ui.make_screenshots import make_screenshots


def test_screenshots_render_every_main_screen(tmp_path, qapp):
    saved = make_screenshots(tmp_path)
    names = {p.stem for p in saved}
    assert {"create-vault", "unlock", "home", "members", "cases", "case-overview",
            "case-documents-pdf", "settings", "help", "tour-1-vault", "tour-3-habits",
            "export-bundle-dialog"} <= names
    for path in saved:
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 600 and image.height() >= 400
