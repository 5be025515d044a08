"""The full-text search indexes, inside the encrypted database.

FTS5 with the ``secure-delete`` option on (set in migration 0002): deleting a row removes its
words from the index itself, not just from the results. Three indexes:

- ``search_fts``: members, cases and parties (names, numbers, references, titles): short rows,
  queried by relevance (bm25).
- ``text_fts``: first-meeting text (place and narrative, issues, action points), queried newest
  first. ``search_docs`` says what each row of these two is; database triggers keep both
  current on every write.
- ``trail_fts`` (rowid = the entry's ``seq``): paper-trail entries. Their payloads are
  encrypted in the ``trail`` table, so the paper-trail service indexes the plaintext summary and
  detail here in the transaction that writes the entry. Queried newest first.

Long texts are read newest first because ranking every match of a common word ("meeting") in
hundreds of thousands of rows costs tens of milliseconds; reading the newest matches costs a few.

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
    """One matching indexed row. ``snippet`` marks matches with « and ». For a trail entry
    ``source`` is "trail", ``source_id`` the entry number and ``label`` its kind.

    The case (``case_ref``, ``case_title``, ``case_status``; None when the row has no case or
    its case is destroyed) and the member (``member_id``, ``member_name``: the row's own member
    for a member row, else the case's) come joined in the same query, so a search costs its
    three index queries and no lookups after them."""

    source: str
    source_id: str
    case_id: str | None
    label: str
    snippet: str
    case_ref: str | None = None
    case_title: str | None = None
    case_status: str | None = None
    member_id: str | None = None
    member_name: str | None = None


# Each query joins in the row's live case and its member (a member row: that member).
_QUERY_RECORDS = (
    "SELECT f.source, f.source_id, f.case_id, f.label, f.snip,"
    " c.ref, c.title, c.status, m.id, m.name FROM"
    " (SELECT d.source, d.source_id, d.case_id, d.label,"
    "  snippet(search_fts, 0, ?, ?, '…', 12) AS snip, rank"
    "  FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid"
    "  WHERE search_fts MATCH ? ORDER BY rank LIMIT ?) AS f"
    " LEFT JOIN cases c ON c.id = f.case_id AND c.status <> 'destroyed'"
    " LEFT JOIN members m ON m.id ="
    "  (CASE WHEN f.source = 'member' THEN f.source_id ELSE c.member_id END)"
    " ORDER BY f.rank"
)
_QUERY_TEXT = (
    "SELECT d.source, d.source_id, d.case_id, d.label, f.snip,"
    " c.ref, c.title, c.status, m.id, m.name FROM"
    " (SELECT rowid, snippet(text_fts, 0, ?, ?, '…', 12) AS snip FROM text_fts"
    "  WHERE text_fts MATCH ? ORDER BY rowid DESC LIMIT ?) AS f"
    " JOIN search_docs d ON d.id = f.rowid"
    " LEFT JOIN cases c ON c.id = d.case_id AND c.status <> 'destroyed'"
    " LEFT JOIN members m ON m.id = c.member_id"
    " ORDER BY f.rowid DESC"
)
_QUERY_TRAIL = (
    "SELECT f.rowid, t.case_id, t.kind, f.snip,"
    " c.ref, c.title, c.status, m.id, m.name FROM"
    " (SELECT rowid, snippet(trail_fts, 0, ?, ?, '…', 12) AS snip FROM trail_fts"
    "  WHERE trail_fts MATCH ? ORDER BY rowid DESC LIMIT ?) AS f"
    " JOIN trail t ON t.seq = f.rowid"
    " LEFT JOIN cases c ON c.id = t.case_id AND c.status <> 'destroyed'"
    " LEFT JOIN members m ON m.id = c.member_id"
    " ORDER BY f.rowid DESC"
)


def _row(r: sqlcipher3.Row, source: str | None = None, source_id: str | None = None
         ) -> SearchRow:
    if source is None:
        return SearchRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9])
    return SearchRow(source, source_id or "", r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8])


class SearchIndex:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def index_trail_entry(self, seq: int, text: str) -> None:
        """Index one trail entry's plaintext (inside the caller's transaction)."""
        self._conn.execute("INSERT INTO trail_fts (rowid, body) VALUES (?, ?)", (seq, text))

    def has_trail_entry(self, seq: int) -> bool:
        return self._conn.execute(
            "SELECT 1 FROM trail_fts WHERE rowid = ?", (seq,)
        ).fetchone() is not None

    def query_records(self, match: str, limit: int) -> list[SearchRow]:
        """Members, cases and parties: the best ``limit`` rows (bm25)."""
        rows = self._conn.execute(
            _QUERY_RECORDS,
            (HIGHLIGHT_START, HIGHLIGHT_END, match, limit),
        ).fetchall()
        return [_row(r) for r in rows]

    def query_text(self, match: str, limit: int) -> list[SearchRow]:
        """First-meeting text: the newest ``limit`` matches, newest first."""
        rows = self._conn.execute(
            _QUERY_TEXT,
            (HIGHLIGHT_START, HIGHLIGHT_END, match, limit),
        ).fetchall()
        return [_row(r) for r in rows]

    def query_trail(self, match: str, limit: int) -> list[SearchRow]:
        """Trail entries: the newest ``limit`` matches, newest first."""
        rows = self._conn.execute(
            _QUERY_TRAIL,
            (HIGHLIGHT_START, HIGHLIGHT_END, match, limit),
        ).fetchall()
        return [_row(r, TRAIL, str(r[0])) for r in rows]

    def purge_case(self, case_id: str) -> int:
        """Remove every indexed row of a case (secure deletion), returns how many."""
        trail = self._conn.execute(
            "DELETE FROM trail_fts WHERE rowid IN (SELECT seq FROM trail WHERE case_id = ?)",
            (case_id,),
        ).rowcount
        for table in ("search_fts", "text_fts"):
            self._conn.execute(
                f"DELETE FROM {table} WHERE rowid IN"  # noqa: S608
                " (SELECT id FROM search_docs WHERE case_id = ?)", (case_id,),
            )
        cur = self._conn.execute("DELETE FROM search_docs WHERE case_id = ?", (case_id,))
        return int(cur.rowcount) + max(0, int(trail))

    def count_for_case(self, case_id: str) -> int:
        """How many indexed rows (records and trail entries) a case has."""
        records = self._conn.execute(
            "SELECT count(*) FROM search_docs WHERE case_id = ?", (case_id,)
        ).fetchone()[0]
        trail = self._conn.execute(
            "SELECT count(*) FROM trail_fts WHERE rowid IN"
            " (SELECT seq FROM trail WHERE case_id = ?)", (case_id,)
        ).fetchone()[0]
        return int(records) + int(trail)

    def secure_delete_enabled(self) -> bool:
        """True when the FTS5 secure-delete option is on for every index."""
        for table in ("search_fts_config", "text_fts_config", "trail_fts_config"):
            row = self._conn.execute(
                f"SELECT v FROM {table} WHERE k = 'secure-delete'"  # noqa: S608
            ).fetchone()
            if not (row and int(row[0])):
                return False
        return True

    # -- trail entries written before migration 0002 -------------------------------------------

    def trail_index_pending(self) -> bool:
        return self._conn.execute(
            "SELECT 1 FROM vault_meta WHERE key = ?", (_PENDING_KEY,)
        ).fetchone() is not None

    def clear_trail_index_pending(self) -> None:
        self._conn.execute("DELETE FROM vault_meta WHERE key = ?", (_PENDING_KEY,))
