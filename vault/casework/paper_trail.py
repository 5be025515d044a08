"""The paper trail service: writes entries for every casework action and reads them back.

Storage and the MAC chain live in ``vault.store.trail_store``; this module decides what goes
into an entry and which key encrypts it (the case key; the vault payload key for vault-level
entries such as a member being added).

Every entry written through ``record`` is also, in the same transaction:
- indexed for search when it belongs to a case (its payload's ``summary`` and ``detail``; the
  payload itself is encrypted in the ``trail`` table, the search index lives inside the
  encrypted database), and
- has its links (``corrects``, ``follows_up``, ...) indexed in ``trail_links``, which also
  enforces that an entry is corrected at most once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlcipher3

from vault.clock import Clock
from vault.crypto.secret import SecretKey
from vault.domain import Case, CaseStatus
from vault.errors import IntegrityError, NotFound, RefusedAction
from vault.store.cases_repo import CasesRepository
from vault.store.search_index import SearchIndex
from vault.store.trail_links_repo import CORRECTS, TrailLinksRepository
from vault.store.trail_store import ChainReport, StoredEntry, parse_links
from vault.store.unlocked_vault import UnlockedVault

log = logging.getLogger(__name__)


class CaseworkEvent(StrEnum):
    """Entries the casework services write themselves (beside the kinds a rep logs)."""

    PARTY_ADDED = "party-added"
    CONFLICT_CHECK = "conflict-check"
    CONFLICT_DECISION = "conflict-decision"
    FIRST_MEETING = "first-meeting"
    NARRATIVE_AGREED = "narrative-agreed"
    ISSUE_ADDED = "issue-added"
    ISSUE_UPDATED = "issue-updated"
    ACTION_ADDED = "action-added"
    ACTION_UPDATED = "action-updated"
    FOLLOW_UP_WAIVED = "follow-up-waived"
    FOLLOW_UP_DRAFTED = "follow-up-drafted"
    ESCALATION_DECISION = "escalation-decision"
    OFF_RECORD_CONSENT = "off-record-consent"


def load_case(conn: sqlcipher3.Connection, ref: str, *, for_change: bool = True) -> Case:
    """The case with reference (or id) ``ref``, read inside the caller's transaction.

    Raises:
        NotFound: no such case.
        RefusedAction: ``for_change`` and the case has been destroyed.
    """
    case = CasesRepository(conn).get(ref.strip())
    if for_change and case.status is CaseStatus.DESTROYED:
        raise RefusedAction(f"Case {case.ref} has been destroyed.")
    return case


@dataclass(frozen=True)
class EntryMeta:
    """What can be known of an entry without its case key."""

    seq: int
    kind: str
    case_id: str | None
    links: dict[str, int]


def entry_meta(conn: sqlcipher3.Connection, seq: int) -> EntryMeta | None:
    """The kind, case and links of entry ``seq`` (no decryption), or None if there is none."""
    row = conn.execute("SELECT seq, kind, case_id, links FROM trail WHERE seq = ?",
                       (seq,)).fetchone()
    if row is None:
        return None
    return EntryMeta(int(row["seq"]), row["kind"], row["case_id"], parse_links(row["links"]))


def root_of(conn: sqlcipher3.Connection, seq: int) -> int:
    """The original entry a chain of corrections started from (``seq`` itself if none)."""
    current = seq
    seen = {seq}
    while True:
        meta = entry_meta(conn, current)
        target = meta.links.get(CORRECTS) if meta else None
        if target is None or target in seen:
            return current
        seen.add(target)
        current = target


def latest_version(conn: sqlcipher3.Connection, seq: int) -> int:
    """The newest correction in the chain from ``seq`` (``seq`` itself when never corrected)."""
    links = TrailLinksRepository(conn)
    current = seq
    seen = {seq}
    while True:
        nxt = links.corrected_by(current)
        if nxt is None or nxt in seen:
            return current
        seen.add(nxt)
        current = nxt


def _index_text(payload: Mapping[str, Any]) -> str:
    parts = [payload.get("summary"), payload.get("detail")]
    return "\n".join(p for p in parts if isinstance(p, str) and p)


@dataclass(frozen=True)
class TrailEntry:
    """One entry as the rep sees it."""

    seq: int
    ts: dt.datetime
    kind: str
    case_ref: str
    summary: str
    payload: dict[str, Any]
    links: dict[str, int]
    erased: bool = False


def _entry(stored: StoredEntry) -> TrailEntry:
    payload = stored.payload or {}
    return TrailEntry(
        seq=stored.seq,
        ts=stored.ts,
        kind=stored.kind,
        case_ref=stored.case_ref,
        summary=str(payload.get("summary", "")),
        payload=payload,
        links=stored.links,
        erased=stored.payload is None,
    )


class PaperTrail:
    def __init__(self, vault: UnlockedVault, clock: Clock) -> None:
        self._vault = vault
        self._clock = clock

    def record(
        self,
        conn: sqlcipher3.Connection,
        *,
        kind: str,
        case: Case | None,
        payload: Mapping[str, Any],
        links: Mapping[str, int] | None = None,
        ts: dt.datetime | None = None,
    ) -> int:
        """Append an entry inside the caller's transaction; returns its sequence number.

        Also indexes the entry's links and (for a case entry) its summary and detail for
        search, in the same transaction.

        Raises:
            RefusedAction: ``links`` would correct an entry a second time.
        """
        if case is None:
            key = self._vault.vault_payload_key
        else:
            key = self._vault.case_key(case.id, CasesRepository(conn).wrapped_key(case.id))
        seq = self._vault.trail.append(
            conn,
            ts=ts or self._clock.now(),
            kind=kind,
            case_ref=case.ref if case else "",
            case_id=case.id if case else None,
            payload=payload,
            payload_key=key,
            links=links,
        )
        if links:
            try:
                TrailLinksRepository(conn).add(seq, links)
            except sqlcipher3.IntegrityError as exc:
                raise RefusedAction(
                    "That entry has already been corrected; correct the correction instead."
                ) from exc
        if case is not None:
            text = _index_text(payload)
            if text:
                SearchIndex(conn).index_trail_entry(seq, text)
        return seq

    def entries(self, case: Case) -> list[TrailEntry]:
        """Every entry of one case, oldest first (payloads decrypted with the case key)."""
        db = self._vault.db
        with db.lock:
            wrapped = CasesRepository(db.connection).wrapped_key(case.id)
            rows = db.connection.execute(
                "SELECT * FROM trail WHERE case_id = ? ORDER BY seq", (case.id,)
            ).fetchall()
        key = self._vault.case_key(case.id, wrapped) if wrapped is not None else None
        return [_entry(self._vault.trail.decode(r, key)) for r in rows]

    def entry(self, seq: int) -> tuple[TrailEntry, str | None]:
        """One entry by number with its case id (None for vault-level entries)."""
        db = self._vault.db
        row = db.query_one("SELECT * FROM trail WHERE seq = ?", (seq,))
        if row is None:
            raise IntegrityError(f"There is no trail entry #{seq}.")
        case_id = row["case_id"]
        key: SecretKey | None
        if case_id is None:
            key = self._vault.vault_payload_key
        else:
            with db.lock:
                wrapped = CasesRepository(db.connection).wrapped_key(case_id)
            key = self._vault.case_key(case_id, wrapped) if wrapped is not None else None
        return _entry(self._vault.trail.decode(row, key)), case_id

    def ensure_indexed(self) -> int:
        """Index trail entries written before the search index existed (once, at unlock).

        Returns how many entries were indexed. Entries whose payload no longer decrypts are
        skipped (``verify`` reports them); destroyed cases have no payloads to index.
        """
        db = self._vault.db
        with db.lock:
            if not SearchIndex(db.connection).trail_index_pending():
                return 0
        done = 0
        with db.transaction() as conn:
            TrailLinksRepository(conn).backfill()
            index = SearchIndex(conn)
            cases = CasesRepository(conn)
            rows = conn.execute(
                "SELECT * FROM trail WHERE case_id IS NOT NULL AND payload IS NOT NULL"
                " ORDER BY seq"
            ).fetchall()
            for row in rows:
                if index.has_trail_entry(row["seq"]):
                    continue
                try:
                    wrapped = cases.wrapped_key(row["case_id"])
                    if wrapped is None:
                        continue
                    key = self._vault.case_key(row["case_id"], wrapped)
                    stored = self._vault.trail.decode(row, key)
                except (IntegrityError, NotFound):
                    log.warning("trail entry %d not indexed: payload does not open", row["seq"])
                    continue
                text = _index_text(stored.payload or {})
                if text:
                    index.index_trail_entry(stored.seq, text)
                    done += 1
            index.clear_trail_index_pending()
        log.info("indexed %d earlier trail entries for search", done)
        return done

    def verify(self) -> ChainReport:
        """Check the whole chain: every MAC, every link, no gaps."""
        db = self._vault.db
        with db.lock:
            report = self._vault.trail.verify(db.connection)
        log.info("trail verified: ok=%s entries=%d", report.ok, report.entries)
        return report

    def head(self) -> tuple[int, str]:
        """The last entry's number and MAC (hex), without verifying; (0, '') when empty."""
        row = self._vault.db.query_one("SELECT seq, mac FROM trail ORDER BY seq DESC LIMIT 1")
        if row is None:
            return 0, ""
        return int(row["seq"]), bytes(row["mac"]).hex()
