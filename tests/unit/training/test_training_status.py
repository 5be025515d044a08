"""The derived status: every step of the route, for every profile, and the eligibility rules."""

from __future__ import annotations

import datetime as dt

import pytest

from vault.training.codes import StatusCode
from vault.training.profile import UnionProfile
from vault.training.record import (
    TrainingRecord,
    choose_union,
    confirm_education_update,
    record_course,
    tick_step,
)
from vault.training.status import derive_status

TODAY = dt.date(2026, 11, 23)
NE, EL2, NOPEN = StatusCode.NOT_ELIGIBLE, StatusCode.ELIGIBLE_LEVEL2, StatusCode.REPS2_NOT_OPEN
PROG, WAIT, ACC = (StatusCode.REPS2_IN_PROGRESS, StatusCode.AWAITING_SIGN_OFF,
                   StatusCode.ACCREDITED)

# The status after ticking the first k steps of each profile's route, k = 0, 1, 2, ...
FULL_ROUTE = [EL2] + [PROG] * 10 + [WAIT] + [ACC] * 3
EXPECTED_ALONG_ROUTE = {
    # Bectu: the dedicated officer returning the tutor feedback is a step of its own (seed 8).
    "bectu": [EL2] + [PROG] * 11 + [WAIT] + [ACC] * 3,
    # Prospect: two accreditation letters, two ticks after the records update (seed 11).
    "prospect": [EL2] + [PROG] * 10 + [WAIT] + [ACC] * 4,
    "ucu": FULL_ROUTE,
    # custom: reps2-listed, letter1, dates-accepted, resources-received, attended, homework 1
    # and 2, tutor-feedback, officer-follow-up, officer-signed-off, letters-received.
    "custom": [EL2] + [PROG] * 8 + [WAIT] + [ACC] * 2,
}


def start(profile: UnionProfile, *courses: str) -> TrainingRecord:
    record = TrainingRecord(union_key=profile.key)
    for i, course_id in enumerate(courses):
        record = record_course(record, profile, course_id, dt.date(2025, 1, 10 + i), today=TODAY)
    return record


def tick_first(profile: UnionProfile, record: TrainingRecord, count: int) -> TrainingRecord:
    day = dt.date(2026, 2, 1)
    for step in profile.route[:count]:
        record = tick_step(record, profile, step.id, day, today=TODAY)
        day += dt.timedelta(days=3)
    return record


@pytest.mark.parametrize("key", sorted(EXPECTED_ALONG_ROUTE))
def test_status_at_every_step_of_the_route(profiles: dict[str, UnionProfile], key: str) -> None:
    profile = profiles[key]
    expected = EXPECTED_ALONG_ROUTE[key]
    assert len(expected) == len(profile.route) + 1
    for count, code in enumerate(expected):
        status = derive_status(profile, tick_first(profile, start(profile, "reps1"), count))
        assert status.code is code, (key, count)
        assert status.is_accredited_case_handler is (code is ACC)
        if code is WAIT:
            assert status.next_step_id == profile.sign_off_step
            assert status.missing_steps == (f"{profile.step_title(profile.sign_off_step)} "
                                            "(not ticked yet).",)
        elif count < len(profile.route):
            assert status.next_step_id == profile.route[count].id
            assert status.next_step is not None
            assert status.next_step.explanation == profile.route[count].explanation
        else:
            assert status.next_step is None
        if code is PROG:
            assert profile.route[count].title in status.headline
            assert status.explanation == profile.route[count].explanation
        if code is ACC:
            assert status.missing == ()
            assert status.explanation == profile.accredited_wording


@pytest.mark.parametrize("key", ["bectu", "custom", "prospect", "ucu"])
def test_nothing_recorded_is_not_eligible(profiles: dict[str, UnionProfile], key: str) -> None:
    profile = profiles[key]
    status = derive_status(profile, TrainingRecord(union_key=key))
    assert status.code is NE
    assert status.headline == "Not yet eligible for Level 2 courses"
    assert status.next_step is not None and status.next_step.is_course
    assert status.next_step_id == "reps1"
    assert status.explanation == profile.level2_wording
    assert not status.level2_eligible and not status.reps2_open
    assert status.missing[0].startswith("Complete Reps 1")


@pytest.mark.parametrize("key", ["bectu", "custom", "prospect", "ucu"])
@pytest.mark.parametrize("course", ["reps1", "hs-rep"])
def test_reps1_or_hs_course_opens_level2_and_reps2(profiles: dict[str, UnionProfile], key: str,
                                                    course: str) -> None:
    status = derive_status(profiles[key], start(profiles[key], course))
    assert status.code is EL2
    assert status.level2_eligible and status.reps2_open
    assert status.next_step_id == "reps2-listed"


