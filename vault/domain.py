"""The domain's plain types: members, cases, documents and the names the CLI and UI share.

A leaf module (no imports from the rest of the vault), so every layer speaks the same words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    """Case categories (DOMAIN.md). Values are the command-line names."""

    DISCIPLINARY = "disciplinary"
    GRIEVANCE = "grievance"
    CAPABILITY = "capability"
    SICKNESS_ABSENCE = "sickness-absence"
    REDUNDANCY = "redundancy"
    DISMISSAL = "dismissal"
    DISCRIMINATION = "discrimination"
    BULLYING_HARASSMENT = "bullying-harassment"
    FLEXIBLE_WORKING = "flexible-working"
    HEALTH_AND_SAFETY = "health-and-safety"
    PAY_CONTRACT = "pay-contract"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Category:
        """Accept the CLI name or the label, any case. Raises ValueError listing the choices."""
        key = text.strip().casefold().replace("_", "-").replace(" ", "-").replace("/", "-")
        for cat in cls:
            if key in (cat.value, cat.label.casefold().replace(" ", "-").replace("/", "-")):
                return cat
        raise ValueError("Unknown category; choose one of: " + ", ".join(c.value for c in cls))


_CATEGORY_LABELS = {
    Category.DISCIPLINARY: "Disciplinary",
    Category.GRIEVANCE: "Grievance",
    Category.CAPABILITY: "Capability / performance",
    Category.SICKNESS_ABSENCE: "Sickness absence",
    Category.REDUNDANCY: "Redundancy",
    Category.DISMISSAL: "Dismissal",
    Category.DISCRIMINATION: "Discrimination",
    Category.BULLYING_HARASSMENT: "Bullying / harassment",
    Category.FLEXIBLE_WORKING: "Flexible working",
    Category.HEALTH_AND_SAFETY: "Health and safety",
    Category.PAY_CONTRACT: "Pay / contract",
    Category.OTHER: "Other",
}

# Categories that are personal cases (representing one member), as opposed to collective issues.
# Health and safety and pay/contract can be collective; every other category is personal.
PERSONAL_CATEGORIES = frozenset(Category) - {Category.HEALTH_AND_SAFETY, Category.PAY_CONTRACT}


class CaseStatus(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    DESTROYED = "destroyed"


@dataclass(frozen=True)
class CaseFlags:
    dismissal_threatened: bool = False
    discrimination_alleged: bool = False
    legal_action_contemplated: bool = False


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    membership_number: str | None
    employer: str | None
    department: str | None
    email: str | None
    phone: str | None
    created: dt.datetime


@dataclass(frozen=True)
class Case:
    id: str
    ref: str
    member_id: str
    title: str
    category: Category
    status: CaseStatus
    opened: dt.date
    closed: dt.date | None
    outcome: str | None
    flags: CaseFlags
    consent_to_share: bool
    last_activity: dt.datetime

    @property
    def needs_escalation_prompt(self) -> bool:
        """Dismissal threatened or a discrimination complaint, by category or flag (UCU guide)."""
        return (
            self.category in (Category.DISMISSAL, Category.DISCRIMINATION)
            or self.flags.dismissal_threatened
            or self.flags.discrimination_alleged
        )


@dataclass(frozen=True)
class Document:
    id: str
    case_id: str
    name: str
    media_type: str
    size: int
    cipher_size: int
    sha256: str
    added: dt.datetime
    is_original: bool
    returned: dt.datetime | None


class EntryKind(StrEnum):
    """Paper-trail entry kinds a rep logs (DESIGN.md §8 names)."""

    MEETING = "meeting"
    PHONE_CALL = "phone-call"
    EMAIL_SENT = "email-sent"
    EMAIL_RECEIVED = "email-received"
    LETTER = "letter"
    ORAL_ADVICE = "oral-advice"
    WRITTEN_ADVICE = "written-advice"
    ACTION = "action"
    OFF_THE_RECORD = "off-the-record"
    NOTE = "note"

    @property
    def label(self) -> str:
        return _ENTRY_LABELS[self]


_ENTRY_LABELS = {
    EntryKind.MEETING: "Meeting",
    EntryKind.PHONE_CALL: "Phone call",
    EntryKind.EMAIL_SENT: "Email sent",
    EntryKind.EMAIL_RECEIVED: "Email received",
    EntryKind.LETTER: "Letter",
    EntryKind.ORAL_ADVICE: "Oral advice",
    EntryKind.WRITTEN_ADVICE: "Written advice",
    EntryKind.ACTION: "Action taken",
    EntryKind.OFF_THE_RECORD: "Off the record / without prejudice",
    EntryKind.NOTE: "Note",
}


def format_uk_date(value: dt.date | dt.datetime | None) -> str:
    """23 Nov 2026 (UX.md: dates in UK format)."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%b %Y')}"


def format_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"
