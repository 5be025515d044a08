"""The rules for changing the training record: order, dates, eligibility, unticking."""

from __future__ import annotations

import datetime as dt

import pytest

from vault.errors import InvalidInput, NotFound, RefusedAction
from vault.training.profile import UnionProfile
from vault.training.record import (
    TrainingRecord,
    confirm_education_update,
    is_accredited,
    record_course,
    remove_course,
    set_course_dates,
    tick_step,
    untick_step,
)

TODAY = dt.date(2026, 11, 23)
KEYS = ["bectu", "custom", "prospect", "ucu"]


def with_course(profile: UnionProfile, course_id: str = "reps1") -> TrainingRecord:
    return record_course(TrainingRecord(union_key=profile.key), profile, course_id,
                         dt.date(2025, 1, 10), today=TODAY)


def ticked(profile: UnionProfile, record: TrainingRecord, *steps: str,
           on: dt.date = dt.date(2026, 3, 1)) -> TrainingRecord:
    for step_id in steps:
        if profile.step(step_id) is None:
            continue  # a step this profile leaves out (the custom example has no cohort step)
        record = tick_step(record, profile, step_id, on, today=TODAY)
    return record


UP_TO_ATTENDED = ("reps2-listed", "cohort-formed", "letter1", "dates-accepted", "attended")


@pytest.mark.parametrize("key", KEYS)
def test_sign_off_before_attendance_is_refused_with_the_reason(
        profiles: dict[str, UnionProfile], key: str) -> None:
    profile = profiles[key]
    record = ticked(profile, with_course(profile), "reps2-listed", "cohort-formed", "letter1",
                    "dates-accepted")
    with pytest.raises(RefusedAction) as caught:
        tick_step(record, profile, "officer-signed-off", dt.date(2026, 3, 2), today=TODAY)
    message = str(caught.value)
    assert f"'{profile.step_title('officer-signed-off')}' can't be ticked before" in message
    assert profile.step_title("attended") in message or \
        profile.step_title("homework1-marked") in message


@pytest.mark.parametrize("key", KEYS)
def test_homework_sheet_2_may_be_marked_before_sheet_1(
        profiles: dict[str, UnionProfile], key: str) -> None:
    profile = profiles[key]
    record = ticked(profile, with_course(profile), *UP_TO_ATTENDED)
    record = tick_step(record, profile, "homework2-marked", dt.date(2026, 3, 5), today=TODAY)
    record = tick_step(record, profile, "homework1-marked", dt.date(2026, 3, 9), today=TODAY)
    assert record.tick_date("homework2-marked") == dt.date(2026, 3, 5)
    assert record.tick_date("homework1-marked") == dt.date(2026, 3, 9)