def test_bectu_freelancer_only_is_eligible_for_level2_but_reps2_not_open(
        profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    status = derive_status(bectu, start(bectu, "reps1-freelancer"))
    assert status.code is NOPEN
    assert status.level2_eligible and not status.reps2_open
    assert status.headline == "Reps 2 is not open to you"
    assert status.explanation == bectu.reps2_not_open_wording
    assert "Freelancer" in status.explanation
    assert status.next_step is None
    assert not status.is_accredited_case_handler


def test_bectu_freelancer_who_also_completes_reps1_can_take_reps2(
        profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    status = derive_status(bectu, start(bectu, "reps1-freelancer", "reps1"))
    assert status.code is EL2
    assert status.reps2_open


def test_freelancer_course_unknown_to_prospect_is_ignored_after_switching(
        profiles: dict[str, UnionProfile]) -> None:
    record = start(profiles["bectu"], "reps1-freelancer")
    moved = choose_union(record, profiles["prospect"])
    assert moved.courses == record.courses  # kept on record, not deleted
    assert derive_status(profiles["prospect"], moved).code is NE


def test_prospect_recommends_reps2_in_its_own_words(profiles: dict[str, UnionProfile]) -> None:
    prospect = profiles["prospect"]
    status = derive_status(prospect, start(prospect, "reps1"))
    assert status.code is EL2
    assert status.explanation.startswith("Recommended if you want accreditation")
    assert status.missing_steps == ("Reps 2 (Handling cases): the route has not started.",)


def test_bectu_says_reps2_is_needed_not_recommended(profiles: dict[str, UnionProfile]) -> None:
    status = derive_status(profiles["bectu"], start(profiles["bectu"], "reps1"))
    assert "you will need to complete Reps 2" in status.explanation
    assert "ecommended" not in status.explanation


def test_hs_rep_only_is_not_accredited_even_when_signed_off(
        profiles: dict[str, UnionProfile]) -> None:
    prospect = profiles["prospect"]
    record = tick_first(prospect, start(prospect, "hs-rep"), len(prospect.route))
    status = derive_status(prospect, record)
    assert status.code is PROG
    assert not status.is_accredited_case_handler
    assert status.next_step_id == "reps1"
    assert status.next_step is not None and status.next_step.is_course
    assert any("Accreditation needs Reps 1" in m for m in status.missing)
    # Completing Reps 1 later makes the rep accredited.
    record = record_course(record, prospect, "reps1", dt.date(2026, 11, 1), today=TODAY)
    assert derive_status(prospect, record).code is ACC


def test_homework_out_of_order_still_reaches_awaiting_sign_off(
        profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    record = start(bectu, "reps1")
    for step_id in ("reps2-listed", "cohort-formed", "letter1", "dates-accepted", "attended",
                    "homework2-marked",
                    "homework1-marked", "action-plan", "tutor-feedback", "feedback-returned",
                    "officer-follow-up"):
        record = tick_step(record, bectu, step_id, dt.date(2026, 3, 1), today=TODAY)
    status = derive_status(bectu, record)
    assert status.code is WAIT
    assert status.next_step_id == "officer-signed-off"
    assert status.headline == "Awaiting the officer's sign-off"
    # Steps not needed for the sign-off but not ticked are still listed as missing.
    assert "Course resources received (not ticked yet)." in status.missing_steps


def test_education_update_is_listed_until_confirmed_or_route_started(
        profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    record = start(bectu, "reps1")
    assert bectu.education_update_wording in derive_status(bectu, record).missing_other
    confirmed = confirm_education_update(record, bectu, "reps1", dt.date(2025, 2, 1),
                                         today=TODAY)
    assert bectu.education_update_wording not in derive_status(bectu, confirmed).missing
    listed = tick_step(record, bectu, "reps2-listed", dt.date(2025, 3, 1), today=TODAY)
    assert bectu.education_update_wording not in derive_status(bectu, listed).missing


def test_custom_profile_headline_override(profiles: dict[str, UnionProfile]) -> None:
    custom = profiles["custom"]
    status = derive_status(custom, tick_first(custom, start(custom, "reps1"), 1))
    assert status.headline == "Working towards accreditation (next: Invitation received)"


def test_status_codes_are_the_domain_names() -> None:
    assert [c.value for c in StatusCode] == [
        "not-eligible", "eligible-level2", "reps2-not-open", "reps2-in-progress",
        "awaiting-sign-off", "accredited"]
