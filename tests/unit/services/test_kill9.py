"""The crash harness: kill -9 a process in the middle of imports, reopen, find it consistent."""

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
from vault.domain import Category

WORKER = textwrap.dedent("""
    import pathlib, sys
    from vault.clock import SystemClock
    from vault.crypto.kdf import Argon2Params
    from vault.session import VaultManager
    root, ref, src, pw = sys.argv[1:5]
    m = VaultManager(root=pathlib.Path(root), clock=SystemClock(),
                     kdf_params=Argon2Params(1, 8, 1))
    s = m.unlock(pw)
    print("ready", flush=True)
    while True:
        s.documents.import_file(ref, pathlib.Path(src))
        s.cases.set_consent_to_share(ref, True)
        s.cases.set_consent_to_share(ref, False)
""")


@pytest.mark.slow
def test_kill_9_during_imports_leaves_a_consistent_vault(manager, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = manager.create(STRONG)
    m = s.members.add("Kill Nine")
    case = s.cases.open(m.id, "Crash harness", Category.OTHER)
    s.lock()
    src = tmp_path / "payload.bin"
    src.write_bytes(os.urandom(6 * 1024 * 1024))
    rng = random.Random(9)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    for _round in range(6):
        proc = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(manager.root), case.ref, str(src), STRONG],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == b"ready", proc.stderr.read() if proc.stderr else ""
        try:
            proc.wait(timeout=rng.uniform(0.05, 0.8))
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert proc.returncode == -signal.SIGKILL, proc.stderr.read() if proc.stderr else ""

        s = manager.unlock(STRONG)
        report = s.verify()
        assert report.ok, report
        assert s.vault.db.query("SELECT * FROM intents") == []
        leftovers = [p for p in manager.paths.documents.rglob("*") if p.name.endswith(".part")]
        assert leftovers == []
        rows = {d.id for d in s.documents.list(case.ref)}
        files = {p.stem for p in manager.paths.documents.rglob("*.cvf")}
        assert rows == files
        s.lock()
