"""kill -9 at every step of the erase (issue 9): a child process destroys a case and is killed
at one step in turn; reopening resumes the job to the same final state, with exactly one
certificate, and ``verify`` passes. One more kill lands inside the key rotation, after the
database was re-keyed and before the new key was promoted: the vault must still open."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import STRONG
from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.domain import Category
from vault.retention.policy import RetentionStatus
from vault.retention.views import ERASE_STEPS
from vault.session import VaultManager

CHILD = textwrap.dedent("""
    import datetime as dt, os, pathlib, signal, sys
    from vault.clock import FixedClock
    from vault.crypto import keyfile
    from vault.crypto.kdf import Argon2Params
    from vault.session import VaultManager
    root, ref, pw, kill_at = sys.argv[1:5]

    def die():
        os.kill(os.getpid(), signal.SIGKILL)

    if kill_at == "before-promote":
        real = keyfile.promote_pending
        keyfile.promote_pending = lambda kf: die()
    m = VaultManager(root=pathlib.Path(root), kdf_params=Argon2Params(1, 8, 1),
                     clock=FixedClock(dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)))
    s = m.unlock(pw)
    s.retention.destroy(ref, step_hook=lambda step: die() if step.value == kill_at else None)
    print("finished", flush=True)
""")


def _prepared_vault(root: Path, tmp_path: Path) -> str:
    clock = FixedClock(__import__("datetime").datetime(2026, 11, 23, 10))
    manager = VaultManager(root=root, clock=clock, kdf_params=Argon2Params(1, 8, 1))
    s = manager.create(STRONG)
    member = s.members.add("Kim Killnine", email="kim@example.org")
    case = s.cases.open(member.id, "Crash during erase", Category.OTHER)
    s.trail_log.log(case.ref, "note", "Something to erase")
    s.parties.add(case.ref, "Pat Party", "manager")
    src = tmp_path / f"doc-{root.name}.bin"
    src.write_bytes(os.urandom(300_000))
    s.documents.import_file(case.ref, src)
    s.escalation.record_not_escalating(case.ref, "Handled locally")
    s.retention.close(case.ref, outcome="Done", paper_copies_shredded=True, retain_days=0,
                      reason="Member asked")
    manager.lock_all()
    return case.ref


@pytest.mark.slow
@pytest.mark.parametrize("kill_at", [*(s.value for s in ERASE_STEPS), "before-promote"])
def test_kill_9_at_each_erase_step_then_reopen(tmp_path: Path, kill_at: str) -> None:
    root = tmp_path / "vault"
    ref = _prepared_vault(root, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(root), ref, STRONG, kill_at],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == -9, proc.stderr[-2000:]
    assert "finished" not in proc.stdout

    clock = FixedClock(__import__("datetime").datetime(2026, 12, 1, 13))
    manager = VaultManager(root=root, clock=clock, kdf_params=Argon2Params(1, 8, 1))
    try:
        s = manager.unlock(STRONG)  # resumes the erase
        if kill_at != "before-promote":
            assert any("case destruction" in line for line in s.recovery.lines())
        rows = s.retention.rows()
        assert [(r.ref, r.status) for r in rows] == [(ref, RetentionStatus.DESTROYED)]
        certs = s.retention.certificates()
        assert [c.ref for c in certs] == [ref]
        view, _ = s.retention.certificate(ref)
        assert view.verified, [c for c in view.verification if not c.passed]
        assert s.verify().ok
        assert not (root / "documents" / s.vault.db.query_one(
            "SELECT id FROM cases WHERE ref = ?", (ref,))[0]).exists()
        assert s.vault.db.query("SELECT * FROM intents") == []
        assert s.members.list() == []
        manager.lock_all()
        # A second unlock changes nothing: still one certificate.
        s = manager.unlock(STRONG)
        assert len(s.retention.certificates()) == 1
    finally:
        manager.lock_all()
