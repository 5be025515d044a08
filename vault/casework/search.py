"""One search over members, cases, parties, first-meeting text and paper-trail entries.

The index is FTS5 inside the encrypted database (``vault.store.search_index``), kept current on
every write: database triggers index members, cases, parties and the first meeting; the paper
trail indexes each entry's summary and detail as it is written. Destroying a case removes its
rows (a trigger on the status change, and ``purge_case`` for secure deletion), and FTS5's
secure-delete option removes their words from the index itself.

The rep's words are turned into an FTS5 query here, never passed through: each word (letters
and digits, any script; accents ignored) must appear, as a word or the start of one. Results
are grouped by case. Members, cases and parties come first, best match first; then
first-meeting text and trail entries, newest first (ranking every match of a common word in
long texts would be slow, and there the newest is usually what the rep is after). A case's
group sits where its first hit falls. A member found by name is shown under each of their cases
(or on their own, with no reference, when they have none). Destroyed cases never appear. Names
in scripts written without spaces (Chinese, Japanese) are found by whole name only.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from vault.errors import InvalidInput
from vault.store.search_index import HIGHLIGHT_END, HIGHLIGHT_START, SearchRow
from vault.store.unit_of_work import Tx, UnitOfWork
from vault.trail.service import load_case

log = logging.getLogger(__name__)

__all__ = ["HIGHLIGHT_END", "HIGHLIGHT_START", "SearchGroup", "SearchHit", "SearchService",
           "SearchSource", "fts_query"]

MAX_WORDS = 12
MAX_QUERY = 500
ROWS_PER_INDEX = 100  # matches read from each index (the best, or the newest)
_WORD = re.compile(r"[^\W_]+")


class SearchSource(StrEnum):
    """What a hit was found in. Values appear in the CLI's JSON."""

    MEMBER = "member"
    CASE = "case"
    PARTY = "party"
    MEETING = "meeting"
    ISSUE = "issue"
    ACTION = "action"
    TRAIL = "trail"


@dataclass(frozen=True)
class SearchHit:
    """One match. ``label`` is the party role, entry kind or category; ``snippet`` marks the
    matched words with « and » (``HIGHLIGHT_START``/``HIGHLIGHT_END``). For a trail hit
    ``source_id`` is the entry number; for a member, the member id."""

    source: SearchSource
    source_id: str
    label: str
    snippet: str


@dataclass(frozen=True)
class SearchGroup:
    """The hits of one case (``ref`` None: a member with no case yet), best first."""

    ref: str | None
    title: str | None
    status: str | None
    member_id: str | None
    member_name: str | None
    hits: list[SearchHit] = field(default_factory=list)


def fts_query(text: str) -> str:
    """The FTS5 expression for what the rep typed: every word, each as a prefix.

    One-letter words must match whole (a one-letter prefix matches almost everything).

    Raises:
        InvalidInput: no word to search for, or the query is too long.
    """
    if len(text) > MAX_QUERY:
        raise InvalidInput("That search is too long.")
    words = _WORD.findall(text.casefold())
    if not words:
        raise InvalidInput("Type at least one word to search for.")
    return " ".join(f'"{w}"*' if len(w) > 1 else f'"{w}"' for w in words[:MAX_WORDS])


@dataclass
class _CaseInfo:
    id: str
    ref: str
    title: str
    status: str
    member_id: str


class SearchService:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def search(self, query: str, *, limit: int = 50) -> list[SearchGroup]:
        """Everything matching ``query``, grouped by case, at most ``limit`` groups.

        Raises:
            InvalidInput: no word to search for; query too long.
        """
        match = fts_query(query)
        with self._uow.read() as tx:
            index = tx.search_index
            n = max(ROWS_PER_INDEX, limit * 2)
            rows = (index.query_records(match, n) + index.query_text(match, n)
                    + index.query_trail(match, n))
            case_ids = {r.case_id for r in rows if r.case_id}
            member_ids = {r.source_id for r in rows if r.source == SearchSource.MEMBER}
            cases = _cases(tx, "id", case_ids)
            member_cases = _cases(tx, "member_id", member_ids)
            names = _member_names(tx, member_ids | {c.member_id for c in cases.values()}
                                  | {c.member_id for c in member_cases.values()})
        by_member: dict[str, list[_CaseInfo]] = {}
        for info in sorted(member_cases.values(), key=lambda c: c.ref):
            by_member.setdefault(info.member_id, []).append(info)
        groups: dict[str, SearchGroup] = {}
        for row in rows:
            hit = _hit(row)
            if row.source == SearchSource.MEMBER:
                targets = by_member.get(row.source_id)
                if not targets:
                    key = "member:" + row.source_id
                    if key not in groups:
                        groups[key] = SearchGroup(None, None, None, row.source_id,
                                                  names.get(row.source_id))
                    groups[key].hits.append(hit)
                    continue
            else:
                found = cases.get(row.case_id or "")
                if found is None:
                    continue
                targets = [found]
            for info in targets:
                if info.status == "destroyed":
                    continue
                if info.ref not in groups:
                    groups[info.ref] = SearchGroup(info.ref, info.title, info.status,
                                                   info.member_id, names.get(info.member_id))
                groups[info.ref].hits.append(hit)
        result = list(groups.values())[:limit]
        log.info("search: %d groups", len(result))
        return result

    def purge_case(self, ref: str) -> int:
        """Remove every search row of a case (secure deletion); returns how many.

        Raises:
            NotFound: no such case.
        """
        with self._uow.write() as tx:
            case = load_case(tx, ref, for_change=False)
            n = tx.search_index.purge_case(case.id)
        log.info("search rows purged for %s: %d", case.ref, n)
        return n

    def secure_delete_enabled(self) -> bool:
        """True when the index's FTS5 secure-delete option is on (checked by ``verify``)."""
        with self._uow.read() as tx:
            return tx.search_index.secure_delete_enabled()


def _hit(row: SearchRow) -> SearchHit:
    return SearchHit(SearchSource(row.source), row.source_id, row.label, row.snippet)


def _cases(tx: Tx, column: str, keys: set[str]) -> dict[str, _CaseInfo]:
    """Live cases whose ``column`` (id or member_id) is in ``keys``, by case id."""
    return {r[0]: _CaseInfo(*r) for r in tx.cases.brief_where(column, sorted(keys))}


def _member_names(tx: Tx, ids: set[str]) -> dict[str, str]:
    return tx.members.names(sorted(ids))


def _chunks(items: Sequence[str], size: int = 500) -> list[Sequence[str]]:
    return [items[i:i + size] for i in range(0, len(items), size)]
