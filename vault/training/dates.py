"""Dates as a UK rep reads and types them: "23 Nov 2026" out, several common forms in.

Month names are spelled here rather than taken from the locale, so a PDF or a message never
changes language with the computer's settings.
"""

from __future__ import annotations

import datetime as dt
import re

from vault.errors import InvalidInput

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_FULL_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")
_NUMERIC_UK = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_WORDED = re.compile(r"(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})")


def uk_date(value: dt.date) -> str:
    """``23 Nov 2026``: day without a leading zero, short month, four-digit year."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year:04d}"


def parse_date(text: str) -> dt.date:
    """Read a date typed by the rep.

    Accepts ``2026-11-23`` (ISO), ``23/11/2026`` (day first, as in the UK; ``.`` or ``-`` also
    separate), and ``23 Nov 2026`` or ``23 November 2026``.

    Raises:
        InvalidInput: the text is none of those forms or names no real day.
    """
    cleaned = text.strip()
    shown = cleaned[:40]
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cleaned):
            return dt.date.fromisoformat(cleaned)
        numeric = _NUMERIC_UK.fullmatch(cleaned)
        if numeric:
            day, month, year = (int(g) for g in numeric.groups())
            return dt.date(year, month, day)
        worded = _WORDED.fullmatch(cleaned)
        if worded:
            month_name = worded.group(2).casefold()
            for index, full in enumerate(_FULL_MONTHS):
                if len(month_name) >= 3 and full.startswith(month_name):
                    return dt.date(int(worded.group(3)), index + 1, int(worded.group(1)))
    except ValueError as exc:
        raise InvalidInput(f"'{shown}' is not a real date.") from exc
    raise InvalidInput(f"'{shown}' is not a date; use a form like 2026-11-23 or 23/11/2026.")
