"""The ``vault_meta`` key/value rows: schema-level facts about this vault (never member data)."""

from __future__ import annotations

import sqlcipher3


class MetaRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def get(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM vault_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT INTO vault_meta (key, value) VALUES (?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def get_blob(self, key: str) -> bytes | None:
        value = self.get(key)
        return None if value is None else bytes.fromhex(value)

    def set_blob(self, key: str, value: bytes) -> None:
        self.set(key, value.hex())
