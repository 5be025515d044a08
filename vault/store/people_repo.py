"""The people conflict checks look at: members, live cases, parties, and the ``people_changes`` log.

``people_changes`` is written by database triggers (migration 0002) whenever a member, a case
or a party changes, holding ids only. A session's in-memory conflict index remembers the last
change it applied and reads only the changes after it; when the log has been pruned past that
point it rebuilds from the ``*_all`` readers here.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlcipher3


@dataclass(frozen=True)
class MemberPerson:
    id: str
    name: str
    membership_number: str | None
    email: str | None


@dataclass(frozen=True)
class CasePerson:
    """A case that is not destroyed, with its member."""

    id: str
    ref: str
    member_id: str


@dataclass(frozen=True)
class PartyPerson:
    id: int
    case_id: str
    case_ref: str
    name: str
    role: str


@dataclass(frozen=True)
class PeopleChange:
    id: int
    kind: str   # member, case, party
    ref: str    # the member id, case id or party id


class PeopleRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    # -- the change log ------------------------------------------------------------------------

    def change_bounds(self) -> tuple[int, int]:
        """(oldest id kept, newest id) of the change log; (0, 0) when it is empty."""
        row = self._conn.execute("SELECT min(id), max(id) FROM people_changes").fetchone()
        return (int(row[0] or 0), int(row[1] or 0))

    def changes_after(self, last: int) -> list[PeopleChange]:
        rows = self._conn.execute(
            "SELECT id, kind, ref FROM people_changes WHERE id > ? ORDER BY id", (last,)
        ).fetchall()
        return [PeopleChange(int(r[0]), r[1], r[2]) for r in rows]

    # -- everyone (a rebuild) ------------------------------------------------------------------

    def members_all(self) -> list[MemberPerson]:
        rows = self._conn.execute(
            "SELECT id, name, membership_number, email FROM members WHERE removed IS NULL"
        ).fetchall()
        return [MemberPerson(r[0], r[1], r[2], r[3]) for r in rows]

    def cases_all(self) -> list[CasePerson]:
        rows = self._conn.execute(
            "SELECT id, ref, member_id FROM cases WHERE status <> 'destroyed'"
        ).fetchall()
        return [CasePerson(r[0], r[1], r[2]) for r in rows]

    def parties_all(self) -> list[PartyPerson]:
        rows = self._conn.execute(
            "SELECT p.id, p.case_id, c.ref, p.name, p.role FROM parties p"
            " JOIN cases c ON c.id = p.case_id WHERE c.status <> 'destroyed'"
        ).fetchall()
        return [PartyPerson(int(r[0]), r[1], r[2], r[3], r[4]) for r in rows]

    # -- one at a time (applying changes) ------------------------------------------------------

    def member(self, member_id: str) -> MemberPerson | None:
        r = self._conn.execute(
            "SELECT id, name, membership_number, email FROM members"
            " WHERE id = ? AND removed IS NULL", (member_id,)
        ).fetchone()
        return MemberPerson(r[0], r[1], r[2], r[3]) if r else None

    def cases_of_member(self, member_id: str) -> list[CasePerson]:
        rows = self._conn.execute(
            "SELECT id, ref, member_id FROM cases WHERE member_id = ? AND status <> 'destroyed'",
            (member_id,),
        ).fetchall()
        return [CasePerson(r[0], r[1], r[2]) for r in rows]

    def case(self, case_id: str) -> tuple[CasePerson, bool] | None:
        """The case and whether it is destroyed, or None when there is no such row."""
        r = self._conn.execute(
            "SELECT id, ref, member_id, status FROM cases WHERE id = ?", (case_id,)
        ).fetchone()
        return (CasePerson(r[0], r[1], r[2]), r[3] == "destroyed") if r else None

    def party(self, party_id: int) -> PartyPerson | None:
        """The party, or None when it is gone or its case is destroyed."""
        r = self._conn.execute(
            "SELECT p.id, p.case_id, c.ref, p.name, p.role FROM parties p"
            " JOIN cases c ON c.id = p.case_id WHERE p.id = ? AND c.status <> 'destroyed'",
            (party_id,),
        ).fetchone()
        return PartyPerson(int(r[0]), r[1], r[2], r[3], r[4]) if r else None

    def party_ids_of_case(self, case_id: str) -> list[int]:
        rows = self._conn.execute("SELECT id FROM parties WHERE case_id = ?", (case_id,))
        return [int(r[0]) for r in rows]
