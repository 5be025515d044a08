"""The first meeting: date and place, agreed and new issues, action points, narrative, upcoming."""

from __future__ import annotations

import datetime as dt

import pytest

from vault.casework.first_meeting import ActionOwner
from vault.domain import Category
from vault.errors import InvalidInput, NotFound


@pytest.fixture
def ref(session) -> str:  # type: ignore[no-untyped-def]
    m = session.members.add("Priya Patel")
    return session.cases.open(m.id, "Capability process", Category.CAPABILITY).ref


def test_empty_until_recorded(session, ref) -> None:  # type: ignore[no-untyped-def]
    fm = session.first_meeting.get(ref)
    assert not fm.recorded and fm.issues == [] and fm.actions == [] and fm.narrative is None


def test_date_place_and_narrative(session, ref) -> None:  # type: ignore[no-untyped-def]
    session.first_meeting.record(ref, held_on=dt.date(2026, 11, 20))
    fm = session.first_meeting.record(ref, place="Union office, room 2")
    assert fm.held_on == dt.date(2026, 11, 20) and fm.place == "Union office, room 2"
    fm = session.first_meeting.set_narrative(ref, "The member was moved to a new team ...")
    assert fm.narrative.startswith("The member") and fm.held_on == dt.date(2026, 11, 20)
    kinds = [e.kind for e in session.trail_log.entries(ref)]
    assert kinds.count("first-meeting") == 2 and kinds.count("narrative-agreed") == 1


def test_bad_meeting_input(session, ref) -> None:  # type: ignore[no-untyped-def]
    head = session.trail.head()[0]
    with pytest.raises(InvalidInput, match="future"):
        session.first_meeting.record(ref, held_on=dt.date(2026, 11, 24))
    with pytest.raises(InvalidInput):
        session.first_meeting.record(ref)
    with pytest.raises(InvalidInput):
        session.first_meeting.record(ref, place="   ")
    with pytest.raises(InvalidInput):
        session.first_meeting.set_narrative(ref, " ")
    with pytest.raises(InvalidInput, match="100 KB"):
        session.first_meeting.set_narrative(ref, "ü" * 60_000)
    with pytest.raises(InvalidInput):
        session.first_meeting.add_issue(ref, "")
    assert session.trail.head()[0] == head
    session.first_meeting.set_narrative(ref, "x" * (100 * 1024))


def test_agreed_issues_and_issues_raised_later(session, ref, clock) -> None:  # type: ignore[no-untyped-def]
    early = session.first_meeting.add_issue(ref, "Workload doubled")  # no meeting yet: agreed
    session.first_meeting.record(ref, held_on=dt.date(2026, 11, 23))
    same_day = session.first_meeting.add_issue(ref, "No risk assessment")
    clock.advance(days=3)
    later = session.first_meeting.add_issue(ref, "Manager shouted at the member")
    forced = session.first_meeting.add_issue(ref, "Forgot to note: pay", raised_later=False)
    fm = session.first_meeting.get(ref)
    assert [i.id for i in fm.agreed_issues] == [early.id, same_day.id, forced.id]
    assert [i.id for i in fm.new_issues] == [later.id]
    done = session.first_meeting.set_issue_addressed(ref, early.id, note="Raised with HR")
    assert done.addressed and done.addressed_on == dt.date(2026, 11, 26)
    assert done.addressed_note == "Raised with HR"
    assert early.id not in [i.id for i in session.first_meeting.get(ref).unaddressed_issues]
    undone = session.first_meeting.set_issue_addressed(ref, early.id, False)
    assert not undone.addressed and undone.addressed_note is None
    with pytest.raises(NotFound):
        session.first_meeting.set_issue_addressed(ref, 999)


