"""The plain results the retention service hands the GUI and the command line.

Owns the shapes only (no storage, no Qt): a case's retention row, Home's reminder counts, the
erase steps with their wording, and a listed certificate.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from vault.retention.policy import RetentionStatus

__all__ = ["CertificateListing", "EraseStep", "ReminderCounts", "RetentionRow"]


@dataclass(frozen=True, slots=True)
class RetentionRow:
    """A closed (or destroyed) case on the Retention page; ``status`` as of ``as_of``."""

    ref: str
    category: str
    opened: dt.date
    closed: dt.date | None
    retain_until: dt.date | None
    rule: str
    held: bool
    hold_reason: str | None
    status: RetentionStatus
    destroyed: dt.date | None
    certificate_id: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "ref": self.ref, "category": self.category, "opened": self.opened.isoformat(),
            "closed": self.closed.isoformat() if self.closed else None,
            "retention_date": self.retain_until.isoformat() if self.retain_until else None,
            "rule": self.rule, "held": self.held, "hold_reason": self.hold_reason,
            "status": self.status.value,
            "destroyed": self.destroyed.isoformat() if self.destroyed else None,
            "certificate": self.certificate_id,
        }


@dataclass(frozen=True, slots=True)
class ReminderCounts:
    """Counts only: safe for a notification or tray text (never a name or reference)."""

    due: int
    overdue: int

    @property
    def total(self) -> int:
        return self.due + self.overdue


class EraseStep(StrEnum):
    """The steps of a cryptographic erase, in order (each resumable after a crash)."""

    KEY = "key"
    ROWS = "rows"
    FILES = "files"
    SEARCH = "search"
    TRAIL = "trail"
    MEMBER = "member"
    WAL = "wal"
    VACUUM = "vacuum"
    REKEY = "rekey"
    VERIFY = "verify"
    CERTIFICATE = "certificate"

    @property
    def label(self) -> str:
        return _STEP_LABELS[self]


_STEP_LABELS = {
    EraseStep.KEY: "Destroying the case key",
    EraseStep.ROWS: "Deleting the case's records",
    EraseStep.FILES: "Deleting the document files",
    EraseStep.SEARCH: "Purging the search index",
    EraseStep.TRAIL: "Removing paper-trail text",
    EraseStep.MEMBER: "Removing the member (no other case)",
    EraseStep.WAL: "Flushing the write-ahead log",
    EraseStep.VACUUM: "Rebuilding the database (VACUUM)",
    EraseStep.REKEY: "Re-encrypting the database under a new key",
    EraseStep.VERIFY: "Verifying",
    EraseStep.CERTIFICATE: "Making the destruction certificate",
}

ERASE_STEPS: tuple[EraseStep, ...] = tuple(EraseStep)


@dataclass(frozen=True, slots=True)
class CertificateListing:
    certificate_id: str
    ref: str
    destroyed: dt.datetime
    digest: str
