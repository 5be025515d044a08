"""The casework fixture the erase benchmark builds its vault with (formerly
``bench_casework.py``; the new ``bench_casework.py`` uses the demo vaults).

Benchmark: casework at scale — search, opening a case page, verifying the paper trail.

Generates a vault of 10,000 cases (one member each, two parties, a first meeting with two
issues and two action points) and 200,000 paper-trail entries written through the real
``PaperTrail.record`` (AES-GCM payloads, the MAC chain, the search index, trail links), one
case holding 2,000 of them. Generation writes in bulk inside a few transactions and uses a fast
KDF setting (the product never ships one). Then it measures, each beside a peer measured in the
same run on an unencrypted copy of the same database (``sqlcipher_export`` into a plaintext
file, read with Python's stdlib ``sqlite3``):

- search: ``SearchService.search`` for 200 queries (names, common and rare words, references,
  two-word queries), p50 and p95 (target p95 <= 30 ms); peer: the same three FTS5 queries
  (joined, with snippets) through stdlib sqlite3, without the grouping by case;
- opening a case page with 2,000 entries: ``TrailLogService.entries`` (decrypts every payload,
  resolves links) + first meeting + parties, median of 20 (target <= 200 ms); peer: a plain
  SELECT of the same rows;
- verifying the whole trail of 200,000 entries: ``PaperTrail.verify`` (target <= 2 s); peer: a
  plain SELECT of the same columns of every row.

Run: ``.venv/bin/python benchmarks/bench_casework.py [--small] [--keep DIR]``
(``--small``: 1,000 cases and 20,000 entries, for a quick look.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import secrets
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# Run as a script from a checkout: make the project importable without installing it.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import figure, percentile
from vault.casework.search import fts_query
from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.domain import Case, CaseFlags, CaseStatus, Category, EntryKind, Member
from vault.session import Session, VaultManager
from vault.store.cases_repo import CasesRepository
from vault.store.first_meeting_repo import (
    ActionOwner,
    FirstMeetingRepository,
    MeetingDetails,
)
from vault.store.members_repo import MembersRepository
from vault.store.parties_repo import PartiesRepository, PartyRole, UnionMembership

SEED = 20261123
PASSPHRASE = "benchmark vault passphrase, long enough"
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
QUERIES = 200
CASE_PAGE_RUNS = 20


def _words(text: str) -> list[str]:
    return text.split()


FIRST = _words("James John Robert Michael William David Richard Joseph Thomas Charles Daniel Mark "
               "Paul Andrew Kevin Brian George Edward Jason Ryan Gary Eric Jonathan Stephen Peter "
               "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Sarah Karen Lisa Nancy "
               "Margaret Sandra Emily Michelle Amanda Melissa Rebecca Laura Helen Rachel Catherine "
               "Maria Ruth Priya Aisha Fatima Mohammed Ahmed Omar Yusuf Raj Anil Wei Hiroshi Olga "
               "Ivan Piotr Siobhan Niamh Aoife Ciaran Rhys Dylan Bethan Gareth Jon Bob Kate Jim "
               "Sue Jenny Sam")
SURNAMES = _words("Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts "
                  "Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris "
                  "Clarke Patel Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee "
                  "King Baker Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price "
                  "Bennett Young Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins "
                  "Bell Shaw Murphy Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams "
                  "Singh Begum Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt "
                  "Hussain Campbell Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler "
                  "Russell Barker Fisher Stevens Jenkins Murray Dixon Harvey Kowalski Nowak Chen "
                  "Wang Zhang Okafor Mensah Mbeki Novak")
CASEWORK = _words("meeting hearing grievance disciplinary appeal investigation manager witness "
                  "statement policy procedure absence sickness capability redundancy consultation "
                  "dismissal warning outcome letter email phone advice representation companion "
                  "evidence allegation complaint bullying harassment discrimination adjustment "
                  "occupational health return work workload contract pay salary overtime holiday "
                  "flexible working request trial period probation review performance improvement "
                  "plan target support training mentor regional office caseworker branch secretary "
                  "employer department faculty school library estates finance payroll human "
                  "resources timeline deadline extension postponed rescheduled agreed declined "
                  "accepted refused notes minutes transcript recording documents bundle evidence "
                  "pack tribunal acas early conciliation settlement agreement reference "
                  "confidential without prejudice member rep union officer chair panel decision "
                  "reasons rationale mitigating circumstances medical certificate fit note phased "
                  "return redeployment vacancy selection criteria scoring pool matrix equality "
                  "impact assessment")
_SYLLABLES = _words("ka lo mi ne ru sa te vo bi da fe gu ha ji ko la mo nu pe qui ro si tu va we "
                    "xi yo za bra cre dri fro glu pla sto tri")


def _tail_vocab(rng: random.Random, n: int) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


@dataclass
class Sizes:
    cases: int
    entries: int
    big_case_entries: int


FULL = Sizes(cases=10_000, entries=200_000, big_case_entries=2_000)
SMALL = Sizes(cases=1_000, entries=20_000, big_case_entries=2_000)


class TextMaker:
    """Sentences with a Zipf-like word mix: casework words common, a long tail of rare ones."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocab = CASEWORK + _tail_vocab(rng, 20_000)
        weights = [1.0 / (i + 1) ** 1.05 for i in range(len(self.vocab))]
        self.cum = list(_accumulate(weights))

    def words(self, n: int) -> list[str]:
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=n)

    def sentence(self, lo: int, hi: int) -> str:
        return " ".join(self.words(self.rng.randint(lo, hi))).capitalize()


