"""Rows of the ``case_dates`` table: hearings, meetings, deadlines and time limits of a case."""

from __future__ import annotations

import builtins
import datetime as dt
from dataclasses import dataclass

import sqlcipher3

from vault.errors import NotFound


@dataclass(frozen=True)
class CaseDate:
    id: int
    case_id: str
    case_ref: str
    kind: str
    on: dt.date
    act_date: dt.date | None
    note: str | None


def _row(r: sqlcipher3.Row) -> CaseDate:
    return CaseDate(int(r["id"]), r["case_id"], r["ref"], r["kind"],
                    dt.date.fromisoformat(r["on_date"]),
                    dt.date.fromisoformat(r["act_date"]) if r["act_date"] else None, r["note"])


_SELECT = ("SELECT d.*, c.ref FROM case_dates d JOIN cases c ON c.id = d.case_id"
           " WHERE c.status <> 'destroyed'")


class CaseDatesRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def insert(self, case_id: str, kind: str, on: dt.date, act_date: dt.date | None,
               note: str | None, added: dt.datetime) -> int:
        cur = self._conn.execute(
            "INSERT INTO case_dates (case_id, kind, on_date, act_date, note, added)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (case_id, kind, on.isoformat(), act_date.isoformat() if act_date else None, note,
             added.isoformat()))
        return int(cur.lastrowid or 0)

    def get(self, date_id: int) -> CaseDate:
        row = self._conn.execute(_SELECT + " AND d.id = ?", (date_id,)).fetchone()
        if row is None:
            raise NotFound(f"There is no key date {date_id}.")
        return _row(row)

    def for_case(self, case_id: str) -> builtins.list[CaseDate]:
        rows = self._conn.execute(_SELECT + " AND d.case_id = ? ORDER BY d.on_date, d.id",
                                  (case_id,)).fetchall()
        return [_row(r) for r in rows]

    def between(self, first: dt.date, last: dt.date) -> builtins.list[CaseDate]:
        """Dates of open cases from ``first`` to ``last`` inclusive, soonest first."""
        rows = self._conn.execute(
            _SELECT + " AND c.status = 'open' AND d.on_date BETWEEN ? AND ?"
            " ORDER BY d.on_date, c.ref", (first.isoformat(), last.isoformat())).fetchall()
        return [_row(r) for r in rows]

    def delete(self, date_id: int) -> None:
        self._conn.execute("DELETE FROM case_dates WHERE id = ?", (date_id,))

    def delete_case(self, case_id: str) -> int:
        return int(self._conn.execute("DELETE FROM case_dates WHERE case_id = ?",
                                      (case_id,)).rowcount)
