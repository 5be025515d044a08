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
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.bench_casework import SEED, Sizes, generate, plain_copy
from benchmarks.common import figure
from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.retention.views import EraseStep
from vault.session import VaultManager

PASSPHRASE = "benchmark vault passphrase, long enough"
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
FULL = (Sizes(cases=10_000, entries=10_000 + 5_000 + 15_000, big_case_entries=5_000), 16,
        64 * 1024 * 1024)
SMALL = (Sizes(cases=1_000, entries=1_000 + 1_000 + 1_000, big_case_entries=1_000), 4,
         16 * 1024 * 1024)


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
        with session.vault.db.lock:
            session.vault.db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
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
