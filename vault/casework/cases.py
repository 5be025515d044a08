"""Cases: opening, listing, flags and consent to share, each change written to the trail."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, replace

from vault.casework.validation import MAX_TITLE, clean_text, not_in_future
from vault.clock import Clock
from vault.domain import Case, CaseFlags, CaseStatus, Category, Member
from vault.errors import RefusedAction
from vault.store.cases_repo import CasesRepository
from vault.store.unit_of_work import UnitOfWork
from vault.trail.kinds import SystemEvent
from vault.trail.service import PaperTrail

log = logging.getLogger(__name__)

NO_FLAGS = CaseFlags()


@dataclass(frozen=True)
class CaseSummary:
    case: Case
    member_name: str


class CaseService:
    def __init__(self, uow: UnitOfWork, clock: Clock, trail: PaperTrail) -> None:
        self._uow = uow
        self._clock = clock
        self._trail = trail

    def open(
        self,
        member_id: str,
        title: str,
        category: Category,
        *,
        flags: CaseFlags = NO_FLAGS,
        opened: dt.date | None = None,
    ) -> Case:
        """Open a case for a member with its own fresh random data key.

        Raises:
            NotFound: no such member.
            InvalidInput: empty title, opening date in the future.
        """
        clean_title = clean_text(title, "Title", max_len=MAX_TITLE)
        assert clean_title is not None
        today = self._clock.today()
        opened_on = not_in_future(opened or today, today, "The opening date")
        now = self._clock.now()
        case_id = secrets.token_hex(16)
        with self._uow.write() as tx:
            member = tx.members.get(member_id.strip().upper())
            repo = tx.cases
            case = Case(
                id=case_id,
                ref=repo.next_ref(opened_on.year),
                member_id=member.id,
                title=clean_title,
                category=category,
                status=CaseStatus.OPEN,
                opened=opened_on,
                closed=None,
                outcome=None,
                flags=flags,
                consent_to_share=False,
                last_activity=now,
            )
            wrapped = tx.new_case_key(case_id)
            repo.insert(case, wrapped)
            self._trail.record(tx,
                kind=SystemEvent.CASE_OPENED.value,
                case=case,
                payload={
                    "summary": f"Case opened: {clean_title}",
                    "category": category.value,
                    "flags": _flags_dict(flags),
                },
            )
        log.info("case opened: %s", case.ref)
        return case

    def get(self, ref: str) -> Case:
        with self._uow.read() as tx:
            return tx.cases.get(ref.strip())

    def member_of(self, case: Case) -> Member:
        with self._uow.read() as tx:
            return tx.members.get(case.member_id)

    def list(self, *, member_id: str | None = None) -> list[CaseSummary]:
        with self._uow.read() as tx:
            names = {m.id: m.name for m in tx.members.list()}
            cases = tx.cases.list(member_id=member_id)
        return [CaseSummary(c, names.get(c.member_id, "")) for c in cases]

    def set_flags(self, ref: str, flags: CaseFlags) -> Case:
        """Change the case flags; the change is logged."""
        with self._uow.write() as tx:
            repo = tx.cases
            case = self._open_case(repo, ref)
            if case.flags == flags:
                return case
            updated = replace(case, flags=flags, last_activity=self._clock.now())
            repo.update(updated)
            self._trail.record(tx,
                kind=SystemEvent.CASE_UPDATED.value,
                case=updated,
                payload={
                    "summary": "Case flags changed",
                    "flags": _flags_dict(flags),
                },
            )
        return updated

    def set_consent_to_share(self, ref: str, consent: bool) -> Case:
        """Record whether the member agreed to their case being shared with branch caseworkers."""
        with self._uow.write() as tx:
            repo = tx.cases
            case = self._open_case(repo, ref)
            if case.consent_to_share == consent:
                return case
            updated = replace(case, consent_to_share=consent, last_activity=self._clock.now())
            repo.update(updated)
            self._trail.record(tx,
                kind="consent-to-share",
                case=updated,
                payload={
                    "summary": (
                        "Member agreed to share with branch caseworkers"
                        if consent
                        else "Member withdrew consent to share with branch caseworkers"
                    ),
                    "consent": consent,
                },
            )
        return updated

    @staticmethod
    def _open_case(repo: CasesRepository, ref: str) -> Case:
        case = repo.get(ref.strip())
        if case.status is CaseStatus.DESTROYED:
            raise RefusedAction(f"Case {case.ref} has been destroyed.")
        return case


def _flags_dict(flags: CaseFlags) -> dict[str, bool]:
    return {
        "dismissal_threatened": flags.dismissal_threatened,
        "discrimination_alleged": flags.discrimination_alleged,
        "legal_action_contemplated": flags.legal_action_contemplated,
    }
