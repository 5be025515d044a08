"""Conflict-of-interest checks over every member and party in the vault, and the rep's decisions.

The UCU guide: "If a member seeks help about another member, or another non-union employee,
reflect on whether you, or UCU, may have any conflicting interests." A check matches a name
(and a membership number and email, exactly) against every member and every party of every
other case, with ``vault.casework.conflict_matcher`` (normalised names, nicknames, fuzzy
spelling). Each match comes back with the other case's reference and the person's role there.

- ``check`` runs a check and saves nothing (``conflicts check`` on the command line).
- Adding a party (``vault.casework.parties``), adding a member (``check_member``) and opening a
  case (``check_case_member``) run the check and save it: one paper-trail entry for the check
  (references, roles and reasons only, never the other case's names, so destroying that case
  leaves none of its people behind in this trail) and one finding per match.
- The rep records a decision on each finding: proceed (with a reason), step aside, or refer to
  another rep. Stepping aside is a hand-over (UCU guide: "it will usually require you, or
  UCU, to step aside from advising the member"): it needs who the case goes to and when,
  writes a "case handed over" entry, and marks the case (``handover``) so the case page says
  so. The decision goes into the paper trail. A decision can be changed later by
  recording another; the trail keeps every one. Findings without a decision are pending
  (``pending``: both cases involved show them).

The index lives in memory for the session. It is built on first use and then kept current
from ``people_changes``, a log of changed member, case and party ids that database triggers
write (so changes made by other services or another process are picked up too); it rebuilds
only when that log has been pruned past the point it reflects.

Nothing here logs names.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from vault.casework.conflict_matcher import (
    ConflictIndex,
    ConflictMatch,
    MatchReason,
    Person,
    match_wording,
)
from vault.casework.validation import clean_email, clean_name, clean_text
from vault.clock import Clock
from vault.domain import Case, format_uk_date
from vault.errors import InvalidInput, NotFound
from vault.store.conflicts_repo import FindingRecord, NewFinding
from vault.store.parties_repo import PartyRole
from vault.store.people_repo import (
    CasePerson,
    MemberPerson,
    PartyPerson,
    PeopleChange,
    PeopleRepository,
)
from vault.store.unit_of_work import Tx, UnitOfWork
from vault.trail.service import CaseworkEvent, PaperTrail, load_case

log = logging.getLogger(__name__)

MEMBER = "member"
PARTY = "party"
MAX_REASON = 2_000
MAX_WHO = 200
GONE = "(no longer in the vault)"


class ConflictDecision(StrEnum):
    """The rep's decision on a possible conflict. Values are the command-line names."""

    PROCEED = "proceed"
    STEP_ASIDE = "step-aside"
    REFER = "refer"


_DECISION_SUMMARY = {
    ConflictDecision.PROCEED: "Decided to proceed despite a possible conflict of interest",
    ConflictDecision.STEP_ASIDE: "Decided to step aside because of a possible conflict of interest",
    ConflictDecision.REFER: "Decided to refer to another rep because of a possible conflict of "
                            "interest",
}


def role_label(role: str) -> str:
    """"member", or a party role's label ("subject of the complaint")."""
    try:
        return PartyRole(role).label
    except ValueError:
        return role


@dataclass(frozen=True)
class PossibleConflict:
    """Someone already in the vault who may be the person checked.

    ``ref`` is the case they belong to (None for a member with no case yet); ``role`` is
    "member" or their party role there; ``person_id`` is the member id or the party id.
    """

    ref: str | None
    role: str
    name: str
    reason: MatchReason
    score: int
    person_kind: str
    person_id: str

    @property
    def wording(self) -> str:
        """How alike, in plain words: "same name", "very similar name", …"""
        return match_wording(self.reason, self.score)

    def describe(self) -> str:
        where = f"in {self.ref}" if self.ref else "(no case yet)"
        return f"{self.name}: {role_label(self.role)} {where} ({self.wording})"

    def to_json(self) -> dict[str, Any]:
        return {"ref": self.ref, "role": self.role, "name": self.name,
                "reason": self.reason.value, "score": self.score, "wording": self.wording,
                "person": {"kind": self.person_kind, "id": self.person_id}}


