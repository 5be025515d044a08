"""Members: adding, listing and the UCU guide's warning about work email addresses."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from vault.casework.validation import clean_email, clean_name, clean_text
from vault.clock import Clock
from vault.domain import Member
from vault.errors import InvalidInput
from vault.store.unit_of_work import UnitOfWork
from vault.trail.kinds import SystemEvent
from vault.trail.service import PaperTrail

log = logging.getLogger(__name__)

_GENERIC_DOMAIN_LABELS = frozenset(
    {
        "ac",
        "uk",
        "com",
        "org",
        "co",
        "gov",
        "nhs",
        "net",
        "edu",
        "mail",
        "email",
        "www",
        "staff",
        "student",
        "students",
        "sch",
        "ltd",
        "plc",
        "info",
        "int",
    }
)
_GENERIC_EMPLOYER_WORDS = frozenset(
    {
        "university",
        "college",
        "school",
        "the",
        "of",
        "and",
        "ltd",
        "limited",
        "plc",
        "trust",
        "council",
        "group",
        "services",
        "foundation",
        "nhs",
        "institute",
        "for",
        "uk",
    }
)
_PERSONAL_PROVIDERS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "hotmail.co.uk",
        "live.com",
        "live.co.uk",
        "yahoo.com",
        "yahoo.co.uk",
        "icloud.com",
        "me.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "btinternet.com",
        "sky.com",
        "virginmedia.com",
        "gmx.com",
        "mail.com",
    }
)
_INSTITUTIONAL_SUFFIXES = (
    ".ac.uk",
    ".nhs.uk",
    ".nhs.net",
    ".gov.uk",
    ".sch.uk",
    ".police.uk",
    ".mod.uk",
    ".parliament.uk",
)


def work_email_warning(email: str | None, employer: str | None) -> str | None:
    """A warning when the preferred email looks like the member's work address, else None.

    The UCU guide: "It is usually best if you do not use their work email account."
    """
    if not email or "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1].casefold()
    if domain in _PERSONAL_PROVIDERS:
        return None
    labels = {
        lab for lab in re.split(r"[.\-]", domain) if lab and lab not in _GENERIC_DOMAIN_LABELS
    }
    words = {
        w
        for w in re.findall(r"[a-z0-9]+", (employer or "").casefold())
        if len(w) >= 3 and w not in _GENERIC_EMPLOYER_WORDS
    }
    initials = "".join(
        w[0]
        for w in re.findall(r"[a-z0-9]+", (employer or "").casefold())
        if w not in {"of", "the", "and", "for"}
    )
    if words & labels or (len(initials) >= 2 and initials in labels):
        return (
            "This email looks like the member's work address; the UCU guide advises using a "
            "personal address. Check with the member which address they prefer."
        )
    if domain.endswith(_INSTITUTIONAL_SUFFIXES):
        return (
            "This looks like an institutional (work) email address; check with the member "
            "that they prefer it to a personal one."
        )
    return None


@dataclass(frozen=True)
class MemberSummary:
    member: Member
    open_cases: int
    email_warning: str | None


class MemberService:
    def __init__(self, uow: UnitOfWork, clock: Clock, trail: PaperTrail) -> None:
        self._uow = uow
        self._clock = clock
        self._trail = trail

    def add(
        self,
        name: str,
        *,
        membership_number: str | None = None,
        employer: str | None = None,
        department: str | None = None,
        email: str | None = None,
        phone: str | None = None,
    ) -> Member:
        """Add a member and record it in the trail.

        Raises:
            InvalidInput: empty name, malformed email, or a membership number already used.
        """
        clean = clean_name(name)
        number = clean_text(membership_number, "Membership number", required=False, max_len=40)
        with self._uow.write() as tx:
            repo = tx.members
            if number and repo.find_by_number(number) is not None:
                raise InvalidInput("Another member already has that membership number.")
            member = Member(
                id=repo.next_id(),
                name=clean,
                membership_number=number,
                employer=clean_text(employer, "Employer", required=False, max_len=200),
                department=clean_text(department, "Department", required=False, max_len=200),
                email=clean_email(email),
                phone=clean_text(phone, "Phone", required=False, max_len=40),
                created=self._clock.now(),
            )
            repo.insert(member)
            self._trail.record(tx,
                kind=SystemEvent.MEMBER_ADDED.value,
                case=None,
                payload={"summary": "Member added", "member_id": member.id},
            )
        log.info("member added: %s", member.id)
        return member

    def update(self, member: Member) -> Member:
        """Save edited contact details (same rules as ``add``)."""
        cleaned = replace(
            member,
            name=clean_name(member.name),
            email=clean_email(member.email),
            employer=clean_text(member.employer, "Employer", required=False, max_len=200),
            department=clean_text(member.department, "Department", required=False, max_len=200),
            phone=clean_text(member.phone, "Phone", required=False, max_len=40),
        )
        with self._uow.write() as tx:
            tx.members.update(cleaned)
        return cleaned

    def get(self, member_id: str) -> Member:
        with self._uow.read() as tx:
            return tx.members.get(member_id.strip().upper())

    def list(self) -> list[MemberSummary]:
        with self._uow.read() as tx:
            repo = tx.members
            counts = repo.open_case_counts()
            members = repo.list()
        return [
            MemberSummary(m, counts.get(m.id, 0), work_email_warning(m.email, m.employer))
            for m in members
        ]
