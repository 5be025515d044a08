"""TrainingService: the API the GUI and the CLI use."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

import pytest

from vault.clock import FixedClock
from vault.errors import InvalidInput, NotFound, RefusedAction
from vault.training.codes import StatusCode
from vault.training.profile import UnionProfile
from vault.training.repository import TrainingRepository
from vault.training.service import TrainingService


def test_profiles_are_listed_by_name(service: TrainingService) -> None:
    # By display name: Bectu, Other union (example), Prospect, UCU.
    assert [p.key for p in service.profiles()] == ["bectu", "custom", "prospect", "ucu"]


def test_nothing_chosen_yet(service: TrainingService) -> None:
    assert service.current_profile() is None
    assert service.retention_years() is None
    assert service.reminders() == []
    assert service.is_accredited_case_handler() is False
    assert service.personal_case_prompt() is not None
    with pytest.raises(RefusedAction, match=r"Choose your union profile first \(known: bectu, "
                                            r"custom, prospect, ucu\)"):
        service.show()
    with pytest.raises(RefusedAction):
        service.record("reps1")


def test_unknown_union_lists_the_known_ones(service: TrainingService) -> None:
    with pytest.raises(InvalidInput) as caught:
        service.choose_union("unison")
    assert str(caught.value) == ("There is no union profile called 'unison'. "
                                 "Known: bectu, custom, prospect, ucu.")


@pytest.mark.parametrize("typed", ["bectu", "BECTU", " Bectu ",
                                   "Bectu (the media and entertainment union, a sector of "
                                   "Prospect)"])
def test_union_chosen_by_key_or_name(service: TrainingService, typed: str) -> None:
    assert service.choose_union(typed).key == "bectu"
    profile = service.current_profile()
    assert profile is not None and profile.key == "bectu"
    assert service.retention_years() == 6


def test_record_defaults_to_today_and_show_reports_status(
        service: TrainingService, training_clock: FixedClock) -> None:
    service.choose_union("prospect")
    overview = service.record("reps1")
    assert overview.courses[0].completed_on == training_clock.today()
    assert overview.status.code is StatusCode.ELIGIBLE_LEVEL2
    data = overview.as_json()
    assert data["status"] == "eligible-level2"
    assert data["next_step"] == "reps2-listed"
    json.dumps(data)  # JSON-ready


def test_record_dispatches_courses_and_steps_and_refuses_unknown_ids(
        service: TrainingService) -> None:
    service.choose_union("bectu")
    service.record("reps1", dt.date(2025, 1, 10))
    overview = service.record(" Reps2-Listed ", dt.date(2026, 1, 5))
    assert overview.steps[0].done_on == dt.date(2026, 1, 5)
    with pytest.raises(InvalidInput) as caught:
        service.record("reps3")
    message = str(caught.value)
    assert message.startswith("'reps3' is not a course or step of Bectu's profile. Known: reps1,")
    assert "officer-signed-off" in message
    with pytest.raises(InvalidInput, match="only for courses"):
        service.record("letter1", title="Letter")


def test_sign_off_before_attendance_is_refused_and_nothing_is_saved(
        service: TrainingService, conn: sqlite3.Connection) -> None:
    service.choose_union("bectu")
    service.record("reps1", dt.date(2025, 1, 10))
    before = TrainingRepository(conn).load()
    with pytest.raises(RefusedAction, match="'Officer signed off' can't be ticked before"):
        service.record("officer-signed-off", dt.date(2026, 1, 5))
    assert TrainingRepository(conn).load() == before


def test_future_date_is_refused(service: TrainingService) -> None:
    service.choose_union("ucu")
    with pytest.raises(InvalidInput, match="in the future"):
        service.record("reps1", dt.date(2026, 11, 24))


def test_full_route_to_accreditation_and_the_casework_prompt(
        service: TrainingService, profiles: dict[str, UnionProfile]) -> None:
    service.choose_union("prospect")
    service.record("reps1", dt.date(2025, 1, 10))
    assert service.is_accredited_case_handler() is False
    assert service.personal_case_prompt() == profiles["prospect"].not_accredited_prompt
    day = dt.date(2026, 3, 1)
    for step in profiles["prospect"].route:
        service.record(step.id, day)
    overview = service.show()
    assert overview.status.code is StatusCode.ACCREDITED
    assert service.is_accredited_case_handler() is True
    assert service.personal_case_prompt() is None
    reps2 = [c for c in overview.courses if c.from_route]
    assert [(c.name, c.completed_on) for c in reps2] == [("Reps 2 (Handling cases)", day)]
    assert service.status().code is StatusCode.ACCREDITED


def test_steps_view_marks_next_and_what_each_step_waits_for(service: TrainingService) -> None:
    service.choose_union("bectu")
    service.record("reps1", dt.date(2025, 1, 10))
    service.record("reps2-listed", dt.date(2026, 1, 5))
    steps = {s.id: s for s in service.show().steps}
    assert steps["cohort-formed"].is_next
    assert sum(s.is_next for s in steps.values()) == 1
    assert steps["officer-signed-off"].is_sign_off
    assert steps["officer-signed-off"].waiting_for == (
        "Reps 2 course attended", "Tutor feedback sent to Education",
        "Officer follow-up completed")
    assert steps["cohort-formed"].explanation.startswith("Once six reps are added")


def test_untick_course_and_step(service: TrainingService) -> None:
    service.choose_union("bectu")
    service.record("reps1", dt.date(2025, 1, 10))
    service.record("reps2-listed", dt.date(2026, 1, 5))
    with pytest.raises(RefusedAction):
        service.untick("reps1")
    service.untick("reps2-listed")
    overview = service.untick("reps1")
    assert overview.courses == ()
    assert overview.status.code is StatusCode.NOT_ELIGIBLE
    with pytest.raises(NotFound):
        service.untick("reps1")
    with pytest.raises(InvalidInput):
        service.untick("nonsense")


def test_course_dates_drive_reminders(service: TrainingService,
                                      training_clock: FixedClock) -> None:
    service.choose_union("bectu")
    service.record("reps1", dt.date(2025, 1, 10))
    for step_id in ("reps2-listed", "cohort-formed", "letter1", "dates-accepted"):
        service.record(step_id, dt.date(2026, 10, 1))
    overview = service.set_course_dates([dt.date(2026, 12, 7), dt.date(2026, 12, 14)])
    assert overview.course_dates == (dt.date(2026, 12, 7), dt.date(2026, 12, 14))
    assert [r.step_id for r in overview.reminders] == ["resources-received"]  # due 23 Nov
    training_clock.advance(days=-1)
    assert service.reminders() == []


def test_education_update_through_the_service(service: TrainingService) -> None:
    service.choose_union("bectu")
    service.record("reps1", dt.date(2025, 1, 10))
    overview = service.confirm_education_update("reps1", dt.date(2025, 2, 1))
    assert overview.courses[0].education_updated_on == dt.date(2025, 2, 1)


def test_changing_union_keeps_the_record(service: TrainingService) -> None:
    service.choose_union("bectu")
    service.record("reps1-freelancer", dt.date(2025, 1, 10))
    assert service.show().status.code is StatusCode.REPS2_NOT_OPEN
    service.choose_union("prospect")
    overview = service.show()
    assert overview.status.code is StatusCode.NOT_ELIGIBLE
    assert [(c.name, c.in_profile) for c in overview.courses] == [("Reps 1 (Freelancer)", False)]
    service.choose_union("bectu")
    assert service.show().status.code is StatusCode.REPS2_NOT_OPEN


def test_profile_that_stopped_loading_behaves_like_no_choice(
        conn: sqlite3.Connection, profiles: dict[str, UnionProfile],
        training_clock: FixedClock) -> None:
    TrainingService(TrainingRepository(conn), profiles, training_clock).choose_union("ucu")
    without_ucu = {k: v for k, v in profiles.items() if k != "ucu"}
    service = TrainingService(TrainingRepository(conn), without_ucu, training_clock)
    assert service.current_profile() is None
    assert service.is_accredited_case_handler() is False
    with pytest.raises(RefusedAction, match="known: bectu, custom, prospect"):
        service.show()
