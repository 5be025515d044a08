"""Parties of a case: roles, union membership, bad input, and the conflict check on adding."""

from __future__ import annotations

import pytest

from vault.casework.parties import PartyRole, UnionMembership
from vault.domain import Category
from vault.errors import InvalidInput, NotFound, RefusedAction


@pytest.fixture
def ref(session) -> str:  # type: ignore[no-untyped-def]
    m = session.members.add("Priya Patel")
    return session.cases.open(m.id, "Bullying complaint", Category.BULLYING_HARASSMENT).ref


def test_add_and_list(session, ref) -> None:  # type: ignore[no-untyped-def]
    a = session.parties.add(ref, "  Dana   Scully ", PartyRole.MANAGER, "yes").party
    b = session.parties.add(ref, "Fox Mulder", "subject of the complaint", False).party
    c = session.parties.add(ref, "Walter Skinner", "Witness").party
    assert a.name == "Dana Scully" and a.union_member is UnionMembership.YES
    assert b.role is PartyRole.SUBJECT and b.role.label == "subject of the complaint"
    assert b.union_member is UnionMembership.NO and c.union_member is UnionMembership.UNKNOWN
    assert [p.id for p in session.parties.list(ref)] == [a.id, b.id, c.id]
    assert all(p.case_ref == ref for p in session.parties.list(ref))
    kinds = [e.kind for e in session.trail_log.entries(ref)]
    assert kinds.count("party-added") == 3 and kinds.count("conflict-check") == 3


@pytest.mark.parametrize("name,role,member,match", [
    ("", "manager", None, "Name"),
    ("   ", "manager", None, "Name"),
    ("Dana", "boss", None, "role"),
    ("Dana", "manager", "maybe", "yes, no or unknown"),
])
def test_bad_input_writes_nothing(session, ref, name, role, member, match) -> None:  # type: ignore[no-untyped-def]
    head = session.trail.head()[0]
    with pytest.raises(InvalidInput, match=match):
        session.parties.add(ref, name, role, member)
    assert session.trail.head()[0] == head and session.parties.list(ref) == []


def test_unknown_or_destroyed_case(session, ref) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        session.parties.add("C-2026-9999", "Dana Scully", "manager")
    with session.vault.db.transaction() as conn:
        conn.execute("UPDATE cases SET status = 'destroyed' WHERE ref = ?", (ref,))
    with pytest.raises(RefusedAction):
        session.parties.add(ref, "Dana Scully", "manager")


def test_party_in_two_cases_is_flagged_with_role(session, ref) -> None:  # type: ignore[no-untyped-def]
    session.parties.add(ref, "Walter Skinner", "witness")
    m = session.members.add("Tom Jones")
    other = session.cases.open(m.id, "Disciplinary", Category.DISCIPLINARY).ref
    [finding] = session.parties.add(other, "Skinner, Walter", "subject").conflicts
    assert (finding.match.ref, finding.match.role) == (ref, "witness")
    assert finding.to_json()["ref"] == ref


def test_very_long_name_refused(session, ref) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="too long"):
        session.parties.add(ref, "A" * 5000, "other")


def test_a_union_member_not_in_the_vault_is_flagged(session) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: a party marked as a union member but matched to no member is flagged."""
    from vault.domain import Category

    dana = session.members.add("Dana Whitlock")
    ref = session.cases.open(dana.id, "Grievance", Category.GRIEVANCE).ref
    stranger = session.parties.add(ref, "Priya Stranger", "witness", union_member="yes")
    assert stranger.member_not_in_vault
    entry = session.trail_log.entries(ref)[-1]
    assert entry.kind == "party-not-in-vault" and "not among the members" in entry.summary
    other = session.members.add("Sam Known")
    session.cases.open(other.id, "Pay", Category.PAY_CONTRACT)
    known = session.parties.add(ref, "Sam Known", "witness", union_member="yes")
    assert not known.member_not_in_vault
    not_member = session.parties.add(ref, "Kim Manager", "manager", union_member="no")
    assert not not_member.member_not_in_vault


def test_sharing_for_the_branch_needs_the_members_consent(session) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: consent to share is honoured by the check every sharing must call."""
    import pytest

    from vault.casework.cases import ShareAudience, check_consent_to_share
    from vault.domain import Category
    from vault.errors import RefusedAction

    m = session.members.add("Ola Example")
    ref = session.cases.open(m.id, "Grievance", Category.GRIEVANCE).ref
    with pytest.raises(RefusedAction, match="has not agreed"):
        session.cases.require_consent_to_share(ref)
    # The member themself may always have their own information.
    assert session.cases.require_consent_to_share(ref, ShareAudience.MEMBER).ref == ref
    session.cases.set_consent_to_share(ref, True)
    case = session.cases.require_consent_to_share(ref, "branch")
    check_consent_to_share(case, ShareAudience.BRANCH)
    session.cases.set_consent_to_share(ref, False)
    with pytest.raises(RefusedAction):
        check_consent_to_share(session.cases.get(ref), ShareAudience.BRANCH)
