"""Rows of the ``cases`` table as ``Case`` objects, and case references."""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Sequence

import sqlcipher3

from vault.domain import Case, CaseFlags, CaseStage, CaseStatus, Category
from vault.errors import NotFound


def _case(row: sqlcipher3.Row) -> Case:
    return Case(
        id=row["id"], ref=row["ref"], member_id=row["member_id"], title=row["title"],
        category=Category(row["category"]), status=CaseStatus(row["status"]),
        opened=dt.date.fromisoformat(row["opened"]),
        closed=dt.date.fromisoformat(row["closed"]) if row["closed"] else None,
        outcome=row["outcome"],
        flags=CaseFlags(
            dismissal_threatened=bool(row["dismissal_threatened"]),
            discrimination_alleged=bool(row["discrimination_alleged"]),
            legal_action_contemplated=bool(row["legal_action_contemplated"]),
        ),
        consent_to_share=bool(row["consent_to_share"]),
        last_activity=dt.datetime.fromisoformat(row["last_activity"]),
        description=row["description"],
        stage=CaseStage(row["stage"]),
        informal_tried=None if row["informal_tried"] is None else bool(row["informal_tried"]),
    )


class CasesRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def next_ref(self, year: int) -> str:
        """The next reference of the year: C-2026-0007. References are never reused."""
        prefix = f"C-{year}-"
        row = self._conn.execute(
            "SELECT max(CAST(substr(ref, 8) AS INTEGER)) FROM cases WHERE ref LIKE ?",
            (prefix + "%",),
        ).fetchone()
        return f"{prefix}{(row[0] or 0) + 1:04d}"

    def insert(self, case: Case, wrapped_key: bytes) -> None:
        self._conn.execute(
            "INSERT INTO cases (id, ref, member_id, title, category, status, opened, closed,"
            " outcome, dismissal_threatened, discrimination_alleged, legal_action_contemplated,"
            " consent_to_share, wrapped_key, last_activity)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (case.id, case.ref, case.member_id, case.title, case.category.value,
             case.status.value, case.opened.isoformat(),
             case.closed.isoformat() if case.closed else None, case.outcome,
             int(case.flags.dismissal_threatened), int(case.flags.discrimination_alleged),
             int(case.flags.legal_action_contemplated), int(case.consent_to_share),
             wrapped_key, case.last_activity.isoformat()),
        )

    def update(self, case: Case) -> None:
        self._conn.execute(
            "UPDATE cases SET title = ?, category = ?, status = ?, closed = ?, outcome = ?,"
            " dismissal_threatened = ?, discrimination_alleged = ?, legal_action_contemplated = ?,"
            " consent_to_share = ?, last_activity = ?, description = ?, stage = ?,"
            " informal_tried = ? WHERE id = ?",
            (case.title, case.category.value, case.status.value,
             case.closed.isoformat() if case.closed else None, case.outcome,
             int(case.flags.dismissal_threatened), int(case.flags.discrimination_alleged),
             int(case.flags.legal_action_contemplated), int(case.consent_to_share),
             case.last_activity.isoformat(), case.description, case.stage.value,
             None if case.informal_tried is None else int(case.informal_tried), case.id),
        )

    def touch(self, case_id: str, when: dt.datetime) -> None:
        self._conn.execute("UPDATE cases SET last_activity = ? WHERE id = ?",
                           (when.isoformat(), case_id))

    def get(self, ref_or_id: str) -> Case:
        row = self._conn.execute(
            "SELECT * FROM cases WHERE ref = ? OR id = ?", (ref_or_id.upper(), ref_or_id)
        ).fetchone()
        if row is None:
            raise NotFound(f"There is no case {ref_or_id}.")
        return _case(row)

    def wrapped_key(self, case_id: str) -> bytes | None:
        row = self._conn.execute(
            "SELECT wrapped_key FROM cases WHERE id = ?", (case_id,)
        ).fetchone()
        if row is None:
            raise NotFound("There is no such case.")
        return bytes(row["wrapped_key"]) if row["wrapped_key"] is not None else None

    def list(self, *, member_id: str | None = None) -> list[Case]:
        if member_id is None:
            rows = self._conn.execute("SELECT * FROM cases ORDER BY ref").fetchall()
        else:
            rows = self._conn.execute(
                "SELECT * FROM cases WHERE member_id = ? ORDER BY ref", (member_id,)
            ).fetchall()
        return [_case(r) for r in rows]

    def counts_by_status(self) -> dict[str, int]:
        """How many cases are in each status (one indexed aggregate, no rows decoded)."""
        rows = self._conn.execute("SELECT status, count(*) FROM cases GROUP BY status")
        return {str(r[0]): int(r[1]) for r in rows}

    def open_brief(self) -> builtins.list[tuple[str, str, dt.date]]:
        """``(id, reference, opened)`` of every open case: no whole case decoded."""
        rows = self._conn.execute("SELECT id, ref, opened FROM cases WHERE status = 'open'")
        return [(r[0], r[1], dt.date.fromisoformat(r[2])) for r in rows]

    def recent_open(self, limit: int) -> builtins.list[Case]:
        """The ``limit`` open cases with the latest activity, newest first."""
        rows = self._conn.execute(
            "SELECT * FROM cases WHERE status = 'open' ORDER BY last_activity DESC, ref"
            " LIMIT ?", (limit,)).fetchall()
        return [_case(r) for r in rows]

    def all_wrapped_keys(self) -> builtins.list[tuple[str, bytes]]:
        """``(case id, wrapped key)`` of every case whose key still exists (for re-wrapping)."""
        rows = self._conn.execute(
            "SELECT id, wrapped_key FROM cases WHERE wrapped_key IS NOT NULL ORDER BY id")
        return [(r[0], bytes(r[1])) for r in rows]

    def set_wrapped_key(self, case_id: str, wrapped: bytes | None) -> None:
        """Replace (or, with None, destroy) a case's wrapped data key."""
        self._conn.execute("UPDATE cases SET wrapped_key = ? WHERE id = ?", (wrapped, case_id))

    def brief_where(self, column: str, keys: Sequence[str]
                    ) -> builtins.list[tuple[str, str, str, str, str]]:
        """``(id, ref, title, status, member_id)`` of live cases whose ``column`` (``id`` or
        ``member_id``) is in ``keys``."""
        if column not in ("id", "member_id"):
            raise ValueError("column")
        out: builtins.list[tuple[str, str, str, str, str]] = []
        for i in range(0, len(keys), 500):
            chunk = tuple(keys[i:i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(
                f"SELECT id, ref, title, status, member_id FROM cases WHERE {column} IN ({marks})"  # noqa: S608
                " AND status <> 'destroyed'", chunk).fetchall()
            out += [(r[0], r[1], r[2], r[3], r[4]) for r in rows]
        return out

    def ids_by_ref(self, refs: Sequence[str]) -> dict[str, str]:
        """``{ref: id}`` for the references that exist."""
        out: dict[str, str] = {}
        for i in range(0, len(refs), 500):
            chunk = tuple(refs[i:i + 500])
            marks = ",".join("?" * len(chunk))
            rows = self._conn.execute(f"SELECT ref, id FROM cases WHERE ref IN ({marks})",  # noqa: S608
                                      chunk).fetchall()
            out.update({r[0]: r[1] for r in rows})
        return out
