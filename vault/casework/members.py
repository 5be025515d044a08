"""Members: adding, listing and the UCU guide's warning about work email addresses."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from vault.casework.validation import clean_email, clean_name, clean_text
from vault.clock import Clock
from vault.domain import Member
from vault.errors import InvalidInput, RefusedAction
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


_UNSET: object = object()
# Member fields as the edit call, the trail entry and the command line name them.
MEMBER_FIELDS = ("name", "membership_number", "email", "phone", "employer", "department")


@dataclass(frozen=True)
class MemberEdit:
    """What an edit changed. ``conflicts`` are the findings of the re-check (name changes)."""

    member: Member
    changed: tuple[str, ...]
    conflicts: tuple[object, ...] = ()
    email_warning: str | None = None


@dataclass(frozen=True)
class MemberSummary:
    member: Member
    open_cases: int
    email_warning: str | None


class MemberService:
    def __init__(self, uow: UnitOfWork, clock: Clock, trail: PaperTrail,
                 recheck: Callable[[str], Sequence[object]] | None = None) -> None:
        self._uow = uow
        self._clock = clock
        self._trail = trail
        self._recheck = recheck  # the conflict check of one member (ConflictService)

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

    def edit(self, member_id: str, *, reason: str, name: object = _UNSET,
             membership_number: object = _UNSET, email: object = _UNSET,
             phone: object = _UNSET, employer: object = _UNSET,
             department: object = _UNSET) -> MemberEdit:
        """Correct a member's record; only the fields given change (``None`` clears one).

        The trail entry names the fields changed and the reason — never the old or new
        values (they are personal data and the entry outlives a member's destruction). A name
        change re-runs the conflict check.

        Raises:
            InvalidInput: no reason; nothing changed; an empty name; a malformed email; a
                membership number another member has (named by id).
            NotFound: no such member.
        """
        why = clean_text(reason, "The reason", max_len=500)
        with self._uow.write() as tx:
            current = tx.members.get(member_id.strip().upper())
            given = {"name": name, "membership_number": membership_number, "email": email,
                     "phone": phone, "employer": employer, "department": department}
            updates: dict[str, str | None] = {}
            for field, value in given.items():
                if value is _UNSET:
                    continue
                if value is not None and not isinstance(value, str):
                    raise InvalidInput(f"{field} must be text.")
                updates[field] = _clean_member_field(field, value)
            changed = tuple(f for f in MEMBER_FIELDS
                            if f in updates and updates[f] != getattr(current, f))
            if not changed:
                raise InvalidInput("Nothing to change: the record already says that.")
            number = updates.get("membership_number")
            if "membership_number" in changed and number:
                other = tx.members.find_by_number(number)
                if other is not None and other.id != current.id:
                    raise InvalidInput(f"Member {other.id} already has that membership number.")
            edited = replace(current, **{f: updates[f] for f in changed})  # type: ignore[arg-type]
            tx.members.update(edited)
            self._trail.record(tx, kind=SystemEvent.MEMBER_EDITED.value, case=None, payload={
                "summary": "Member record corrected: " + ", ".join(
                    f.replace("_", " ") for f in changed),
                "member_id": edited.id, "fields": list(changed), "detail": why})
        log.info("member %s edited (%s)", edited.id, ",".join(changed))
        conflicts: tuple[object, ...] = ()
        if "name" in changed and self._recheck is not None:
            conflicts = tuple(self._recheck(edited.id))
        return MemberEdit(edited, changed, conflicts,
                          work_email_warning(edited.email, edited.employer))
    def delete_added_by_mistake(self, member_id: str) -> None:
        """Delete a member record added by mistake, while nothing else refers to it: no case
        (open, closed or destroyed) and no conflict finding names them. The deletion is
        recorded in the paper trail (the member id, never the name).

        Raises:
            NotFound: no such member.
            RefusedAction: a case or a conflict finding refers to the member (the message says
                which, so the rep knows why).
        """
        with self._uow.write() as tx:
            member = tx.members.get(member_id.strip().upper())
            cases = tx.cases.list(member_id=member.id)
            if cases:
                raise RefusedAction(
                    f"{member.name} has {len(cases)} case{'s' if len(cases) != 1 else ''} "
                    f"({', '.join(c.ref for c in cases[:3])}); a member with a case cannot be "
                    "deleted.")
            if tx.conflicts.count_about_member(member.id):
                raise RefusedAction(f"A conflict check refers to {member.name}; the record is "
                                    "kept so the decision on it still makes sense.")
            tx.members.delete(member.id)
            self._trail.record(tx, kind=SystemEvent.RECORD_DELETED.value, case=None, payload={
                "summary": "Member record deleted (added by mistake)", "member_id": member.id})
        log.info("member deleted (added by mistake): %s", member.id)

    def get(self, member_id: str) -> Member:
        with self._uow.read() as tx:
            return tx.members.get(member_id.strip().upper())

    def count(self) -> int:
        """How many members the vault holds."""
        with self._uow.read() as tx:
            return tx.members.count()

    def list(self) -> list[MemberSummary]:
        with self._uow.read() as tx:
            repo = tx.members
            counts = repo.open_case_counts()
            members = repo.list()
        return [
            MemberSummary(m, counts.get(m.id, 0), work_email_warning(m.email, m.employer))
            for m in members
        ]


def _clean_member_field(field: str, value: str | None) -> str | None:
    if field == "name":
        return clean_name(value)
    if field == "email":
        return clean_email(value)
    limits = {"membership_number": ("Membership number", 40), "phone": ("Phone", 40),
              "employer": ("Employer", 200), "department": ("Department", 200)}
    label, limit = limits[field]
    return clean_text(value, label, required=False, max_len=limit)
