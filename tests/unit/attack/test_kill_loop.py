"""The kill -9 loop: a child imports documents, logs entries, writes backups and rotates the
database key in a loop; the parent kills it at random moments and after every kill checks the
vault: it opens, ``integrity_check`` is ok, every acknowledged write is there, no file exists
without a row or an intent, ``verify`` passes, and the newest acknowledged backup verifies.

30 kills in the normal run; 200 behind ``-m slow`` (``pytest -m slow tests/unit/attack``).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import STRONG
from vault.backup.reader import Credential, verify_backup
from vault.backup.writer import SNAPSHOT_PREFIX, remove_stale_snapshots
from vault.domain import Category

WORKER = textwrap.dedent("""
    import datetime as dt, pathlib, sys
    from vault.clock import SystemClock
    from vault.crypto.kdf import Argon2Params
    from vault.session import VaultManager
    root, ref, src, pw, out, seed = sys.argv[1:7]
    m = VaultManager(root=pathlib.Path(root), clock=SystemClock(),
                     kdf_params=Argon2Params(1, 8, 1))
    s = m.unlock(pw)
    print("ready", flush=True)
    n = int(seed) * 1000
    while True:
        n += 1
        doc = s.documents.import_file(ref, pathlib.Path(src))
        print("doc", doc.id, flush=True)
        entry = s.trail_log.log(ref, "note", f"kill loop note {n}")
        print("log", entry.seq, flush=True)
        if n % 2 == 0:
            record = s.admin.backup(pathlib.Path(out) / f"b-{n}.cvbackup")
            print("backup", record.path, flush=True)
        if n % 3 == 0:
            s.admin.rotate_db_key()
            print("rekey", s.admin.db_epoch, flush=True)
""")


def _kill_loop(manager, tmp_path: Path, kills: int) -> dict[str, int]:  # type: ignore[no-untyped-def]
    s = manager.create(STRONG)
    member = s.members.add("Kill Loop")
    case = s.cases.open(member.id, "Kill loop case", Category.OTHER)
    s.lock()
    src = tmp_path / "payload.bin"
    src.write_bytes(os.urandom(70 * 1024))
    out = tmp_path / "backups"
    out.mkdir()
    rng = random.Random(2026)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    acked_docs: set[str] = set()
    acked_logs: set[int] = set()
    acked_backups: list[Path] = []
    epoch = 0
    stats = {"kills": 0, "docs": 0, "logs": 0, "backups": 0, "rekeys": 0}
    for round_no in range(kills):
        proc = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(manager.root), case.ref, str(src), STRONG,
             str(out), str(round_no)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        assert proc.stdout is not None and proc.stderr is not None
        first = proc.stdout.readline().strip()
        assert first == b"ready", proc.stderr.read()
        try:
            proc.wait(timeout=rng.uniform(0.02, 1.2))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read()
        stats["kills"] += 1
        for line in proc.stdout.read().decode().splitlines():
            what, _, value = line.partition(" ")
            if what == "doc":
                acked_docs.add(value)
            elif what == "log":
                acked_logs.add(int(value))
            elif what == "backup":
                acked_backups.append(Path(value))
            elif what == "rekey":
                epoch = max(epoch, int(value))
                stats["rekeys"] += 1
        proc.stdout.close()
        proc.stderr.close()

        s = manager.unlock(STRONG)
        try:
            db = s.vault.db
            assert db.integrity_check() == []
            assert s.admin.db_epoch >= epoch
            assert db.query("SELECT * FROM intents") == []
            rows = {r["id"] for r in db.query("SELECT id FROM documents")}
            assert acked_docs <= rows
            files = {p.stem for p in manager.paths.documents.rglob("*.cvf")}
            assert files == rows  # no file without a row (intents were resolved above)
            assert not [p for p in manager.paths.documents.rglob("*") if p.suffix == ".part"]
            seqs = {r["seq"] for r in db.query("SELECT seq FROM trail")}
            assert acked_logs <= seqs
            assert s.verify().ok
            remove_stale_snapshots(manager.root)
            assert not list(manager.root.glob(f"{SNAPSHOT_PREFIX}*"))
            for path in acked_backups:
                assert path.exists()
        finally:
            s.lock()
        if acked_backups and round_no % 5 == 0:
            assert verify_backup(acked_backups[-1], Credential(passphrase=STRONG)).cases == 1
    # Every acknowledged backup is whole; a half-written one never has the final name.
    for path in out.iterdir():
        assert path.name.startswith(".") or path in acked_backups or path.suffix == ".cvbackup"
    verify_backup(acked_backups[-1], Credential(passphrase=STRONG))
    stats.update(docs=len(acked_docs), logs=len(acked_logs), backups=len(acked_backups))
    print(f"kill -9 loop: {stats}")
    return stats


def test_kill_9_loop(manager, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stats = _kill_loop(manager, tmp_path, 30)
    assert stats["kills"] >= 30 and stats["docs"] > 0 and stats["backups"] > 0


@pytest.mark.long
def test_kill_9_loop_long(manager, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stats = _kill_loop(manager, tmp_path, 200)
    assert stats["kills"] >= 200 and stats["rekeys"] > 0
