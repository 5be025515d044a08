"""The issue-17 screenshot script keeps working (light mode into a temp folder)."""

from __future__ import annotations

from PySide6.QtGui import QImage

from tests.ui.make_ux_screenshots import make_ux_screenshots


def test_ux_screenshots_render(tmp_path, qapp):
    saved = make_ux_screenshots(tmp_path, "ux-")
    names = {p.stem for p in saved}
    assert {"ux-new-case", "ux-escalation-dialog", "ux-conflict-dialog", "ux-training",
            "ux-help"} <= names
    for path in saved:
        assert not QImage(str(path)).isNull()
