"""Rows of the ``members`` table as ``Member`` objects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlcipher3

from vault.domain import Member
from vault.errors import NotFound


def _member(row: sqlcipher3.Row) -> Member:
    return Member(
        id=row["id"], name=row["name"], membership_number=row["membership_number"],
        employer=row["employer"], department=row["department"], email=row["email"],
        phone=row["phone"], created=dt.datetime.fromisoformat(row["created"]),
    )


class MembersRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def next_id(self) -> str:
        row = self._conn.execute(
            "SELECT max(CAST(substr(id, 3) AS INTEGER)) FROM members"
        ).fetchone()
        return f"M-{(row[0] or 0) + 1:04d}"

    def insert(self, member: Member) -> None:
        self._conn.execute(
            "INSERT INTO members (id, name, membership_number, employer, department, email, phone,"
            " created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (member.id, member.name, member.membership_number, member.employer,
             member.department, member.email, member.phone, member.created.isoformat()),
        )

    def update(self, member: Member) -> None:
        self._conn.execute(
            "UPDATE members SET name = ?, membership_number = ?, employer = ?, department = ?,"
            " email = ?, phone = ? WHERE id = ?",
            (member.name, member.membership_number, member.employer, member.department,
             member.email, member.phone, member.id),
        )

    def get(self, member_id: str) -> Member:
        row = self._conn.execute("SELECT * FROM members WHERE id = ?", (member_id,)).fetchone()
        if row is None:
            raise NotFound(f"There is no member {member_id}.")
        return _member(row)

    def find_by_number(self, number: str) -> Member | None:
        row = self._conn.execute(
            "SELECT * FROM members WHERE membership_number = ?", (number,)
        ).fetchone()
        return _member(row) if row else None

    def count(self) -> int:
        """How many members the vault holds (id-only rows of erased members excluded)."""
        return int(self._conn.execute(
            "SELECT count(*) FROM members WHERE removed IS NULL").fetchone()[0])

    def list(self) -> list[Member]:
        # A member erased with their last case (retention) keeps only an id: not listed.
        rows = self._conn.execute(
            "SELECT * FROM members WHERE removed IS NULL ORDER BY name COLLATE NOCASE"
        ).fetchall()
        return [_member(r) for r in rows]

    def open_case_counts(self) -> dict[str, int]:
        rows = self._conn.execute(
            "SELECT member_id, count(*) AS n FROM cases WHERE status = 'open' GROUP BY member_id"
        ).fetchall()
        return {r["member_id"]: r["n"] for r in rows}

    def delete(self, member_id: str) -> None:
        self._conn.execute("DELETE FROM members WHERE id = ?", (member_id,))

    def names(self, ids: Sequence[str]) -> dict[str, str]:
        """``{member id: name}`` for the ids that exist."""
        out: dict[str, str] = {}
        for i in range(0, len(ids), 500):
            chunk = tuple(ids[i:i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(f"SELECT id, name FROM members WHERE id IN ({marks})",  # noqa: S608
                                      chunk).fetchall()
            out.update({r[0]: r[1] for r in rows})
        return out
