"""The rep's training record and the rules for changing it.

A :class:`TrainingRecord` is plain data: the union chosen, the courses completed (with dates),
the steps of the Reps 2 route ticked (with dates) and the Reps 2 course dates, if the rep knows
them. It is immutable; each change is a function that checks the rules against the union
profile and returns a new record, or raises with a reason the rep can act on:

- a completed course or step cannot be dated after today;
- a step cannot be ticked before the steps it requires (from the profile), nor dated before
  them; this refuses sign-off before attendance while letting homework sheet 2 come before 1;
- a step cannot be unticked while a later ticked step depends on it;
- Level 2 courses need a course that opens Level 2; the Reps 2 route needs a course that opens
  Reps 2 (Bectu: not the Freelancer Reps 1 on its own).

The eligibility rules themselves (:func:`is_level2_eligible`, :func:`is_reps2_open`,
:func:`is_accredited`) live here too, so that status, reminders and validation agree.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from vault.errors import InvalidInput, NotFound, RefusedAction
from vault.training.dates import uk_date
from vault.training.profile import Course, RouteStep, UnionProfile

log = logging.getLogger(__name__)

MAX_COURSE_TITLE = 120
MAX_COURSE_DATES = 20
# Course dates further than this from today are almost certainly a typing slip.
_COURSE_DATE_WINDOW = dt.timedelta(days=3 * 366)


@dataclass(frozen=True)
class CourseCompletion:
    """A course the rep completed. ``name`` is the course's name when recorded (or the title the
    rep typed for a free-title course), so the record still reads after a change of union."""

    course_id: str
    name: str
    completed_on: dt.date
    # When the Education team updated the rep's record on the union's system, if known.
    education_updated_on: dt.date | None = None


@dataclass(frozen=True)
class StepTick:
    """A step of the Reps 2 route, done on a date."""

    step_id: str
    done_on: dt.date


@dataclass(frozen=True)
class TrainingRecord:
    """Everything the vault stores about the rep's training. Built empty, changed by the
    functions of this module, stored by the repository."""

    union_key: str | None = None
    courses: tuple[CourseCompletion, ...] = ()
    ticks: tuple[StepTick, ...] = ()
    course_dates: tuple[dt.date, ...] = ()

    def tick_date(self, step_id: str) -> dt.date | None:
        """The date the step was ticked, or None when it is not ticked."""
        return next((t.done_on for t in self.ticks if t.step_id == step_id), None)

    def is_ticked(self, step_id: str) -> bool:
        return any(t.step_id == step_id for t in self.ticks)

    def completions(self, course_id: str) -> tuple[CourseCompletion, ...]:
        """Every recorded completion of the course (several only for free-title courses)."""
        return tuple(c for c in self.courses if c.course_id == course_id)

    def has_completed_any(self, course_ids: Iterable[str]) -> bool:
        wanted = set(course_ids)
        return any(c.course_id in wanted for c in self.courses)


# --------------------------------------------------------------------------------------------
# Eligibility rules


def is_level2_eligible(profile: UnionProfile, record: TrainingRecord) -> bool:
    """True once the rep completed a course that opens Level 2 (Reps 1, Reps 1 (Freelancer)
    or the H&S rep course, per the profile).

    The Education team's update of the record is tracked and shown as outstanding, but does
    not gate eligibility: the rep cannot see the union's system and the next step of the route
    (being added to the training list) shows the update happened.
    """
    return record.has_completed_any(profile.level2_open_after)


def is_reps2_open(profile: UnionProfile, record: TrainingRecord) -> bool:
    """True when the rep completed a course that opens Reps 2 (Handling cases).

    Bectu: a rep whose only Reps 1 is the Freelancer course is eligible for Level 2 but Reps 2
    is not open to them, because ``reps1-freelancer`` is not in the profile's
    ``reps2.open_after``.
    """
    return record.has_completed_any(profile.reps2_open_after)


def has_qualifying_reps1(profile: UnionProfile, record: TrainingRecord) -> bool:
    """True when the rep completed a course that counts as Reps 1 for accreditation."""
    return record.has_completed_any(profile.accreditation_needs_one_of)


def is_accredited(profile: UnionProfile, record: TrainingRecord) -> bool:
    """An accredited case handler: a qualifying Reps 1, Reps 2 completed (attendance ticked),
    the tutor's feedback and the officer's sign-off recorded.

    The profile loader makes the sign-off require the tutor-feedback step, so a record built by
    :func:`tick_step` never has one without the other; checking both here keeps a record stored
    under an older profile from reading "Accredited" while the feedback is still outstanding.
    """
    return (has_qualifying_reps1(profile, record)
            and is_reps2_open(profile, record)
            and record.is_ticked(profile.attendance_step)
            and record.is_ticked(profile.tutor_feedback_step)
            and record.is_ticked(profile.sign_off_step))


def course_names(profile: UnionProfile, course_ids: Iterable[str]) -> str:
    """``Reps 1, Reps 1 (Freelancer) or How to be an effective H&S rep``."""
    return _or_list([profile.course_name(c) for c in course_ids])


# --------------------------------------------------------------------------------------------
# Changes


def choose_union(record: TrainingRecord, profile: UnionProfile) -> TrainingRecord:
    """The record under another union. Courses and ticks are kept: ids the new profile does not
    know are ignored by the status but stay on record, so switching back loses nothing."""
    return replace(record, union_key=profile.key)


def record_course(record: TrainingRecord, profile: UnionProfile, course_id: str,
                  on: dt.date, *, today: dt.date, title: str | None = None) -> TrainingRecord:
    """Record a completed course (recording it again changes its date).

    ``title`` is required for a free-title course ("Other Level 2 course") and refused for any
    other.

    Raises:
        NotFound: the profile has no such course.
        InvalidInput: the date is after today; a title is missing, too long or not allowed.
        RefusedAction: a Level 2 course while the rep is not yet eligible for Level 2.
    """
    course = _course(profile, course_id)
    _not_future(on, today, course.name)
    name = _course_title(course, title)
    if course.level == 2 and not is_level2_eligible(profile, record):
        raise RefusedAction(
            f"{course.name} is a Level 2 course: it opens once you have completed "
            f"{course_names(profile, profile.level2_open_after)}.")
    kept: list[CourseCompletion] = []
    previous: CourseCompletion | None = None
    for existing in record.courses:
        if existing.course_id == course.id and (not course.free_title or existing.name == name):
            previous = existing
        else:
            kept.append(existing)
    education = previous.education_updated_on if previous else None
    if education is not None and education < on:
        education = None  # the update was for the earlier date; it needs confirming again
    kept.append(CourseCompletion(course.id, name, on, education))
    log.info("training: course %s recorded", course.id)
    return replace(record, courses=tuple(kept))


def remove_course(record: TrainingRecord, profile: UnionProfile, course_id: str, *,
                  title: str | None = None) -> TrainingRecord:
    """Take a course off the record (a slip of the hand).

    Raises:
        NotFound: the course is not on the record.
        RefusedAction: removing it would leave recorded Level 2 courses or ticked route steps
            without the course that opened them.
    """
    matches = [c for c in record.courses
               if c.course_id == course_id and (title is None or c.name == _clean(title))]
    if not matches:
        raise NotFound(f"{profile.course_name(course_id)} is not on your training record.")
    if len(matches) > 1:
        raise InvalidInput(f"{profile.course_name(course_id)} is recorded more than once; "
                           "say which one by its title.")
    after = replace(record, courses=tuple(c for c in record.courses if c is not matches[0]))
    level2_recorded = [c for c in after.courses
                       if (course := profile.course(c.course_id)) and course.level == 2]
    if level2_recorded and not is_level2_eligible(profile, after):
        raise RefusedAction(f"Your Level 2 courses need {matches[0].name}; "
                            "remove them first.")
    if after.ticks and not is_reps2_open(profile, after) and is_reps2_open(profile, record):
        raise RefusedAction(f"Your Reps 2 route needs {matches[0].name}; "
                            "untick its steps first.")
    log.info("training: course %s removed", course_id)
    return after


def confirm_education_update(record: TrainingRecord, profile: UnionProfile, course_id: str,
                             on: dt.date, *, today: dt.date) -> TrainingRecord:
    """Record that the Education team updated the rep's record for a completed course.

    Raises:
        NotFound: the course is not on the record.
        InvalidInput: the date is after today or before the course was completed.
    """
    matches = record.completions(course_id)
    if not matches:
        raise NotFound(f"{profile.course_name(course_id)} is not on your training record.")
    _not_future(on, today, "The Education team's update")
    latest = max(matches, key=lambda c: c.completed_on)
    if on < latest.completed_on:
        raise InvalidInput(f"The Education team's update can't be dated before the course "
                           f"({uk_date(latest.completed_on)}).")
    courses = tuple(replace(c, education_updated_on=on) if c is latest else c
                    for c in record.courses)
    return replace(record, courses=courses)


def tick_step(record: TrainingRecord, profile: UnionProfile, step_id: str, on: dt.date, *,
              today: dt.date) -> TrainingRecord:
    """Tick a step of the Reps 2 route with the date it happened (ticking again changes it).

    Raises:
        NotFound: the route has no such step.
        InvalidInput: the date is after today, before a step it requires, after a ticked step
            that requires it, or before the first recorded course date (attendance only).
        RefusedAction: Reps 2 is not open to the rep, or a required step is not ticked yet.
    """
    step = _step(profile, step_id)
    _not_future(on, today, step.title)
    if not is_reps2_open(profile, record):
        raise RefusedAction(_reps2_closed_reason(profile, record))
    missing = [profile.step_title(r) for r in step.requires if not record.is_ticked(r)]
    if missing:
        raise RefusedAction(f"'{step.title}' can't be ticked before "
                            f"{_and_list([repr_title(m) for m in missing])}.")
    for required in step.requires:
        required_on = record.tick_date(required)
        if required_on is not None and on < required_on:
            raise InvalidInput(f"'{step.title}' can't be dated before "
                               f"'{profile.step_title(required)}' ({uk_date(required_on)}).")
    for later in _dependents(profile, step.id):
        later_on = record.tick_date(later.id)
        if later_on is not None and on > later_on:
            raise InvalidInput(f"'{step.title}' can't be dated after "
                               f"'{later.title}' ({uk_date(later_on)}).")
    if step.id == profile.attendance_step and record.course_dates and on < record.course_dates[0]:
        raise InvalidInput(f"'{step.title}' can't be dated before the course starts "
                           f"({uk_date(record.course_dates[0])}).")
    ticks = (*(t for t in record.ticks if t.step_id != step.id), StepTick(step.id, on))
    log.info("training: step %s ticked", step.id)
    return replace(record, ticks=_in_route_order(profile, ticks))


def untick_step(record: TrainingRecord, profile: UnionProfile, step_id: str) -> TrainingRecord:
    """Untick a step (a slip of the hand).

    Raises:
        NotFound: the route has no such step, or it is not ticked.
        RefusedAction: a ticked step depends on it; the reason lists them.
    """
    step = _step(profile, step_id)
    if not record.is_ticked(step.id):
        raise NotFound(f"'{step.title}' is not ticked.")
    blocking = [s.title for s in _dependents(profile, step.id) if record.is_ticked(s.id)]
    if blocking:
        raise RefusedAction(f"'{step.title}' can't be unticked while "
                            f"{_and_list([repr_title(b) for b in blocking])} "
                            f"{'is' if len(blocking) == 1 else 'are'} ticked; untick "
                            f"{'it' if len(blocking) == 1 else 'them'} first.")
    log.info("training: step %s unticked", step.id)
    return replace(record, ticks=tuple(t for t in record.ticks if t.step_id != step.id))


def set_course_dates(record: TrainingRecord, profile: UnionProfile,
                     dates: Sequence[dt.date], *, today: dt.date) -> TrainingRecord:
    """Record the Reps 2 course date(s), one per session (an empty list clears them).

    Dates may be in the future: they drive the course-resources and homework reminders.

    Raises:
        InvalidInput: too many dates, a date more than three years from today, or a first date
            after the attendance tick.
    """
    unique = tuple(sorted(set(dates)))
    if len(unique) > MAX_COURSE_DATES:
        raise InvalidInput(f"A course has at most {MAX_COURSE_DATES} session dates.")
    for day in unique:
        if abs(day - today) > _COURSE_DATE_WINDOW:
            raise InvalidInput(f"{uk_date(day)} is more than three years from today; "
                               "check the course date.")
    attended_on = record.tick_date(profile.attendance_step)
    if unique and attended_on is not None and attended_on < unique[0]:
        raise InvalidInput(f"The course can't start after you attended it "
                           f"({uk_date(attended_on)}).")
    return replace(record, course_dates=unique)


# --------------------------------------------------------------------------------------------
# Helpers


def repr_title(title: str) -> str:
    """A step title quoted for a sentence."""
    return f"'{title}'"


def _reps2_closed_reason(profile: UnionProfile, record: TrainingRecord) -> str:
    if is_level2_eligible(profile, record):
        return profile.reps2_not_open_wording
    return (f"{profile.reps2_course_name} opens once you have completed "
            f"{course_names(profile, profile.reps2_open_after)}.")


def _course(profile: UnionProfile, course_id: str) -> Course:
    course = profile.course(course_id)
    if course is None:
        raise NotFound(f"{profile.name} has no course '{course_id}'.")
    return course


def _step(profile: UnionProfile, step_id: str) -> RouteStep:
    step = profile.step(step_id)
    if step is None:
        raise NotFound(f"{profile.name}'s Reps 2 route has no step '{step_id}'.")
    return step


def _dependents(profile: UnionProfile, step_id: str) -> list[RouteStep]:
    """Steps that require ``step_id`` directly."""
    return [s for s in profile.route if step_id in s.requires]


def _in_route_order(profile: UnionProfile, ticks: Iterable[StepTick]) -> tuple[StepTick, ...]:
    order = {s.id: i for i, s in enumerate(profile.route)}
    return tuple(sorted(ticks, key=lambda t: (order.get(t.step_id, len(order)), t.step_id)))


def _not_future(on: dt.date, today: dt.date, what: str) -> None:
    if on > today:
        raise InvalidInput(f"{what} can't be dated in the future ({uk_date(on)} is after "
                           f"today, {uk_date(today)}).")


def _clean(title: str) -> str:
    return " ".join(title.split())


def _course_title(course: Course, title: str | None) -> str:
    if not course.free_title:
        if title is not None and _clean(title) not in ("", course.name):
            raise InvalidInput(f"{course.name} has a fixed name; a title is only for "
                               "courses the profile lists as 'other'.")
        return course.name
    cleaned = _clean(title or "")
    if not cleaned:
        raise InvalidInput(f"Give the title of the course for '{course.name}'.")
    if len(cleaned) > MAX_COURSE_TITLE:
        raise InvalidInput(f"A course title is at most {MAX_COURSE_TITLE} characters.")
    return cleaned


def _and_list(items: Sequence[str]) -> str:
    return _joined(items, "and")


def _or_list(items: Sequence[str]) -> str:
    return _joined(items, "or")


def _joined(items: Sequence[str], word: str) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {word} {items[-1]}"
