"""The backup service: register, trail, automatic backups with rotation, the erase hook, and
the recovery code's life (made, replaced, kept across a passphrase change, used to recover)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import OTHER_STRONG, STRONG
from vault.backup import recovery
from vault.backup.reader import Credential
from vault.backup.service import AUTOMATIC, MANUAL, BackupService
from vault.errors import InvalidInput, RefusedAction, WrongPassphrase

THIRD = "amber quartz meadow lantern eleven"


@pytest.fixture
def backups(session) -> BackupService:
    return session.admin.backups


def _trail_kinds(session) -> list[str]:
    return [r["kind"] for r in session.vault.db.query("SELECT kind FROM trail ORDER BY seq")]


def test_manual_backup_is_registered_and_in_the_trail(session, populated, backups,
                                                      tmp_path: Path) -> None:
    assert backups.last_backup() is None and backups.last_backup_age() is None
    record = backups.backup(tmp_path / "m.cvbackup")
    assert record.kind == MANUAL and record.path == (tmp_path / "m.cvbackup").resolve()
    assert set(record.case_ids) == {c.case.id for c in session.cases.list()}
    assert backups.last_backup() == record
    assert backups.last_backup_age() == dt.timedelta(0)
    assert "backup-written" in _trail_kinds(session)
    assert session.verify().ok  # the trail chain still verifies
    assert backups.verify(record.path, Credential(passphrase=STRONG)).backup_id == record.id


def test_a_backup_inside_the_vault_folder_is_refused(session, backups) -> None:
    with pytest.raises(RefusedAction):
        backups.backup(session.root / "b.cvbackup")
    with pytest.raises(InvalidInput):
        backups.configure(folder=session.root, keep=5)


def test_automatic_backups_keep_the_newest_n(session, populated, backups, clock,
                                             tmp_path: Path) -> None:
    folder = tmp_path / "drive"
    with pytest.raises(InvalidInput):
        backups.configure(folder=folder, keep=3)  # not there yet
    folder.mkdir()
    backups.configure(folder=folder, keep=3)
    assert backups.automatic_due()
    made = []
    for _ in range(5):
        made.append(backups.backup_automatic())
        clock.advance(days=1, seconds=3600)
    files = sorted(p.name for p in folder.iterdir())
    assert len(files) == 3
    assert {r.id for r in backups.records()} == {r.id for r in made[-3:]}
    removed = [r for r in backups.records(include_removed=True) if not r.kept]
    assert {r.removed_reason for r in removed} == {"rotation"} and len(removed) == 2
    assert "backup-removed" in _trail_kinds(session)


def test_missing_drive_is_a_clear_refusal(session, backups, tmp_path: Path) -> None:
    with pytest.raises(RefusedAction, match="folder"):
        backups.backup_automatic()
    drive = tmp_path / "usb"
    drive.mkdir()
    backups.configure(folder=drive, keep=2)
    drive.rmdir()
    with pytest.raises(RefusedAction, match="plugged in"):
        backups.backup_automatic()


def test_erase_hook_drops_automatic_backups_and_lists_manual_ones(
        session, populated, backups, tmp_path: Path) -> None:
    drive = tmp_path / "drive"
    drive.mkdir()
    backups.configure(folder=drive, keep=5)
    auto = backups.backup_automatic()
    manual = backups.backup(tmp_path / "manual.cvbackup")
    affected = backups.backups_affected_by_erase(populated.case_id)
    assert {r.id for r in affected} == {auto.id, manual.id}
    report = backups.drop_backups_holding(populated.case_id)
    assert [r.id for r in report.dropped] == [auto.id]
    assert not auto.path.exists()
    assert [r.id for r in report.manual] == [manual.id]
    assert report.fresh is not None and report.fresh.path.exists()
    lines = report.certificate_lines()
    assert any("was deleted" in line for line in lines)
    assert any(str(manual.path) in line and "delete that file" in line for line in lines)
    assert {r.id for r in backups.backups_affected_by_erase(populated.case_id)} >= {manual.id}


def test_recovery_code_life(manager, session, fast_params, tmp_path: Path) -> None:
    admin = session.admin
    assert not admin.has_recovery_code()
    with pytest.raises(WrongPassphrase):
        admin.new_recovery_code(OTHER_STRONG)
    first = admin.new_recovery_code(STRONG)
    second = admin.new_recovery_code(STRONG)
    assert first != second and admin.has_recovery_code()
    assert _trail_kinds(session).count("recovery-code-made") == 2
    # The quick re-wrap keeps the code (the master key stays).
    admin.change_passphrase(STRONG, OTHER_STRONG, keep_master_key=True)
    assert admin.has_recovery_code()
    manager.lock_all()
    with pytest.raises(WrongPassphrase):
        recovery.recover(manager.root, first, THIRD, params=fast_params)  # replaced: dead
    s2 = manager.recover(second, THIRD)
    assert "passphrase-reset-with-recovery-code" in _trail_kinds(s2)
    assert s2.verify().ok
    s2.lock()
    with pytest.raises(WrongPassphrase):
        manager.unlock(OTHER_STRONG)
    # The code still works after it was used.
    recovery.recover(manager.root, second, STRONG, params=fast_params)
    s3 = manager.unlock(STRONG)
    # The default passphrase change replaces the master key: the code is dropped and the
    # rep is told so (docs/architecture.md, departure 10).
    change = s3.admin.change_passphrase(STRONG, OTHER_STRONG)
    assert "recovery" in change.dropped_slots and "recovery code" in change.message
    assert not s3.admin.has_recovery_code()
    s3.lock()
    with pytest.raises(WrongPassphrase):
        recovery.recover(manager.root, second, THIRD, params=fast_params)


def test_recover_refuses_a_weak_passphrase_and_a_mistyped_code(manager, session,
                                                               fast_params) -> None:
    from vault.errors import WeakPassphrase

    code = session.admin.new_recovery_code(STRONG)
    manager.lock_all()
    with pytest.raises(WeakPassphrase):
        recovery.recover(manager.root, code, "short", params=fast_params)
    words = code.split()
    with pytest.raises(InvalidInput):
        recovery.recover(manager.root, " ".join(words[:-1]), THIRD, params=fast_params)
    manager.unlock(STRONG).lock()  # nothing changed


def test_automatic_kinds_are_recorded(session, backups, tmp_path: Path) -> None:
    drive = tmp_path / "d"
    drive.mkdir()
    backups.configure(folder=drive, keep=5)
    assert backups.backup_automatic().kind == AUTOMATIC
