"""Rows of ``conflict_findings``: possible conflicts of interest found by a check, and decisions.

A finding pairs the person checked (a new member, a case's member, or a party: ``subject_*``)
with a person already in the vault (``matched_*``), with the matcher's reason and score. The
rep's decision (proceed with a reason, step aside, refer) is recorded on the row and in the
paper trail. Names are not copied here: they are read from the member and party rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlcipher3

from vault.errors import NotFound


@dataclass(frozen=True)
class FindingRecord:
    id: int
    case_id: str | None
    case_ref: str | None
    subject_kind: str
    subject_id: str
    matched_kind: str
    matched_id: str
    matched_case_id: str | None
    matched_ref: str | None
    matched_role: str
    reason: str
    score: int
    checked: dt.datetime
    check_seq: int
    decision: str | None
    decision_reason: str | None
    decided: dt.datetime | None
    decision_seq: int | None
    # After "step aside": who the case was handed over to, and when.
    handover_to: str | None = None
    handover_on: dt.date | None = None


@dataclass(frozen=True)
class NewFinding:
    case_id: str | None
    subject_kind: str
    subject_id: str
    matched_kind: str
    matched_id: str
    matched_case_id: str | None
    matched_ref: str | None
    matched_role: str
    reason: str
    score: int


def _finding(r: sqlcipher3.Row) -> FindingRecord:
    return FindingRecord(
        id=int(r["id"]), case_id=r["case_id"], case_ref=r["case_ref"],
        subject_kind=r["subject_kind"], subject_id=r["subject_id"],
        matched_kind=r["matched_kind"], matched_id=r["matched_id"],
        matched_case_id=r["matched_case_id"], matched_ref=r["matched_ref"],
        matched_role=r["matched_role"], reason=r["reason"], score=int(r["score"]),
        checked=dt.datetime.fromisoformat(r["checked"]), check_seq=int(r["check_seq"]),
        decision=r["decision"], decision_reason=r["decision_reason"],
        decided=dt.datetime.fromisoformat(r["decided"]) if r["decided"] else None,
        decision_seq=int(r["decision_seq"]) if r["decision_seq"] is not None else None,
        handover_to=r["handover_to"],
        handover_on=dt.date.fromisoformat(r["handover_on"]) if r["handover_on"] else None,
    )


_SELECT = ("SELECT f.*, c.ref AS case_ref FROM conflict_findings f"
           " LEFT JOIN cases c ON c.id = f.case_id")

# Undecided findings a case page can show: on a case, or matched to one.
_ON_CASES = (" WHERE f.decision IS NULL AND (coalesce(c.ref, '') != ''"
             " OR coalesce(f.matched_ref, '') != '')")
_PENDING_ON_CASES_FIRST = _SELECT + _ON_CASES + " ORDER BY f.id LIMIT ?"
_PENDING_ON_CASES_COUNT = ("SELECT count(*) FROM conflict_findings f"  # noqa: S608
                           " LEFT JOIN cases c ON c.id = f.case_id" + _ON_CASES)


class ConflictsRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def insert(self, new: NewFinding, checked: dt.datetime, check_seq: int) -> int:
        cur = self._conn.execute(
            "INSERT INTO conflict_findings (case_id, subject_kind, subject_id, matched_kind,"
            " matched_id, matched_case_id, matched_ref, matched_role, reason, score, checked,"
            " check_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (new.case_id, new.subject_kind, new.subject_id, new.matched_kind, new.matched_id,
             new.matched_case_id, new.matched_ref, new.matched_role, new.reason, new.score,
             checked.isoformat(), check_seq),
        )
        return int(cur.lastrowid)

    def get(self, finding_id: int) -> FindingRecord:
        r = self._conn.execute(_SELECT + " WHERE f.id = ?", (finding_id,)).fetchone()
        if r is None:
            raise NotFound(f"There is no conflict finding {finding_id}.")
        return _finding(r)

    def for_case(self, case_id: str, *, pending_only: bool = False) -> list[FindingRecord]:
        """Findings about a case's people, or matching someone in the case (both sides)."""
        sql = _SELECT + " WHERE (f.case_id = ? OR f.matched_case_id = ?)"
        if pending_only:
            sql += " AND f.decision IS NULL"
        rows = self._conn.execute(sql + " ORDER BY f.id", (case_id, case_id)).fetchall()
        return [_finding(r) for r in rows]

    def for_member_check(self, member_id: str, *,
                         pending_only: bool = False) -> list[FindingRecord]:
        """Findings of the check run when a member was added (no case yet)."""
        sql = (_SELECT + " WHERE f.case_id IS NULL AND f.subject_kind = 'member'"
               " AND f.subject_id = ?")
        if pending_only:
            sql += " AND f.decision IS NULL"
        rows = self._conn.execute(sql + " ORDER BY f.id", (member_id,)).fetchall()
        return [_finding(r) for r in rows]

    def pending_on_cases_first(self, limit: int) -> tuple[list[FindingRecord], int]:
        """The first ``limit`` undecided findings a case page can show (on a case, or matched
        to one), in id order, and how many there are in all (counted, not decoded)."""
        rows = self._conn.execute(_PENDING_ON_CASES_FIRST, (limit,)).fetchall()
        total = self._conn.execute(_PENDING_ON_CASES_COUNT).fetchone()[0]
        return [_finding(r) for r in rows], int(total)

    def pending_all(self) -> list[FindingRecord]:
        rows = self._conn.execute(_SELECT + " WHERE f.decision IS NULL ORDER BY f.id").fetchall()
        return [_finding(r) for r in rows]

    def decide(self, finding_id: int, decision: str, reason: str | None, decided: dt.datetime,
               seq: int, *, handover_to: str | None = None,
               handover_on: dt.date | None = None) -> None:
        self._conn.execute(
            "UPDATE conflict_findings SET decision = ?, decision_reason = ?, decided = ?,"
            " decision_seq = ?, handover_to = ?, handover_on = ? WHERE id = ?",
            (decision, reason, decided.isoformat(), seq, handover_to,
             handover_on.isoformat() if handover_on else None, finding_id),
        )

    def count_about_member(self, member_id: str) -> int:
        """Findings that name the member, as the person checked or as the person matched."""
        row = self._conn.execute(
            "SELECT count(*) FROM conflict_findings WHERE (subject_kind = 'member' AND"
            " subject_id = ?) OR (matched_kind = 'member' AND matched_id = ?)",
            (member_id, member_id)).fetchone()
        return int(row[0])

    def delete_case(self, case_id: str) -> int:
        """Secure deletion: findings about the case's people or pointing into the case."""
        return int(self._conn.execute(
            "DELETE FROM conflict_findings WHERE case_id = ? OR matched_case_id = ?",
            (case_id, case_id),
        ).rowcount)
