"""The paper-trail listing PDF: every entry of a case, corrections shown, and the trail head.

Drawn from a :class:`TrailListingView`. A corrected entry stays in the listing, greyed and
marked "corrected by #N"; the correction says "corrects #M" — nothing is ever silently
replaced. Off-the-record entries are listed only when the rep chose to include them (the view
says how many were left out). The chain check result and the trail head close the listing and
the head is in every page footer.
"""

from __future__ import annotations

import logging

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from vault.reports.export_layout import (
    CONTENT_WIDTH,
    Styles,
    build_pdf,
    para,
    text_table,
    uk_datetime,
)
from vault.reports.export_views import TrailListingView

log = logging.getLogger(__name__)


def render_trail_listing(view: TrailListingView) -> bytes:
    """The paper-trail listing as PDF bytes."""
    s = Styles()
    story: list[Flowable] = [para(view.heading, s.title)]
    story.append(para(
        f"{len(view.rows)} entries. Each entry is chained to the one before it by a MAC; "
        + ("the chain verified intact when this listing was made."
           if view.chain_ok else "THE CHAIN DID NOT VERIFY when this listing was made."),
        s.subtitle))
    if view.off_record_left_out:
        story.append(para(f"{view.off_record_left_out} off-the-record entries are not included.",
                          s.small))
    elif view.off_record_included:
        story.append(para("Off-the-record / without-prejudice entries are included and marked.",
                          s.small))
    story.append(Spacer(1, 3 * mm))
    rows: list[list[str]] = []
    for row in view.rows:
        text = row.summary + (f"\n{row.detail}" if row.detail else "")
        marks = []
        if row.corrects is not None:
            marks.append(f"Corrects #{row.corrects}.")
        if row.corrected_by is not None:
            marks.append(f"Corrected by #{row.corrected_by}.")
        if row.follows_up is not None:
            marks.append(f"Follows up #{row.follows_up}.")
        if marks:
            text += "\n" + " ".join(marks)
        rows.append([str(row.seq), uk_datetime(row.when), row.kind, text])
    story.extend(text_table(
        ("#", "When", "Kind", "Entry"), rows,
        [12 * mm, 30 * mm, 34 * mm, CONTENT_WIDTH - 76 * mm], s,
        shade_rows=[i for i, r in enumerate(view.rows) if r.off_record],
        struck_rows=[i for i, r in enumerate(view.rows) if r.corrected_by is not None]))
    story += [Spacer(1, 4 * mm), para("Trail head", s.heading),
              para(f"Entry {view.context.trail_seq}, MAC {view.context.trail_head}", s.mono)]
    pdf = build_pdf(story, view.context, view.heading)
    log.info("trail listing PDF built (%d bytes, %d rows)", len(pdf), len(view.rows))
    return pdf

