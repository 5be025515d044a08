"""The case summary PDF put in a case bundle: one readable account of a case.

Drawn from a :class:`CaseSummaryView` (``export_views``): the member, the case, the first
meeting, the issues and their status, action points, parties, follow-ups owed or met, the
escalation position and the list of documents. A4 with the export header and footer
(``export_layout``); returns bytes, written only into an encrypted bundle.
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
    grid,
    human_size,
    para,
    text_table,
    uk_date,
    uk_datetime,
)
from vault.reports.export_views import CaseSummaryView, LabelledValue

log = logging.getLogger(__name__)


def render_case_summary(view: CaseSummaryView) -> bytes:
    """The case summary as PDF bytes."""
    s = Styles()
    story: list[Flowable] = [
        para(f"Case summary — {view.ref}", s.title),
        para(view.title, s.subtitle),
    ]
    case_facts = [
        LabelledValue("Reference", view.ref),
        LabelledValue("Category", view.category),
        LabelledValue("Status", view.status),
        LabelledValue("Opened", uk_date(view.opened)),
    ]
    if view.closed is not None:
        case_facts.append(LabelledValue("Closed", uk_date(view.closed)))
    if view.outcome:
        case_facts.append(LabelledValue("Outcome", view.outcome))
    case_facts.append(LabelledValue("Flags", ", ".join(view.flags) or "none"))
    case_facts.append(LabelledValue("Consent to share",
                                    "given" if view.consent_to_share else "not recorded"))
    story += [para("Member", s.heading), facts(view.member, s),
              para("Case", s.heading), facts(case_facts, s)]

    story.append(para("First meeting", s.heading))
    if view.first_meeting or view.narrative:
        if view.first_meeting:
            story.append(facts(view.first_meeting, s))
        if view.narrative:
            story += [Spacer(1, 2 * mm), para(view.narrative, s.body)]
    else:
        story.append(para("Not recorded.", s.small))

    story.append(para("Issues", s.heading))
    if view.issues:
        story.append(grid([[para("Issue", s.head), para("Status", s.head)]]
                          + [[para(i.text, s.cell), para(i.status, s.cell)] for i in view.issues],
                          [CONTENT_WIDTH - 50 * mm, 50 * mm]))
    else:
        story.append(para("None recorded.", s.small))

    story.append(para("Action points", s.heading))
    if view.actions:
        story.append(grid(
            [[para(h, s.head) for h in ("Action", "Who", "Due", "Done")]]
            + [[para(a.text, s.cell), para(a.owner, s.cell), para(uk_date(a.due), s.cell),
                para("yes" if a.done else "no", s.cell)] for a in view.actions],
            [CONTENT_WIDTH - 75 * mm, 28 * mm, 27 * mm, 20 * mm]))
    else:
        story.append(para("None recorded.", s.small))

    story.append(para("Parties", s.heading))
    if view.parties:
        story.append(grid(
            [[para(h, s.head) for h in ("Name", "Role", "Notes")]]
            + [[para(p.name, s.cell), para(p.role, s.cell), para(p.detail, s.cell)]
               for p in view.parties],
            [60 * mm, 40 * mm, CONTENT_WIDTH - 100 * mm]))
    else:
        story.append(para("None recorded.", s.small))

    story.append(para("Follow-ups", s.heading))
    if view.followups:
        story.append(grid(
            [[para(h, s.head) for h in ("Advice given", "Due", "State")]]
            + [[para(f.advice, s.cell), para(uk_date(f.due), s.cell), para(f.state, s.cell)]
               for f in view.followups],
            [CONTENT_WIDTH - 60 * mm, 27 * mm, 33 * mm]))
    else:
        story.append(para("None owed.", s.small))

    story.append(para("Escalation", s.heading))
    for line in view.escalation or ("No escalation rule applies.",):
        story.append(para(line, s.body))

    story.append(para("Documents", s.heading))
    if view.documents:
        story.extend(text_table(
            ("Document", "Type", "Size", "Added", ""),
            [[d.name, d.media_type, human_size(d.size), uk_date(d.added), d.note]
             for d in view.documents],
            [CONTENT_WIDTH - 122 * mm, 38 * mm, 20 * mm, 24 * mm, 40 * mm], s))
    else:
        story.append(para("No documents.", s.small))
    story += [Spacer(1, 4 * mm),
              para(f"Summary as at {uk_datetime(view.context.generated)}.", s.small)]
    pdf = build_pdf(story, view.context, f"Case summary {view.ref}")
    log.info("case summary PDF built (%d bytes)", len(pdf))
    return pdf
