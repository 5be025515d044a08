"""The passphrase strength rule (DESIGN §3): at least 12 characters and a zxcvbn score of 3+.

Checked when a vault is created and when its passphrase is changed. The reason given for a
refusal is one plain-English line and never repeats the passphrase.
"""

from __future__ import annotations

import logging
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from vault.errors import WeakPassphrase

log = logging.getLogger(__name__)

MIN_LENGTH = 12
MIN_SCORE = 3
# zxcvbn's matching is super-linear in the input length; beyond this a passphrase is judged by
# its first ZXCVBN_MAX_CHARS characters, which is plenty to tell a strong one from a weak one.
ZXCVBN_MAX_CHARS = 100
# Words a rep might build a passphrase from that are specific to this product.
PRODUCT_WORDS: tuple[str, ...] = ("casework", "vault", "casevault", "union", "rep", "ucu")

SHORT_REASON = f"Use at least {MIN_LENGTH} characters."
GENERIC_REASON = "Add more words that are hard to guess; avoid names, dates and common phrases."
CRACK_TIME_UNKNOWN = "less than a second"

# zxcvbn keeps the user inputs in a module-level dictionary, so two threads checking at once
# would see each other's words.
_zxcvbn_lock = threading.Lock()


@dataclass(frozen=True)
class StrengthReport:
    """The verdict on a passphrase.

    score: zxcvbn's 0 (weakest) to 4.
    acceptable: the passphrase meets the rule.
    reason: one plain-English line saying why not; empty when acceptable.
    crack_time_display: zxcvbn's estimate for an offline attacker against a slow hash.
    """

    score: int
    acceptable: bool
    reason: str
    crack_time_display: str


def check_passphrase(passphrase: str, *, user_inputs: Sequence[str] = ()) -> StrengthReport:
    """Judge ``passphrase`` against the rule; never raises for any string.

    ``user_inputs`` are words the passphrase should not lean on (the rep's name, union,
    branch); product words are always added. The length counts characters after NFC
    normalisation, as the KDF sees them.
    """
    text = unicodedata.normalize("NFC", passphrase)
    sample = text[:ZXCVBN_MAX_CHARS]
    inputs = [str(word)[:ZXCVBN_MAX_CHARS] for word in (*PRODUCT_WORDS, *user_inputs) if word]
    if sample:
        with _zxcvbn_lock:
            from zxcvbn import zxcvbn  # loaded on first use: it costs start-up time

            result = zxcvbn(sample, user_inputs=inputs, max_length=ZXCVBN_MAX_CHARS)
        score = int(result["score"])
        feedback = result.get("feedback") or {}
        crack = str(result["crack_times_display"]["offline_slow_hashing_1e4_per_second"])
    else:
        score, feedback, crack = 0, {}, CRACK_TIME_UNKNOWN

    if len(text) < MIN_LENGTH:
        return StrengthReport(score, False, SHORT_REASON, crack)
    if score < MIN_SCORE:
        return StrengthReport(score, False, _reason_from(feedback), crack)
    return StrengthReport(score, True, "", crack)


def require_strong(passphrase: str, *, user_inputs: Sequence[str] = ()) -> None:
    """Accept ``passphrase`` or refuse it with the reason.

    Raises:
        WeakPassphrase: the passphrase fails the rule; ``str(error)`` is the reason.
    """
    report = check_passphrase(passphrase, user_inputs=user_inputs)
    if not report.acceptable:
        raise WeakPassphrase(report.reason)


def _reason_from(feedback: dict[str, object]) -> str:
    """zxcvbn's warning, else its first suggestion, else a generic line."""
    warning = feedback.get("warning")
    if isinstance(warning, str) and warning.strip():
        return _one_line(warning)
    suggestions = feedback.get("suggestions")
    if isinstance(suggestions, list):
        for suggestion in suggestions:
            if isinstance(suggestion, str) and suggestion.strip():
                return _one_line(suggestion)
    return GENERIC_REASON


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if line.endswith((".", "!", "?")) else line + "."
