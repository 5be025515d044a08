"""Input rules shared by the casework services: clear one-line refusals, nothing half-written."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from vault.errors import InvalidInput

MAX_NAME = 200
MAX_TITLE = 300
MAX_TEXT = 200_000  # 200 KB of notes per field: generous, still bounded

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def clean_text(
    value: str | None, field: str, *, required: bool = True, max_len: int = MAX_TEXT
) -> str | None:
    """NFC-normalise and strip; refuse empty (when required) or over-long text.

    Raises:
        InvalidInput: naming the field.
    """
    if value is None:
        if required:
            raise InvalidInput(f"{field} is required.")
        return None
    text = unicodedata.normalize("NFC", value).strip()
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    if not text:
        if required:
            raise InvalidInput(f"{field} cannot be empty.")
        return None
    if len(text) > max_len:
        raise InvalidInput(f"{field} is too long (at most {max_len:,} characters).")
    return text


def clean_name(value: str | None, field: str = "Name") -> str:
    text = clean_text(value, field, max_len=MAX_NAME)
    assert text is not None
    return " ".join(text.split())


def clean_email(value: str | None) -> str | None:
    text = clean_text(value, "Email", required=False, max_len=254)
    if text is None:
        return None
    if not _EMAIL.match(text):
        raise InvalidInput("That email address does not look right.")
    return text


def not_in_future(value: dt.date, today: dt.date, field: str) -> dt.date:
    if value > today:
        raise InvalidInput(f"{field} cannot be in the future.")
    return value


def parse_date(text: str, field: str = "Date") -> dt.date:
    """Accept 2026-11-23, 23/11/2026 or 23 Nov 2026."""
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d %b %Y", "%d %B %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(f"{field}: give a date like 2026-11-23 or 23/11/2026.")