def test_action_points_and_upcoming(session, ref, clock) -> None:  # type: ignore[no-untyped-def]
    m = session.members.add("Tom Jones")
    other = session.cases.open(m.id, "Other", Category.GRIEVANCE).ref
    fm = session.first_meeting
    overdue = fm.add_action(ref, "Send the grievance letter", ActionOwner.REP,
                            dt.date(2026, 11, 20))
    soon = fm.add_action(other, "Collect payslips", "member", dt.date(2026, 11, 27))
    far = fm.add_action(ref, "Book regional official", "union", dt.date(2027, 1, 15))
    undated = fm.add_action(ref, "Think about options", "member")
    done = fm.add_action(ref, "Read the policy", "rep", dt.date(2026, 11, 24))
    fm.set_action_done(ref, done.id)
    with pytest.raises(InvalidInput, match="owner"):
        fm.add_action(ref, "x", "manager")
    upcoming = fm.upcoming()
    assert [(u.case_ref, u.action.id, u.overdue) for u in upcoming] == [
        (ref, overdue.id, True), (other, soon.id, False)]
    assert far.id in [u.action.id for u in fm.upcoming(within_days=60)]
    assert undated.id not in [u.action.id for u in fm.upcoming(within_days=3650)]
    reopened = fm.set_action_done(ref, done.id, False)
    assert not reopened.done and reopened.id in [u.action.id for u in fm.upcoming()]
    with pytest.raises(NotFound):
        fm.set_action_done(other, overdue.id)  # the action belongs to another case
    actions = fm.get(ref).actions
    assert [a.owner for a in actions][:3] == [ActionOwner.REP, ActionOwner.UNION,
                                              ActionOwner.MEMBER]


def test_what_was_agreed_is_dated_with_the_meeting(session, ref, clock) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: issues agreed at a meeting, and the meeting's entry, carry its date."""
    meeting_day = dt.date(2026, 11, 16)  # typed up a week later (the clock says 23 Nov)
    session.first_meeting.record(ref, held_on=meeting_day, place="Union office")
    entry = session.trail_log.entries(ref)[-1]
    assert entry.kind == "first-meeting" and entry.occurred == meeting_day
    issue = session.first_meeting.add_issue(ref, "Unfair allocation of shifts", raised_later=False)
    assert issue.raised_on == meeting_day and not issue.raised_later
    entry = session.trail_log.entries(ref)[-1]
    assert entry.kind == "issue-added" and entry.occurred == meeting_day
    later = session.first_meeting.add_issue(ref, "A new warning letter")
    assert later.raised_later and later.raised_on == clock.today()


def test_whether_and_to_whom_the_narrative_was_submitted(session, ref) -> None:  # type: ignore[no-untyped-def]
    session.first_meeting.record(ref, held_on=dt.date(2026, 11, 16))
    with pytest.raises(InvalidInput, match="narrative first"):
        session.first_meeting.record_narrative_submission(ref, submitted_to="HR")
    session.first_meeting.set_narrative(ref, "The member was moved to a new team ...")
    assert session.first_meeting.get(ref).narrative_submitted is None
    with pytest.raises(InvalidInput, match="or why it was not"):
        session.first_meeting.record_narrative_submission(ref)
    with pytest.raises(InvalidInput, match="before the first meeting"):
        session.first_meeting.record_narrative_submission(ref, submitted_to="HR",
                                                          on=dt.date(2026, 11, 1))
    fm = session.first_meeting.record_narrative_submission(
        ref, submitted_to="HR and the regional office", on=dt.date(2026, 11, 18))
    assert fm.narrative_submitted is True
    assert (fm.narrative_submitted_to, fm.narrative_submitted_on) == (
        "HR and the regional office", dt.date(2026, 11, 18))
    entry = session.trail_log.entries(ref)[-1]
    assert entry.kind == "narrative-submitted" and entry.occurred == dt.date(2026, 11, 18)
    fm = session.first_meeting.record_narrative_submission(
        ref, not_submitted="The member wants to wait for the investigation")
    assert fm.narrative_submitted is False and fm.narrative_submitted_to is None
