"""The ``trail`` table as a repository: appends through the MAC chain, and every trail query.

``TrailStore`` (``trail_store.py``) owns the chain's format and verification; this repository
owns the SQL the services need around it, so no service runs SQL against the trail.

``window_rows`` reads one window of a case's timeline (issue 12): the next ``limit`` groups,
a group being an entry that corrects nothing (its *root*) with the chain of corrections under
it. The roots come off the ``trail_case`` index, the corrections off ``trail_links``, so the
cost is the window's, whatever the length of the trail.
"""

from __future__ import annotations

import datetime as dt
import json
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


# An entry of the case that corrects another entry of the case is not a root.
_IS_ROOT = ("NOT EXISTS (SELECT 1 FROM trail_links l JOIN trail c ON c.seq = l.target"
            " WHERE l.seq = t.seq AND l.rel = 'corrects' AND c.case_id = t.case_id)")


@dataclass(frozen=True)
class WindowRows:
    """One window of a case's timeline: its rows (each with the ``root`` of its group), in
    timeline order (groups by root, newest first unless ``oldest_first``; within a group by
    number), and whether more groups lie beyond the last root."""

    rows: list[sqlcipher3.Row]
    roots: list[int]
    more: bool


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

    def window_rows(self, case_id: str, *, beyond: int | None = None, limit: int = 100,
                    oldest_first: bool = False, through: int | None = None) -> WindowRows:
        """The next groups of case ``case_id`` after root ``beyond`` (None: from the newest, or
        the oldest when ``oldest_first``): ``limit`` of them, or when ``through`` is given
        every group up to and including root ``through`` (at least ``limit``)."""
        # Only these constants are put into the SQL; every value is a parameter.
        cmp, order, bound = ("<", "DESC", ">=") if not oldest_first else (">", "ASC", "<=")
        start = beyond if beyond is not None else (-1 if oldest_first else 1 << 62)
        roots_sql = (f"SELECT t.seq FROM trail t WHERE t.case_id = ? AND t.seq {cmp} ?"  # noqa: S608
                     f" AND {_IS_ROOT} ORDER BY t.seq {order}")
        roots = [int(r[0]) for r in self._conn.execute(
            roots_sql + " LIMIT ?", (case_id, start, limit + 1)).fetchall()]
        more = len(roots) > limit
        roots = roots[:limit]
        if through is not None and more and (roots[-1] > through if not oldest_first
                                             else roots[-1] < through):
            roots += [int(r[0]) for r in self._conn.execute(
                roots_sql.replace("ORDER BY", f"AND t.seq {bound} ? ORDER BY"),
                (case_id, roots[-1], through)).fetchall()]
            more = self._conn.execute(roots_sql + " LIMIT 1",
                                      (case_id, roots[-1])).fetchone() is not None
        if not roots:
            return WindowRows([], [], False)
        rows = self._conn.execute(
            "WITH RECURSIVE chain(seq, root) AS ("  # noqa: S608
            " SELECT value, value FROM json_each(?)"
            " UNION ALL SELECT l.seq, chain.root FROM chain JOIN trail_links l"
            " ON l.rel = 'corrects' AND l.target = chain.seq)"
            " SELECT t.*, chain.root AS root FROM chain JOIN trail t ON t.seq = chain.seq"
            f" WHERE t.case_id = ? ORDER BY chain.root {order}, t.seq",
            (json.dumps(roots), case_id)).fetchall()
        return WindowRows(rows, roots, more)

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

    def latest_by_kind(self, kind: str) -> dict[str, dt.datetime]:
        """``{case id: time of the newest entry of kind}`` over every case."""
        rows = self._conn.execute(
            "SELECT case_id, max(ts) FROM trail WHERE kind = ? AND case_id IS NOT NULL"
            " GROUP BY case_id", (kind,)).fetchall()
        return {r[0]: dt.datetime.fromisoformat(r[1]) for r in rows}

    def count_for_case(self, case_id: str) -> int:
        row = self._conn.execute("SELECT count(*) FROM trail WHERE case_id = ?",
                                 (case_id,)).fetchone()
        return int(row[0])

    def erase_payloads(self, case_id: str) -> int:
        """Null a destroyed case's payloads (hashes stay); see ``TrailStore.erase_payloads``."""
        return self._chain.erase_payloads(self._conn, case_id)

    def verify(self) -> ChainReport:
        return self._chain.verify(self._conn)
