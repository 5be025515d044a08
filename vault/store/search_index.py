"""The full-text search index (``search_fts`` and ``search_docs``), inside the encrypted database.

FTS5 with the ``secure-delete`` option on (set in migration 0002): deleting a row removes its
words from the index itself, not just from the results. Members, cases, parties and
first-meeting text are indexed by database triggers on every write. Trail entries are indexed
here, by the paper-trail service, in the transaction that writes them: their payloads are
encrypted in the ``trail`` table, so the plaintext summary and detail are indexed at write time.

Queries are FTS5 expressions built by the caller from the rep's words (``vault.casework.search``);
nothing here interprets user input.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlcipher3

TRAIL = "trail"
HIGHLIGHT_START = "\u00ab"   # «
HIGHLIGHT_END = "\u00bb"     # »
_PENDING_KEY = "trail_index_pending"


@dataclass(frozen=True)
class SearchRow:
    """One matching indexed row. ``snippet`` marks matches with « and »."""

    source: str
    source_id: str
    case_id: str | None
    label: str
    snippet: str


class SearchIndex:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def index_trail_entry(self, seq: int, case_id: str, kind: str, text: str) -> None:
        """Index one trail entry's plaintext (inside the caller's transaction)."""
        cur = self._conn.execute(
            "INSERT INTO search_docs (source, source_id, case_id, label) VALUES (?, ?, ?, ?)",
            (TRAIL, str(seq), case_id, kind),
        )
        self._conn.execute("INSERT INTO search_fts (rowid, body) VALUES (?, ?)",
                           (cur.lastrowid, text))

    def has_trail_entry(self, seq: int) -> bool:
        return self._conn.execute(
            "SELECT 1 FROM search_docs WHERE source = ? AND source_id = ?", (TRAIL, str(seq))
        ).fetchone() is not None

    def query(self, match: str, limit: int) -> list[SearchRow]:
        """The best ``limit`` rows for an FTS5 ``match`` expression, best first (bm25)."""
        rows = self._conn.execute(
            "SELECT d.source, d.source_id, d.case_id, d.label,"
            " snippet(search_fts, 0, ?, ?, '…', 12) AS snip"
            " FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid"
            " WHERE search_fts MATCH ? ORDER BY rank LIMIT ?",
            (HIGHLIGHT_START, HIGHLIGHT_END, match, limit),
        ).fetchall()
        return [SearchRow(r[0], r[1], r[2], r[3], r[4]) for r in rows]

    def purge_case(self, case_id: str) -> int:
        """Remove every indexed row of a case (secure deletion); returns how many."""
        self._conn.execute(
            "DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_docs WHERE case_id = ?)",
            (case_id,),
        )
        cur = self._conn.execute("DELETE FROM search_docs WHERE case_id = ?", (case_id,))
        return int(cur.rowcount)

    def count_for_case(self, case_id: str) -> int:
        row = self._conn.execute(
            "SELECT count(*) FROM search_docs WHERE case_id = ?", (case_id,)
        ).fetchone()
        return int(row[0])

    def secure_delete_enabled(self) -> bool:
        """True when the FTS5 secure-delete option is on for the index."""
        row = self._conn.execute(
            "SELECT v FROM search_fts_config WHERE k = 'secure-delete'"
        ).fetchone()
        return bool(row and int(row[0]))

    # -- trail entries written before migration 0002 -------------------------------------------

    def trail_index_pending(self) -> bool:
        return self._conn.execute(
            "SELECT 1 FROM vault_meta WHERE key = ?", (_PENDING_KEY,)
        ).fetchone() is not None

    def clear_trail_index_pending(self) -> None:
        self._conn.execute("DELETE FROM vault_meta WHERE key = ?", (_PENDING_KEY,))
