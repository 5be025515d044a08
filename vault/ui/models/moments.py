"""UK-format text for the moments casework shows: a date ("23 Nov 2026"), or a date and local
time ("23 Nov 2026 14:30"), and short counts ("1 day", "3 days").

Shared by the casework tables and dialogs so every screen writes a moment the same way.
"""

from __future__ import annotations

import datetime as dt

from vault.domain import format_uk_date


def format_moment(value: dt.date | dt.datetime | None) -> str:
    """A date as "23 Nov 2026"; a date-time in local time as "23 Nov 2026 14:30"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        local = value.astimezone() if value.tzinfo is not None else value
        return f"{format_uk_date(local)} {local:%H:%M}"
    return format_uk_date(value)


def moment_sort_key(value: dt.date | dt.datetime) -> float:
    """A number that orders dates and date-times together (a date counts as its midnight)."""
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo is not None else value.astimezone()
        return aware.timestamp()
    return dt.datetime(value.year, value.month, value.day).astimezone().timestamp()


def plural(n: int, word: str, many: str | None = None) -> str:
    """"1 day", "2 days"; ``many`` for irregular plurals ("entry", "entries")."""
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"
