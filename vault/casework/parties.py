"""Parties of a case: the other people involved (manager, witness, complainant, ...).

Adding a party runs the conflict check (``vault.casework.conflicts``) against every member and
every party of every other case, in the same transaction: the party, a "party added" entry, a
"conflict check" entry and one finding per possible conflict are written together or not at
all. The rep then records a decision on each finding with ``ConflictService.decide``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from vault.casework.conflicts import ConflictFinding, ConflictService
from vault.casework.validation import clean_name
from vault.clock import Clock
from vault.errors import InvalidInput
from vault.store.parties_repo import Party, PartyRole, UnionMembership
from vault.store.unit_of_work import UnitOfWork
from vault.trail.service import CaseworkEvent, PaperTrail, load_case

log = logging.getLogger(__name__)

__all__ = ["Party", "PartyAdded", "PartyRole", "PartyService", "UnionMembership"]


@dataclass(frozen=True)
class PartyAdded:
    """The party added and the possible conflicts its check found (saved, pending a decision)."""

    party: Party
    conflicts: list[ConflictFinding]


def _role(role: PartyRole | str) -> PartyRole:
    if isinstance(role, PartyRole):
        return role
    try:
        return PartyRole.parse(role)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None


def _membership(value: UnionMembership | str | bool | None) -> UnionMembership:
    if value is None:
        return UnionMembership.UNKNOWN
    if isinstance(value, bool):
        return UnionMembership.YES if value else UnionMembership.NO
    try:
        return UnionMembership(str(value).strip().casefold())
    except ValueError:
        raise InvalidInput("Union member: answer yes, no or unknown.") from None


class PartyService:
    def __init__(self, uow: UnitOfWork, clock: Clock, trail: PaperTrail,
                 conflicts: ConflictService) -> None:
        self._uow = uow
        self._clock = clock
        self._trail = trail
        self._conflicts = conflicts

    def add(self, ref: str, name: str, role: PartyRole | str,
            union_member: UnionMembership | str | bool | None = None) -> PartyAdded:
        """Add a party to case ``ref`` and run the conflict check.

        Raises:
            InvalidInput: empty name; unknown role or union-membership answer.
            NotFound / RefusedAction: no such case; the case is destroyed.
        """
        clean = clean_name(name)
        party_role = _role(role)
        membership = _membership(union_member)
        now = self._clock.now()
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            # Sync before writing: if this transaction rolls back, the index still matches
            # the committed state.
            self._conflicts.prepare(tx)
            repo = tx.parties
            party_id = repo.insert(case.id, clean, party_role, membership, now)
            self._trail.record(tx, kind=CaseworkEvent.PARTY_ADDED.value, case=case, payload={
                "summary": f"Party added: {clean} ({party_role.label})",
                "party_id": party_id, "role": party_role.value,
                "union_member": membership.value,
            })
            found = self._conflicts.check_party_in(tx, case, party_id, clean, party_role.value)
            tx.cases.touch(case.id, now)
            party = repo.get(party_id)
        self._conflicts.refresh()
        log.info("party %d added to %s: %d possible conflicts", party.id, case.ref, len(found))
        return PartyAdded(party, found)

    def list(self, ref: str) -> list[Party]:
        """The parties of a case, in the order they were added.

        Raises:
            NotFound: no such case.
        """
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            return tx.parties.list(case.id)
