"""The plain view dataclasses the export reports are drawn from.

Reports never import casework (the layer contract): the export service reads the vault and
fills these, then the report modules (``case_summary``, ``trail_listing``, ``bundle_index``)
turn them into PDFs. Every view carries the paper-trail head at the time of the export, which
each page prints in its footer (so a printed page can be tied to the trail it came from).
Dates are ``datetime.date``/``datetime.datetime``; text is shown exactly as given.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ReportContext:
    """What every page of an export report prints: who made it, when, and the trail head."""

    generated: dt.datetime
    trail_head: str  # "seq:hex" or the MAC hex of the latest trail entry
    trail_seq: int = 0


@dataclass(frozen=True)
class LabelledValue:
    label: str
    value: str


@dataclass(frozen=True)
class IssueView:
    text: str
    status: str  # "Agreed at first meeting", "Raised later", "Addressed" …


@dataclass(frozen=True)
class ActionPointView:
    text: str
    owner: str
    due: dt.date | None
    done: bool


@dataclass(frozen=True)
class PartyView:
    name: str
    role: str
    detail: str = ""


@dataclass(frozen=True)
class FollowUpView:
    advice: str
    due: dt.date | None
    state: str


@dataclass(frozen=True)
class DocumentView:
    name: str
    media_type: str
    size: int
    added: dt.datetime
    note: str = ""  # "member's original", "returned 23 Nov 2026"


@dataclass(frozen=True)
class CaseSummaryView:
    """The case summary PDF: member, case, first meeting, issues, actions, parties, follow-ups,
    escalation and documents."""

    context: ReportContext
    ref: str
    title: str
    category: str
    status: str
    opened: dt.date
    closed: dt.date | None
    outcome: str | None
    member: tuple[LabelledValue, ...]
    flags: tuple[str, ...] = ()
    consent_to_share: bool = False
    first_meeting: tuple[LabelledValue, ...] = ()
    narrative: str = ""
    issues: tuple[IssueView, ...] = ()
    actions: tuple[ActionPointView, ...] = ()
    parties: tuple[PartyView, ...] = ()
    followups: tuple[FollowUpView, ...] = ()
    escalation: tuple[str, ...] = ()
    documents: tuple[DocumentView, ...] = ()


@dataclass(frozen=True)
class TrailRowView:
    """One paper-trail entry as listed: a correction points at what it corrects."""

    seq: int
    when: dt.datetime
    kind: str
    summary: str
    detail: str = ""
    corrects: int | None = None
    corrected_by: int | None = None  # set on an entry a later one corrected
    follows_up: int | None = None
    off_record: bool = False


@dataclass(frozen=True)
class TrailListingView:
    context: ReportContext
    heading: str  # "Paper trail — case 2026-014"
    rows: tuple[TrailRowView, ...]
    chain_ok: bool
    off_record_included: bool = False
    off_record_left_out: int = 0


@dataclass(frozen=True)
class IndexRowView:
    """A bundle member: its neutral name and what it really is."""

    member: str  # "01-document.pdf"
    title: str  # the real document title, any script
    kind: str  # "Document", "Case summary", "Paper trail"
    size: int
    sha256: str
    group: str = ""  # the case reference, in a subject access export


@dataclass(frozen=True)
class BundleIndexView:
    context: ReportContext
    heading: str  # "Case bundle — 2026-014" / "Subject access export"
    about: tuple[LabelledValue, ...]
    rows: tuple[IndexRowView, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CaseLineView:
    ref: str
    title: str
    category: str
    status: str
    opened: dt.date


@dataclass(frozen=True)
class PartyAppearanceView:
    """A party record in another case that names the member (subject access export)."""

    case_ref: str
    name: str
    role: str
    added: dt.datetime


@dataclass(frozen=True)
class MemberRecordView:
    """The member's own record in a subject access export: details, cases, appearances."""

    context: ReportContext
    member: tuple[LabelledValue, ...]
    cases: tuple[CaseLineView, ...]
    appearances: tuple[PartyAppearanceView, ...]
