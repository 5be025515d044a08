"""The closing checklist: each item blocks, every outstanding item is named (issue 9)."""

from __future__ import annotations

import datetime as dt

import pytest

from vault.errors import RefusedAction
from vault.retention.checklist import (
    ChecklistDocument,
    ChecklistFollowUp,
    ClosingChecklist,
    OutstandingKind,
)

ORIGINAL = ChecklistDocument("a1b2c3d4e5f60718", "payslip-march.pdf", True, False)
RETURNED = ChecklistDocument("b1b2c3d4e5f60718", "contract.pdf", True, True)
COPY = ChecklistDocument("c1b2c3d4e5f60718", "notes.txt", False, False)
OWED = ChecklistFollowUp(7, dt.date(2026, 11, 2), discharged=False)
DISCHARGED = ChecklistFollowUp(8, dt.date(2026, 11, 3), discharged=True)
WAIVED = ChecklistFollowUp(9, dt.date(2026, 11, 4), discharged=False, waived=True,
                           waive_reason="member said email not wanted")


def complete(**changes: object) -> ClosingChecklist:
    base: dict[str, object] = dict(documents=(RETURNED, COPY), paper_copies_shredded=True,
                                   follow_ups=(DISCHARGED, WAIVED), escalation_required=True,
                                   escalation_decided=True)
    base.update(changes)
    return ClosingChecklist(**base)  # type: ignore[arg-type]


def test_complete_checklist_allows_closing() -> None:
    checklist = complete()
    assert checklist.outstanding() == []
    assert checklist.complete
    checklist.require_complete()


@pytest.mark.parametrize("changes,kind", [
    ({"documents": (ORIGINAL, RETURNED)}, OutstandingKind.ORIGINAL_NOT_RETURNED),
    ({"paper_copies_shredded": False}, OutstandingKind.PAPER_NOT_SHREDDED),
    ({"follow_ups": (OWED, DISCHARGED)}, OutstandingKind.FOLLOW_UP_OWED),
    ({"escalation_decided": False}, OutstandingKind.ESCALATION_DECISION_MISSING),
])
def test_each_item_blocks_closing(changes: dict[str, object], kind: OutstandingKind) -> None:
    checklist = complete(**changes)
    items = checklist.outstanding()
    assert [i.kind for i in items] == [kind]
    with pytest.raises(RefusedAction):
        checklist.require_complete()


def test_escalation_not_required_does_not_block() -> None:
    assert complete(escalation_required=False, escalation_decided=False).complete


def test_waiver_without_a_reason_does_not_settle() -> None:
    bare = ChecklistFollowUp(10, dt.date(2026, 11, 5), discharged=False, waived=True,
                             waive_reason="  ")
    assert [i.kind for i in complete(follow_ups=(bare,)).outstanding()] == [
        OutstandingKind.FOLLOW_UP_OWED]


def test_every_outstanding_item_is_named() -> None:
    second = ChecklistDocument("d1b2c3d4e5f60718", "sick-note.jpg", True, False)
    checklist = complete(documents=(ORIGINAL, second, COPY), paper_copies_shredded=False,
                         follow_ups=(OWED,), escalation_decided=False)
    items = checklist.outstanding()
    assert [i.kind for i in items] == [
        OutstandingKind.ORIGINAL_NOT_RETURNED, OutstandingKind.ORIGINAL_NOT_RETURNED,
        OutstandingKind.PAPER_NOT_SHREDDED, OutstandingKind.FOLLOW_UP_OWED,
        OutstandingKind.ESCALATION_DECISION_MISSING]
    labels = " | ".join(i.label for i in items)
    assert "payslip-march.pdf" in labels and "sick-note.jpg" in labels
    assert "2 Nov 2026" in labels and "#7" in labels
    error = checklist.refusal()
    assert error is not None
    message = str(error)
    # The error line names each item, but documents only by short id (errors may be logged).
    assert "a1b2c3d4" in message and "d1b2c3d4" in message and "#7" in message
    assert "payslip" not in message and "\n" not in message
    assert "shredded" in message and "escalation" in message