@dataclass(frozen=True)
class ConflictFinding:
    """A saved possible conflict and the rep's decision on it (None while pending).

    ``case_ref`` is the case of the person checked (None when a new member was checked);
    ``match`` is who they may be, in another case.
    """

    id: int
    checked_kind: str
    checked_id: str
    case_ref: str | None
    match: PossibleConflict
    checked: dt.datetime
    check_seq: int
    decision: ConflictDecision | None
    decision_reason: str | None
    decided: dt.datetime | None
    handover_to: str | None = None
    handover_on: dt.date | None = None

    @property
    def pending(self) -> bool:
        return self.decision is None

    def describe(self) -> str:
        return f"[{self.id}] {self.match.describe()}"

    def to_json(self) -> dict[str, Any]:
        data = self.match.to_json()
        data.update({
            "id": self.id, "case": self.case_ref,
            "checked": {"kind": self.checked_kind, "id": self.checked_id},
            "check_entry": self.check_seq,
            "decision": self.decision.value if self.decision else None,
            "decision_reason": self.decision_reason,
            "handover_to": self.handover_to,
            "handover_on": self.handover_on.isoformat() if self.handover_on else None,
        })
        return data


class _PeopleIndex:
    """The ConflictIndex of one session and the bookkeeping to keep it current.

    Keys: ``m:<member id>`` for a member with no live case, ``m:<member id>:<case id>`` for a
    member in each live case, ``p:<party id>`` for a party. Callers hold the database lock.
    """

    def __init__(self) -> None:
        self.index: ConflictIndex | None = None
        self.last = 0
        self._member_keys: dict[str, set[str]] = {}
        self._case_member: dict[str, str] = {}
        self._case_parties: dict[str, set[str]] = {}

    def sync(self, tx: Tx) -> ConflictIndex:
        repo = tx.people
        oldest, newest = repo.change_bounds()
        if self.index is None or newest < self.last or (oldest and oldest > self.last + 1):
            self._rebuild(repo, newest)
        else:
            for change in repo.changes_after(self.last):
                self._apply(repo, change)
                self.last = change.id
        assert self.index is not None
        return self.index

    def _rebuild(self, repo: PeopleRepository, newest: int) -> None:
        self.index = ConflictIndex()
        self._member_keys.clear()
        self._case_member.clear()
        self._case_parties.clear()
        cases_of: dict[str, list[CasePerson]] = {}
        for case in repo.cases_all():
            cases_of.setdefault(case.member_id, []).append(case)
        for member in repo.members_all():
            self._add_member(member, cases_of.get(member.id, []))
        for party in repo.parties_all():
            self._add_party(party)
        self.last = newest
        log.info("conflict index built: %d people", len(self.index))

    def _apply(self, repo: PeopleRepository, change: PeopleChange) -> None:
        if change.kind == MEMBER:
            self._refresh_member(repo, change.ref)
        elif change.kind == PARTY:
            self._refresh_party(repo, change.ref)
        else:
            found = repo.case(change.ref)
            old_member = self._case_member.pop(change.ref, None)
            if old_member:
                self._refresh_member(repo, old_member)
            if found is not None:
                case, destroyed = found
                if case.member_id != old_member:
                    self._refresh_member(repo, case.member_id)
                if destroyed:
                    for key in self._case_parties.pop(case.id, set()):
                        self._discard(key)
                else:
                    for party_id in repo.party_ids_of_case(case.id):
                        self._refresh_party(repo, str(party_id))

    def _refresh_member(self, repo: PeopleRepository, member_id: str) -> None:
        for key in self._member_keys.pop(member_id, set()):
            self._discard(key)
        member = repo.member(member_id)
        if member is not None:
            self._add_member(member, repo.cases_of_member(member_id))

    def _refresh_party(self, repo: PeopleRepository, party_id: str) -> None:
        key = f"p:{party_id}"
        self._discard(key)
        for keys in self._case_parties.values():
            keys.discard(key)
        party = repo.party(int(party_id))
        if party is not None:
            self._add_party(party)

    def _add_member(self, m: MemberPerson, cases: Iterable[CasePerson]) -> None:
        assert self.index is not None
        keys = self._member_keys.setdefault(m.id, set())
        placed = False
        for case in cases:
            key = f"m:{m.id}:{case.id}"
            self.index.add(Person(key, m.name, case.ref, MEMBER, m.membership_number, m.email))
            keys.add(key)
            self._case_member[case.id] = m.id
            placed = True
        if not placed:
            key = f"m:{m.id}"
            self.index.add(Person(key, m.name, None, MEMBER, m.membership_number, m.email))
            keys.add(key)

    def _add_party(self, p: PartyPerson) -> None:
        assert self.index is not None
        key = f"p:{p.id}"
        self.index.add(Person(key, p.name, p.case_ref, p.role))
        self._case_parties.setdefault(p.case_id, set()).add(key)

    def _discard(self, key: str) -> None:
        if self.index is not None and key in self.index:
            self.index.remove(key)


