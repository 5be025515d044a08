"""Back up, verify without restoring, restore into an empty folder, and find everything."""

from __future__ import annotations

import datetime as dt
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import OTHER_STRONG, STRONG
from vault.backup.reader import Credential, restore_backup, verify_backup
from vault.backup.writer import SNAPSHOT_PREFIX, write_backup
from vault.crypto import keyfile
from vault.errors import RefusedAction, WrongPassphrase
from vault.session import VaultManager

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def test_backup_verify_restore_finds_everything(session, populated, tmp_path: Path,
                                                fast_params, clock) -> None:
    out = tmp_path / "out" / "vault.cvbackup"
    out.parent.mkdir()
    seen: list[tuple[int, int]] = []
    result = write_backup(session.vault, out, now=NOW, progress=lambda d, t: seen.append((d, t)))
    assert result.documents == len(populated.documents)
    assert out.stat().st_size == result.size
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert seen and seen[-1][0] == seen[-1][1]
    assert list(out.parent.iterdir()) == [out]  # no temp file left
    assert not list(session.root.glob(f"{SNAPSHOT_PREFIX}*"))

    summary = verify_backup(out, Credential(passphrase=STRONG))
    assert summary.documents == len(populated.documents)
    assert summary.cases == 2
    assert summary.vault_id == session.vault.vault_id

    target = tmp_path / "restored"
    restore_backup(out, target, Credential(passphrase=STRONG))
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".restore-")]
    restored = VaultManager(root=target, clock=clock, kdf_params=fast_params)
    s2 = restored.unlock(STRONG)
    try:
        assert s2.verify().ok
        assert [c.case.ref for c in s2.cases.list()] == [c.case.ref for c in session.cases.list()]
        found = {}
        for ref in (populated.case_ref, populated.other_ref):
            for doc in s2.documents.list(ref):
                found[doc.id] = s2.documents.read_bytes(ref, doc.id)
        assert found == populated.documents
        count = "SELECT count(*) FROM trail"
        assert s2.vault.db.query(count)[0][0] == session.vault.db.query(count)[0][0] > 0
        for path in target.rglob("*"):
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode == (0o700 if path.is_dir() else 0o600), path
    finally:
        restored.lock_all()


def test_a_backup_of_a_live_wal_database_holds_uncheckpointed_writes(session, tmp_path) -> None:
    # The WAL holds the newest pages until a checkpoint: a raw copy of vault.db would miss them.
    member = session.members.add("Wal Pending")
    wal = session.root / "vault.db-wal"
    assert wal.exists() and wal.stat().st_size > 0
    out = tmp_path / "b.cvbackup"
    write_backup(session.vault, out, now=NOW)
    target = tmp_path / "r"
    restore_backup(out, target, Credential(passphrase=STRONG))
    m = VaultManager(root=target, clock=session.clock, kdf_params=keyfile.KeyFile.load(
        target / "vault.keys").slots[0].params)
    s2 = m.unlock(STRONG)
    try:
        assert s2.members.get(member.id).name == "Wal Pending"
    finally:
        m.lock_all()


def test_recovery_code_opens_a_backup_made_before_a_passphrase_change(
        session, populated, tmp_path: Path, fast_params) -> None:
    code = session.admin.new_recovery_code(STRONG)
    out = tmp_path / "b.cvbackup"
    write_backup(session.vault, out, now=NOW)
    # The default change replaces the master key and drops the recovery slot in the vault;
    # the backup keeps its own key file, so the old passphrase and the old code open it.
    change = session.admin.change_passphrase(STRONG, OTHER_STRONG)
    assert "recovery" in change.dropped_slots
    with pytest.raises(WrongPassphrase):
        verify_backup(out, Credential(passphrase=OTHER_STRONG))  # the backup keeps the old one
    assert verify_backup(out, Credential(passphrase=STRONG)).documents == 4
    assert verify_backup(out, Credential(recovery_code=code)).documents == 4


