"""The paper trail service: writes entries for every action and reads them back.

Storage and the MAC chain live in ``vault.store`` (``trail_store``, ``trail_repo``); this module
decides what goes into an entry and which key encrypts it (the case key; the vault payload key
for vault-level entries such as a member being added).

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
from typing import Any

import sqlcipher3

from vault.clock import Clock
from vault.crypto.secret import SecretKey
from vault.domain import Case
from vault.errors import IntegrityError, NotFound, RefusedAction
from vault.store.trail_links_repo import CORRECTS
from vault.store.trail_repo import EntryMeta
from vault.store.trail_store import ChainReport
from vault.store.unit_of_work import Tx, UnitOfWork
from vault.trail.entries import TrailEntry, entry_view
from vault.trail.kinds import CaseworkEvent, SystemEvent, TrailEvent
from vault.trail.lookup import load_case
from vault.trail.window import WINDOW_GROUPS, TrailWindow, read_window

log = logging.getLogger(__name__)

__all__ = ["WINDOW_GROUPS", "CaseworkEvent", "EntryMeta", "PaperTrail", "SystemEvent",
           "TrailEntry", "TrailEvent", "TrailWindow", "entry_meta", "latest_version",
           "load_case", "root_of"]


def entry_meta(tx: Tx, seq: int) -> EntryMeta | None:
    """The kind, case and links of entry ``seq`` (no decryption), or None if there is none."""
    return tx.trail.meta(seq)


def root_of(tx: Tx, seq: int) -> int:
    """The original entry a chain of corrections started from (``seq`` itself if none)."""
    current = seq
    seen = {seq}
    while True:
        meta = tx.trail.meta(current)
        target = meta.links.get(CORRECTS) if meta else None
        if target is None or target in seen:
            return current
        seen.add(target)
        current = target


def latest_version(tx: Tx, seq: int) -> int:
    """The newest correction in the chain from ``seq`` (``seq`` itself when never corrected)."""
    current = seq
    seen = {seq}
    while True:
        nxt = tx.trail_links.corrected_by(current)
        if nxt is None or nxt in seen:
            return current
        seen.add(nxt)
        current = nxt


def _index_text(payload: Mapping[str, Any]) -> str:
    parts = [payload.get("summary"), payload.get("detail")]
    return "\n".join(p for p in parts if isinstance(p, str) and p)


class PaperTrail:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def record(
        self,
        tx: Tx,
        *,
        kind: str,
        case: Case | None,
        payload: Mapping[str, Any],
        links: Mapping[str, int] | None = None,
        ts: dt.datetime | None = None,
    ) -> int:
        """Append an entry inside the caller's write transaction; returns its number.

        Also indexes the entry's links and (for a case entry) its summary and detail for
        search, in the same transaction.

        Raises:
            RefusedAction: ``links`` would correct an entry a second time.
        """
        key = tx.vault_payload_key if case is None else tx.case_key(case)
        seq = tx.trail.append(
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
                tx.trail_links.add(seq, links)
            except sqlcipher3.IntegrityError as exc:
                raise RefusedAction(
                    "That entry has already been corrected; correct the correction instead."
                ) from exc
        if case is not None:
            text = _index_text(payload)
            if text:
                tx.search_index.index_trail_entry(seq, text)
        return seq

    def entries(self, case: Case) -> list[TrailEntry]:
        """Every entry of one case, oldest first (payloads decrypted with the case key)."""
        with self._uow.read() as tx:
            wrapped = tx.cases.wrapped_key(case.id)
            rows = tx.trail.rows_for_case(case.id)
            incoming = tx.trail_links.incoming_for_case(case.id)
            key = tx.case_key(case) if wrapped is not None else None
            return [entry_view(tx.trail.decode(r, key), incoming) for r in rows]

    def window(self, case: Case, *, after: int | None = None, limit: int = WINDOW_GROUPS,
               oldest_first: bool = False, through: int | None = None) -> TrailWindow:
        """One window of the case's timeline (``vault.trail.window``): ``limit`` groups after
        root ``after``, newest first unless ``oldest_first``; only their payloads decrypted."""
        with self._uow.read() as tx:
            return read_window(tx, case, after=after, limit=limit, oldest_first=oldest_first,
                               through=through)

    def entry(self, seq: int) -> tuple[TrailEntry, str | None]:
        """One entry by number with its case id (None for vault-level entries).

        Raises:
            IntegrityError: there is no such entry.
        """
        with self._uow.read() as tx:
            row = tx.trail.row(seq)
            if row is None:
                raise IntegrityError(f"There is no trail entry #{seq}.")
            case_id = row["case_id"]
            key: SecretKey | None
            incoming: dict[tuple[str, int], list[int]] = {}
            if case_id is None:
                key = tx.vault_payload_key
            else:
                wrapped = tx.cases.wrapped_key(case_id)
                key = tx.case_key(case_id) if wrapped is not None else None
                incoming = tx.trail_links.incoming_to(case_id, [seq])  # not the whole case's
            return entry_view(tx.trail.decode(row, key), incoming), case_id

    def ensure_indexed(self) -> int:
        """Index trail entries written before the search index existed (once, at unlock).

        Returns how many entries were indexed. Entries whose payload no longer decrypts are
        skipped (``verify`` reports them); destroyed cases have no payloads to index.
        """
        with self._uow.read() as tx:
            if not tx.search_index.trail_index_pending():
                return 0
        done = 0
        with self._uow.write() as tx:
            tx.trail_links.backfill()
            index = tx.search_index
            for row in tx.trail.rows_to_index():
                if index.has_trail_entry(row["seq"]):
                    continue
                try:
                    if tx.cases.wrapped_key(row["case_id"]) is None:
                        continue
                    stored = tx.trail.decode(row, tx.case_key(row["case_id"]))
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
        with self._uow.read() as tx:
            report = tx.trail.verify()
        log.info("trail verified: ok=%s entries=%d", report.ok, report.entries)
        return report

    def head(self) -> tuple[int, str]:
        """The last entry's number and MAC (hex), without verifying; (0, '') when empty."""
        with self._uow.read() as tx:
            return tx.trail.head()
