"""Casework at scale: search, opening a case page, verifying the trail, beside plain sqlite3.

On the demo vaults of ``benchmarks/demo_vaults.py`` (1,000 and 10,000 cases; ``--quick``: 150),
each with one case of 2,000 entries. The peer is plain SQLite on an unencrypted
(``sqlcipher_export``) copy of the same database, opened with the same library without a key
(the same SQLite version as ours), measured in the same rounds:

- search: ``SearchService.search`` for 200 queries (surnames, common and rare words, two-word
  queries, references), each query timed back to back with the same FTS5 queries the service
  runs (``vault.store.search_index``, with snippets) on the plain copy; p50 and p95 over five
  interleaved rounds of 40 queries;
- opening the case page of the 2,000-entry case: what the page reads, which since issue 12 is
  the first window of the trail (``TrailLogService.window``: the newest ``WINDOW_GROUPS``
  groups, their payloads decrypted and links resolved), the follow-ups owed, the first meeting
  and the parties, vs a plain SELECT of the same rows (the window's rows by number, and the
  same tables). The whole trail (``TrailLogService.entries``) is still timed on its own,
  "whole trail read", against a plain SELECT of every row of the case;
- verifying the whole trail: ``PaperTrail.verify`` vs a plain SELECT of every trail row.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import sqlcipher3

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.demo_vaults import CACHE, PASSPHRASE, demo_vault, manager_for
from benchmarks.harness import Bench
from vault.casework.search import fts_query
from vault.demo.people import SENTENCES, SURNAMES
from vault.session import Session

SIZES = (1_000, 10_000, 50_000)
QUICK_SIZES = (150,)
QUERIES = 200

_PEER_SEARCH = (
    "SELECT d.source, d.source_id, d.case_id, d.label,"
    " snippet(search_fts, 0, '«', '»', '…', 12)"
    " FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid"
    " WHERE search_fts MATCH ? ORDER BY rank LIMIT 100",
    "SELECT d.source, d.source_id, d.case_id, d.label, f.snip FROM"
    " (SELECT rowid, snippet(text_fts, 0, '«', '»', '…', 12) AS snip FROM text_fts"
    "  WHERE text_fts MATCH ? ORDER BY rowid DESC LIMIT 100) AS f"
    " JOIN search_docs d ON d.id = f.rowid ORDER BY f.rowid DESC",
    "SELECT f.rowid, t.case_id, t.kind, f.snip FROM"
    " (SELECT rowid, snippet(trail_fts, 0, '«', '»', '…', 12) AS snip FROM trail_fts"
    "  WHERE trail_fts MATCH ? ORDER BY rowid DESC LIMIT 100) AS f"
    " JOIN trail t ON t.seq = f.rowid ORDER BY f.rowid DESC",
)


def make_queries(rng: random.Random, refs: list[str]) -> list[str]:
    words = sorted({w.strip(".,;").lower() for s in SENTENCES for w in s.split() if len(w) > 3})
    queries = []
    for i in range(QUERIES):
        kind = i % 5
        if kind == 0:
            queries.append(rng.choice(SURNAMES))
        elif kind == 1:
            queries.append(rng.choice(words[:20]))
        elif kind == 2:
            queries.append(rng.choice(words[-40:]))
        elif kind == 3:
            queries.append(" ".join(rng.sample(words, 2)))
        else:
            queries.append(rng.choice(refs))
    return queries


def bench_size(bench: Bench, cases: int, rounds: int) -> None:
    root, plain, reused = demo_vault(cases, CACHE)
    bench.context[f"vault_{cases}"] = "reused" if reused else "made for this run"
    session: Session = manager_for(root).unlock(PASSPHRASE)
    peer = sqlcipher3.connect(str(plain))  # no key: plain SQLite, same version
    try:
        entries = session.trail.head()[0]
        bench.group = f"{cases:,} cases, {entries:,} trail entries"
        summaries = session.cases.list()
        refs = [s.case.ref for s in summaries]
        queries = make_queries(random.Random(cases), refs)
        for q in queries[:10]:  # warm both caches alike
            session.search.search(q)
            _peer_search(peer, q)
        ours, theirs = [], []
        for q in queries:
            t = time.perf_counter()
            session.search.search(q)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            _peer_search(peer, q)
            theirs.append(time.perf_counter() - t)
        for p, target in ((50, ""), (95, "≤ 1.2")):
            bench.add_percentiles(f"search p{p} ({QUERIES} queries)", ours, theirs,
                                  peer_name="plain SQLite FTS5", p=p, target=target,
                                  rounds=rounds)

        big = summaries[0].case
        big_entries = len(session.trail.entries(big))

        shown = len(session.trail_log.window(big.ref).entries)  # the rows the page reads

        def case_page() -> None:
            session.trail_log.window(big.ref)
            session.followups.owed_for_case(big.ref)
            session.first_meeting.get(big.ref)
            session.parties.list(big.ref)

        def peer_page() -> None:
            peer.execute("SELECT * FROM trail WHERE case_id = ? ORDER BY seq DESC LIMIT ?",
                         (big.id, shown)).fetchall()
            for table in ("first_meetings", "case_issues", "action_points", "parties",
                          "followups"):
                peer.execute(f"SELECT * FROM {table} WHERE case_id = ?", (big.id,)).fetchall()

        bench.compare(f"case page data, {big_entries:,} entries ({shown} read)", case_page,
                      peer_page, peer_name="plain SELECT", target="≤ 3", warmup=True,
                      repeats=rounds)
        bench.compare(f"whole trail read, {big_entries:,} entries",
                      lambda: session.trail_log.entries(big.ref),
                      lambda: peer.execute("SELECT * FROM trail WHERE case_id = ? ORDER BY seq",
                                           (big.id,)).fetchall(),
                      peer_name="plain SELECT", warmup=True, repeats=rounds)

        def verify() -> None:
            assert session.trail.verify().ok

        bench.compare(f"verify the trail, {entries:,} entries", verify,
                      lambda: peer.execute("SELECT seq, ts, kind, case_ref, case_id, links,"
                                           " payload, payload_hash, prev_mac, mac FROM trail"
                                           " ORDER BY seq").fetchall(),
                      peer_name="plain SELECT of every row", target="≤ 1.5", repeats=rounds)
    finally:
        peer.close()
        session.lock()


def _peer_search(peer: sqlcipher3.Connection, query: str) -> int:
    match = fts_query(query)
    return sum(len(peer.execute(sql, (match,)).fetchall()) for sql in _PEER_SEARCH)


def main(argv: list[str] | None = None) -> int:
    ap = Bench.arguments(__doc__.splitlines()[0] if __doc__ else "")
    ap.add_argument("--sizes", type=int, nargs="*", metavar="CASES")
    args = ap.parse_args(argv)
    bench = Bench.from_args("casework", args, __doc__ or "")
    bench.context["peer"] = (f"plain SQLite {sqlcipher3.sqlite_version} (sqlcipher3 without a "
                             "key, the same library as ours)")
    for cases in tuple(args.sizes) if args.sizes else (QUICK_SIZES if args.quick else SIZES):
        bench_size(bench, cases, bench.repeats)
    return bench.finish()


if __name__ == "__main__":
    raise SystemExit(main())
