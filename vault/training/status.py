"""The derived accreditation status: never stored, never typed in, always worked out afresh.

:func:`derive_status` reads the union profile and the training record and says where the rep
stands (one of the :class:`StatusCode` values), what comes next and what is missing, in the
profile's words. It is a pure function: the same profile and record always give the same status.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from vault.training.codes import StatusCode
from vault.training.profile import RouteStep, UnionProfile, prerequisites_closure
from vault.training.record import (
    TrainingRecord,
    course_names,
    has_qualifying_reps1,
    is_accredited,
    is_level2_eligible,
    is_reps2_open,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NextStep:
    """What the rep should do next: a step of the route, or a course to complete."""

    id: str
    title: str
    explanation: str
    is_course: bool = False


@dataclass(frozen=True)
class TrainingStatus:
    """Where the rep stands. ``headline`` and ``explanation`` are ready to show as they are."""

    code: StatusCode
    headline: str
    explanation: str
    next_step: NextStep | None
    # What stands between the rep and accreditation: route steps not ticked yet (up to the
    # sign-off), then everything else (a course, the Education team's update).
    missing_steps: tuple[str, ...]
    missing_other: tuple[str, ...]
    is_accredited_case_handler: bool
    level2_eligible: bool
    reps2_open: bool

    @property
    def next_step_id(self) -> str | None:
        return self.next_step.id if self.next_step is not None else None

    @property
    def missing(self) -> tuple[str, ...]:
        """Everything missing, steps first, one sentence each."""
        return self.missing_steps + self.missing_other


def derive_status(profile: UnionProfile, record: TrainingRecord) -> TrainingStatus:
    """Work out the rep's status under ``profile``.

    - ``not-eligible``: no course that opens Level 2 yet;
    - ``reps2-not-open``: eligible for Level 2, but no course that opens Reps 2 (Bectu: the
      Freelancer Reps 1 only);
    - ``eligible-level2``: Reps 2 is open and its route not started;
    - ``reps2-in-progress``: the route is started, the sign-off is not yet due (or the sign-off
      is recorded but a qualifying Reps 1 is still missing);
    - ``awaiting-sign-off``: every step the sign-off requires is ticked, the sign-off is not;
    - ``accredited``: a qualifying Reps 1, attendance and sign-off recorded.

    Ticks and courses the profile does not know (after a change of union) are ignored.
    Never raises.
    """
    level2 = is_level2_eligible(profile, record)
    reps2 = is_reps2_open(profile, record)
    accredited = is_accredited(profile, record)

    if not level2:
        code = StatusCode.NOT_ELIGIBLE
        first = _first_entry_course(profile)
        next_step: NextStep | None = NextStep(
            first, profile.course_name(first), profile.level2_wording, is_course=True)
        explanation = profile.level2_wording
        missing_steps: list[str] = []
        missing = [f"Complete {course_names(profile, profile.level2_open_after)}."]
    elif not reps2:
        code = StatusCode.REPS2_NOT_OPEN
        next_step = None
        explanation = profile.reps2_not_open_wording
        missing_steps = []
        missing = [f"{profile.reps2_course_name} needs "
                   f"{course_names(profile, profile.reps2_open_after)}."]
    else:
        code, next_step, missing_steps, missing = _route_status(profile, record, accredited)
        explanation = {
            StatusCode.ELIGIBLE_LEVEL2: profile.reps2_wording,
            StatusCode.ACCREDITED: profile.accredited_wording,
        }.get(code, next_step.explanation if next_step else profile.reps2_wording)

    if level2 and not _education_update_seen(profile, record):
        missing.append(profile.education_update_wording)

    headline = profile.headline(code).replace(
        "{next_step}", next_step.title if next_step else "none")
    return TrainingStatus(
        code=code,
        headline=headline,
        explanation=explanation,
        next_step=next_step,
        missing_steps=tuple(missing_steps),
        missing_other=tuple(missing),
        is_accredited_case_handler=accredited,
        level2_eligible=level2,
        reps2_open=reps2,
    )


def _route_status(
    profile: UnionProfile, record: TrainingRecord, accredited: bool,
) -> tuple[StatusCode, NextStep | None, list[str], list[str]]:
    """Status, next step, steps missing and other things missing once Reps 2 is open."""
    unticked = [s for s in profile.route if not record.is_ticked(s.id)]
    first_unticked = _as_next(unticked[0]) if unticked else None
    if accredited:
        return StatusCode.ACCREDITED, first_unticked, [], []

    sign_off = profile.step(profile.sign_off_step)
    assert sign_off is not None  # the profile loader guarantees the sign-off step exists
    sign_off_index = profile.route.index(sign_off)
    steps = [f"{s.title} (not ticked yet)." for s in unticked
             if profile.route.index(s) <= sign_off_index]
    missing: list[str] = []
    if not has_qualifying_reps1(profile, record):
        missing.append(f"Accreditation needs "
                       f"{course_names(profile, profile.accreditation_needs_one_of)} "
                       f"as well as {profile.reps2_course_name}.")

    if not any(record.is_ticked(s.id) for s in profile.route):
        not_started = [f"{profile.reps2_course_name}: the route has not started."]
        return StatusCode.ELIGIBLE_LEVEL2, first_unticked, not_started, missing

    if record.is_ticked(sign_off.id):
        # Signed off but not accredited: only a qualifying Reps 1 can be missing, since the
        # sign-off cannot be ticked before attendance.
        first = profile.accreditation_needs_one_of[0]
        course_next = NextStep(first, profile.course_name(first), profile.accredited_wording,
                               is_course=True)
        return StatusCode.REPS2_IN_PROGRESS, course_next, steps, missing

    before_sign_off = prerequisites_closure(profile, sign_off.id)
    if all(record.is_ticked(step_id) for step_id in before_sign_off):
        return StatusCode.AWAITING_SIGN_OFF, _as_next(sign_off), steps, missing
    return StatusCode.REPS2_IN_PROGRESS, first_unticked, steps, missing


def _as_next(step: RouteStep) -> NextStep:
    return NextStep(step.id, step.title, step.explanation)


def _first_entry_course(profile: UnionProfile) -> str:
    """The course to suggest first: one that opens Reps 2 and counts for accreditation."""
    for course_id in profile.level2_open_after:
        if (course_id in profile.reps2_open_after
                and course_id in profile.accreditation_needs_one_of):
            return course_id
    return profile.level2_open_after[0]


def _education_update_seen(profile: UnionProfile, record: TrainingRecord) -> bool:
    """True once the Education team is known to have updated the record: confirmed on an
    entry course, or implied by any tick on the Reps 2 route (the rep is on the list)."""
    if any(c.education_updated_on is not None for c in record.courses
           if c.course_id in profile.level2_open_after):
        return True
    return any(record.is_ticked(s.id) for s in profile.route)
