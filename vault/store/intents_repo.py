"""Rows of the ``intents`` table: multi-step operations recorded before they start."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import sqlcipher3


@dataclass(frozen=True)
class Intent:
    """One recorded operation. ``data`` holds ids and step names only, never member data."""

    id: int
    kind: str
    case_id: str | None
    file_id: str | None
    created: str
    data: dict[str, Any] = field(default_factory=dict)


class IntentsRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def add(self, kind: str, *, case_id: str | None, file_id: str | None,
            when: dt.datetime, data: dict[str, Any] | None = None) -> int:
        cur = self._conn.execute(
            "INSERT INTO intents (kind, case_id, file_id, created, data) VALUES (?, ?, ?, ?, ?)",
            (kind, case_id, file_id, when.isoformat(), json.dumps(data or {}, sort_keys=True)),
        )
        return int(cur.lastrowid or 0)

    def update_data(self, intent_id: int, data: dict[str, Any]) -> None:
        self._conn.execute("UPDATE intents SET data = ? WHERE id = ?",
                           (json.dumps(data, sort_keys=True), intent_id))

    def remove(self, intent_id: int) -> None:
        self._conn.execute("DELETE FROM intents WHERE id = ?", (intent_id,))

    def pending(self, kind: str | None = None) -> list[Intent]:
        if kind is None:
            rows = self._conn.execute("SELECT * FROM intents ORDER BY id").fetchall()
        else:
            rows = self._conn.execute("SELECT * FROM intents WHERE kind = ? ORDER BY id",
                                      (kind,)).fetchall()
        return [_intent(r) for r in rows]

    def file_ids(self) -> set[str]:
        rows = self._conn.execute("SELECT file_id FROM intents WHERE file_id IS NOT NULL")
        return {r[0] for r in rows}


def _intent(row: sqlcipher3.Row) -> Intent:
    try:
        data = json.loads(row["data"] or "{}")
    except ValueError:
        data = {}
    return Intent(int(row["id"]), row["kind"], row["case_id"], row["file_id"], row["created"],
                  data if isinstance(data, dict) else {})
