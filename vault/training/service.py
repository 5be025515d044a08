"""The training service: the one entry point the GUI and the command line use for training.

It holds the loaded union profiles, reads and writes the record through the repository, takes
"today" from the injected clock, and answers with dataclasses ready to show
(:class:`TrainingOverview`). It never commits: the caller wraps each call in a transaction.

The casework side asks :meth:`TrainingService.is_accredited_case_handler` (and
:meth:`TrainingService.personal_case_prompt` for the words) when a personal case is opened,
and :meth:`TrainingService.wording` for the body every escalation prompt names;
retention asks :meth:`TrainingService.retention_years` for the default archive period.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vault.clock import Clock
from vault.errors import InvalidInput, RefusedAction
from vault.training import record as rules
from vault.training.profile import UnionProfile
from vault.training.reminders import Reminder, reminders
from vault.training.repository import TrainingRepository
from vault.training.status import TrainingStatus, derive_status
from vault.training.union_wording import UnionWording, union_wording

log = logging.getLogger(__name__)

_NO_UNION_PROMPT = ("You have not recorded your training yet. For a personal case, involve an "
                    "accredited case handler and contact your union's regional office.")


@dataclass(frozen=True)
class StepView:
    """One step of the Reps 2 route as the Training page and the PDF show it."""

    id: str
    title: str
    explanation: str
    done_on: dt.date | None
    requires: tuple[str, ...]
    waiting_for: tuple[str, ...]  # titles of required steps not ticked yet
    is_next: bool
    is_sign_off: bool


@dataclass(frozen=True)
class CourseView:
    """A completed course. ``from_route`` marks Reps 2, which is complete when attendance is
    ticked rather than recorded as a course; ``in_profile`` is False for a course recorded under
    another union's profile."""

    id: str
    name: str
    level: int
    completed_on: dt.date
    education_updated_on: dt.date | None
    in_profile: bool = True
    from_route: bool = False


@dataclass(frozen=True)
class TrainingOverview:
    """Everything the Training page, ``training show`` and the training record PDF need."""

    profile: UnionProfile
    status: TrainingStatus
    courses: tuple[CourseView, ...]
    steps: tuple[StepView, ...]
    course_dates: tuple[dt.date, ...]
    reminders: tuple[Reminder, ...]
    today: dt.date

    def as_json(self) -> dict[str, Any]:
        """A JSON-ready summary (``training show --json``): ``status`` and ``next_step`` are
        the DOMAIN.md names; dates are ISO."""
        status = self.status
        return {
            "union": self.profile.key,
            "union_name": self.profile.name,
            "status": status.code.value,
            "headline": status.headline,
            "next_step": status.next_step_id,
            "next_step_title": status.next_step.title if status.next_step else None,
            "missing": list(status.missing),
            "accredited_case_handler": status.is_accredited_case_handler,
            "level2_eligible": status.level2_eligible,
            "reps2_open": status.reps2_open,
            "courses": [
                {"id": c.id, "name": c.name, "level": c.level,
                 "completed_on": c.completed_on.isoformat(),
                 "education_updated_on": _iso(c.education_updated_on)}
                for c in self.courses
            ],
            "steps": [
                {"id": s.id, "title": s.title, "done_on": _iso(s.done_on)} for s in self.steps
            ],
            "course_dates": [d.isoformat() for d in self.course_dates],
            "reminders": [
                {"step": r.step_id, "message": r.message, "due_on": _iso(r.due_on),
                 "overdue": r.overdue}
                for r in self.reminders
            ],
            "retention_years": self.profile.retention_years,
        }