def _person_of(key: str) -> tuple[str, str]:
    """(kind, id) from an index key."""
    parts = key.split(":")
    return (MEMBER, parts[1]) if parts[0] == "m" else (PARTY, parts[1])


class ConflictService:
    def __init__(self, uow: UnitOfWork, clock: Clock, trail: PaperTrail) -> None:
        self._uow = uow
        self._clock = clock
        self._trail = trail
        self._people = _PeopleIndex()

    # -- checks that save nothing --------------------------------------------------------------

    def check(
        self,
        name: str,
        *,
        membership_number: str | None = None,
        email: str | None = None,
        exclude_ref: str | None = None,
    ) -> list[PossibleConflict]:
        """Who in the vault ``name`` may be, best match first. Saves nothing.

        ``exclude_ref`` leaves out the people of one case (the case being worked on). A vault
        with nobody else in it gives ``[]``.

        Raises:
            InvalidInput: empty name; malformed email.
        """
        clean = clean_name(name)
        mail = clean_email(email)
        number = clean_text(membership_number, "Membership number", required=False, max_len=40)
        with self._uow.read() as tx:
            return self._match(tx, clean, number, mail, exclude_ref, None)

    # -- checks that are saved -----------------------------------------------------------------

    def check_member(self, member_id: str) -> list[ConflictFinding]:
        """Check a member just added against everyone else; save the check and its findings.

        Raises:
            NotFound: no such member.
        """
        with self._uow.write() as tx:
            member = tx.members.get(member_id.strip().upper())
            matches = self._match(tx, member.name, member.membership_number, member.email,
                                  None, member.id)
            found = self._save(tx, None, MEMBER, member.id, matches,
                               f"Conflict check for new member {member.id}")
        log.info("conflict check for member %s: %d possible", member.id, len(found))
        return found

    def check_case_member(self, ref: str) -> list[ConflictFinding]:
        """Check a case's member against the members and parties of every other case.

        Run when a case is opened: its findings belong to the case (a tab badge while pending).

        Raises:
            NotFound / RefusedAction: no such case; the case is destroyed.
        """
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            member = tx.members.get(case.member_id)
            matches = self._match(tx, member.name, member.membership_number, member.email,
                                  case.ref, member.id)
            found = self._save(tx, case, MEMBER, member.id, matches,
                               f"Conflict check for the member of {case.ref}")
        log.info("conflict check for case %s: %d possible", case.ref, len(found))
        return found

    def prepare(self, tx: Tx) -> None:
        """Bring the index up to date inside a transaction, before it writes people."""
        self._people.sync(tx)

    def check_party_in(self, tx: Tx, case: Case, party_id: int, name: str,
                       role: str) -> list[ConflictFinding]:
        """Check a party just inserted (inside the caller's transaction, after ``prepare``).

        The index is not synced again here, so it never holds rows this transaction may still
        roll back. Other parties of the party's own case are left out; the case's own member
        is not (issue 17: "Jo Bloggs" added as the manager on Joe Bloggs's own case is a slip
        or a conflict either way).
        """
        index = self._people.index
        if index is None:
            raise RuntimeError("check_party_in called without prepare")
        matches = self._possible(tx, index.match(
            name, exclude_case_ref=case.ref,
            keep_roles_of_excluded_case=frozenset({MEMBER})), None)
        return self._save(tx, case, PARTY, str(party_id), matches,
                          f"Conflict check for {name} ({role_label(role)})")

    def refresh(self) -> None:
        """Apply the latest changes to the index now (after a committed write)."""
        with self._uow.read() as tx:
            self._people.sync(tx)

    def forget_erased(self) -> None:
        """After a secure deletion: drop the erased people from the in-memory index now, if it
        was built (otherwise the first check builds it from a database without them)."""
        if self._people.index is not None:
            self.refresh()

    # -- findings and decisions ----------------------------------------------------------------

    def findings(self, ref: str) -> list[ConflictFinding]:
        """Every finding involving a case (its people checked, or matched by others)."""
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            records = tx.conflicts.for_case(case.id)
            return [self._finding(tx, r) for r in records]

    def pending(self, ref: str) -> list[ConflictFinding]:
        """Findings involving a case that still need a decision (for the Parties tab badge)."""
        return [f for f in self.findings(ref) if f.pending]

    def pending_for_member(self, member_id: str) -> list[ConflictFinding]:
        """Undecided findings of the check run when the member was added."""
        with self._uow.read() as tx:
            records = tx.conflicts.for_member_check(
                member_id.strip().upper(), pending_only=True)
            return [self._finding(tx, r) for r in records]

    def pending_all(self) -> list[ConflictFinding]:
        """Every undecided finding in the vault (for the home page)."""
        with self._uow.read() as tx:
            records = tx.conflicts.pending_all()
            return [self._finding(tx, r) for r in records]

    def pending_on_cases_first(self, limit: int) -> tuple[list[ConflictFinding], int]:
        """Home's view of ``pending_all``: the findings a case page can show (on a case, or
        matched to a case), the first ``limit`` of them, and how many there are in all.
        Only those ``limit`` have their matched person's name looked up."""
        with self._uow.read() as tx:
            records, total = tx.conflicts.pending_on_cases_first(limit)
            return [self._finding(tx, r) for r in records], total

    def decide(self, finding_id: int, decision: ConflictDecision | str,
               reason: str | None = None, *, handover_to: str | None = None,
               handover_on: dt.date | None = None) -> ConflictFinding:
        """Record the rep's decision on a finding (a reason is required to proceed; stepping
        aside needs the hand-over: ``handover_to`` whom, ``handover_on`` when, default today).

        Raises:
            InvalidInput: unknown decision; proceeding without a reason; stepping aside without
                saying to whom, or with a hand-over date in the future; text too long.
            NotFound: no such finding.
            RefusedAction: the case involved has been destroyed.
        """
        try:
            choice = ConflictDecision(str(decision).strip().casefold())
        except ValueError:
            raise InvalidInput("Decide one of: "
                               + ", ".join(d.value for d in ConflictDecision)) from None
        why = clean_text(reason, "The reason", required=choice is ConflictDecision.PROCEED,
                         max_len=MAX_REASON)
        to: str | None = None
        on: dt.date | None = None
        if choice is ConflictDecision.STEP_ASIDE:
            to = clean_text(handover_to, "Who the case is handed over to", max_len=MAX_WHO)
            on = handover_on or self._clock.today()
            if on > self._clock.today():
                raise InvalidInput("The hand-over date cannot be in the future.")
        now = self._clock.now()
        with self._uow.write() as tx:
            repo = tx.conflicts
            rec = repo.get(finding_id)
            case = load_case(tx, rec.case_id) if rec.case_id else None
            where = f" in {rec.matched_ref}" if rec.matched_ref else ""
            payload: dict[str, Any] = {
                "summary": f"{_DECISION_SUMMARY[choice]} (finding {rec.id}: "
                           f"{role_label(rec.matched_role)}{where})",
                "decision": choice.value, "finding": rec.id,
            }
            if why:
                payload["detail"] = why
            seq = self._trail.record(tx, kind=CaseworkEvent.CONFLICT_DECISION.value,
                                     case=case, payload=payload,
                                     links={"decides": rec.check_seq})
            repo.decide(rec.id, choice.value, why, now, seq, handover_to=to, handover_on=on)
            if to is not None and on is not None:
                self._trail.record(tx, kind=CaseworkEvent.HANDED_OVER.value, case=case,
                                   payload={"summary": f"Stepped aside: case handed over to "
                                                       f"{to} on {format_uk_date(on)}",
                                            "occurred": on.isoformat(), "finding": rec.id,
                                            "decision_entry": seq, "handover_to": to})
            result = self._finding(tx, repo.get(rec.id))
        log.info("conflict finding %d decided: %s", finding_id, choice.value)
        return result

    def handover(self, ref: str) -> ConflictFinding | None:
        """The latest step-aside of case ``ref`` (the case is marked as handed over), or None.

        Raises:
            NotFound: no such case.
        """
        handed = [f for f in self.findings(ref) if f.case_ref == ref
                  and f.decision is ConflictDecision.STEP_ASIDE and f.handover_to]
        return max(handed, key=lambda f: f.decided or f.checked) if handed else None

    # -- internals -----------------------------------------------------------------------------

    def _match(self, tx: Tx, name: str, number: str | None,
               email: str | None, exclude_ref: str | None,
               exclude_member: str | None) -> list[PossibleConflict]:
        index = self._people.sync(tx)
        if len(index) == 0:
            return []
        matches = index.match(name, membership_number=number, email=email,
                              exclude_case_ref=exclude_ref)
        return self._possible(tx, matches, exclude_member)

    @staticmethod
    def _possible(tx: Tx, matches: list[ConflictMatch],
                  exclude_member: str | None) -> list[PossibleConflict]:
        out = []
        for m in matches:
            kind, pid = _person_of(m.person.key)
            if kind == MEMBER and pid == exclude_member:
                continue
            out.append(PossibleConflict(ref=m.person.case_ref, role=m.person.role,
                                        name=m.person.name, reason=m.reason, score=m.score,
                                        person_kind=kind, person_id=pid))
        return out

    def _save(self, tx: Tx, case: Case | None, subject_kind: str,
              subject_id: str, matches: list[PossibleConflict],
              summary: str) -> list[ConflictFinding]:
        n = len(matches)
        payload: dict[str, Any] = {
            "summary": f"{summary}: " + (f"{n} possible conflict{'s' if n != 1 else ''}"
                                         if n else "no possible conflicts"),
            # References, roles and reasons only: never the other cases' names.
            "matches": [{"ref": m.ref, "role": m.role, "reason": m.reason.value,
                         "score": m.score} for m in matches],
        }
        seq = self._trail.record(tx, kind=CaseworkEvent.CONFLICT_CHECK.value, case=case,
                                 payload=payload)
        now = self._clock.now()
        repo = tx.conflicts
        live_cases = _case_ids_by_ref(tx, {m.ref for m in matches if m.ref})
        found = []
        for m in matches:
            new = NewFinding(
                case_id=case.id if case else None, subject_kind=subject_kind,
                subject_id=subject_id, matched_kind=m.person_kind, matched_id=m.person_id,
                matched_case_id=live_cases.get(m.ref) if m.ref else None, matched_ref=m.ref,
                matched_role=m.role, reason=m.reason.value, score=m.score,
            )
            found.append(self._finding(tx, repo.get(repo.insert(new, now, seq)), m.name))
        return found

    @staticmethod
    def _finding(tx: Tx, r: FindingRecord,
                 name: str | None = None) -> ConflictFinding:
        if name is None:
            name = _name_of(tx, r.matched_kind, r.matched_id)
        match = PossibleConflict(ref=r.matched_ref, role=r.matched_role, name=name,
                                 reason=MatchReason(r.reason), score=r.score,
                                 person_kind=r.matched_kind, person_id=r.matched_id)
        return ConflictFinding(
            id=r.id, checked_kind=r.subject_kind, checked_id=r.subject_id, case_ref=r.case_ref,
            match=match, checked=r.checked, check_seq=r.check_seq,
            decision=ConflictDecision(r.decision) if r.decision else None,
            decision_reason=r.decision_reason, decided=r.decided,
            handover_to=r.handover_to, handover_on=r.handover_on,
        )


def _name_of(tx: Tx, kind: str, person_id: str) -> str:
    try:
        if kind == MEMBER:
            return tx.members.get(person_id).name
        return tx.parties.get(int(person_id)).name
    except (NotFound, ValueError):
        return GONE


def _case_ids_by_ref(tx: Tx, refs: set[str]) -> dict[str, str]:
    return tx.cases.ids_by_ref(sorted(refs)) if refs else {}
