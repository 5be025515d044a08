"""Input rules shared by the casework services: clear one-line refusals, nothing half-written.

Names and titles go through ``clean_name`` / ``clean_title``, both the one label rule of
``vault.labels`` (no bidi controls, zero-width or other invisible characters). Free text
(notes, log entries) goes through ``clean_text``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from vault.errors import InvalidInput
from vault.labels import clean_label

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
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        # Undecodable bytes (surrogateescape): SQLite could not store them, the log must not.
        raise InvalidInput(f"{field} contains bytes that are not valid UTF-8 text.")
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
    """A person's or organisation's name (member, party, conflict check): ``clean_label``.

    Raises:
        InvalidInput: missing, empty, over 200 characters, or holding a bidi control, BOM,
            zero-width or other invisible character.
    """
    text = clean_label(value, field, max_len=MAX_NAME)
    assert text is not None
    return text


def clean_title(value: str | None, field: str = "Title") -> str:
    """A case title (and any other title shown in a list): ``clean_label``, 300 characters.

    Raises:
        InvalidInput: as ``clean_name``.
    """
    text = clean_label(value, field, max_len=MAX_TITLE)
    assert text is not None
    return text


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
