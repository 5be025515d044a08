"""The ``trail`` table as a repository: appends through the MAC chain, and every trail query.

``TrailStore`` (``trail_store.py``) owns the chain's format and verification; this repository
owns the SQL the services need around it, so no service runs SQL against the trail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlcipher3

from vault.crypto.secret import SecretKey
from vault.store.trail_store import ChainReport, StoredEntry, TrailStore, parse_links


@dataclass(frozen=True)
class EntryMeta:
    """What can be known of an entry without its case key."""

    seq: int
    kind: str
    case_id: str | None
    links: dict[str, int]


class TrailRepository:
    def __init__(self, conn: sqlcipher3.Connection, chain: TrailStore) -> None:
        self._conn = conn
        self._chain = chain

    def append(self, *, ts: dt.datetime, kind: str, case_ref: str, case_id: str | None,
               payload: Mapping[str, Any], payload_key: SecretKey,
               links: Mapping[str, int] | None = None) -> int:
        """Append one entry; returns its sequence number."""
        return self._chain.append(self._conn, ts=ts, kind=kind, case_ref=case_ref,
                                  case_id=case_id, payload=payload, payload_key=payload_key,
                                  links=links)

    def decode(self, row: sqlcipher3.Row, payload_key: SecretKey | None) -> StoredEntry:
        return self._chain.decode(row, payload_key)

    def rows_for_case(self, case_id: str) -> list[sqlcipher3.Row]:
        return self._conn.execute("SELECT * FROM trail WHERE case_id = ? ORDER BY seq",
                                  (case_id,)).fetchall()

    def row(self, seq: int) -> sqlcipher3.Row | None:
        row: sqlcipher3.Row | None = self._conn.execute(
            "SELECT * FROM trail WHERE seq = ?", (seq,)).fetchone()
        return row

    def rows_to_index(self) -> list[sqlcipher3.Row]:
        """Case entries that still have a payload (for the one-off search back-fill)."""
        return self._conn.execute(
            "SELECT * FROM trail WHERE case_id IS NOT NULL AND payload IS NOT NULL ORDER BY seq"
        ).fetchall()

    def meta(self, seq: int) -> EntryMeta | None:
        row = self._conn.execute("SELECT seq, kind, case_id, links FROM trail WHERE seq = ?",
                                 (seq,)).fetchone()
        if row is None:
            return None
        return EntryMeta(int(row["seq"]), row["kind"], row["case_id"], parse_links(row["links"]))

    def head(self) -> tuple[int, str]:
        """The last entry's number and MAC (hex); (0, '') when the trail is empty."""
        row = self._conn.execute("SELECT seq, mac FROM trail ORDER BY seq DESC LIMIT 1").fetchone()
        if row is None:
            return 0, ""
        return int(row["seq"]), bytes(row["mac"]).hex()

    def mac_at(self, seq: int) -> str | None:
        row = self._conn.execute("SELECT mac FROM trail WHERE seq = ?", (seq,)).fetchone()
        return None if row is None else bytes(row[0]).hex()

    def count_for_case(self, case_id: str) -> int:
        row = self._conn.execute("SELECT count(*) FROM trail WHERE case_id = ?",
                                 (case_id,)).fetchone()
        return int(row[0])

    def erase_payloads(self, case_id: str) -> int:
        """Null a destroyed case's payloads (hashes stay); see ``TrailStore.erase_payloads``."""
        return self._chain.erase_payloads(self._conn, case_id)

    def verify(self) -> ChainReport:
        return self._chain.verify(self._conn)
