"""Training reminders, worked out from the record, the profile and today's date.

Which steps carry a reminder is data: a route step with ``expected_days_before_course`` (course
resources, two weeks before the course) or ``due_before_next_session`` (homework sheets). The
rules:

- no course date recorded yet, while the step that expects one is next in line: ask for it;
- course resources: from ``expected_days_before_course`` days before the first course date
  until the course starts, while the step is not ticked (overdue after the due day);
- homework sheets: from the first course date until ticked, due before the next session (the
  second course date); with a single course date there is no due day, only the reminder.

Nothing is reminded once the sign-off is recorded or while Reps 2 is not open to the rep.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from vault.training.dates import uk_date
from vault.training.profile import RouteStep, UnionProfile
from vault.training.record import TrainingRecord, is_reps2_open

log = logging.getLogger(__name__)

_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                 "ten")


@dataclass(frozen=True)
class Reminder:
    """Something on the route that is due or overdue. ``message`` is ready to show."""

    step_id: str
    title: str
    message: str
    due_on: dt.date | None
    overdue: bool


def reminders(profile: UnionProfile, record: TrainingRecord, today: dt.date) -> list[Reminder]:
    """The reminders due ``today``, overdue ones first, then by due date. Never raises."""
    if not is_reps2_open(profile, record) or record.is_ticked(profile.sign_off_step):
        return []
    found: list[Reminder] = []
    for step in profile.route:
        if record.is_ticked(step.id):
            continue
        if step.expected_days_before_course is not None:
            found.extend(_before_course(profile, record, step, step.expected_days_before_course,
                                        today))
        if step.due_before_next_session:
            found.extend(_before_next_session(record, step, today))
    found.sort(key=lambda r: (not r.overdue, r.due_on or dt.date.max, r.step_id))
    return found


def _before_course(profile: UnionProfile, record: TrainingRecord, step: RouteStep, days: int,
                   today: dt.date) -> list[Reminder]:
    if record.is_ticked(profile.attendance_step):
        return []
    if not record.course_dates:
        if all(record.is_ticked(r) for r in step.requires) and step.requires:
            return [Reminder(
                step.id, step.title,
                f"Record your {profile.reps2_course_name} course date, so the vault can remind "
                f"you when '{step.title}' is due ({_span(days)} before the course).",
                None, False)]
        return []
    start = record.course_dates[0]
    due = start - dt.timedelta(days=days)
    if not due <= today <= start:
        return []
    overdue = today > due
    lead = (f"'{step.title}' was expected by {uk_date(due)}" if overdue
            else f"'{step.title}' is expected by {uk_date(due)}")
    return [Reminder(
        step.id, step.title,
        f"{lead}, {_span(days)} before your course starts on {uk_date(start)}, and is not "
        f"ticked yet. If nothing has arrived, ask {profile.education_team}.",
        due, overdue)]


def _before_next_session(record: TrainingRecord, step: RouteStep,
                         today: dt.date) -> list[Reminder]:
    if not record.course_dates or today < record.course_dates[0]:
        return []
    if len(record.course_dates) < 2:
        return [Reminder(
            step.id, step.title,
            f"'{step.title}' is not ticked yet; the course started on "
            f"{uk_date(record.course_dates[0])}.",
            None, False)]
    due = record.course_dates[1]
    if today > due:
        message = (f"'{step.title}' should have been done before the next session on "
                   f"{uk_date(due)}, and is not ticked yet.")
    else:
        message = f"'{step.title}' is due before the next session, on {uk_date(due)}."
    return [Reminder(step.id, step.title, message, due, today > due)]


def _span(days: int) -> str:
    """``two weeks``, ``one week``, ``10 days``."""
    if days % 7 == 0:
        weeks = days // 7
        word = _NUMBER_WORDS[weeks] if weeks < len(_NUMBER_WORDS) else str(weeks)
        return f"{word} week{'s' if weeks != 1 else ''}"
    word = _NUMBER_WORDS[days] if days < len(_NUMBER_WORDS) else str(days)
    return f"{word} day{'s' if days != 1 else ''}"
