"""Demo vaults for the benchmarks, made once with ``vault.demo`` and kept in ``.bench/vaults``.

``demo_vault(cases)`` returns the vault folder, a plain (unencrypted, ``sqlcipher_export``)
copy of its database for the sqlite3 peers, and whether it was reused. Beyond the demo's own
casework, the first case gets a long paper trail (``BIG_CASE_ENTRIES`` entries in all, written
in bulk through ``PaperTrail.record``) so "open a case page with 2,000 entries" has its case.
The vault uses the product's Argon2id floor (t=3, m=64 MiB, p=4).
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.harness import ROOT
from vault.clock import SystemClock
from vault.crypto import kdf
from vault.demo.generator import DemoOptions, fill_demo_vault
from vault.demo.people import SENTENCES
from vault.domain import EntryKind
from vault.session import Session, VaultManager

PASSPHRASE = "benchmark demo vault lantern orbit harbour"
CACHE = ROOT / ".bench" / "vaults"
BIG_CASE_ENTRIES = 2_000
_KINDS = [k for k in EntryKind if k not in (EntryKind.OFF_THE_RECORD, EntryKind.ORAL_ADVICE)]


def manager_for(root: Path) -> VaultManager:
    return VaultManager(root=root, clock=SystemClock(), kdf_params=kdf.ARGON2_FLOOR)


def _grow_big_case(session: Session, rng: random.Random) -> str:
    summary = session.cases.list()[0]
    case = summary.case
    have = len(session.trail.entries(case))
    start = dt.datetime.combine(case.opened, dt.time(9)).astimezone()
    with session.vault.uow.write() as tx:
        for i in range(max(0, BIG_CASE_ENTRIES - have)):
            when = start + dt.timedelta(minutes=10 * i)
            payload: dict[str, object] = {"summary": rng.choice(SENTENCES),
                                          "occurred": min(when, session.clock.now()).isoformat()}
            if rng.random() < 0.2:
                payload["detail"] = " ".join(rng.choice(SENTENCES) for _ in range(3))
            session.trail.record(tx, kind=rng.choice(_KINDS).value, case=case, payload=payload)
    return case.ref


def demo_vault(cases: int, cache: Path = CACHE) -> tuple[Path, Path, bool]:
    """The demo vault of ``cases`` cases and a plain copy of its database (made once)."""
    root = cache / f"demo-{cases}"
    plain = cache / f"demo-{cases}.plain.db"
    if (root / "vault.keys").exists() and plain.exists():
        return root, plain, True
    shutil.rmtree(root, ignore_errors=True)
    plain.unlink(missing_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    session = manager_for(root).create(PASSPHRASE)
    report = fill_demo_vault(session, DemoOptions(cases=cases, documents_every=8))
    _grow_big_case(session, random.Random(cases))
    print(f"made a demo vault of {report.cases:,} cases ({session.trail.head()[0]:,} entries)"
          f" in {report.seconds:.0f} s", flush=True)
    db = session.vault.db
    with db.lock:
        db.connection.execute(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
        db.connection.execute("SELECT sqlcipher_export('plain')")
        db.connection.execute("DETACH DATABASE plain")
    session.lock()
    return root, plain, False
