"""The one rule for every name and title the vault shows: members, parties, cases, courses, reps.

A leaf module (it imports only ``vault.errors``), so the casework, training and report layers
all use the same function. Names and titles appear in tables, window titles, search results
and PDFs; a character that reorders or hides text there is a spoofing tool (issue 8, finding
9): U+202E (right-to-left override) makes the end of a name display backwards, so
one person's name can be made to read as another's, and a zero-width space makes
two names that look identical differ. So a label is refused, not silently cleaned, when it
holds:

- format characters (Unicode category Cf): the bidi embeddings, overrides and isolates
  (U+202A–U+202E, U+2066–U+2069), LRM/RLM/ALM, zero-width space/joiners (U+200B–U+200D),
  word joiner (U+2060), the BOM (U+FEFF), soft hyphen, tag characters and the rest;
- control characters (Cc) other than the whitespace that is folded to a single space;
- lone surrogates (Cs: bytes that were not UTF-8, passed through ``surrogateescape``);
- private-use (Co) and unassigned (Cn) code points, which no font shows the same way.

Whitespace of every kind (tabs, newlines, U+2028, U+00A0 …) is folded to single spaces, and
the text is NFC-normalised, as before.
"""

from __future__ import annotations

import unicodedata

from vault.errors import InvalidInput

_REFUSED_CATEGORIES = {
    "Cf": "an invisible formatting or text-direction character",
    "Cc": "a control character",
    "Cs": "bytes that are not valid UTF-8 text",
    "Co": "a private-use character",
    "Cn": "an unassigned character",
}


def label_problem(text: str) -> str | None:
    """Why ``text`` cannot be a name or title (the first refused character), or None."""
    for ch in text:
        reason = _REFUSED_CATEGORIES.get(unicodedata.category(ch))
        if reason is not None:
            if unicodedata.category(ch) == "Cs":
                return f"contains {reason}"
            return f"contains {reason} (U+{ord(ch):04X})"
    return None


def clean_label(value: str | None, field: str, *, max_len: int, required: bool = True
                ) -> str | None:
    """``value`` as a one-line name or title: NFC, whitespace folded, checked.

    Returns None for an empty optional label.

    Raises:
        InvalidInput: naming ``field``: missing or empty (when required), longer than
            ``max_len`` characters, or holding a character refused above (the message gives
            its code point, never the rest of the text).
    """
    if value is None:
        if required:
            raise InvalidInput(f"{field} is required.")
        return None
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        # Before NFC: normalising a lone surrogate is fine, but encoding it later is not.
        raise InvalidInput(f"{field} contains bytes that are not valid UTF-8 text.")
    text = " ".join(unicodedata.normalize("NFC", value).split())
    if not text:
        if required:
            raise InvalidInput(f"{field} cannot be empty.")
        return None
    problem = label_problem(text)
    if problem is not None:
        raise InvalidInput(f"{field} {problem}; remove it and try again.")
    if len(text) > max_len:
        raise InvalidInput(f"{field} is too long (at most {max_len:,} characters).")
    return text
