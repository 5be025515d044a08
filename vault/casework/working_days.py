"""UK working days: weekends and bank holidays skipped, for follow-up deadlines.

Owns the rule DOMAIN.md "The paper trail" uses for a written follow-up of oral advice: due a set
number of working days after the advice, with weekends and the bank holidays of the rep's part
of the UK skipped. Bank holidays come from the maintained ``holidays`` package
(``holidays.country_holidays("GB", subdiv=...)``), including substitute days ("Boxing Day
(observed)") and one-off holidays. Regions: ``ENG`` (England), ``WLS`` (Wales), ``SCT``
(Scotland), ``NIR`` (Northern Ireland); the full names are accepted too.

The calendars are computed once per region and year and kept as immutable sets, so the
functions are safe to call from any thread.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from vault.errors import InvalidInput

__all__ = ["REGIONS", "add_working_days", "is_working_day", "normalise_region"]

REGIONS: tuple[str, ...] = ("ENG", "WLS", "SCT", "NIR")

_REGION_NAMES = {
    "eng": "ENG",
    "england": "ENG",
    "wls": "WLS",
    "wales": "WLS",
    "sct": "SCT",
    "scotland": "SCT",
    "nir": "NIR",
    "northern ireland": "NIR",
}

# A deadline further out than this is a typing mistake, not a follow-up.
_MAX_DAYS = 3660


def normalise_region(region: str) -> str:
    """The region code ("ENG", "WLS", "SCT", "NIR") for a code or name, any case.

    Raises:
        InvalidInput: the region is not a part of the UK this module knows.
    """
    code = _REGION_NAMES.get(" ".join(str(region).split()).casefold())
    if code is None:
        raise InvalidInput("Unknown UK region: use England, Wales, Scotland or Northern Ireland.")
    return code


def is_working_day(day: dt.date, region: str = "ENG") -> bool:
    """True when ``day`` is Monday to Friday and not a bank holiday in ``region``.

    Raises:
        InvalidInput: unknown region, or ``day`` is not a date.
    """
    code = normalise_region(region)
    if not isinstance(day, dt.date):
        raise InvalidInput("A date is required.")
    return _is_working(day.date() if isinstance(day, dt.datetime) else day, code)


def add_working_days(start: dt.date, n: int, *, region: str = "ENG") -> dt.date:
    """The date ``n`` working days after ``start`` (``start`` itself is not counted).

    Oral advice on Thursday 24 Dec 2026 with ``n=2`` in England gives Wednesday 30 Dec 2026:
    Christmas Day, the weekend and the Boxing Day substitute (Mon 28 Dec) are skipped.
    ``n=0`` gives ``start`` when it is a working day, otherwise the next working day.

    Raises:
        InvalidInput: ``n`` is negative, not an integer or absurdly large (over 3660); unknown
            region; ``start`` is not a date.
    """
    code = normalise_region(region)
    if not isinstance(start, dt.date):
        raise InvalidInput("A start date is required.")
    if isinstance(n, bool) or not isinstance(n, int):
        raise InvalidInput("The number of working days must be a whole number.")
    if n < 0:
        raise InvalidInput("The number of working days cannot be negative.")
    if n > _MAX_DAYS:
        raise InvalidInput("That many working days is not a sensible deadline.")
    day = start.date() if isinstance(start, dt.datetime) else start
    if n == 0:
        while not _is_working(day, code):
            day += dt.timedelta(days=1)
        return day
    remaining = n
    while remaining:
        day += dt.timedelta(days=1)
        if _is_working(day, code):
            remaining -= 1
    return day


def _is_working(day: dt.date, code: str) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(code, day.year)


@lru_cache(maxsize=256)
def _bank_holidays(code: str, year: int) -> frozenset[dt.date]:
    """The bank holidays of one region and year (an immutable copy of the package's data)."""
    import holidays  # loaded on first use: it costs start-up time

    calendar = holidays.country_holidays("GB", subdiv=code, years=year)
    return frozenset(calendar.keys())
