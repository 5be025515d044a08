"""Conflict checks through the service: members and parties of other cases, decisions, the index."""

from __future__ import annotations

import dataclasses

import pytest

from vault.casework.conflict_matcher import MatchReason
from vault.casework.conflicts import ConflictDecision
from vault.domain import Category
from vault.errors import InvalidInput, NotFound


def _member_case(session, name: str, **kw: str) -> str:  # type: ignore[no-untyped-def]
    m = session.members.add(name, **kw)
    return session.cases.open(m.id, f"Case of {name}", Category.GRIEVANCE).ref


def _findings_count(session) -> int:  # type: ignore[no-untyped-def]
    return int(session.vault.db.query_one("SELECT count(*) FROM conflict_findings")[0])


def test_member_jon_flags_party_jonathan_of_another_case(session) -> None:  # type: ignore[no-untyped-def]
    c1 = _member_case(session, "Jon Smith")
    c2 = _member_case(session, "Mary Jones")
    added = session.parties.add(c2, "Jonathan Smith", "subject")
    [finding] = added.conflicts
    assert finding.match.ref == c1 and finding.match.role == "member"
    assert finding.match.name == "Jon Smith" and finding.match.reason is MatchReason.NICKNAME
    assert finding.case_ref == c2 and finding.pending
    # pending on both sides (tab badges)
    assert [f.id for f in session.conflicts.pending(c1)] == [finding.id]
    assert [f.id for f in session.conflicts.pending(c2)] == [finding.id]


def test_new_member_matches_a_party_of_another_case(session) -> None:  # type: ignore[no-untyped-def]
    c1 = _member_case(session, "Mary Jones")
    session.parties.add(c1, "Jonathan Smith", "witness")
    member = session.members.add("Jon Smith")
    [finding] = session.conflicts.check_member(member.id)
    assert finding.match.ref == c1 and finding.match.role == "witness"
    assert finding.case_ref is None and finding.checked_id == member.id
    assert [f.id for f in session.conflicts.pending_for_member(member.id)] == [finding.id]
    # opening a case for the member checks again, under the new case
    c2 = session.cases.open(member.id, "Own case", Category.DISCIPLINARY).ref
    [again] = session.conflicts.check_case_member(c2)
    assert again.case_ref == c2 and again.match.ref == c1


def test_empty_vault_and_vault_without_other_cases_give_nothing(session) -> None:  # type: ignore[no-untyped-def]
    assert session.conflicts.check("Jon Smith") == []
    ref = _member_case(session, "Jon Smith")
    assert session.conflicts.check("Jonathan Smith", exclude_ref=ref) == []
    assert session.conflicts.check_case_member(ref) == []
    # Issue 17.6: the member's own name (or a near-duplicate) added as a party on their own
    # case is flagged — a slip, or a conflict, either way something to decide.
    added = session.parties.add(ref, "Jonathan Smith", "colleague")
    [own] = added.conflicts
    assert own.match.ref == ref and own.match.role == "member"
    assert own.match.wording == "same name, short form"


def test_check_saves_nothing(session) -> None:  # type: ignore[no-untyped-def]
    _member_case(session, "Jon Smith")
    head = session.trail.head()[0]
    found = session.conflicts.check("Smith, Jonathan")
    assert [m.name for m in found] == ["Jon Smith"]
    assert session.trail.head()[0] == head and _findings_count(session) == 0


def test_exact_number_and_email(session) -> None:  # type: ignore[no-untyped-def]
    c1 = _member_case(session, "Alice Brown", membership_number="M123456",
                      email="alice@example.org")
    by_number = session.conflicts.check("Totally Different", membership_number="m123456")
    assert [(m.ref, m.reason) for m in by_number] == [(c1, MatchReason.EXACT_NUMBER)]
    by_email = session.conflicts.check("Someone Else", email="ALICE@example.org")
    assert [m.reason for m in by_email] == [MatchReason.EXACT_EMAIL]
    with pytest.raises(InvalidInput):
        session.conflicts.check("   ")


def test_names_in_other_scripts(session) -> None:  # type: ignore[no-untyped-def]
    c1 = _member_case(session, "Иван Петров")
    c2 = _member_case(session, "王小明")
    assert [m.ref for m in session.conflicts.check("ИВАН ПЕТРОВ")] == [c1]
    assert [m.ref for m in session.conflicts.check("王 小明")] == [c2]
    added = session.parties.add(c2, "Иван Петров", "manager")
    assert [f.match.ref for f in added.conflicts] == [c1]


def test_decisions_go_into_the_trail(session) -> None:  # type: ignore[no-untyped-def]
    c1 = _member_case(session, "Jon Smith")
    c2 = _member_case(session, "Mary Jones")
    [finding] = session.parties.add(c2, "Jonathan Smith", "manager").conflicts
    with pytest.raises(InvalidInput):
        session.conflicts.decide(finding.id, ConflictDecision.PROCEED)
    with pytest.raises(InvalidInput, match="Decide one of"):
        session.conflicts.decide(finding.id, "shrug")
    decided = session.conflicts.decide(finding.id, "proceed", "Different person: checked dates")
    assert decided.decision is ConflictDecision.PROCEED and not decided.pending
    assert session.conflicts.pending(c1) == [] and session.conflicts.pending(c2) == []
    last = session.trail_log.entries(c2)[-1]
    assert last.kind == "conflict-decision" and last.links == {"decides": finding.check_seq}
    assert last.detail == "Different person: checked dates"
    changed = session.conflicts.decide(finding.id, "step-aside", handover_to="Kim")
    assert changed.decision is ConflictDecision.STEP_ASIDE
    with pytest.raises(NotFound):
        session.conflicts.decide(999, "refer")


