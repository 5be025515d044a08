"""The fixed vocabulary of the training record: status codes and the shape of ids.

DOMAIN.md names the statuses and the course and step ids the command line and the union
profiles share. The status codes are the product's own and live here; course and step ids
belong to the profiles (data), so the code only checks their shape.
"""

from __future__ import annotations

import re
from enum import StrEnum

# Course and step ids are short kebab-case words: ``reps1-freelancer``, ``officer-signed-off``.
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID_LENGTH = 40


class StatusCode(StrEnum):
    """The derived accreditation status. Never stored, never typed in by the rep."""

    NOT_ELIGIBLE = "not-eligible"
    ELIGIBLE_LEVEL2 = "eligible-level2"
    REPS2_NOT_OPEN = "reps2-not-open"
    REPS2_IN_PROGRESS = "reps2-in-progress"
    AWAITING_SIGN_OFF = "awaiting-sign-off"
    ACCREDITED = "accredited"


# Plain-words headlines used when a profile does not give its own. ``{next_step}`` is replaced by
# the title of the next step of the route.
DEFAULT_HEADLINES: dict[StatusCode, str] = {
    StatusCode.NOT_ELIGIBLE: "Not yet eligible for Level 2 courses",
    StatusCode.ELIGIBLE_LEVEL2: "Eligible for Level 2 courses",
    StatusCode.REPS2_NOT_OPEN: "Reps 2 is not open to you",
    StatusCode.REPS2_IN_PROGRESS: "Reps 2 in progress (next step: {next_step})",
    StatusCode.AWAITING_SIGN_OFF: "Awaiting the officer's sign-off",
    StatusCode.ACCREDITED: "Accredited case handler",
}


def is_valid_id(value: str) -> bool:
    """True when ``value`` is a well-formed course or step id."""
    return len(value) <= MAX_ID_LENGTH and ID_PATTERN.fullmatch(value) is not None
