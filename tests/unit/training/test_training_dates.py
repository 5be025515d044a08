"""UK dates: printed as 23 Nov 2026, read in the forms a rep types."""

from __future__ import annotations

import datetime as dt

import pytest

from vault.errors import InvalidInput
from vault.training.dates import parse_date, uk_date


@pytest.mark.parametrize(("day", "text"), [
    (dt.date(2026, 11, 23), "23 Nov 2026"),
    (dt.date(2026, 1, 5), "5 Jan 2026"),
    (dt.date(2027, 9, 30), "30 Sep 2027"),
])
def test_uk_date(day: dt.date, text: str) -> None:
    assert uk_date(day) == text


@pytest.mark.parametrize("text", ["2026-11-23", "23/11/2026", "23.11.2026", "23-11-2026",
                                  "23 Nov 2026", "23 November 2026", " 23 nov. 2026 ",
                                  "23 NOVEMBER 2026"])
def test_parse_date_forms(text: str) -> None:
    assert parse_date(text) == dt.date(2026, 11, 23)


@pytest.mark.parametrize(("text", "problem"), [
    ("31/02/2026", "not a real date"),
    ("2026-02-30", "not a real date"),
    ("11/23/2026", "not a real date"),   # US order is not guessed
    ("tomorrow", "is not a date"),
    ("23 Nv 2026", "is not a date"),
    ("", "is not a date"),
])
def test_parse_date_refuses(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem):
        parse_date(text)
