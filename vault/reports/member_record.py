"""The member record PDF of a subject access export: what the vault holds about the member
outside their cases' own reports — their details, the list of their cases, and every party
record in another case that names them.

Drawn from a :class:`MemberRecordView`; A4 with the export header and footer.
"""

from __future__ import annotations

import logging

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from vault.reports.export_layout import (
    CONTENT_WIDTH,
    Styles,
    build_pdf,
    facts,
    para,
    text_table,
    uk_date,
    uk_datetime,
)
from vault.reports.export_views import MemberRecordView

log = logging.getLogger(__name__)


def render_member_record(view: MemberRecordView) -> bytes:
    """The member record as PDF bytes."""
    s = Styles()
    story: list[Flowable] = [
        para("Subject access export — member record", s.title),
        para("Everything Casework Vault holds about this member is in this bundle: this "
             "record, and for each case its summary, its paper trail and its documents.",
             s.subtitle),
        para("Member", s.heading), facts(view.member, s),
        para("Cases", s.heading),
    ]
    if view.cases:
        story.extend(text_table(
            ("Reference", "Title", "Category", "Status", "Opened"),
            [[c.ref, c.title, c.category, c.status, uk_date(c.opened)] for c in view.cases],
            [24 * mm, CONTENT_WIDTH - 98 * mm, 34 * mm, 18 * mm, 22 * mm], s))
    else:
        story.append(para("No cases.", s.small))
    story.append(para("Named as a party in other cases", s.heading))
    if view.appearances:
        story.extend(text_table(
            ("Case", "Name recorded", "Role", "Recorded"),
            [[a.case_ref, a.name, a.role, uk_datetime(a.added)] for a in view.appearances],
            [24 * mm, CONTENT_WIDTH - 90 * mm, 36 * mm, 30 * mm], s))
        story.append(para("Only the party record itself is included; the rest of those cases "
                          "is about other members.", s.small))
    else:
        story.append(para("None.", s.small))
    story += [Spacer(1, 4 * mm), para(f"As at {uk_datetime(view.context.generated)}.", s.small)]
    pdf = build_pdf(story, view.context, "Subject access export")
    log.info("member record PDF built (%d bytes)", len(pdf))
    return pdf
