"""Benchmark: destroying one case by cryptographic erase, step by step (issue 9).

Builds a vault of 10,000 cases (members, parties, first meetings and paper-trail entries
written in bulk through the real repositories and ``PaperTrail.record``, as
``bench_casework``), gives one case 5,000 trail entries and 1 GiB of documents (16 × 64 MiB
imported through ``DocumentService.import_file``, so CVF1-encrypted), closes it with a 0-day
per-case period and destroys it with ``RetentionService.destroy``, timing every step. The peer,
measured in the same run: a plain ``VACUUM`` of an unencrypted ``sqlcipher_export`` copy of
the same database (taken just before the erase) through Python's stdlib ``sqlite3``. ``VACUUM``
and ``rekey`` dominate; their cost is printed against the database size.

Run: ``.venv/bin/python benchmarks/bench_erase.py [--small] [--keep DIR]``
(``--small``: 1,000 cases, 1,000 entries and 64 MiB of documents, for a quick look.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import secrets
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.casework_fixture import (
    CASEWORK,
    FIRST,
    SEED,
    SURNAMES,
    Sizes,
    TextMaker,
    plain_copy,
)
from benchmarks.common import figure
from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.domain import Case, CaseFlags, CaseStatus, Category, EntryKind, Member
from vault.retention.views import EraseStep
from vault.session import Session, VaultManager
from vault.store.first_meeting_repo import ActionOwner, MeetingDetails
from vault.store.parties_repo import PartyRole, UnionMembership

PASSPHRASE = "benchmark vault passphrase, long enough"
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
FULL = (Sizes(cases=10_000, entries=10_000 + 5_000 + 15_000, big_case_entries=5_000), 16,
        64 * 1024 * 1024)
SMALL = (Sizes(cases=1_000, entries=1_000 + 1_000 + 1_000, big_case_entries=1_000), 4,
         16 * 1024 * 1024)


def generate(session: Session, sizes: Sizes, rng: random.Random) -> tuple[list[Case], Case]:
    """Members, cases, parties, first meetings and trail entries, written in bulk through the
    repositories of the unit of work and the real ``PaperTrail.record``."""
    text = TextMaker(rng)
    uow = session.vault.uow
    trail = session.trail
    cases: list[Case] = []
    for start in range(0, sizes.cases, 1_000):
        with uow.write() as tx:
            for i in range(start, min(start + 1_000, sizes.cases)):
                member = Member(
                    id=f"M-{i + 1:05d}", name=f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}",
                    membership_number=f"{100000 + i}", employer="University of Somewhere",
                    department=rng.choice(CASEWORK).capitalize(), email=None, phone=None,
                    created=NOW)
                tx.members.insert(member)
                case_id = secrets.token_hex(16)
                case = Case(
                    id=case_id, ref=f"C-2026-{i + 1:05d}", member_id=member.id,
                    title=text.sentence(3, 6), category=rng.choice(list(Category)),
                    status=CaseStatus.OPEN, opened=NOW.date(), closed=None, outcome=None,
                    flags=CaseFlags(), consent_to_share=False, last_activity=NOW)
                tx.cases.insert(case, tx.new_case_key(case_id))
                trail.record(tx, kind="case-opened", case=case,
                             payload={"summary": f"Case opened: {case.title}"})
                for _ in range(2):
                    tx.parties.insert(case_id, f"{rng.choice(FIRST)} {rng.choice(SURNAMES)}",
                                      rng.choice(list(PartyRole)), UnionMembership.UNKNOWN, NOW)
                tx.first_meeting.save_details(case_id, MeetingDetails(
                    held_on=NOW.date(), place=text.sentence(2, 4),
                    narrative=" ".join(text.sentence(8, 16) for _ in range(4)), updated=NOW))
                for _ in range(2):
                    tx.first_meeting.add_issue(case_id, text.sentence(4, 10), False, NOW.date())
                    tx.first_meeting.add_action(case_id, text.sentence(4, 10),
                                                rng.choice(list(ActionOwner)),
                                                NOW.date() + dt.timedelta(days=30), NOW)
                cases.append(case)
    big = cases[0]
    remaining = sizes.entries - sizes.cases
    kinds = [k for k in EntryKind if k is not EntryKind.OFF_THE_RECORD]
    written = 0
    while written < remaining:
        with uow.write() as tx:
            for _ in range(min(20_000, remaining - written)):
                case = big if written < sizes.big_case_entries - 1 else rng.choice(cases)
                payload: dict[str, object] = {"summary": text.sentence(6, 14),
                                              "occurred": NOW.isoformat()}
                if rng.random() < 0.2:
                    payload["detail"] = " ".join(text.sentence(10, 20) for _ in range(3))
                trail.record(tx, kind=rng.choice(kinds).value, case=case, payload=payload)
                written += 1
    return cases, big


def _documents(folder: Path, count: int, size: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    chunk = os.urandom(1024 * 1024)
    paths = []
    for i in range(count):
        path = folder / f"evidence-{i:02d}.bin"
        with path.open("wb") as fh:
            for _ in range(size // len(chunk)):
                fh.write(chunk)
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--keep", metavar="DIR", help="build the vault here and keep it")
    args = parser.parse_args()
    sizes, doc_count, doc_size = SMALL if args.small else FULL
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-erase-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        clock = FixedClock(NOW)
        manager = VaultManager(root=work / "vault", clock=clock,
                               kdf_params=Argon2Params(1, 8, 1), is_accredited=lambda: True)
        session = manager.create(PASSPHRASE)
        rng = random.Random(SEED)
        t0 = time.perf_counter()
        _cases, big = generate(session, sizes, rng)
        print(f"built {sizes.cases:,} cases and {sizes.entries:,} trail entries "
              f"({sizes.big_case_entries:,} in the target case) in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
        sources = _documents(work / "sources", doc_count, doc_size)
        t0 = time.perf_counter()
        for path in sources:
            session.documents.import_file(big.ref, path)
        print(f"imported {doc_count} × {doc_size >> 20} MiB into the target case in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
        for path in sources:
            path.unlink()
        session.retention.close(big.ref, outcome="Benchmark", paper_copies_shredded=True,
                                retain_days=0, reason="benchmark")
        clock.advance(days=1)
        session.vault.db.checkpoint()
        db_size = (work / "vault" / "vault.db").stat().st_size

        plain = work / "plain.db"
        plain_copy(session, plain)
        peer = sqlite3.connect(plain)
        start = time.perf_counter()
        peer.execute("VACUUM")
        peer_vacuum = time.perf_counter() - start
        peer.close()

        marks: list[tuple[EraseStep, float]] = []

        def progress(done: int, total: int, step: EraseStep) -> None:
            marks.append((step, time.perf_counter()))

        start = time.perf_counter()
        view = session.retention.destroy(big.ref, progress=progress)
        total = time.perf_counter() - start
        assert view.verified, "the erase did not verify"
        steps = {step: marks[i + 1][1] - at for i, (step, at) in enumerate(marks[:-1])}
        print(f"\ndatabase {db_size / 2**20:.0f} MiB before the erase; documents "
              f"{doc_count * doc_size / 2**30:.2f} GiB", flush=True)
        for step, seconds in steps.items():
            print(f"  {step.label:<48} {seconds:8.3f} s", flush=True)
        figure("erase VACUUM (SQLCipher)", steps[EraseStep.VACUUM], "sqlite3 VACUUM plain",
               peer_vacuum)
        figure("erase rekey (SQLCipher, 2-phase)", steps[EraseStep.REKEY],
               "sqlite3 VACUUM plain", peer_vacuum)
        figure("erase total", total, "sqlite3 VACUUM plain", peer_vacuum, target="<= 10 s")
        mib = db_size / 2**20
        print(f"  VACUUM {steps[EraseStep.VACUUM] / mib * 1000:.1f} ms/MiB, rekey "
              f"{steps[EraseStep.REKEY] / mib * 1000:.1f} ms/MiB, plain VACUUM "
              f"{peer_vacuum / mib * 1000:.1f} ms/MiB of database", flush=True)
        manager.lock_all()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
