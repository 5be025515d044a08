"""Issue 16: a member record added by mistake can be deleted while nothing refers to it."""

from __future__ import annotations

import pytest

from vault.domain import Category
from vault.errors import NotFound, RefusedAction


def test_a_member_added_by_mistake_is_deleted_and_logged(session) -> None:  # type: ignore[no-untyped-def]
    slip = session.members.add("Amy Chne")
    session.members.delete_added_by_mistake(slip.id)
    with pytest.raises(NotFound):
        session.members.get(slip.id)
    assert [s.member.id for s in session.members.list()] == []
    assert session.conflicts.check("Amy Chne") == []  # gone from the conflict index too
    head_seq, _mac = session.trail.head()
    last = session.trail_log.entry(head_seq)
    assert last.kind == "record-deleted" and "added by mistake" in last.summary
    assert "Amy" not in last.summary  # the id, never the name


def test_a_member_with_a_case_or_a_conflict_finding_is_kept(session) -> None:  # type: ignore[no-untyped-def]
    dana = session.members.add("Dana Whitlock")
    ref = session.cases.open(dana.id, "Pay", Category.PAY_CONTRACT).ref
    with pytest.raises(RefusedAction, match=ref):
        session.members.delete_added_by_mistake(dana.id)
    other = session.members.add("Sam Example")
    other_ref = session.cases.open(other.id, "Grievance", Category.GRIEVANCE).ref
    session.parties.add(other_ref, "Jo Bloggs", "witness")
    jo = session.members.add("Jo Bloggs")
    assert session.conflicts.check_member(jo.id)  # the witness: a finding now names Jo
    with pytest.raises(RefusedAction, match="conflict check"):
        session.members.delete_added_by_mistake(jo.id)
    with pytest.raises(NotFound):
        session.members.delete_added_by_mistake("M-NOPE")
