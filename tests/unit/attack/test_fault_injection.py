"""Fault injection: ``os.fsync``, ``os.replace`` and writes raise ENOSPC or EIO at each call
site in turn during import, backup and restore. Each failure is one clear ``StorageError``
line, nothing half-written is left that the next start cannot explain, and the operation then
works."""

from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

import pytest

from tests.conftest import STRONG
from tests.unit.attack.faults import ERRNOS, SITES, FaultPlan, injected
from vault.backup.reader import Credential, restore_backup
from vault.backup.restore_names import STAGING_PREFIX
from vault.backup.writer import SNAPSHOT_PREFIX, write_backup
from vault.domain import Category
from vault.errors import StorageError

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
SIZE = 3 * 65536 + 123


def _indices(n: int, site: str, *, batched: bool = False) -> list[int]:
    """Every fsync and replace call; for writes (one per segment) the first two, a middle
    one and the last, which covers each write call site (header, segments, last segment).

    ``batched``: CVF1 imports write through a helper thread in 2 MiB batches (issue 12), so
    how many ``write`` calls happen depends on timing; only the first is certain to exist,
    and a later one is faulted by ``_write_fault_later`` instead."""
    if site != "write":
        return list(range(1, n + 1))
    if batched:
        return [1]
    return sorted({i for i in (1, 2, n // 2, n) if i >= 1})


def _one_line_storage_error(exc: BaseException, err: int) -> None:
    assert isinstance(exc, StorageError), repr(exc)
    message = str(exc)
    assert "\n" not in message and "Traceback" not in message
    if err == errno.ENOSPC:
        assert "disk is full" in message


def _assert_consistent(manager, case_ref: str) -> None:  # type: ignore[no-untyped-def]
    """The next start: recovery runs, nothing unexplained, verify passes."""
    session = manager.unlock(STRONG)
    try:
        assert session.vault.db.query("SELECT * FROM intents") == []
        docs = manager.paths.documents
        assert not [p for p in docs.rglob("*") if p.name.endswith(".part")]
        rows = {d.id for d in session.documents.list(case_ref)}
        assert rows == {p.stem for p in docs.rglob("*.cvf")}
        assert session.verify().ok
    finally:
        manager.lock_all()


@pytest.fixture
def setup(manager, tmp_path: Path):  # type: ignore[no-untyped-def]
    s = manager.create(STRONG)
    member = s.members.add("Fay Fault")
    case = s.cases.open(member.id, "Fault case", Category.OTHER)
    src = tmp_path / "src.bin"
    src.write_bytes(os.urandom(SIZE))
    s.documents.import_file(case.ref, src)
    s.lock()
    return case.ref, src


def test_import_faults_at_every_site(manager, setup, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case_ref, src = setup
    session = manager.unlock(STRONG)
    with injected(monkeypatch, FaultPlan()) as counted:
        session.documents.import_file(case_ref, src)
    manager.lock_all()
    covered = 0
    for site in SITES:
        assert counted.counts[site] > 0, site
        for at in _indices(counted.counts[site], site, batched=True):
            for err in ERRNOS:
                session = manager.unlock(STRONG)
                with pytest.raises(StorageError) as info, \
                        injected(monkeypatch, FaultPlan(site, at, err)) as plan:
                    session.documents.import_file(case_ref, src)
                assert plan.fired
                _one_line_storage_error(info.value, err)
                manager.lock_all()
                _assert_consistent(manager, case_ref)
                covered += 1
    assert covered >= 8  # 2 fsync + 1 replace + the first batched write, × ENOSPC and EIO
    print("import fault sites", counted.counts, covered)


def test_backup_faults_at_every_site(manager, setup, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case_ref, _src = setup
    session = manager.unlock(STRONG)
    out_dir = tmp_path / "backups"
    out_dir.mkdir()
    with injected(monkeypatch, FaultPlan()) as counted:
        write_backup(session.vault, out_dir / "counted.cvbackup", now=NOW)
    for site in SITES:
        assert counted.counts[site] > 0, site
        for at in _indices(counted.counts[site], site):
            for err in ERRNOS:
                out = out_dir / f"{site}-{at}-{err}.cvbackup"
                with pytest.raises(StorageError) as info, \
                        injected(monkeypatch, FaultPlan(site, at, err)) as plan:
                    write_backup(session.vault, out, now=NOW)
                assert plan.fired
                _one_line_storage_error(info.value, err)
                assert sorted(p.name for p in out_dir.iterdir()) == ["counted.cvbackup"]
                assert not list(session.root.glob(f"{SNAPSHOT_PREFIX}*"))
    print("backup fault sites", counted.counts)
    write_backup(session.vault, out_dir / "after.cvbackup", now=NOW)
    manager.lock_all()
    _assert_consistent(manager, case_ref)


def test_restore_faults_at_every_site(manager, setup, monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    case_ref, _src = setup
    session = manager.unlock(STRONG)
    backup = tmp_path / "b.cvbackup"
    write_backup(session.vault, backup, now=NOW)
    manager.lock_all()
    cred = Credential(passphrase=STRONG)
    parent = tmp_path / "restores"
    parent.mkdir()
    with injected(monkeypatch, FaultPlan()) as counted:
        restore_backup(backup, parent / "counted", cred)
    for site in SITES:
        assert counted.counts[site] > 0, site
        for at in _indices(counted.counts[site], site):
            for err in ERRNOS:
                target = parent / f"{site}-{at}-{err}"
                with pytest.raises(StorageError) as info, \
                        injected(monkeypatch, FaultPlan(site, at, err)) as plan:
                    restore_backup(backup, target, cred)
                assert plan.fired
                _one_line_storage_error(info.value, err)
                assert not target.exists()
                assert not [p for p in parent.iterdir() if p.name.startswith(STAGING_PREFIX)]
    print("restore fault sites", counted.counts)
    restore_backup(backup, parent / "after", cred)
    from vault.session import VaultManager

    restored = VaultManager(root=parent / "after", clock=manager.clock,
                            kdf_params=manager.kdf_params)
    _assert_consistent(restored, case_ref)
