"""UK working days for follow-up deadlines (vault.casework.working_days)."""

from __future__ import annotations

import datetime as dt

import holidays
import pytest

from vault.casework.working_days import (
    REGIONS,
    add_working_days,
    is_working_day,
    normalise_region,
)
from vault.errors import InvalidInput

D = dt.date


def test_christmas_2026_oral_advice_on_christmas_eve() -> None:
    # Thu 24 Dec 2026: Fri 25 Christmas Day, the weekend, Mon 28 Boxing Day (substitute for
    # Sat 26), so the two working days are Tue 29 and Wed 30.
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert add_working_days(D(2026, 12, 24), 2) == D(2026, 12, 30)


def test_easter_2027_differs_between_england_and_scotland() -> None:
    # Good Friday 26 Mar 2027 everywhere; Easter Monday 29 Mar is not a bank holiday in Scotland.
    assert add_working_days(D(2027, 3, 25), 2) == D(2027, 3, 31)
    assert add_working_days(D(2027, 3, 25), 2, region="SCT") == D(2027, 3, 30)
    assert add_working_days(D(2027, 3, 25), 2, region="WLS") == D(2027, 3, 31)


def test_new_year_substitute_across_the_year_end() -> None:
    # Sat 1 Jan 2028 is observed on Mon 3 Jan.
    assert add_working_days(D(2027, 12, 30), 2) == D(2028, 1, 4)


def test_one_off_bank_holidays_are_skipped() -> None:
    # Thu 2 Jun 2022 Spring bank holiday (moved), Fri 3 Jun Platinum Jubilee.
    assert add_working_days(D(2022, 6, 1), 1) == D(2022, 6, 6)


def test_ordinary_weeks() -> None:
    assert add_working_days(D(2026, 11, 23), 2) == D(2026, 11, 25)  # Mon -> Wed
    assert add_working_days(D(2026, 11, 26), 2) == D(2026, 11, 30)  # Thu -> Mon
    assert add_working_days(D(2026, 11, 28), 1) == D(2026, 11, 30)  # Sat -> Mon
    assert add_working_days(D(2026, 11, 23), 10) == D(2026, 12, 7)


def test_zero_days_is_the_same_day_or_the_next_working_day() -> None:
    assert add_working_days(D(2026, 11, 23), 0) == D(2026, 11, 23)
    assert add_working_days(D(2026, 11, 28), 0) == D(2026, 11, 30)
    assert add_working_days(D(2027, 3, 26), 0) == D(2027, 3, 30)
    assert add_working_days(D(2027, 3, 26), 0, region="SCT") == D(2027, 3, 29)


def test_a_datetime_start_counts_as_its_date() -> None:
    start = dt.datetime(2026, 12, 24, 16, 30, tzinfo=dt.UTC)
    assert add_working_days(start, 2) == D(2026, 12, 30)
    assert type(add_working_days(start, 2)) is dt.date


@pytest.mark.parametrize("n", [-1, -10])
def test_negative_days_are_refused(n: int) -> None:
    with pytest.raises(InvalidInput):
        add_working_days(D(2026, 11, 23), n)


@pytest.mark.parametrize("n", [True, 1.5, "2", None, 10_000])
def test_other_bad_counts_are_refused(n: object) -> None:
    with pytest.raises(InvalidInput):
        add_working_days(D(2026, 11, 23), n)  # type: ignore[arg-type]


def test_a_start_that_is_not_a_date_is_refused() -> None:
    with pytest.raises(InvalidInput):
        add_working_days("2026-11-23", 2)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput):
        is_working_day("2026-11-23")  # type: ignore[arg-type]


def test_is_working_day() -> None:
    assert is_working_day(D(2026, 12, 24))
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 12, 26))  # Saturday
    assert not is_working_day(D(2026, 12, 27))  # Sunday
    assert not is_working_day(D(2026, 12, 28))  # Boxing Day substitute
    assert is_working_day(D(2026, 12, 29))


def test_regional_bank_holidays() -> None:
    st_patricks = D(2026, 3, 17)
    assert not is_working_day(st_patricks, region="NIR")
    assert is_working_day(st_patricks, region="ENG")
    st_andrews = D(2027, 11, 30)
    assert not is_working_day(st_andrews, region="SCT")
    assert is_working_day(st_andrews, region="WLS")


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("ENG", "ENG"),
        ("eng", "ENG"),
        ("England", "ENG"),
        ("Wales", "WLS"),
        ("scotland", "SCT"),
        ("  Northern   Ireland ", "NIR"),
        ("NIR", "NIR"),
    ],
)
def test_region_names_and_codes(typed: str, code: str) -> None:
    assert normalise_region(typed) == code


@pytest.mark.parametrize("region", ["", "GB", "UK", "London", "IE"])
def test_unknown_regions_are_refused(region: str) -> None:
    with pytest.raises(InvalidInput):
        normalise_region(region)
    with pytest.raises(InvalidInput):
        add_working_days(D(2026, 11, 23), 2, region=region)
    with pytest.raises(InvalidInput):
        is_working_day(D(2026, 11, 23), region=region)


@pytest.mark.parametrize("region", REGIONS)
def test_every_result_is_n_working_days_on_by_the_package_calendar(region: str) -> None:
    calendar = holidays.country_holidays("GB", subdiv=region, years=range(2025, 2029))

    def working(day: dt.date) -> bool:
        return day.weekday() < 5 and day not in calendar

    start = D(2025, 1, 1)
    for offset in range(0, 3 * 365, 5):
        day = start + dt.timedelta(days=offset)
        for n in (0, 1, 2, 5):
            due = add_working_days(day, n, region=region)
            assert working(due)
            between = sum(
                working(day + dt.timedelta(days=k)) for k in range(1, (due - day).days + 1)
            )
            if n == 0 and working(day):
                assert due == day
            else:
                # (day, due] holds exactly n working days (1 for n=0: the next working day).
                assert between == max(n, 1)