class TrainingService:
    """Union choice, courses, the Reps 2 route and the derived status for this vault's rep."""

    def __init__(self, repository: TrainingRepository, profiles: Mapping[str, UnionProfile],
                 clock: Clock) -> None:
        self._repo = repository
        self._profiles = dict(profiles)
        self._clock = clock

    # -- profiles ---------------------------------------------------------------------------

    def profiles(self) -> list[UnionProfile]:
        """Every loaded profile, by name."""
        return sorted(self._profiles.values(), key=lambda p: p.name.casefold())

    def current_profile(self) -> UnionProfile | None:
        """The chosen union's profile; None when none is chosen or its file no longer loads."""
        key = self._repo.load().union_key
        return self._profiles.get(key) if key is not None else None

    def choose_union(self, name: str) -> UnionProfile:
        """Choose (or change) the union profile by key or name, ignoring case.

        The record is kept: courses and ticks the new profile does not know are ignored, not
        deleted.

        Raises:
            InvalidInput: no profile has that key or name; the message lists the known keys.
        """
        wanted = name.strip().casefold()
        for profile in self._profiles.values():
            if wanted in (profile.key, profile.name.casefold(), profile.full_name.casefold()):
                record = rules.choose_union(self._repo.load(), profile)
                self._repo.save(record)
                log.info("training: union profile set to %s", profile.key)
                return profile
        known = ", ".join(sorted(self._profiles)) or "none"
        raise InvalidInput(f"There is no union profile called '{name.strip()[:40]}'. "
                           f"Known: {known}.")

    def wording(self) -> UnionWording:
        """How prompts name the body to tell (the chosen union's words; neutral before a
        choice). Never raises."""
        return union_wording(self.current_profile())

    def retention_years(self) -> int | None:
        """The chosen union's default archive period in years, or None before a choice."""
        profile = self.current_profile()
        return profile.retention_years if profile else None

    # -- changes ----------------------------------------------------------------------------

    def record(self, item_id: str, on: dt.date | None = None, *,
               title: str | None = None) -> TrainingOverview:
        """Record a course (``reps1``, ``hs-rep``, …) or tick a route step (``attended``, …)
        on ``on`` (default: today). ``title`` names a free-title ("other") course.

        Raises:
            RefusedAction: no union chosen; or a rule refuses it (see ``record.tick_step`` and
                ``record.record_course``), with the reason.
            InvalidInput: unknown id (the message lists the known ones), or a bad date/title.
        """
        profile, record = self._loaded()
        today = self._clock.today()
        day = on or today
        item = _normalise(item_id)
        if profile.course(item) is not None:
            record = rules.record_course(record, profile, item, day, today=today, title=title)
        elif profile.step(item) is not None:
            if title is not None:
                raise InvalidInput("A title is only for courses, not for route steps.")
            record = rules.tick_step(record, profile, item, day, today=today)
        else:
            raise self._unknown(profile, item_id)
        self._repo.save(record)
        return self._overview(profile, record)

    def untick(self, item_id: str, *, title: str | None = None) -> TrainingOverview:
        """Take a course off the record or untick a step.

        Raises:
            RefusedAction: no union chosen, or later entries depend on it (the reason says which).
            NotFound: it is not recorded.
            InvalidInput: unknown id.
        """
        profile, record = self._loaded()
        item = _normalise(item_id)
        if profile.course(item) is not None or record.completions(item):
            record = rules.remove_course(record, profile, item, title=title)
        elif profile.step(item) is not None:
            record = rules.untick_step(record, profile, item)
        else:
            raise self._unknown(profile, item_id)
        self._repo.save(record)
        return self._overview(profile, record)

    def confirm_education_update(self, course_id: str,
                                 on: dt.date | None = None) -> TrainingOverview:
        """Record that the Education team updated the rep's record for a course (default today).

        Raises:
            RefusedAction: no union chosen.
            NotFound: the course is not on the record.
            InvalidInput: the date is in the future or before the course.
        """
        profile, record = self._loaded()
        today = self._clock.today()
        record = rules.confirm_education_update(record, profile, _normalise(course_id),
                                                on or today, today=today)
        self._repo.save(record)
        return self._overview(profile, record)

    def set_course_dates(self, dates: Sequence[dt.date]) -> TrainingOverview:
        """Record the Reps 2 course date(s), one per session; an empty list clears them.

        Raises:
            RefusedAction: no union chosen.
            InvalidInput: see ``record.set_course_dates``.
        """
        profile, record = self._loaded()
        record = rules.set_course_dates(record, profile, dates, today=self._clock.today())
        self._repo.save(record)
        return self._overview(profile, record)

    # -- reading ----------------------------------------------------------------------------

    def show(self) -> TrainingOverview:
        """The whole picture: status, courses, route with dates, reminders.

        Raises:
            RefusedAction: no union chosen yet (the message lists the known profiles).
        """
        profile, record = self._loaded()
        return self._overview(profile, record)

    def status(self) -> TrainingStatus:
        """The derived status. Raises RefusedAction when no union is chosen."""
        profile, record = self._loaded()
        return derive_status(profile, record)

    def reminders(self) -> list[Reminder]:
        """Reminders due today; empty before a union is chosen. Never raises for that."""
        profile = self.current_profile()
        if profile is None:
            return []
        return reminders(profile, self._repo.load(), self._clock.today())

    def is_accredited_case_handler(self) -> bool:
        """True only for an accredited case handler under the chosen union; False before a
        union is chosen, so the casework side prompts rather than stays silent."""
        profile = self.current_profile()
        if profile is None:
            return False
        return rules.is_accredited(profile, self._repo.load())

    def personal_case_prompt(self) -> str | None:
        """What to tell a rep who opens a personal case: None for an accredited case handler,
        otherwise the union's wording on involving an accredited case handler."""
        profile = self.current_profile()
        if profile is None:
            return _NO_UNION_PROMPT
        if rules.is_accredited(profile, self._repo.load()):
            return None
        return profile.not_accredited_prompt

    # -- helpers ----------------------------------------------------------------------------

    def _loaded(self) -> tuple[UnionProfile, rules.TrainingRecord]:
        record = self._repo.load()
        profile = self._profiles.get(record.union_key) if record.union_key else None
        if profile is None:
            known = ", ".join(sorted(self._profiles)) or "none"
            raise RefusedAction(f"Choose your union profile first (known: {known}).")
        return profile, record

    def _unknown(self, profile: UnionProfile, item_id: str) -> InvalidInput:
        return InvalidInput(f"'{item_id.strip()[:40]}' is not a course or step of "
                            f"{profile.name}'s profile. Known: {', '.join(profile.known_ids)}.")

    def _overview(self, profile: UnionProfile,
                  record: rules.TrainingRecord) -> TrainingOverview:
        today = self._clock.today()
        status = derive_status(profile, record)
        return TrainingOverview(
            profile=profile,
            status=status,
            courses=_course_views(profile, record),
            steps=_step_views(profile, record, status),
            course_dates=record.course_dates,
            reminders=tuple(reminders(profile, record, today)),
            today=today,
        )


