"""One window of a case's timeline, read without the rest of the trail (issue 12).

The case page shows the trail newest first, each correction under the entry it corrects. A
*group* is an entry that corrects nothing (its *root*) with the chain of corrections under it;
a window is the next ``limit`` groups after a cursor (the last root of the window before), with
only their payloads decrypted and only their incoming links looked up. Reading every window in
turn gives exactly ``PaperTrail.entries`` regrouped by ``build_trail_rows`` — the equivalence
tests hold the two to each other — so a page can show the first screen at the cost of a window
and fetch the next as the rep scrolls, whatever the length of the trail.
"""

from __future__ import annotations

from dataclasses import dataclass

from vault.domain import Case
from vault.store.unit_of_work import Tx
from vault.trail.entries import TrailEntry, entry_view

WINDOW_GROUPS = 50  # groups a window holds unless asked otherwise (two screens and more)


@dataclass(frozen=True)
class TrailWindow:
    """Entries of some groups in timeline order, and where the next window starts.

    ``entries``: the groups newest root first (oldest first when read ``oldest_first``), each
    root followed by its corrections in order. ``roots``: the groups' roots in that order.
    ``next_after``: the cursor for the next window (the last root), None when none is left.
    """

    entries: list[TrailEntry]
    roots: list[int]
    next_after: int | None
    oldest_first: bool = False


def read_window(tx: Tx, case: Case, *, after: int | None = None, limit: int = WINDOW_GROUPS,
                oldest_first: bool = False, through: int | None = None) -> TrailWindow:
    """The window of ``case`` after root ``after``; with ``through``, every group up to and
    including root ``through`` (a select of an entry beyond the rows shown so far)."""
    if limit < 1:
        raise ValueError("a window holds at least one group")
    window = tx.trail.window_rows(case.id, beyond=after, limit=limit,
                                  oldest_first=oldest_first, through=through)
    if not window.rows:
        return TrailWindow([], [], None, oldest_first)
    wrapped = tx.cases.wrapped_key(case.id)
    key = tx.case_key(case) if wrapped is not None else None
    incoming = tx.trail_links.incoming_to(case.id, [int(r["seq"]) for r in window.rows])
    entries = [entry_view(tx.trail.decode(r, key), incoming) for r in window.rows]
    return TrailWindow(entries, window.roots, window.roots[-1] if window.more else None,
                       oldest_first)