def _accumulate(values: list[float]) -> list[float]:
    total = 0.0
    out = []
    for v in values:
        total += v
        out.append(total)
    return out


def generate(session: Session, sizes: Sizes, rng: random.Random) -> tuple[list[Case], Case]:
    """Members, cases, parties, first meetings and trail entries, written in bulk."""
    text = TextMaker(rng)
    vault = session.vault
    trail = session.trail
    cases: list[Case] = []
    batch = 1_000
    for start in range(0, sizes.cases, batch):
        with vault.db.transaction() as conn:
            members = MembersRepository(conn)
            repo = CasesRepository(conn)
            parties = PartiesRepository(conn)
            meetings = FirstMeetingRepository(conn)
            for i in range(start, min(start + batch, sizes.cases)):
                member = Member(
                    id=f"M-{i + 1:05d}", name=f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}",
                    membership_number=f"{100000 + i}", employer="University of Somewhere",
                    department=rng.choice(CASEWORK).capitalize(), email=None, phone=None,
                    created=NOW,
                )
                members.insert(member)
                case_id = secrets.token_hex(16)
                case = Case(
                    id=case_id, ref=f"C-2026-{i + 1:05d}", member_id=member.id,
                    title=text.sentence(3, 6), category=rng.choice(list(Category)),
                    status=CaseStatus.OPEN, opened=NOW.date(), closed=None, outcome=None,
                    flags=CaseFlags(), consent_to_share=False, last_activity=NOW,
                )
                _dek, wrapped = vault.new_case_key(case_id)
                repo.insert(case, wrapped)
                trail.record(conn, kind="case-opened", case=case,
                             payload={"summary": f"Case opened: {case.title}"})
                for _ in range(2):
                    parties.insert(case_id, f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}",
                                   rng.choice(list(PartyRole)), UnionMembership.UNKNOWN, NOW)
                meetings.save_details(case_id, MeetingDetails(
                    held_on=NOW.date(), place=text.sentence(2, 4),
                    narrative=" ".join(text.sentence(8, 16) for _ in range(4)), updated=NOW))
                for _ in range(2):
                    meetings.add_issue(case_id, text.sentence(4, 10), False, NOW.date())
                    meetings.add_action(case_id, text.sentence(4, 10),
                                        rng.choice(list(ActionOwner)),
                                        NOW.date() + dt.timedelta(days=rng.randint(-10, 60)),
                                        NOW)
                cases.append(case)
    big = cases[0]
    remaining = sizes.entries - sizes.cases  # every case already has its case-opened entry
    per_batch = 20_000
    kinds = [k for k in EntryKind if k is not EntryKind.OFF_THE_RECORD]
    written = 0
    while written < remaining:
        with vault.db.transaction() as conn:
            for _ in range(min(per_batch, remaining - written)):
                case = big if written < sizes.big_case_entries - 1 else rng.choice(cases)
                payload: dict[str, object] = {"summary": text.sentence(6, 14),
                                              "occurred": NOW.isoformat()}
                if rng.random() < 0.2:
                    payload["detail"] = " ".join(text.sentence(10, 20) for _ in range(3))
                trail.record(conn, kind=rng.choice(kinds).value, case=case, payload=payload)
                written += 1
    return cases, big


def plain_copy(session: Session, target: Path) -> None:
    """An unencrypted copy of the vault database, for the peers."""
    conn = session.vault.db.connection
    with session.vault.db.lock:
        conn.execute(f"ATTACH DATABASE '{target}' AS plain KEY ''")
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute("DETACH DATABASE plain")


def make_queries(rng: random.Random, cases: list[Case], text: TextMaker) -> list[str]:
    queries: list[str] = []
    for i in range(QUERIES):
        kind = i % 5
        if kind == 0:
            queries.append(rng.choice(SURNAMES))
        elif kind == 1:
            queries.append(rng.choice(CASEWORK))                     # common words
        elif kind == 2:
            queries.append(rng.choice(text.vocab[len(CASEWORK):]))   # rare words
        elif kind == 3:
            queries.append(" ".join(text.words(2)))
        else:
            queries.append(rng.choice(cases).ref)
    return queries