def test_check_entries_name_no_one_from_the_other_case(session) -> None:  # type: ignore[no-untyped-def]
    _member_case(session, "Jon Smith")
    c2 = _member_case(session, "Mary Jones")
    session.parties.add(c2, "Jonathan Smith", "manager")
    check = session.trail_log.entries(c2)[-1]
    assert check.kind == "conflict-check" and "1 possible conflict" in check.summary
    assert "Jon Smith" not in str(check.payload)
    assert check.payload["matches"][0]["role"] == "member"


def test_index_follows_changes_made_by_other_services(session) -> None:  # type: ignore[no-untyped-def]
    c1 = _member_case(session, "Mary Jones")
    assert session.conflicts.check("Robert Brown") == []  # builds the index
    m = session.members.add("Bob Brown")
    assert [x.person_id for x in session.conflicts.check("Robert Brown")] == [m.id]
    session.members.update(dataclasses.replace(session.members.get(m.id), name="Bobby Green"))
    assert session.conflicts.check("Robert Brown") == []
    assert [x.person_id for x in session.conflicts.check("Robert Green")] == [m.id]
    c2 = session.cases.open(m.id, "Bob's case", Category.REDUNDANCY).ref
    assert [x.ref for x in session.conflicts.check("Robert Green")] == [c2]
    session.parties.add(c1, "Priya Patel", "witness")
    assert [x.ref for x in session.conflicts.check("Priya Patel")] == [c1]
    with session.vault.db.transaction() as conn:  # what secure deletion does to the row
        conn.execute("UPDATE cases SET status = 'destroyed' WHERE ref = ?", (c1,))
    assert session.conflicts.check("Priya Patel") == []
    # the member record stays (retention decides about it) but no longer in that case
    assert [x.ref for x in session.conflicts.check("Mary Jones")] == [None]


def test_index_rebuilds_when_the_change_log_was_pruned(session) -> None:  # type: ignore[no-untyped-def]
    _member_case(session, "Mary Jones")
    assert session.conflicts.check("Bob Brown") == []
    session.members.add("Robert Brown")
    with session.vault.db.transaction() as conn:
        conn.execute("DELETE FROM people_changes")  # as if pruned past the index
        conn.execute("INSERT INTO people_changes (id, kind, ref) VALUES (100000, 'member', 'X')")
    assert [x.name for x in session.conflicts.check("Bob Brown")] == ["Robert Brown"]


def test_change_log_is_pruned(session) -> None:  # type: ignore[no-untyped-def]
    with session.vault.db.transaction() as conn:
        conn.executemany("INSERT INTO people_changes (kind, ref) VALUES ('member', ?)",
                         [(f"M-{i}",) for i in range(2500)])
    n = session.vault.db.query_one("SELECT count(*) FROM people_changes")[0]
    assert n == 2000


def test_two_sessions_see_each_others_changes(manager, session) -> None:  # type: ignore[no-untyped-def]
    c1 = _member_case(session, "Mary Jones")
    other = manager.unlock("correct horse battery staple orbit")
    assert other.conflicts.check("Jon Smith") == []
    session.parties.add(c1, "Jonathan Smith", "manager")
    assert [x.ref for x in other.conflicts.check("Jon Smith")] == [c1]


def test_step_aside_is_a_hand_over_that_marks_the_case(session) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: "step aside" leads to a hand-over (to whom, when) and marks the case."""
    import datetime as dt

    import pytest

    from vault.errors import InvalidInput

    ref = _member_case(session, "Dana Whitlock")
    other = _member_case(session, "Sam Example")
    [finding] = session.parties.add(other, "Dana Whitlock", "subject").conflicts
    with pytest.raises(InvalidInput, match="handed over to"):
        session.conflicts.decide(finding.id, "step-aside")
    with pytest.raises(InvalidInput, match="future"):
        session.conflicts.decide(finding.id, "step-aside", handover_to="Kim, branch secretary",
                                 handover_on=dt.date(2026, 12, 25))
    assert session.conflicts.handover(other) is None
    done = session.conflicts.decide(finding.id, "step-aside",
                                    handover_to="Kim, branch secretary",
                                    handover_on=dt.date(2026, 11, 20))
    assert (done.handover_to, done.handover_on) == ("Kim, branch secretary",
                                                    dt.date(2026, 11, 20))
    marked = session.conflicts.handover(other)
    assert marked is not None and marked.handover_to == "Kim, branch secretary"
    assert session.conflicts.handover(ref) is None  # the other side is not handed over
    entry = session.trail_log.entries(other)[-1]
    assert entry.kind == "handed-over"
    assert entry.summary == ("Stepped aside: case handed over to Kim, branch secretary on "
                             "20 Nov 2026")
    assert entry.occurred == dt.date(2026, 11, 20)
