"""The retention rule: when a closed case falls due for destruction, and its status on a date.

Owns the arithmetic of DOMAIN.md "Closing, retention and secure deletion":

* A closed case is kept for an **archive period** after its closure date: the union profile's
  period in whole years (``retention_years``, 6 by default), or a **per-case period** in days
  with a recorded reason (0 days is allowed: the member asked for destruction and the rep
  agreed). Years are calendar years: a case closed on 29 Feb is due on 28 Feb of a year that
  has no 29 Feb (the period never grows past its length).
* On its retention date a case becomes **due**. It becomes **overdue** when it is still in the
  vault :data:`OVERDUE_AFTER_DAYS` (30) days after that date: a rep who looks at the Retention
  page once a month sees a case "due" before it is "overdue", and a branch audit counts as
  overdue only cases that were left, not ones that fell due last week.
* A **legal hold** always wins: a held case is never due or overdue, whatever its date, and it
  becomes due again (or overdue, if its date is long past) the day the hold is released.
* A destroyed case is ``destroyed``; that outranks everything, including a hold (a hold is
  refused on a destroyed case by the service).

Everything here is pure: dates in, a status out, with the "as of" date always injected (from a
:class:`vault.clock.Clock` by the caller). Nothing is stored here and nothing is logged.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeGuard

from vault.errors import InvalidInput

__all__ = [
    "DEFAULT_ARCHIVE_YEARS",
    "MAX_PER_CASE_DAYS",
    "OVERDUE_AFTER_DAYS",
    "RetentionRule",
    "RetentionStatus",
    "RuleKind",
    "add_years",
    "retention_status",
]

DEFAULT_ARCHIVE_YEARS = 6
OVERDUE_AFTER_DAYS = 30
# A per-case period longer than a century is a typing slip, not a decision.
MAX_PER_CASE_DAYS = 36_525
MAX_ARCHIVE_YEARS = 100
_MAX_REASON = 500


class RetentionStatus(StrEnum):
    """Where a case stands for retention on a given date (the Retention page's status column)."""

    KEPT = "kept"
    DUE = "due"
    OVERDUE = "overdue"
    HELD = "held"
    DESTROYED = "destroyed"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    RetentionStatus.KEPT: "Kept",
    RetentionStatus.DUE: "Due for destruction",
    RetentionStatus.OVERDUE: "Overdue",
    RetentionStatus.HELD: "On hold",
    RetentionStatus.DESTROYED: "Destroyed",
}


class RuleKind(StrEnum):
    PROFILE = "profile"
    PER_CASE = "per-case"


@dataclass(frozen=True, slots=True)
class RetentionRule:
    """The rule a case was closed under: the profile's years, or a per-case number of days.

    Build one with :meth:`profile` or :meth:`per_case`. ``reason`` is the rep's recorded reason
    for a per-case period; it is kept inside the vault and never copied into a certificate or
    an audit report (it is free text and may name someone), which say only that a reason was
    recorded.

    Raises:
        InvalidInput: at construction, for a period out of range, a per-case rule without a
            reason, or a profile rule that carries days.
    """

    kind: RuleKind
    years: int | None = None
    days: int | None = None
    reason: str | None = None

    def __post_init__(self) -> None:
        if self.kind is RuleKind.PROFILE:
            if not _is_int(self.years) or not 1 <= self.years <= MAX_ARCHIVE_YEARS:
                raise InvalidInput(
                    f"The archive period must be 1 to {MAX_ARCHIVE_YEARS} years."
                )
            if self.days is not None or self.reason is not None:
                raise InvalidInput("A union-profile period has no per-case days or reason.")
        elif self.kind is RuleKind.PER_CASE:
            if not _is_int(self.days) or not 0 <= self.days <= MAX_PER_CASE_DAYS:
                raise InvalidInput(
                    f"A per-case period must be 0 to {MAX_PER_CASE_DAYS} days."
                )
            if self.years is not None:
                raise InvalidInput("A per-case period is given in days, not years.")
            if not isinstance(self.reason, str) or not self.reason.strip():
                raise InvalidInput("A per-case period needs a reason.")
            if len(self.reason) > _MAX_REASON:
                raise InvalidInput(f"Keep the reason under {_MAX_REASON} characters.")
        else:  # pragma: no cover - the enum is closed
            raise InvalidInput("Unknown retention rule.")

    @classmethod
    def profile(cls, years: int | None = None) -> RetentionRule:
        """The union profile's archive period (``None``: the default of 6 years)."""
        return cls(RuleKind.PROFILE, years=DEFAULT_ARCHIVE_YEARS if years is None else years)

    @classmethod
    def per_case(cls, days: int, reason: str) -> RetentionRule:
        """A per-case period of ``days`` (0 allowed) with the rep's ``reason``."""
        return cls(RuleKind.PER_CASE, days=days,
                   reason=reason.strip() if isinstance(reason, str) else reason)

    def retention_date(self, closed: dt.date) -> dt.date:
        """The day the case falls due: closure + the period (29 Feb + 1 year → 28 Feb)."""
        if not isinstance(closed, dt.date):
            raise InvalidInput("The closure date is not a date.")
        if isinstance(closed, dt.datetime):
            closed = closed.date()
        if self.kind is RuleKind.PROFILE:
            assert self.years is not None
            return add_years(closed, self.years)
        assert self.days is not None
        return closed + dt.timedelta(days=self.days)

    def describe(self) -> str:
        """The rule in words, with no free text: "6 years after closure (union profile)"."""
        if self.kind is RuleKind.PROFILE:
            unit = "year" if self.years == 1 else "years"
            return f"{self.years} {unit} after closure (union profile)"
        unit = "day" if self.days == 1 else "days"
        return f"{self.days} {unit} after closure (per-case period, reason recorded)"

    @property
    def code(self) -> str:
        """A short machine form for CSV/JSON: ``profile:6y`` or ``per-case:0d``."""
        if self.kind is RuleKind.PROFILE:
            return f"profile:{self.years}y"
        return f"per-case:{self.days}d"


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved ``years`` calendar years on; 29 Feb lands on 28 Feb in a common year."""
    year = day.year + years
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return dt.date(year, 2, 28)
    return day.replace(year=year)


def retention_status(
    *,
    retain_until: dt.date | None,
    held: bool,
    destroyed: bool,
    as_of: dt.date,
) -> RetentionStatus | None:
    """The status of a case on ``as_of``; ``None`` for a case that is not closed.

    ``retain_until`` is the case's retention date (``None`` while it is open). Precedence:
    destroyed, then held, then overdue (``as_of`` at least :data:`OVERDUE_AFTER_DAYS` after
    the date), due (on or after the date), kept.
    """
    if destroyed:
        return RetentionStatus.DESTROYED
    if retain_until is None:
        return None
    if held:
        return RetentionStatus.HELD
    if as_of >= retain_until + dt.timedelta(days=OVERDUE_AFTER_DAYS):
        return RetentionStatus.OVERDUE
    if as_of >= retain_until:
        return RetentionStatus.DUE
    return RetentionStatus.KEPT


def _is_int(value: object) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)
