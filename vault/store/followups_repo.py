"""Rows of ``followups``: the written follow-up owed for each piece of oral advice."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

import sqlcipher3

from vault.errors import NotFound


@dataclass(frozen=True)
class FollowUpRecord:
    advice_seq: int
    case_id: str
    case_ref: str
    case_status: str
    advice_date: dt.date
    due: dt.date
    discharged_seq: int | None
    waived_on: dt.date | None
    waive_reason: str | None

    @property
    def owed(self) -> bool:
        return self.discharged_seq is None and self.waived_on is None


def _record(r: sqlcipher3.Row) -> FollowUpRecord:
    return FollowUpRecord(
        advice_seq=int(r["advice_seq"]), case_id=r["case_id"], case_ref=r["ref"],
        case_status=r["status"], advice_date=dt.date.fromisoformat(r["advice_date"]),
        due=dt.date.fromisoformat(r["due"]),
        discharged_seq=int(r["discharged_seq"]) if r["discharged_seq"] is not None else None,
        waived_on=dt.date.fromisoformat(r["waived_on"]) if r["waived_on"] else None,
        waive_reason=r["waive_reason"],
    )


_SELECT = ("SELECT f.*, c.ref, c.status FROM followups f JOIN cases c ON c.id = f.case_id")


class FollowupsRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def open(self, advice_seq: int, case_id: str, advice_date: dt.date, due: dt.date) -> None:
        self._conn.execute(
            "INSERT INTO followups (advice_seq, case_id, advice_date, due) VALUES (?, ?, ?, ?)",
            (advice_seq, case_id, advice_date.isoformat(), due.isoformat()),
        )

    def find(self, advice_seq: int) -> FollowUpRecord | None:
        r = self._conn.execute(_SELECT + " WHERE f.advice_seq = ?", (advice_seq,)).fetchone()
        return _record(r) if r else None

    def get(self, advice_seq: int) -> FollowUpRecord:
        found = self.find(advice_seq)
        if found is None:
            raise NotFound(f"Entry #{advice_seq} has no written follow-up (is it oral advice?).")
        return found

    def discharge(self, advice_seq: int, by_seq: int) -> None:
        self._conn.execute("UPDATE followups SET discharged_seq = ? WHERE advice_seq = ?",
                           (by_seq, advice_seq))

    def waive(self, advice_seq: int, on: dt.date, reason: str) -> None:
        self._conn.execute(
            "UPDATE followups SET waived_on = ?, waive_reason = ? WHERE advice_seq = ?",
            (on.isoformat(), reason, advice_seq),
        )

    def owed(self) -> list[FollowUpRecord]:
        """Every follow-up still owed on a case that is not destroyed, earliest due first."""
        rows = self._conn.execute(
            _SELECT + " WHERE f.discharged_seq IS NULL AND f.waived_on IS NULL"
            " AND c.status <> 'destroyed' ORDER BY f.due, f.advice_seq"
        ).fetchall()
        return [_record(r) for r in rows]

    def for_case(self, case_id: str) -> list[FollowUpRecord]:
        rows = self._conn.execute(_SELECT + " WHERE f.case_id = ? ORDER BY f.advice_seq",
                                  (case_id,)).fetchall()
        return [_record(r) for r in rows]

    def owed_for_case(self, case_id: str) -> list[FollowUpRecord]:
        """The follow-ups of one case still owed, in the order the advice was logged."""
        rows = self._conn.execute(
            _SELECT + " WHERE f.case_id = ? AND f.discharged_seq IS NULL AND f.waived_on IS NULL"
            " ORDER BY f.advice_seq", (case_id,)).fetchall()
        return [_record(r) for r in rows]

    def for_advice(self, case_id: str, advice_seqs: Iterable[int]) -> list[FollowUpRecord]:
        """The follow-ups of some oral-advice entries of one case (primary-key lookups)."""
        rows = self._conn.execute(
            _SELECT + " WHERE f.advice_seq IN (SELECT value FROM json_each(?))"  # noqa: S608
            " AND f.case_id = ?"
            " ORDER BY f.advice_seq", (json.dumps(list(advice_seqs)), case_id)).fetchall()
        return [_record(r) for r in rows]

    def delete_case(self, case_id: str) -> int:
        return int(self._conn.execute("DELETE FROM followups WHERE case_id = ?",
                                      (case_id,)).rowcount)