def test_attendance_before_dates_accepted_is_refused(profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    record = ticked(bectu, with_course(bectu), "reps2-listed")
    with pytest.raises(RefusedAction, match="before 'Training dates offered and accepted'"):
        tick_step(record, bectu, "attended", dt.date(2026, 3, 1), today=TODAY)


def test_resources_not_received_do_not_block_attendance(
        profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    record = ticked(bectu, with_course(bectu), *UP_TO_ATTENDED)
    assert not record.is_ticked("resources-received")
    assert record.is_ticked("attended")


@pytest.mark.parametrize("key", KEYS)
def test_completed_step_cannot_be_dated_in_the_future(
        profiles: dict[str, UnionProfile], key: str) -> None:
    profile = profiles[key]
    with pytest.raises(InvalidInput, match=r"can't be dated in the future \(24 Nov 2026 is after "
                                           r"today, 23 Nov 2026\)"):
        tick_step(with_course(profile), profile, "reps2-listed", TODAY + dt.timedelta(days=1),
                  today=TODAY)
    # Today itself is fine.
    record = tick_step(with_course(profile), profile, "reps2-listed", TODAY, today=TODAY)
    assert record.tick_date("reps2-listed") == TODAY


def test_completed_course_cannot_be_dated_in_the_future(
        profiles: dict[str, UnionProfile]) -> None:
    ucu = profiles["ucu"]
    with pytest.raises(InvalidInput, match="in the future"):
        record_course(TrainingRecord(union_key="ucu"), ucu, "reps1", dt.date(2027, 1, 1),
                      today=TODAY)


def test_step_cannot_be_dated_before_the_step_it_requires(
        profiles: dict[str, UnionProfile]) -> None:
    prospect = profiles["prospect"]
    record = ticked(prospect, with_course(prospect), *UP_TO_ATTENDED, on=dt.date(2026, 3, 10))
    with pytest.raises(InvalidInput,
                       match=r"can't be dated before 'Reps 2 course attended' \(10 Mar 2026\)"):
        tick_step(record, prospect, "homework1-marked", dt.date(2026, 3, 9), today=TODAY)


def test_retick_cannot_move_a_step_after_a_step_that_requires_it(
        profiles: dict[str, UnionProfile]) -> None:
    prospect = profiles["prospect"]
    record = ticked(prospect, with_course(prospect), "reps2-listed", "cohort-formed", "letter1",
                    on=dt.date(2026, 2, 1))
    record = ticked(prospect, record, "dates-accepted", "attended", on=dt.date(2026, 3, 10))
    with pytest.raises(InvalidInput, match="can't be dated after 'Reps 2 course attended'"):
        tick_step(record, prospect, "dates-accepted", dt.date(2026, 3, 11), today=TODAY)
    moved = tick_step(record, prospect, "dates-accepted", dt.date(2026, 3, 1), today=TODAY)
    assert moved.tick_date("dates-accepted") == dt.date(2026, 3, 1)
    assert len(moved.ticks) == len(record.ticks)


def test_route_is_refused_before_any_entry_course(profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    with pytest.raises(RefusedAction, match="opens once you have completed Reps 1 or How to be"):
        tick_step(TrainingRecord(union_key="bectu"), bectu, "reps2-listed", dt.date(2026, 1, 1),
                  today=TODAY)


def test_bectu_route_is_refused_to_a_freelancer_only_rep(
        profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    record = with_course(bectu, "reps1-freelancer")
    with pytest.raises(RefusedAction) as caught:
        tick_step(record, bectu, "reps2-listed", dt.date(2026, 1, 1), today=TODAY)
    assert str(caught.value) == bectu.reps2_not_open_wording


def test_freelancer_rep_may_still_record_other_level2_courses(
        profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    record = record_course(with_course(bectu, "reps1-freelancer"), bectu, "level2-other",
                           dt.date(2025, 6, 1), today=TODAY, title="  Pensions   for reps ")
    assert [c.name for c in record.completions("level2-other")] == ["Pensions for reps"]


def test_level2_course_is_refused_before_eligibility(profiles: dict[str, UnionProfile]) -> None:
    prospect = profiles["prospect"]
    with pytest.raises(RefusedAction, match="is a Level 2 course: it opens once"):
        record_course(TrainingRecord(union_key="prospect"), prospect, "level2-other",
                      dt.date(2025, 6, 1), today=TODAY, title="Pensions")


def test_free_title_course_needs_a_title_and_fixed_course_refuses_one(
        profiles: dict[str, UnionProfile]) -> None:
    prospect = profiles["prospect"]
    record = with_course(prospect)
    with pytest.raises(InvalidInput, match="Give the title"):
        record_course(record, prospect, "level2-other", dt.date(2025, 6, 1), today=TODAY)
    with pytest.raises(InvalidInput, match="at most 120"):
        record_course(record, prospect, "level2-other", dt.date(2025, 6, 1), today=TODAY,
                      title="x" * 121)
    with pytest.raises(InvalidInput, match="fixed name"):
        record_course(record, prospect, "hs-rep", dt.date(2025, 6, 1), today=TODAY,
                      title="Something else")


def test_free_title_courses_accumulate_and_fixed_courses_are_replaced(
        profiles: dict[str, UnionProfile]) -> None:
    prospect = profiles["prospect"]
    record = with_course(prospect)
    for title in ("Pensions", "Equality"):
        record = record_course(record, prospect, "level2-other", dt.date(2025, 6, 1),
                               today=TODAY, title=title)
    record = record_course(record, prospect, "reps1", dt.date(2025, 2, 2), today=TODAY)
    assert len(record.completions("level2-other")) == 2
    assert [c.completed_on for c in record.completions("reps1")] == [dt.date(2025, 2, 2)]


def test_unknown_ids_are_not_found(profiles: dict[str, UnionProfile]) -> None:
    ucu = profiles["ucu"]
    with pytest.raises(NotFound):
        record_course(TrainingRecord(union_key="ucu"), ucu, "reps1-freelancer",
                      dt.date(2025, 1, 1), today=TODAY)
    with pytest.raises(NotFound):
        tick_step(with_course(ucu), ucu, "sign-off", dt.date(2025, 1, 1), today=TODAY)


def test_untick_is_refused_while_a_later_step_depends_on_it(
        profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    record = ticked(bectu, with_course(bectu), *UP_TO_ATTENDED, "homework1-marked")
    with pytest.raises(RefusedAction,
                       match="while 'Homework sheet 1 marked' is ticked; untick it first"):
        untick_step(record, bectu, "attended")
    record = untick_step(record, bectu, "homework1-marked")
    record = untick_step(record, bectu, "attended")
    assert not record.is_ticked("attended")
    with pytest.raises(NotFound, match="is not ticked"):
        untick_step(record, bectu, "attended")


def test_removing_the_course_behind_the_route_is_refused(
        profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    record = ticked(bectu, with_course(bectu), "reps2-listed")
    with pytest.raises(RefusedAction, match="untick its steps first"):
        remove_course(record, bectu, "reps1")
    with pytest.raises(NotFound):
        remove_course(record, bectu, "hs-rep")
    cleared = remove_course(untick_step(record, bectu, "reps2-listed"), bectu, "reps1")
    assert cleared.courses == ()


def test_removing_the_course_behind_level2_courses_is_refused(
        profiles: dict[str, UnionProfile]) -> None:
    prospect = profiles["prospect"]
    record = record_course(with_course(prospect), prospect, "level2-other",
                           dt.date(2025, 6, 1), today=TODAY, title="Pensions")
    with pytest.raises(RefusedAction, match="Level 2 courses need Reps 1"):
        remove_course(record, prospect, "reps1")
    record = remove_course(record, prospect, "level2-other", title="Pensions")
    assert remove_course(record, prospect, "reps1").courses == ()


def test_education_update_rules(profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    record = with_course(bectu)
    with pytest.raises(InvalidInput, match=r"before the course \(10 Jan 2025\)"):
        confirm_education_update(record, bectu, "reps1", dt.date(2025, 1, 9), today=TODAY)
    with pytest.raises(InvalidInput, match="in the future"):
        confirm_education_update(record, bectu, "reps1", dt.date(2027, 1, 9), today=TODAY)
    with pytest.raises(NotFound):
        confirm_education_update(record, bectu, "hs-rep", dt.date(2025, 2, 1), today=TODAY)
    updated = confirm_education_update(record, bectu, "reps1", dt.date(2025, 2, 1), today=TODAY)
    assert updated.completions("reps1")[0].education_updated_on == dt.date(2025, 2, 1)
    # Re-recording the course later than the update means the update needs confirming again.
    redone = record_course(updated, bectu, "reps1", dt.date(2025, 3, 1), today=TODAY)
    assert redone.completions("reps1")[0].education_updated_on is None


def test_course_dates_rules(profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    record = with_course(bectu)
    later = set_course_dates(record, bectu, [dt.date(2027, 2, 9), dt.date(2027, 2, 2),
                                             dt.date(2027, 2, 9)], today=TODAY)
    assert later.course_dates == (dt.date(2027, 2, 2), dt.date(2027, 2, 9))
    assert set_course_dates(later, bectu, [], today=TODAY).course_dates == ()
    with pytest.raises(InvalidInput, match="more than three years"):
        set_course_dates(record, bectu, [dt.date(2036, 1, 1)], today=TODAY)
    with pytest.raises(InvalidInput, match="at most 20"):
        set_course_dates(record, bectu, [TODAY + dt.timedelta(days=i) for i in range(21)],
                         today=TODAY)


def test_attendance_and_course_dates_must_agree(profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    record = ticked(bectu, with_course(bectu), "reps2-listed", "cohort-formed", "letter1",
                    "dates-accepted")
    dated = set_course_dates(record, bectu, [dt.date(2026, 5, 4)], today=TODAY)
    with pytest.raises(InvalidInput, match=r"before the course starts \(4 May 2026\)"):
        tick_step(dated, bectu, "attended", dt.date(2026, 5, 3), today=TODAY)
    attended = tick_step(dated, bectu, "attended", dt.date(2026, 5, 4), today=TODAY)
    with pytest.raises(InvalidInput, match="can't start after you attended"):
        set_course_dates(attended, bectu, [dt.date(2026, 5, 11)], today=TODAY)


@pytest.mark.parametrize("key", KEYS)
def test_accredited_needs_reps1_attendance_and_sign_off(
        profiles: dict[str, UnionProfile], key: str) -> None:
    profile = profiles[key]
    record = with_course(profile)
    for step in profile.route:
        assert is_accredited(profile, record) is record.is_ticked(profile.sign_off_step)
        record = tick_step(record, profile, step.id, dt.date(2026, 4, 1), today=TODAY)
    assert is_accredited(profile, record)
    # Without a qualifying Reps 1 the same route does not accredit.
    no_reps1 = record_course(record, profile, "hs-rep", dt.date(2025, 1, 1), today=TODAY)
    no_reps1 = type(record)(union_key=profile.key, courses=no_reps1.completions("hs-rep"),
                            ticks=record.ticks)
    assert not is_accredited(profile, no_reps1)


# -- seed order (issue 16) ------------------------------------------------------------------


@pytest.mark.parametrize("key", ["bectu", "prospect", "ucu"])
def test_letter1_is_refused_before_the_cohort_is_set_up(
        profiles: dict[str, UnionProfile], key: str) -> None:
    profile = profiles[key]
    record = ticked(profile, with_course(profile), "reps2-listed")
    with pytest.raises(RefusedAction) as caught:
        tick_step(record, profile, "letter1", dt.date(2026, 3, 2), today=TODAY)
    assert profile.step_title("cohort-formed") in str(caught.value)


@pytest.mark.parametrize("key", ["bectu", "prospect", "ucu"])
def test_letters_are_refused_before_the_records_are_updated(
        profiles: dict[str, UnionProfile], key: str) -> None:
    profile = profiles[key]
    sign_off = profile.route.index(profile.step("officer-signed-off"))  # type: ignore[arg-type]
    record = ticked(profile, with_course(profile), *(s.id for s in profile.route[:sign_off + 1]))
    for letter in [s.id for s in profile.route if s.id.endswith("letter-received")
                   or s.id == "letters-received"]:
        with pytest.raises(RefusedAction, match=profile.step_title("records-updated")):
            tick_step(record, profile, letter, dt.date(2026, 3, 2), today=TODAY)


@pytest.mark.parametrize("key", KEYS)
def test_sign_off_is_refused_while_the_tutor_feedback_is_outstanding(
        profiles: dict[str, UnionProfile], key: str) -> None:
    profile = profiles[key]
    record = ticked(profile, with_course(profile), *UP_TO_ATTENDED, "homework1-marked",
                    "homework2-marked", "action-plan")
    with pytest.raises(RefusedAction) as caught:
        tick_step(record, profile, "officer-signed-off", dt.date(2026, 3, 2), today=TODAY)
    assert profile.step_title("tutor-feedback") in str(caught.value)
    assert not is_accredited(profile, record)


def test_a_stored_sign_off_without_tutor_feedback_is_not_accredited(
        profiles: dict[str, UnionProfile]) -> None:
    """A record ticked under an older profile (sign-off not yet needing the feedback) must not
    read 'Accredited' while the tutor feedback is still the next step."""
    from dataclasses import replace

    from vault.training.record import StepTick
    from vault.training.status import derive_status

    prospect = profiles["prospect"]
    ticks = tuple(StepTick(s, dt.date(2026, 3, 1)) for s in (*UP_TO_ATTENDED,
                  "homework1-marked", "homework2-marked", "action-plan", "officer-follow-up",
                  "officer-signed-off"))
    record = replace(with_course(prospect), ticks=ticks)
    assert not is_accredited(prospect, record)
    status = derive_status(prospect, record)
    assert status.code.value != "accredited"
    assert status.headline != "Accredited case handler"


def test_bectu_officer_returns_the_feedback_before_the_follow_up(
        profiles: dict[str, UnionProfile]) -> None:
    bectu = profiles["bectu"]
    record = ticked(bectu, with_course(bectu), *UP_TO_ATTENDED, "homework1-marked",
                    "homework2-marked", "action-plan", "tutor-feedback")
    with pytest.raises(RefusedAction, match="returned by the dedicated officer"):
        tick_step(record, bectu, "officer-follow-up", dt.date(2026, 3, 2), today=TODAY)
    record = ticked(bectu, record, "feedback-returned", "officer-follow-up",
                    "officer-signed-off")
    assert is_accredited(bectu, record)


def test_prospect_letters_are_two_ticks(profiles: dict[str, UnionProfile]) -> None:
    prospect = profiles["prospect"]
    record = ticked(prospect, with_course(prospect), *(s.id for s in prospect.route
                                                      if "letter-received" not in s.id
                                                      and s.id != "letters-received"))
    record = ticked(prospect, record, "letters-received")
    assert record.is_ticked("letters-received")
    assert not record.is_ticked("employer-letter-received")
    record = ticked(prospect, record, "employer-letter-received")
    assert record.is_ticked("employer-letter-received")
