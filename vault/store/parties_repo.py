"""Rows of ``parties``: the other people in a case (manager, witness, complainant, ...)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import sqlcipher3

from vault.errors import NotFound


class PartyRole(StrEnum):
    """A party's role in the case. Values are the command-line names."""

    MANAGER = "manager"
    WITNESS = "witness"
    COMPLAINANT = "complainant"
    SUBJECT = "subject"
    COLLEAGUE = "colleague"
    OTHER = "other"

    @property
    def label(self) -> str:
        return "subject of the complaint" if self is PartyRole.SUBJECT else self.value

    @classmethod
    def parse(cls, text: str) -> PartyRole:
        """The role for a CLI name or label, any case.

        Raises:
            ValueError: listing the choices.
        """
        key = " ".join(text.strip().casefold().replace("-", " ").split())
        for role in cls:
            if key in (role.value, role.label):
                return role
        raise ValueError("Unknown role; choose one of: " + ", ".join(r.value for r in cls))


class UnionMembership(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Party:
    id: int
    case_id: str
    case_ref: str
    name: str
    role: PartyRole
    union_member: UnionMembership
    added: dt.datetime


def _party(row: sqlcipher3.Row) -> Party:
    return Party(
        id=int(row["id"]), case_id=row["case_id"], case_ref=row["ref"], name=row["name"],
        role=PartyRole(row["role"]), union_member=UnionMembership(row["union_member"]),
        added=dt.datetime.fromisoformat(row["added"]),
    )


_SELECT = "SELECT p.*, c.ref FROM parties p JOIN cases c ON c.id = p.case_id"


class PartiesRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def insert(self, case_id: str, name: str, role: PartyRole, union_member: UnionMembership,
               added: dt.datetime) -> int:
        cur = self._conn.execute(
            "INSERT INTO parties (case_id, name, role, union_member, added)"
            " VALUES (?, ?, ?, ?, ?)",
            (case_id, name, role.value, union_member.value, added.isoformat()),
        )
        return int(cur.lastrowid)

    def get(self, party_id: int) -> Party:
        row = self._conn.execute(_SELECT + " WHERE p.id = ?", (party_id,)).fetchone()
        if row is None:
            raise NotFound(f"There is no party {party_id}.")
        return _party(row)

    def list(self, case_id: str) -> list[Party]:
        rows = self._conn.execute(_SELECT + " WHERE p.case_id = ? ORDER BY p.id",
                                  (case_id,)).fetchall()
        return [_party(r) for r in rows]

    def update(self, party_id: int, name: str, role: PartyRole,
               union_member: UnionMembership) -> None:
        self._conn.execute("UPDATE parties SET name = ?, role = ?, union_member = ? WHERE id = ?",
                           (name, role.value, union_member.value, party_id))

    def delete(self, party_id: int) -> None:
        """Remove one party (its conflict findings and decisions stay in conflict_findings)."""
        self._conn.execute("DELETE FROM parties WHERE id = ?", (party_id,))

    def delete_case(self, case_id: str) -> int:
        """Secure deletion: remove every party of a case; returns how many."""
        return int(self._conn.execute("DELETE FROM parties WHERE case_id = ?", (case_id,)).rowcount)