def _course_views(profile: UnionProfile,
                  record: rules.TrainingRecord) -> tuple[CourseView, ...]:
    views: list[CourseView] = []
    for completion in record.courses:
        course = profile.course(completion.course_id)
        views.append(CourseView(
            id=completion.course_id,
            name=completion.name if course is None or course.free_title else course.name,
            level=course.level if course else 0,
            completed_on=completion.completed_on,
            education_updated_on=completion.education_updated_on,
            in_profile=course is not None,
        ))
    attended_on = record.tick_date(profile.attendance_step)
    if attended_on is not None and rules.is_reps2_open(profile, record):
        views.append(CourseView(
            id=profile.attendance_step, name=profile.reps2_course_name, level=2,
            completed_on=attended_on, education_updated_on=None, from_route=True))
    views.sort(key=lambda v: (v.completed_on, v.name))
    return tuple(views)


def _step_views(profile: UnionProfile, record: rules.TrainingRecord,
                status: TrainingStatus) -> tuple[StepView, ...]:
    next_id = status.next_step_id if status.next_step and not status.next_step.is_course else None
    return tuple(
        StepView(
            id=step.id,
            title=step.title,
            explanation=step.explanation,
            done_on=record.tick_date(step.id),
            requires=step.requires,
            waiting_for=tuple(profile.step_title(r) for r in step.requires
                              if not record.is_ticked(r)),
            is_next=step.id == next_id,
            is_sign_off=step.id == profile.sign_off_step,
        )
        for step in profile.route
    )


def _normalise(item_id: str) -> str:
    return item_id.strip().casefold()


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
