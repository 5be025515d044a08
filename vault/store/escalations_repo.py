"""Rows of ``escalation_decisions``: the latest escalation decision of each case."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlcipher3

ESCALATED = "escalated"
NOT_ESCALATING = "not-escalating"


@dataclass(frozen=True)
class EscalationRecord:
    case_id: str
    decision: str                      # ESCALATED or NOT_ESCALATING
    escalated_to: str | None
    escalated_on: dt.date | None
    regional_notified_on: dt.date | None
    reason: str | None
    rules: tuple[str, ...]             # the rules this decision answered
    recorded: dt.datetime
    trail_seq: int


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _record(r: sqlcipher3.Row) -> EscalationRecord:
    return EscalationRecord(
        case_id=r["case_id"], decision=r["decision"], escalated_to=r["escalated_to"],
        escalated_on=_date(r["escalated_on"]),
        regional_notified_on=_date(r["regional_notified_on"]), reason=r["reason"],
        rules=tuple(x for x in r["rules"].split(",") if x),
        recorded=dt.datetime.fromisoformat(r["recorded"]), trail_seq=int(r["trail_seq"]),
    )


@dataclass(frozen=True)
class OpenCaseBrief:
    """An open case as the escalation check needs it, with its decision's outline."""

    case_id: str
    category: str
    dismissal_threatened: bool
    discrimination_alleged: bool
    decision: str | None               # None: no decision recorded
    decided_rules: tuple[str, ...]
    regional_notified: bool


class EscalationsRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def open_case_briefs(self) -> list[OpenCaseBrief]:
        """Every open case by reference (the order of ``CasesRepository.list``), with the
        outline of its latest decision: one query, no case decoded whole."""
        rows = self._conn.execute(
            "SELECT c.id, c.category, c.dismissal_threatened, c.discrimination_alleged,"
            " d.decision, d.rules, d.regional_notified_on FROM cases c"
            " LEFT JOIN escalation_decisions d ON d.case_id = c.id"
            " WHERE c.status = 'open' ORDER BY c.ref").fetchall()
        return [OpenCaseBrief(r[0], r[1], bool(r[2]), bool(r[3]), r[4],
                              tuple(x for x in (r[5] or "").split(",") if x), bool(r[6]))
                for r in rows]

    def get(self, case_id: str) -> EscalationRecord | None:
        r = self._conn.execute("SELECT * FROM escalation_decisions WHERE case_id = ?",
                               (case_id,)).fetchone()
        return _record(r) if r else None

    def all(self) -> dict[str, EscalationRecord]:
        rows = self._conn.execute("SELECT * FROM escalation_decisions").fetchall()
        return {r["case_id"]: _record(r) for r in rows}

    def save(self, rec: EscalationRecord) -> None:
        """Insert or replace the case's decision (the trail keeps every earlier one)."""
        self._conn.execute(
            "INSERT OR REPLACE INTO escalation_decisions (case_id, decision, escalated_to,"
            " escalated_on, regional_notified_on, reason, rules, recorded, trail_seq)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rec.case_id, rec.decision, rec.escalated_to,
             rec.escalated_on.isoformat() if rec.escalated_on else None,
             rec.regional_notified_on.isoformat() if rec.regional_notified_on else None,
             rec.reason, ",".join(rec.rules), rec.recorded.isoformat(), rec.trail_seq),
        )

    def delete_case(self, case_id: str) -> int:
        return int(self._conn.execute("DELETE FROM escalation_decisions WHERE case_id = ?",
                                      (case_id,)).rowcount)
