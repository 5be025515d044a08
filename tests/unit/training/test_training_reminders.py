"""Reminders around the two-week mark and the next session, with an injected clock."""

from __future__ import annotations

import datetime as dt

import pytest

from vault.clock import FixedClock
from vault.training.profile import UnionProfile
from vault.training.record import (
    TrainingRecord,
    record_course,
    set_course_dates,
    tick_step,
)
from vault.training.reminders import reminders

KEYS = ["bectu", "custom", "prospect", "ucu"]
COURSE = dt.date(2027, 3, 1)   # first session (a Monday)
SECOND = dt.date(2027, 3, 8)   # next session
START = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)


def accepted(profile: UnionProfile, *, dates: tuple[dt.date, ...] = (COURSE, SECOND)
             ) -> TrainingRecord:
    """Reps 1 done, dates accepted, course dates recorded."""
    today = START.date()
    record = record_course(TrainingRecord(union_key=profile.key), profile, "reps1",
                           dt.date(2026, 1, 5), today=today)
    for step_id in ("reps2-listed", "cohort-formed", "letter1", "dates-accepted"):
        if profile.step(step_id) is None:
            continue  # the custom example has no cohort step
        record = tick_step(record, profile, step_id, dt.date(2026, 12, 1), today=today)
    return set_course_dates(record, profile, dates, today=today)


def at(clock: FixedClock, day: dt.date) -> dt.date:
    clock.set(dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.UTC))
    return clock.today()


@pytest.mark.parametrize("key", KEYS)
def test_course_resources_around_the_two_week_mark(profiles: dict[str, UnionProfile],
                                                   key: str) -> None:
    profile = profiles[key]
    record = accepted(profile)
    clock = FixedClock(START)
    due = COURSE - dt.timedelta(days=14)

    assert reminders(profile, record, at(clock, due - dt.timedelta(days=1))) == []

    on_the_day = reminders(profile, record, at(clock, due))
    assert [(r.step_id, r.due_on, r.overdue) for r in on_the_day] == [
        ("resources-received", due, False)]
    assert "is expected by 15 Feb 2027, two weeks before your course starts on 1 Mar 2027" \
        in on_the_day[0].message
    assert profile.education_team in on_the_day[0].message

    clock.advance(days=1)
    late = reminders(profile, record, clock.today())
    assert [(r.step_id, r.overdue) for r in late] == [("resources-received", True)]
    assert "was expected by 15 Feb 2027" in late[0].message

    # On the course day it is still chased (overdue, so first), beside the homework.
    course_day = reminders(profile, record, at(clock, COURSE))
    assert [(r.step_id, r.overdue) for r in course_day] == [
        ("resources-received", True), ("homework1-marked", False),
        ("homework2-marked", False)]
    # Once the course has started, homework is what matters; resources are no longer chased.
    after = reminders(profile, record, at(clock, COURSE + dt.timedelta(days=1)))
    assert "resources-received" not in [r.step_id for r in after]


@pytest.mark.parametrize("key", KEYS)
def test_ticking_resources_silences_the_reminder(profiles: dict[str, UnionProfile],
                                                 key: str) -> None:
    profile = profiles[key]
    today = COURSE - dt.timedelta(days=10)
    record = tick_step(accepted(profile), profile, "resources-received",
                       today - dt.timedelta(days=3), today=today)
    assert reminders(profile, record, today) == []


def test_no_course_date_asks_for_one_once_dates_are_accepted(
        profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    record = accepted(bectu, dates=())
    found = reminders(bectu, record, START.date())
    assert [(r.step_id, r.due_on, r.overdue) for r in found] == [
        ("resources-received", None, False)]
    assert found[0].message.startswith("Record your Reps 2 (Handling cases) course date")
    # Before the dates are accepted there is nothing to ask for.
    earlier = TrainingRecord(union_key="bectu", courses=record.courses,
                             ticks=record.ticks[:2])
    assert reminders(bectu, earlier, START.date()) == []


@pytest.mark.parametrize("key", KEYS)
def test_homework_due_before_the_next_session(profiles: dict[str, UnionProfile],
                                              key: str) -> None:
    profile = profiles[key]
    record = tick_step(accepted(profile), profile, "resources-received", dt.date(2027, 2, 14),
                       today=COURSE)
    clock = FixedClock(START)

    assert reminders(profile, record, at(clock, COURSE - dt.timedelta(days=1))) == []

    during = reminders(profile, record, at(clock, COURSE))
    assert [(r.step_id, r.due_on, r.overdue) for r in during] == [
        ("homework1-marked", SECOND, False), ("homework2-marked", SECOND, False)]
    assert "due before the next session, on 8 Mar 2027" in during[0].message

    on_second = reminders(profile, record, at(clock, SECOND))
    assert [r.overdue for r in on_second] == [False, False]

    late = reminders(profile, record, at(clock, SECOND + dt.timedelta(days=1)))
    assert [r.overdue for r in late] == [True, True]
    assert "should have been done before the next session on 8 Mar 2027" in late[0].message

    # Marking sheet 2 first leaves only sheet 1.
    today = clock.today()
    record = tick_step(record, profile, "attended", COURSE, today=today)
    record = tick_step(record, profile, "homework2-marked", SECOND, today=today)
    assert [r.step_id for r in reminders(profile, record, today)] == ["homework1-marked"]


def test_homework_with_a_single_course_date_has_no_due_day(
        profiles: dict[str, UnionProfile]) -> None:
    prospect = profiles["prospect"]
    record = accepted(prospect, dates=(COURSE,))
    found = reminders(prospect, record, COURSE + dt.timedelta(days=5))
    homework = [r for r in found if r.step_id.startswith("homework")]
    assert [(r.due_on, r.overdue) for r in homework] == [(None, False), (None, False)]
    assert "the course started on 1 Mar 2027" in homework[0].message


def test_overdue_reminders_come_first(profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    record = accepted(bectu, dates=(COURSE, COURSE + dt.timedelta(days=1)))
    record = tick_step(record, bectu, "resources-received", dt.date(2027, 2, 14), today=COURSE)
    record = tick_step(record, bectu, "attended", COURSE, today=COURSE)
    record = tick_step(record, bectu, "homework1-marked", COURSE, today=COURSE)
    found = reminders(bectu, record, COURSE + dt.timedelta(days=3))
    assert [(r.step_id, r.overdue) for r in found] == [("homework2-marked", True)]


def test_no_reminders_once_signed_off_or_when_reps2_is_not_open(
        profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    today = SECOND + dt.timedelta(days=30)
    record = accepted(bectu)
    for step in bectu.route[4:13]:
        record = tick_step(record, bectu, step.id, SECOND, today=today)
    assert record.is_ticked("officer-signed-off")
    assert reminders(bectu, record, today) == []

    freelancer = record_course(TrainingRecord(union_key="bectu"), bectu, "reps1-freelancer",
                               dt.date(2026, 1, 5), today=today)
    freelancer = set_course_dates(freelancer, bectu, [COURSE, SECOND], today=today)
    assert reminders(bectu, freelancer, COURSE) == []