_PEER_SEARCH = (
    # the same three queries the service runs (vault.store.search_index)
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


def _peer_search(peer: sqlite3.Connection, query: str) -> int:
    match = fts_query(query)
    return sum(len(peer.execute(sql, (match,)).fetchall()) for sql in _PEER_SEARCH)


def bench_search(session: Session, peer: sqlite3.Connection, queries: list[str],
                 size: str) -> None:
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
    ms = 1000
    figure(f"search p50 [{size}]", percentile(ours, 50) * ms, "sqlite3 FTS5 plain",
           percentile(theirs, 50) * ms, "ms")
    figure(f"search p95 [{size}]", percentile(ours, 95) * ms, "sqlite3 FTS5 plain",
           percentile(theirs, 95) * ms, "ms", target="<= 30 ms")


def bench_case_page(session: Session, peer: sqlite3.Connection, big: Case, size: str) -> None:
    def ours() -> int:
        entries = session.trail_log.entries(big.ref)
        session.first_meeting.get(big.ref)
        session.parties.list(big.ref)
        return len(entries)

    def theirs() -> int:
        rows = peer.execute("SELECT * FROM trail WHERE case_id = ? ORDER BY seq",
                            (big.id,)).fetchall()
        peer.execute("SELECT * FROM first_meetings WHERE case_id = ?", (big.id,)).fetchall()
        peer.execute("SELECT * FROM case_issues WHERE case_id = ?", (big.id,)).fetchall()
        peer.execute("SELECT * FROM action_points WHERE case_id = ?", (big.id,)).fetchall()
        peer.execute("SELECT * FROM parties WHERE case_id = ?", (big.id,)).fetchall()
        return len(rows)

    n = ours()
    assert n == theirs(), "the peer must read the same rows"
    a = [_time(ours) for _ in range(CASE_PAGE_RUNS)]
    b = [_time(theirs) for _ in range(CASE_PAGE_RUNS)]
    figure(f"case page, {n} entries, median [{size}]", statistics.median(a) * 1000,
           "plain SELECT", statistics.median(b) * 1000, "ms", target="<= 200 ms")
    t = time.perf_counter()
    session.trail.entries(big)
    raw = time.perf_counter() - t
    figure(f"  PaperTrail.entries only [{size}]", raw * 1000, "plain SELECT",
           statistics.median(b) * 1000, "ms")


def bench_verify(session: Session, peer: sqlite3.Connection, size: str) -> None:
    t = time.perf_counter()
    report = session.trail.verify()
    ours = time.perf_counter() - t
    assert report.ok
    t = time.perf_counter()
    rows = peer.execute("SELECT seq, ts, kind, case_ref, links, payload, payload_hash,"
                        " prev_mac, mac FROM trail ORDER BY seq").fetchall()
    theirs = time.perf_counter() - t
    assert len(rows) == report.entries
    figure(f"verify trail, {report.entries:,} entries [{size}]", ours, "plain SELECT all rows",
           theirs, "s", target="<= 2 s")


def _time(fn: object) -> float:
    t = time.perf_counter()
    fn()  # type: ignore[operator]
    return time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--small", action="store_true", help="1,000 cases, 20,000 entries")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="generate into DIR and keep it (reused if it already exists)")
    args = parser.parse_args(argv)
    sizes = SMALL if args.small else FULL
    rng = random.Random(SEED)
    work = Path(tempfile.mkdtemp(prefix="casevault-bench-"))
    root = args.keep or (work / "vault")
    manager = VaultManager(root=root, clock=FixedClock(NOW), kdf_params=Argon2Params(1, 8, 1),
                           enforce_strength=False)
    try:
        if manager.exists():
            session = manager.unlock(PASSPHRASE)
            cases = [s.case for s in session.cases.list()]
            big = cases[0]
            print(f"reusing the vault in {root}", flush=True)
        else:
            session = manager.create(PASSPHRASE)
            t = time.perf_counter()
            cases, big = generate(session, sizes, rng)
            print(f"generated {len(cases):,} cases in {time.perf_counter() - t:.1f} s",
                  flush=True)
        entries = session.trail.head()[0]
        db_size = session.vault.paths.db.stat().st_size
        size = f"{len(cases):,} cases, {entries:,} entries"
        print(f"vault: {size}, database {db_size / 2**20:.0f} MiB", flush=True)
        plain = work / "plain.db"
        plain_copy(session, plain)
        peer = sqlite3.connect(str(plain))
        print(f"peer: stdlib sqlite3 {sqlite3.sqlite_version} on an unencrypted copy; ours: "
              "SQLCipher with the services", flush=True)
        queries = make_queries(rng, cases, TextMaker(random.Random(SEED + 1)))
        bench_search(session, peer, queries, size)
        bench_case_page(session, peer, big, size)
        bench_verify(session, peer, size)
        peer.close()
        manager.lock_all()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
