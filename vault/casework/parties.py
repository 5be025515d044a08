"""Parties of a case: the other people involved (manager, witness, complainant, ...).

Adding a party runs the conflict check (``vault.casework.conflicts``) against every member and
every party of every other case, in the same transaction: the party, a "party added" entry, a
"conflict check" entry and one finding per possible conflict are written together or not at
all. The rep then records a decision on each finding with ``ConflictService.decide``.

A party marked as a union member whom the check does not match to any member in the vault is
flagged (``PartyAdded.member_not_in_vault``, and said in the "party added" entry): either the
rep represents someone on the other side without knowing it, or the vault is missing a member
record; the Parties tab says so.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from vault.casework.conflicts import ConflictFinding, ConflictService
from vault.casework.validation import clean_name, clean_text
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
    # Marked as a union member, but matched to no member in the vault.
    member_not_in_vault: bool = False


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
            seq = self._trail.record(tx, kind=CaseworkEvent.PARTY_ADDED.value, case=case,
                                     payload={
                "summary": f"Party added: {clean} ({party_role.label})",
                "party_id": party_id, "role": party_role.value,
                "union_member": membership.value,
            })
            found = self._conflicts.check_party_in(tx, case, party_id, clean, party_role.value)
            not_in_vault = (membership is UnionMembership.YES
                            and not any(f.match.person_kind == "member" for f in found))
            if not_in_vault:
                self._trail.record(tx, kind=CaseworkEvent.PARTY_NOT_IN_VAULT.value, case=case,
                                   payload={
                    "summary": (f"{clean} is marked as a union member but is not among the "
                                "members in this vault: check whether you or the branch "
                                "represent them"),
                    "party_id": party_id, "after_entry": seq,
                })
            tx.cases.touch(case.id, now)
            party = repo.get(party_id)
        self._conflicts.refresh()
        log.info("party %d added to %s: %d possible conflicts", party.id, case.ref, len(found))
        return PartyAdded(party, found, not_in_vault)

    def edit(self, party_id: int, *, reason: str, name: str | None = None,
             role: PartyRole | str | None = None,
             union_member: UnionMembership | str | bool | None = None) -> PartyAdded:
        """Correct a party; a new name is checked for conflicts again.

        Raises:
            InvalidInput: no reason; nothing changed; an empty name; unknown role or answer.
            NotFound / RefusedAction: no such party; its case is destroyed.
        """
        why = clean_text(reason, "The reason", max_len=500)
        with self._uow.write() as tx:
            party = tx.parties.get(party_id)
            case = load_case(tx, party.case_id)
            new_name = clean_name(name) if name is not None else party.name
            new_role = _role(role) if role is not None else party.role
            new_member = (_membership(union_member) if union_member is not None
                          else party.union_member)
            changed = [f for f, old, new in (("name", party.name, new_name),
                                             ("role", party.role, new_role),
                                             ("union_member", party.union_member, new_member))
                       if old != new]
            if not changed:
                raise InvalidInput("Nothing to change: the party already says that.")
            self._conflicts.prepare(tx)
            tx.parties.update(party.id, new_name, new_role, new_member)
            self._trail.record(tx, kind=CaseworkEvent.PARTY_EDITED.value, case=case, payload={
                "summary": f"Party corrected: {new_name} ({new_role.label})",
                "party_id": party.id, "fields": changed, "detail": why})
            found = (self._conflicts.check_party_in(tx, case, party.id, new_name,
                                                    new_role.value)
                     if "name" in changed or "role" in changed else [])
            tx.cases.touch(case.id, self._clock.now())
            updated = tx.parties.get(party.id)
        self._conflicts.refresh()
        return PartyAdded(updated, found)

    def remove(self, party_id: int, *, reason: str) -> Party:
        """Remove a party added by mistake; the removal and the reason go into the trail, and
        any conflict decision already recorded about them is kept."""
        why = clean_text(reason, "The reason", max_len=500)
        with self._uow.write() as tx:
            party = tx.parties.get(party_id)
            case = load_case(tx, party.case_id)
            self._conflicts.prepare(tx)
            tx.parties.delete(party.id)
            self._trail.record(tx, kind=CaseworkEvent.PARTY_REMOVED.value, case=case, payload={
                "summary": f"Party removed: {party.name} ({party.role.label})",
                "party_id": party.id, "detail": why})
            tx.cases.touch(case.id, self._clock.now())
        self._conflicts.refresh()
        log.info("party %d removed from %s", party.id, case.ref)
        return party

    def list(self, ref: str) -> list[Party]:
        """The parties of a case, in the order they were added.

        Raises:
            NotFound: no such case.
        """
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            return tx.parties.list(case.id)