def test_restore_refuses_a_folder_with_files_and_leaves_it_alone(session, tmp_path: Path) -> None:
    out = tmp_path / "b.cvbackup"
    write_backup(session.vault, out, now=NOW)
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    with pytest.raises(RefusedAction):
        restore_backup(out, target, Credential(passphrase=STRONG))
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    with pytest.raises(RefusedAction):
        restore_backup(out, session.root, Credential(passphrase=STRONG))  # the live vault


def test_restore_into_an_existing_empty_folder(session, tmp_path: Path) -> None:
    out = tmp_path / "b.cvbackup"
    write_backup(session.vault, out, now=NOW)
    target = tmp_path / "empty"
    target.mkdir()
    restore_backup(out, target, Credential(passphrase=STRONG))
    assert (target / "vault.keys").read_bytes() == session.vault.paths.keys.read_bytes()


def test_backup_refuses_to_overwrite(session, tmp_path: Path) -> None:
    out = tmp_path / "b.cvbackup"
    out.write_bytes(b"keep me")
    with pytest.raises(RefusedAction):
        write_backup(session.vault, out, now=NOW)
    assert out.read_bytes() == b"keep me"


def test_backup_during_an_interrupted_rekey_still_opens(session, populated, tmp_path: Path) -> None:
    # Stage a pending key and re-key the database, as a crash before "promote" leaves it.
    from vault.crypto.secret import SecretKey

    vault = session.vault
    new_key = SecretKey.generate()
    staged = keyfile.stage_db_key(vault.keyfile, vault.keys.vmk(), new_key)
    vault.files.save_keyfile(staged)
    vault.db.rekey(new_key)
    out = tmp_path / "b.cvbackup"
    write_backup(vault, out, now=NOW)
    assert verify_backup(out, Credential(passphrase=STRONG)).documents == 4


def test_cancel_leaves_nothing(session, populated, tmp_path: Path) -> None:
    from vault.errors import Cancelled

    out = tmp_path / "b.cvbackup"
    calls = iter(range(10_000))
    with pytest.raises(Cancelled):
        write_backup(session.vault, out, now=NOW, cancelled=lambda: next(calls) > 2)
    assert list(tmp_path.glob("*b.cvbackup*")) == []
    assert not list(session.root.glob(f"{SNAPSHOT_PREFIX}*"))


def test_no_plaintext_of_a_document_in_the_backup(session, tmp_path: Path) -> None:
    canary = b"CANARY-backup-7f3a-" * 50
    member = session.members.add("Canary Member Zebedee")
    from vault.domain import Category

    case = session.cases.open(member.id, "Canary title Quixotic", Category.OTHER)
    src = tmp_path / "c.txt"
    src.write_bytes(canary)
    session.documents.import_file(case.ref, src)
    out = tmp_path / "b.cvbackup"
    write_backup(session.vault, out, now=NOW)
    raw = out.read_bytes()
    for needle in (b"CANARY-backup-7f3a", b"Zebedee", b"Quixotic",
                   "Zebedee".encode("utf-16-le")):
        assert needle not in raw
    os.remove(src)


def test_restore_on_the_same_computer_is_not_taken_for_a_rollback(tmp_path: Path, fast_params,
                                                                  clock) -> None:
    import shutil

    from vault.errors import RollbackDetected

    heads = tmp_path / "heads"
    m = VaultManager(root=tmp_path / "v", clock=clock, kdf_params=fast_params,
                     head_log_dir=heads)
    s = m.create(STRONG)
    s.members.add("Before Backup")
    out = tmp_path / "b.cvbackup"
    s.admin.backup(out)
    s.members.add("After Backup")  # the head log will hold a head the backup lacks
    m.lock_all()
    m.unlock(STRONG).lock()

    shutil.rmtree(m.root)  # the vault is lost
    restore_backup(out, m.root, Credential(passphrase=STRONG))  # without telling the log
    with pytest.raises(RollbackDetected):
        m.unlock(STRONG)  # an older copy put back is noticed ...
    shutil.rmtree(m.root)
    m.restore(out, Credential(passphrase=STRONG))  # ... a deliberate restore is not
    s2 = m.unlock(STRONG)
    try:
        assert len(s2.members.list()) == 1  # "Before Backup" only
        assert s2.verify().ok
    finally:
        m.lock_all()
