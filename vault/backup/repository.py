"""The backup register and the automatic-backup settings (tables of migration 0005).

Like the training repository, it lives beside its service and runs on a transaction's
connection (``tx.connection``); it holds ids, times, sizes and paths, never member data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3


@dataclass(frozen=True)
class BackupSettingsRow:
    folder: Path | None
    keep: int
    automatic: bool


@dataclass(frozen=True)
class BackupRow:
    id: str
    created: dt.datetime
    kind: str
    path: Path
    size: int
    case_ids: tuple[str, ...]
    removed: dt.datetime | None = None
    removed_reason: str | None = None

    @property
    def kept(self) -> bool:
        return self.removed is None


class BackupsRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def settings(self) -> BackupSettingsRow | None:
        row = self._conn.execute(
            "SELECT folder, keep, automatic FROM backup_settings WHERE id = 1").fetchone()
        if row is None:
            return None
        return BackupSettingsRow(Path(row[0]) if row[0] else None, int(row[1]), bool(row[2]))

    def save_settings(self, folder: Path | None, keep: int, automatic: bool) -> None:
        self._conn.execute(
            "INSERT INTO backup_settings (id, folder, keep, automatic) VALUES (1, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET folder = excluded.folder, keep = excluded.keep, "
            "automatic = excluded.automatic",
            (str(folder) if folder is not None else None, keep, int(automatic)),
        )

    def add(self, row: BackupRow) -> None:
        self._conn.execute(
            "INSERT INTO backups (id, created, kind, path, size, case_ids) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (row.id, _iso(row.created), row.kind, str(row.path), row.size,
             " ".join(row.case_ids)),
        )

    def mark_removed(self, backup_id: str, when: dt.datetime, reason: str) -> None:
        self._conn.execute("UPDATE backups SET removed = ?, removed_reason = ? WHERE id = ?",
                           (_iso(when), reason, backup_id))

    def list(self, *, include_removed: bool = False) -> list[BackupRow]:
        sql = "SELECT id, created, kind, path, size, case_ids, removed, removed_reason " \
              "FROM backups"
        if not include_removed:
            sql += " WHERE removed IS NULL"
        sql += " ORDER BY created DESC, rowid DESC"
        return [BackupRow(
            id=r[0], created=dt.datetime.fromisoformat(r[1]), kind=r[2], path=Path(r[3]),
            size=int(r[4]), case_ids=tuple(filter(None, str(r[5]).split(" "))),
            removed=dt.datetime.fromisoformat(r[6]) if r[6] else None, removed_reason=r[7],
        ) for r in self._conn.execute(sql)]


def _iso(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="seconds")
