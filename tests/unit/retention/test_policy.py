"""Retention dates and statuses with an injected clock (issue 9)."""

from __future__ import annotations

import datetime as dt

import pytest

from vault.clock import FixedClock
from vault.errors import InvalidInput
from vault.retention.policy import (
    OVERDUE_AFTER_DAYS,
    RetentionRule,
    RetentionStatus,
    add_years,
    retention_status,
)

D = dt.date


def status_on(clock: FixedClock, until: D | None, *, held: bool = False,
              destroyed: bool = False) -> RetentionStatus | None:
    return retention_status(retain_until=until, held=held, destroyed=destroyed,
                            as_of=clock.today())


def test_default_is_closure_plus_six_years() -> None:
    rule = RetentionRule.profile()
    assert rule.years == 6
    assert rule.retention_date(D(2026, 11, 23)) == D(2032, 11, 23)
    assert rule.describe() == "6 years after closure (union profile)"
    assert rule.code == "profile:6y"


def test_profile_years_from_union() -> None:
    assert RetentionRule.profile(3).retention_date(D(2026, 1, 31)) == D(2029, 1, 31)


def test_29_february_closure_lands_on_28_february() -> None:
    rule = RetentionRule.profile(6)
    assert rule.retention_date(D(2028, 2, 29)) == D(2034, 2, 28)
    # ...but stays on 29 Feb when the target year is a leap year.
    assert RetentionRule.profile(4).retention_date(D(2028, 2, 29)) == D(2032, 2, 29)
    assert add_years(D(2024, 2, 29), 1) == D(2025, 2, 28)


def test_per_case_period_in_days_with_reason() -> None:
    rule = RetentionRule.per_case(90, "  Member asked for a short period  ")
    assert rule.reason == "Member asked for a short period"
    assert rule.retention_date(D(2026, 11, 23)) == D(2027, 2, 21)
    assert "reason recorded" in rule.describe()
    assert "Member" not in rule.describe()  # free text never leaves the vault
    assert rule.code == "per-case:90d"


def test_zero_days_is_due_on_the_day_of_closure() -> None:
    rule = RetentionRule.per_case(0, "member asked, rep agreed")
    closed = D(2026, 11, 23)
    clock = FixedClock(dt.datetime(2026, 11, 22, 12))
    until = rule.retention_date(closed)
    assert until == closed
    assert status_on(clock, until) is RetentionStatus.KEPT
    clock.advance(days=1)
    assert status_on(clock, until) is RetentionStatus.DUE


@pytest.mark.parametrize("days,reason", [(-1, "x"), (36_526, "x"), (5, ""), (5, "   ")])
def test_bad_per_case_periods_are_refused(days: int, reason: str) -> None:
    with pytest.raises(InvalidInput):
        RetentionRule.per_case(days, reason)


@pytest.mark.parametrize("years", [0, -3, 101])
def test_bad_profile_years_are_refused(years: int) -> None:
    with pytest.raises(InvalidInput):
        RetentionRule.profile(years)


def test_kept_then_due_then_overdue_as_the_clock_moves() -> None:
    closed = D(2026, 11, 23)
    until = RetentionRule.profile().retention_date(closed)
    clock = FixedClock(dt.datetime(2032, 11, 22, 23, 59))
    assert status_on(clock, until) is RetentionStatus.KEPT
    clock.advance(seconds=60)
    assert status_on(clock, until) is RetentionStatus.DUE
    clock.advance(days=OVERDUE_AFTER_DAYS - 1)
    assert status_on(clock, until) is RetentionStatus.DUE
    clock.advance(days=1)
    assert status_on(clock, until) is RetentionStatus.OVERDUE


def test_hold_blocks_and_release_unblocks() -> None:
    until = D(2026, 1, 1)
    clock = FixedClock(dt.datetime(2026, 11, 23))
    assert status_on(clock, until) is RetentionStatus.OVERDUE
    assert status_on(clock, until, held=True) is RetentionStatus.HELD
    clock.advance(days=3650)  # a hold wins whatever the date
    assert status_on(clock, until, held=True) is RetentionStatus.HELD
    assert status_on(clock, until, held=False) is RetentionStatus.OVERDUE


def test_release_before_the_date_goes_back_to_kept() -> None:
    until = D(2030, 1, 1)
    clock = FixedClock(dt.datetime(2026, 11, 23))
    assert status_on(clock, until, held=True) is RetentionStatus.HELD
    assert status_on(clock, until) is RetentionStatus.KEPT


def test_open_case_has_no_status_and_destroyed_outranks_hold() -> None:
    clock = FixedClock(dt.datetime(2026, 11, 23))
    assert status_on(clock, None) is None
    assert status_on(clock, D(2020, 1, 1), held=True, destroyed=True) is RetentionStatus.DESTROYED
