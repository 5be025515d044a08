"""Read a case (or a member) through the casework services and fill the report views.

The reports take plain dataclasses (``vault.reports.export_views``) and never import casework;
this module is where casework objects become those views: the case summary, the paper-trail
listing and the member record of a subject access export. It reads only through the public
services (each a read snapshot of the unit of work).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from vault.casework.cases import CaseService
from vault.casework.conflicts import ConflictService
from vault.casework.documents import DocumentService
from vault.casework.escalation import DecisionKind, EscalationService
from vault.casework.first_meeting import FirstMeetingService
from vault.casework.followups import FollowUpService
from vault.casework.members import MemberService, work_email_warning
from vault.casework.parties import PartyService
from vault.casework.trail_log import TrailLogService
from vault.domain import Case, Document, Member, format_uk_date
from vault.reports.export_views import (
    ActionPointView,
    CaseSummaryView,
    DocumentView,
    FollowUpView,
    IssueView,
    LabelledValue,
    PartyView,
    ReportContext,
    TrailListingView,
    TrailRowView,
)
from vault.trail.entries import TrailEntry
from vault.trail.service import PaperTrail

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CaseworkReaders:
    """The services an export reads a case through (built by the session)."""

    cases: CaseService
    members: MemberService
    documents: DocumentService
    trail: PaperTrail
    trail_log: TrailLogService
    first_meeting: FirstMeetingService
    followups: FollowUpService
    escalation: EscalationService
    parties: PartyService
    conflicts: ConflictService


def member_facts(member: Member) -> tuple[LabelledValue, ...]:
    facts = [LabelledValue("Name", member.name),
             LabelledValue("Membership number", member.membership_number or "—"),
             LabelledValue("Employer", member.employer or "—")]
    if member.department:
        facts.append(LabelledValue("Department", member.department))
    facts.append(LabelledValue("Preferred email", member.email or "—"))
    if member.phone:
        facts.append(LabelledValue("Phone", member.phone))
    warning = work_email_warning(member.email, member.employer)
    if warning:
        facts.append(LabelledValue("Note", warning))
    return tuple(facts)


def document_view(doc: Document) -> DocumentView:
    note = ""
    if doc.is_original:
        note = "member's original" + (f", returned {format_uk_date(doc.returned)}"
                                      if doc.returned else "")
    return DocumentView(doc.name, doc.media_type, doc.size, doc.added, note)


def case_summary_view(readers: CaseworkReaders, case: Case, context: ReportContext
                      ) -> CaseSummaryView:
    """Everything the case summary shows, read now."""
    member = readers.cases.member_of(case)
    meeting = readers.first_meeting.get(case.ref)
    meeting_facts: list[LabelledValue] = []
    if meeting.held_on is not None:
        meeting_facts.append(LabelledValue("Held on", format_uk_date(meeting.held_on)))
    if meeting.place:
        meeting_facts.append(LabelledValue("Place", meeting.place))
    issues = tuple(
        IssueView(i.text, ("Raised later" if i.raised_later else "Agreed at first meeting")
                  + (f"; addressed {format_uk_date(i.addressed_on)}" if i.addressed_on else ""))
        for i in meeting.issues)
    actions = tuple(ActionPointView(a.text, a.owner.value, a.due, a.done)
                    for a in meeting.actions)
    parties = tuple(PartyView(p.name, p.role.label,
                              f"union member: {p.union_member.value}")
                    for p in readers.parties.list(case.ref))
    followups = tuple(FollowUpView(f.summary, f.due, f.state.value)
                      for f in readers.followups.for_case(case.ref))
    status = readers.escalation.status(case.ref)
    escalation = list(status.reasons)
    decision = status.decision
    if decision is not None:
        if decision.kind is DecisionKind.ESCALATED:
            escalation.append(f"Escalated to {decision.escalated_to or 'the union'} on "
                              f"{format_uk_date(decision.escalated_on)}.")
        else:
            escalation.append(f"Decided not to escalate: {decision.reason or 'no reason given'}.")
    elif status.outstanding:
        escalation.append(status.outstanding_reason or "An escalation decision is outstanding.")
    flags = tuple(label for on, label in (
        (case.flags.dismissal_threatened, "Dismissal threatened"),
        (case.flags.discrimination_alleged, "Discrimination alleged"),
        (case.flags.legal_action_contemplated, "Legal action contemplated")) if on)
    return CaseSummaryView(
        context=context, ref=case.ref, title=case.title, category=case.category.label,
        status=case.status.value, opened=case.opened, closed=case.closed, outcome=case.outcome,
        member=member_facts(member), flags=flags, consent_to_share=case.consent_to_share,
        first_meeting=tuple(meeting_facts), narrative=meeting.narrative or "",
        issues=issues, actions=actions, parties=parties, followups=followups,
        escalation=tuple(escalation),
        documents=tuple(document_view(d) for d in readers.documents.list(case.ref)),
    )


def trail_rows(entries: list[TrailEntry]) -> tuple[TrailRowView, ...]:
    return tuple(TrailRowView(
        seq=e.seq, when=_as_datetime(e.occurred), kind=e.label, summary=e.summary,
        detail=e.detail or "", corrects=e.corrects, corrected_by=e.corrected_by,
        follows_up=e.follows_up, off_record=e.off_record) for e in entries)


def trail_listing_view(readers: CaseworkReaders, case: Case, context: ReportContext, *,
                       include_off_record: bool, chain_ok: bool) -> TrailListingView:
    entries = readers.trail.entries(case)
    kept = [e for e in entries if include_off_record or not e.off_record]
    left_out = len(entries) - len(kept)
    return TrailListingView(context=context, heading=f"Paper trail — case {case.ref}",
                            rows=trail_rows(kept), chain_ok=chain_ok,
                            off_record_included=include_off_record and any(
                                e.off_record for e in entries),
                            off_record_left_out=left_out)


def off_record_count(readers: CaseworkReaders, case: Case) -> int:
    return sum(1 for e in readers.trail.entries(case) if e.off_record)


def _as_datetime(moment: dt.date | dt.datetime) -> dt.datetime:
    if isinstance(moment, dt.datetime):
        return moment.astimezone() if moment.tzinfo else moment
    return dt.datetime.combine(moment, dt.time())
