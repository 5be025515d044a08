"""Rows of ``off_record_consents``: the member was told beforehand and agreed (when, how).

Each consent allows one off-the-record / without-prejudice entry; ``used_by`` is that entry.
``told_at`` is an ISO date or an ISO date-time, as the rep gave it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlcipher3

from vault.errors import NotFound


@dataclass(frozen=True)
class OffRecordConsent:
    id: int
    case_id: str
    told_at: dt.date | dt.datetime
    how: str
    recorded: dt.datetime
    trail_seq: int
    used_by: int | None

    @property
    def used(self) -> bool:
        return self.used_by is not None


def parse_moment(text: str) -> dt.date | dt.datetime:
    """An ISO date ("2026-11-23") or date-time back from its stored text."""
    return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)


def _consent(r: sqlcipher3.Row) -> OffRecordConsent:
    return OffRecordConsent(
        id=int(r["id"]), case_id=r["case_id"], told_at=parse_moment(r["told_at"]), how=r["how"],
        recorded=dt.datetime.fromisoformat(r["recorded"]), trail_seq=int(r["trail_seq"]),
        used_by=int(r["used_by"]) if r["used_by"] is not None else None,
    )


class OffRecordConsentsRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def insert(self, case_id: str, told_at: dt.date | dt.datetime, how: str,
               recorded: dt.datetime, trail_seq: int) -> int:
        cur = self._conn.execute(
            "INSERT INTO off_record_consents (case_id, told_at, how, recorded, trail_seq)"
            " VALUES (?, ?, ?, ?, ?)",
            (case_id, told_at.isoformat(), how, recorded.isoformat(), trail_seq),
        )
        return int(cur.lastrowid)

    def get(self, consent_id: int) -> OffRecordConsent:
        r = self._conn.execute("SELECT * FROM off_record_consents WHERE id = ?",
                               (consent_id,)).fetchone()
        if r is None:
            raise NotFound(f"There is no off-the-record consent {consent_id}.")
        return _consent(r)

    def for_case(self, case_id: str) -> list[OffRecordConsent]:
        rows = self._conn.execute(
            "SELECT * FROM off_record_consents WHERE case_id = ? ORDER BY id", (case_id,)
        ).fetchall()
        return [_consent(r) for r in rows]

    def unused(self, case_id: str) -> list[OffRecordConsent]:
        return [c for c in self.for_case(case_id) if not c.used]

    def mark_used(self, consent_id: int, entry_seq: int) -> None:
        self._conn.execute("UPDATE off_record_consents SET used_by = ? WHERE id = ?",
                           (entry_seq, consent_id))

    def delete_case(self, case_id: str) -> int:
        return int(self._conn.execute("DELETE FROM off_record_consents WHERE case_id = ?",
                                      (case_id,)).rowcount)
