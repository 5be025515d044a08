"""Rows of ``trail_links``: an index of the paper trail's links (``corrects``, ``follows_up``, ...).

The links themselves are part of each trail row and covered by its MAC (``trail.links``); this
table repeats them one row per link so questions such as "has entry #12 been corrected?" are
index lookups. Rows are written in the same transaction as the entry and never changed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import sqlcipher3

from vault.store.trail_store import parse_links

CORRECTS = "corrects"
FOLLOWS_UP = "follows_up"
NOT_FOLLOWED = "not_followed"
CONSENT = "consent"


class TrailLinksRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def add(self, seq: int, links: Mapping[str, int]) -> None:
        """Index the links of entry ``seq``.

        Raises:
            sqlcipher3.IntegrityError: the entry would be a second correction of one entry.
        """
        self._conn.executemany(
            "INSERT INTO trail_links (seq, rel, target) VALUES (?, ?, ?)",
            [(seq, rel, int(target)) for rel, target in links.items()],
        )

    def corrected_by(self, target: int) -> int | None:
        """The entry that corrects ``target``, or None."""
        row = self._conn.execute(
            "SELECT seq FROM trail_links WHERE rel = ? AND target = ?", (CORRECTS, target)
        ).fetchone()
        return int(row[0]) if row else None

    def linking(self, rel: str, target: int) -> list[int]:
        """Every entry that links to ``target`` with ``rel``, oldest first."""
        rows = self._conn.execute(
            "SELECT seq FROM trail_links WHERE rel = ? AND target = ? ORDER BY seq", (rel, target)
        ).fetchall()
        return [int(r[0]) for r in rows]

    def incoming_for_case(self, case_id: str) -> dict[tuple[str, int], list[int]]:
        """For a case's entries: (rel, target) -> the entries of the case linking that way."""
        rows = self._conn.execute(
            "SELECT l.rel, l.target, l.seq FROM trail_links l JOIN trail t ON t.seq = l.seq"
            " WHERE t.case_id = ? ORDER BY l.seq", (case_id,),
        ).fetchall()
        out: dict[tuple[str, int], list[int]] = {}
        for row in rows:
            out.setdefault((row[0], int(row[1])), []).append(int(row[2]))
        return out

    def incoming_to(self, case_id: str, targets: Iterable[int],
                    rels: Iterable[str] = (CORRECTS, FOLLOWS_UP, NOT_FOLLOWED)
                    ) -> dict[tuple[str, int], list[int]]:
        """``incoming_for_case`` for some entries and relations only: index lookups on
        (rel, target), so a window of the trail costs its own size, not the case's. (The
        source's case is read per link, so the plan cannot start from the case's entries.)"""
        rows = self._conn.execute(
            "SELECT l.rel, l.target, l.seq FROM trail_links l"
            " WHERE l.rel IN (SELECT value FROM json_each(?))"
            " AND l.target IN (SELECT value FROM json_each(?))"
            " AND (SELECT t.case_id FROM trail t WHERE t.seq = l.seq) = ? ORDER BY l.seq",
            (json.dumps(list(rels)), json.dumps(list(targets)), case_id),
        ).fetchall()
        out: dict[tuple[str, int], list[int]] = {}
        for row in rows:
            out.setdefault((row[0], int(row[1])), []).append(int(row[2]))
        return out

    def backfill(self) -> int:
        """Index the links of every trail row not yet indexed (vaults made before 0002)."""
        done = {int(r[0]) for r in self._conn.execute("SELECT DISTINCT seq FROM trail_links")}
        added = 0
        for row in self._conn.execute(
            "SELECT seq, links FROM trail WHERE links <> '' ORDER BY seq"
        ).fetchall():
            if int(row[0]) in done:
                continue
            links = parse_links(row[1])
            self.add(int(row[0]), links)
            added += len(links)
        return added
