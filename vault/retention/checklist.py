"""The closing checklist: what must be done before a case may be closed.

Owns the rule of DOMAIN.md "Closing" and of the UCU guide: a case is closed only when

1. every document marked as an **original** belonging to the member has been **returned**
   (ticked off from the document itself);
2. the rep confirms **paper copies have been shredded**;
3. every **written follow-up owed** of oral advice is discharged or waived with a reason;
4. where an **escalation decision** was required (dismissal threatened, discrimination), one
   has been recorded.

The checklist works over plain inputs (the service gathers them from the store), so it is
tested without a vault. :func:`outstanding_items` returns *every* outstanding item, each by
name, so the rep sees the whole list at once rather than fixing one thing at a time.

Item labels carry document names and advice dates for the rep's own screen. The one-line
:meth:`ClosingChecklist.refusal` used for errors names documents by short id only, since
error messages may reach logs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from vault.errors import RefusedAction

__all__ = [
    "ChecklistDocument",
    "ChecklistFollowUp",
    "ClosingChecklist",
    "OutstandingItem",
    "OutstandingKind",
    "outstanding_items",
]


class OutstandingKind(StrEnum):
    ORIGINAL_NOT_RETURNED = "original-not-returned"
    PAPER_NOT_SHREDDED = "paper-not-shredded"
    FOLLOW_UP_OWED = "follow-up-owed"
    ESCALATION_DECISION_MISSING = "escalation-decision-missing"


@dataclass(frozen=True, slots=True)
class ChecklistDocument:
    """A document of the case as the checklist sees it."""

    id: str
    name: str
    is_original: bool
    returned: bool


@dataclass(frozen=True, slots=True)
class ChecklistFollowUp:
    """A written follow-up of oral advice: ``settled`` when discharged, or waived with a reason.

    A waiver without a reason does not settle it (the guide asks for a reason).
    """

    advice_seq: int
    advice_date: dt.date
    discharged: bool
    waived: bool = False
    waive_reason: str | None = None

    @property
    def settled(self) -> bool:
        return self.discharged or (self.waived and bool((self.waive_reason or "").strip()))


@dataclass(frozen=True, slots=True)
class OutstandingItem:
    """One thing that blocks closing. ``subject`` is the document id or advice entry number."""

    kind: OutstandingKind
    label: str
    subject: str | None = None

    @property
    def short(self) -> str:
        """A form with no document names, safe for an error line."""
        if self.kind is OutstandingKind.ORIGINAL_NOT_RETURNED:
            return f"original not returned (document {(self.subject or '')[:8]})"
        if self.kind is OutstandingKind.FOLLOW_UP_OWED:
            return f"written follow-up owed (entry #{self.subject})"
        if self.kind is OutstandingKind.PAPER_NOT_SHREDDED:
            return "paper copies not confirmed shredded"
        return "escalation decision not recorded"


@dataclass(frozen=True, slots=True)
class ClosingChecklist:
    """The gathered facts of one case at the moment the rep asks to close it."""

    documents: Sequence[ChecklistDocument]
    paper_copies_shredded: bool
    follow_ups: Sequence[ChecklistFollowUp]
    escalation_required: bool
    escalation_decided: bool

    def outstanding(self) -> list[OutstandingItem]:
        return outstanding_items(self)

    @property
    def complete(self) -> bool:
        return not self.outstanding()

    def refusal(self) -> RefusedAction | None:
        """The error to raise when closing is refused, naming every item; None when complete."""
        items = self.outstanding()
        if not items:
            return None
        return RefusedAction(
            "Cannot close the case yet; outstanding: " + "; ".join(i.short for i in items) + "."
        )

    def require_complete(self) -> None:
        """Raises RefusedAction naming every outstanding item, or returns when complete."""
        error = self.refusal()
        if error is not None:
            raise error


def outstanding_items(checklist: ClosingChecklist) -> list[OutstandingItem]:
    """Every outstanding item, in the checklist's order (documents, paper, follow-ups,
    escalation); an empty list means the case may be closed."""
    items: list[OutstandingItem] = []
    for doc in checklist.documents:
        if doc.is_original and not doc.returned:
            items.append(OutstandingItem(
                OutstandingKind.ORIGINAL_NOT_RETURNED,
                f"Original not returned to the member: {doc.name}",
                doc.id,
            ))
    if not checklist.paper_copies_shredded:
        items.append(OutstandingItem(
            OutstandingKind.PAPER_NOT_SHREDDED,
            "Paper copies of the case not yet confirmed shredded",
        ))
    for follow_up in sorted(checklist.follow_ups, key=lambda f: f.advice_seq):
        if not follow_up.settled:
            day = follow_up.advice_date
            items.append(OutstandingItem(
                OutstandingKind.FOLLOW_UP_OWED,
                f"Written follow-up owed for the oral advice of "
                f"{day.day} {day.strftime('%b %Y')} (entry #{follow_up.advice_seq}): "
                "send it, or waive it with a reason",
                str(follow_up.advice_seq),
            ))
    if checklist.escalation_required and not checklist.escalation_decided:
        items.append(OutstandingItem(
            OutstandingKind.ESCALATION_DECISION_MISSING,
            "Escalation decision not recorded (this case required one)",
        ))
    return items
