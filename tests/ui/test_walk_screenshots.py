"""The issue-17 walk script keeps working and every step of the walk is reached (light mode,
into a temp folder): a skipped step would mean the walk no longer gets there."""

from __future__ import annotations

from PySide6.QtGui import QImage

from tests.ui.make_walk_screenshots import make_walk_screenshots

STEPS = ("01-new-vault", "02-new-member", "03-new-case-keyboard", "04-case-overview",
         "05-first-meeting", "06-oral-advice", "07-home-follow-up", "08-home-focused-item",
         "09-follow-up-opened", "10-trail-sort-kept", "11-party", "12-search", "13-document",
         "14-training", "15-locked", "16-unlocked")


def test_walk_screenshots_reach_every_step(tmp_path, qapp):
    saved = make_walk_screenshots(tmp_path, "walk-")
    assert {f"walk-{step}" for step in STEPS} <= {p.stem for p in saved}
    for path in saved:
        assert not QImage(str(path)).isNull()
