"""Cases: opening, listing, flags and consent to share, each change written to the trail.

Consent to share (UCU guide: sharing with branch caseworkers is "always on a confidential basis
unless the assisted member agrees") is honoured by :func:`check_consent_to_share`: every piece
of code that shares a case for the branch (an export or bundle for a branch caseworker or
regional officer, a case summary sent to the branch) must call it, or
``CaseService.require_consent_to_share``, before writing anything. Sharing with the member
themself (a subject access export) needs no consent.
"""

from __future__ import annotations

import builtins
import datetime as dt
import logging
import secrets
from dataclasses import dataclass, replace
from enum import StrEnum

from vault.casework.validation import clean_text, clean_title, not_in_future
from vault.clock import Clock
from vault.domain import Case, CaseFlags, CaseStage, CaseStatus, Category, Member
from vault.errors import InvalidInput, RefusedAction
from vault.store.cases_repo import CasesRepository
from vault.store.unit_of_work import UnitOfWork
from vault.trail.kinds import SystemEvent
from vault.trail.service import PaperTrail

log = logging.getLogger(__name__)

NO_FLAGS = CaseFlags()


_UNSET: object = object()


@dataclass(frozen=True)
class CaseEdit:
    """What an edit changed, and whether escalation is (newly) required."""

    case: Case
    changed: tuple[str, ...]
    escalation_required: bool
    escalation_newly_required: bool

    @property
    def message(self) -> str:
        text = "Case updated: " + ", ".join(c.replace("_", " ") for c in self.changed) + "."
        if self.escalation_newly_required:
            text += (" Escalation is now required (dismissal threatened or a discrimination "
                     "complaint): record the decision on the case's Overview.")
        return text
class ShareAudience(StrEnum):
    """Who a case is shared with. Values are what an export records as "for"."""

    BRANCH = "branch"      # branch caseworkers, the regional office, another rep
    MEMBER = "member"      # the member themself (subject access)


NO_CONSENT = ("The member has not agreed to their information being shared with branch "
              "caseworkers (case {ref}). Ask them first, and record their answer on the "
              "case's Overview, before sharing it.")


def check_consent_to_share(case: Case, audience: ShareAudience | str) -> None:
    """Refuse sharing ``case`` with ``audience`` unless the member agreed to it.

    Raises:
        RefusedAction: sharing for the branch without the member's consent (the message says
            what to do); or an unknown audience.
    """
    try:
        who = ShareAudience(audience)
    except ValueError:
        raise RefusedAction("Say who the case is shared with: branch or member.") from None
    if who is ShareAudience.BRANCH and not case.consent_to_share:
        log.info("sharing refused for %s: no consent to share", case.ref)
        raise RefusedAction(NO_CONSENT.format(ref=case.ref))


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
        title_text = clean_title(title)
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
                title=title_text,
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
                    "summary": f"Case opened: {title_text}",
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

    def counts_by_status(self) -> dict[CaseStatus, int]:
        """How many cases are open, closed, destroyed … (no case is decoded)."""
        with self._uow.read() as tx:
            raw = tx.cases.counts_by_status()
        return {status: raw.get(status.value, 0) for status in CaseStatus}

    def recent_open(self, limit: int) -> builtins.list[CaseSummary]:
        """The ``limit`` open cases with the latest activity, newest first, with their member."""
        with self._uow.read() as tx:
            cases = tx.cases.recent_open(limit)
            names = {c.member_id: tx.members.get(c.member_id).name for c in cases}
        return [CaseSummary(c, names.get(c.member_id, "")) for c in cases]

    def edit(self, ref: str, *, reason: str, title: str | None = None,
             category: Category | None = None, flags: CaseFlags | None = None,
             description: object = _UNSET, stage: CaseStage | None = None,
             informal_tried: object = _UNSET) -> CaseEdit:
        """Correct a case's record: only what is given changes; the trail records each field
        (old → new: the entry is encrypted with the case key and destroyed with the case).

        Says whether escalation became required (dismissal or discrimination, by category or
        flag) so the front end can prompt at once.

        Raises:
            InvalidInput: no reason; nothing changed; an empty title.
            NotFound / RefusedAction: no such case, or it has been destroyed.
        """
        why = clean_text(reason, "The reason", max_len=500)
        with self._uow.write() as tx:
            case = self._open_case(tx.cases, ref)
            changes: dict[str, object] = {}
            if title is not None:
                new_title = clean_title(title)  # the one names-and-titles rule
                if new_title != case.title:
                    changes["title"] = new_title
            if category is not None and category is not case.category:
                changes["category"] = category
            if flags is not None and flags != case.flags:
                changes["flags"] = flags
            if description is not _UNSET:
                if description is not None and not isinstance(description, str):
                    raise InvalidInput("The description must be text.")
                text = clean_text(description, "Description", required=False, max_len=4000)
                if text != case.description:
                    changes["description"] = text
            if stage is not None and stage is not case.stage:
                changes["stage"] = stage
            if informal_tried is not _UNSET:
                if informal_tried is not None and not isinstance(informal_tried, bool):
                    raise InvalidInput("Whether informal resolution was tried is yes or no.")
                if informal_tried != case.informal_tried:
                    changes["informal_tried"] = informal_tried
            if not changes:
                raise InvalidInput("Nothing to change: the case already says that.")
            updated = replace(case, **changes, last_activity=self._clock.now())  # type: ignore[arg-type]
            tx.cases.update(updated)
            self._trail.record(tx, kind=SystemEvent.CASE_UPDATED.value, case=updated, payload={
                "summary": "Case record corrected: " + ", ".join(
                    k.replace("_", " ") for k in changes),
                "changes": {k: {"from": _plain(getattr(case, k)), "to": _plain(v)}
                            for k, v in changes.items()},
                "detail": why})
        newly = updated.needs_escalation_prompt and not case.needs_escalation_prompt
        log.info("case %s edited (%s)", updated.ref, ",".join(changes))
        return CaseEdit(updated, tuple(changes), updated.needs_escalation_prompt, newly)

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

    def require_consent_to_share(self, ref: str,
                                 audience: ShareAudience | str = ShareAudience.BRANCH) -> Case:
        """The case, once :func:`check_consent_to_share` allows sharing it with ``audience``.

        Export must call this (inside or before its read) for every bundle made for the
        branch.

        Raises:
            NotFound: no such case.
            RefusedAction: no consent for the branch; the case is destroyed.
        """
        with self._uow.read() as tx:
            case = self._open_case(tx.cases, ref)
        check_consent_to_share(case, audience)
        return case

    @staticmethod
    def _open_case(repo: CasesRepository, ref: str) -> Case:
        case = repo.get(ref.strip())
        if case.status is CaseStatus.DESTROYED:
            raise RefusedAction(f"Case {case.ref} has been destroyed.")
        return case


def _plain(value: object) -> object:
    if isinstance(value, CaseFlags):
        return _flags_dict(value)
    if isinstance(value, Category | CaseStage):
        return value.value
    return value


def _flags_dict(flags: CaseFlags) -> dict[str, bool]:
    return {
        "dismissal_threatened": flags.dismissal_threatened,
        "discrimination_alleged": flags.discrimination_alleged,
        "legal_action_contemplated": flags.legal_action_contemplated,
    }
