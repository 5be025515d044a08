"""A damaged database (issue 11): open read-only, refuse every change in one line, and restore
from the latest backup while keeping the damaged vault aside.

The damage is real: bytes overwritten in the middle of a page of a populated vault's
``vault.db``, so SQLCipher's page HMAC fails whenever that page is read.
"""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path

import pytest

from tests.conftest import STRONG
from tests.unit.backup.damage import corrupt_page, page_count, root_pages
from vault.backup import restore_names
from vault.backup.reader import Credential
from vault.errors import (
    Cancelled,
    DatabaseDamaged,
    DatabaseUnreadable,
    ReadOnlyVault,
    RefusedAction,
)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _names(session) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(m.member.name for m in session.members.list())


@pytest.fixture
def drive(session, populated, tmp_path: Path) -> Path:
    """An automatic backup of the intact vault, in the folder the rep chose."""
    folder = tmp_path / "drive"
    folder.mkdir()
    session.admin.backups.configure(folder=folder, keep=5)
    session.admin.backup_automatic()
    return folder


def test_a_page_damaged_in_the_middle_is_found_and_the_vault_goes_read_only(
        manager, session, populated, drive) -> None:
    names = _names(session)
    manager.lock_all()
    db = manager.paths.db
    corrupt_page(db, page_count(db) // 2)
    opened = manager.unlock_or_read_only(STRONG)
    if not opened.admin.read_only:  # the page was not on the unlock's path: the check finds it
        with pytest.raises(DatabaseDamaged):
            opened.quick_check(lambda: False)
        opened.admin.enter_read_only()
    assert opened.admin.read_only
    assert opened.admin.startup.lines()[0].startswith("This vault's database is damaged")
    with pytest.raises(ReadOnlyVault) as refused:
        opened.members.add("Nora New")
    assert "\n" not in str(refused.value) and "read-only" in str(refused.value)
    with pytest.raises(ReadOnlyVault):
        opened.admin.backup_automatic()  # a backup of a damaged vault would rotate a good one
    assert not opened.admin.backups.automatic_due()
    try:
        assert _names(opened) == names
    except DatabaseDamaged as exc:  # the damaged page held the members: one plain line
        assert "restore it from a backup" in str(exc)


def test_damage_on_the_unlock_path_opens_read_only_and_writes_nothing(
        manager, session, populated, drive) -> None:
    names = _names(session)
    pages = root_pages(session)
    manager.lock_all()
    db, keys = manager.paths.db, manager.paths.keys
    corrupt_page(db, pages["intents"])  # read by the start-up resume of every unlock
    with pytest.raises(DatabaseDamaged):
        manager.unlock(STRONG)
    fallback = manager.unlock_or_read_only(STRONG)
    assert fallback.admin.read_only and fallback.admin.startup.read_only
    fallback.lock()
    # (the tests' fast KDF is re-wrapped by every read-write unlock attempt, so from here on)
    before = (_digest(db), _digest(keys))
    opened = manager.unlock_read_only(STRONG)
    assert _names(opened) == names
    assert opened.documents.read_bytes(populated.case_ref, next(
        d.id for d in opened.documents.list(populated.case_ref))) in populated.documents.values()
    with pytest.raises(ReadOnlyVault):
        opened.cases.open(opened.members.list()[0].member.id, "Another", "other")
    with pytest.raises(ReadOnlyVault):
        opened.admin.change_passphrase(STRONG, "violet lantern across frozen harbour")
    with pytest.raises(ReadOnlyVault):
        opened.admin.new_recovery_code(STRONG)
    files_before = sorted(p for p in manager.root.rglob("*") if p.is_file())
    extra = manager.root.parent / "new-evidence.txt"
    extra.write_text("more evidence")
    with pytest.raises(ReadOnlyVault):
        opened.documents.import_file(populated.case_ref, extra)
    assert sorted(p for p in manager.root.rglob("*") if p.is_file()) == files_before
    # No copy leaves a vault whose trail cannot record it (the certificate lists copies).
    doc_id = opened.documents.list(populated.case_ref)[0].id
    outside = manager.root.parent / "outside"
    outside.mkdir()
    with pytest.raises(ReadOnlyVault):
        opened.documents.save_copy(populated.case_ref, doc_id, outside / "copy.bin")
    with pytest.raises(ReadOnlyVault):
        opened.export.export_case(populated.case_ref, outside / "bundle.zip")
    assert list(outside.iterdir()) == []
    opened.lock()
    assert (_digest(db), _digest(keys)) == before  # the damaged vault is left exactly as it was
    assert not db.with_name("vault.db-wal").exists() or \
        db.with_name("vault.db-wal").stat().st_size == 0


def test_a_database_that_cannot_be_read_at_all_says_so_in_one_line(
        manager, session, populated) -> None:
    manager.lock_all()
    corrupt_page(manager.paths.db, 1)  # the first page: the key check itself fails
    with pytest.raises(DatabaseUnreadable) as unreadable:
        manager.unlock_or_read_only(STRONG)
    assert str(unreadable.value) == ("This vault's database is damaged and cannot be read at "
                                     "all; restore it from a backup.")


def test_restore_over_a_damaged_vault_keeps_it_aside_and_brings_everything_back(
        manager, session, populated, drive, clock) -> None:
    names = _names(session)
    manager.lock_all()
    corrupt_page(manager.paths.db, 1)
    damaged_digest = _digest(manager.paths.db)
    found = manager.find_backups(drive)
    assert len(found) == 1 and found[0].automatic
    outcome = manager.restore_replacing(found[0].path, Credential(passphrase=STRONG))
    aside = outcome.set_aside
    assert aside is not None and aside.parent == manager.root.parent
    assert aside.name == f"vault.damaged-{clock.now().astimezone():%Y%m%d-%H%M%S}"
    assert stat.S_IMODE(aside.stat().st_mode) == 0o700
    assert _digest(aside / "vault.db") == damaged_digest  # kept as it was, byte for byte
    restored = manager.unlock(STRONG)
    assert not restored.admin.read_only
    assert _names(restored) == names
    for ref in (populated.case_ref, populated.other_ref):
        for doc in restored.documents.list(ref):
            assert restored.documents.read_bytes(ref, doc.id) == populated.documents[doc.id]
    assert restored.verify().ok


def test_restore_is_refused_while_the_vault_is_open_and_a_cancel_changes_nothing(
        manager, session, populated, drive) -> None:
    backup = manager.find_backups(drive)[0].path
    with pytest.raises(RefusedAction):
        manager.restore_replacing(backup, Credential(passphrase=STRONG))
    manager.lock_all()
    before = _digest(manager.paths.db)
    with pytest.raises(Cancelled):
        manager.restore_replacing(backup, Credential(passphrase=STRONG), cancelled=lambda: True)
    assert _digest(manager.paths.db) == before
    assert sorted(p.name for p in manager.root.parent.iterdir()
                  if p.name.startswith((".restore-", "vault."))) == []


def test_find_backups_skips_what_is_not_this_vaults_backup(manager, session, drive,
                                                           tmp_path: Path) -> None:
    (drive / "notes.cvbackup").write_bytes(b"not a backup at all")
    (drive / "casevault-20261101-100000-00000000.cvbackup").write_bytes(b"CVBK" + b"\0" * 60)
    found = manager.find_backups(drive, drive, tmp_path / "missing")
    assert [b.path.parent for b in found] == [drive]
    from vault.backup.finder import find_backups

    assert find_backups([drive], vault_id="0" * 32) == []


def test_a_saved_copy_the_trail_could_not_record_is_removed(
        session, populated, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vault.errors import StorageError

    doc_id = session.documents.list(populated.case_ref)[0].id

    def disk_full(*_args: object) -> None:
        raise StorageError("The disk is full.")

    monkeypatch.setattr(session.documents, "_record_copy", disk_full)
    with pytest.raises(StorageError):
        session.documents.save_copy(populated.case_ref, doc_id, tmp_path / "copy.bin")
    assert not (tmp_path / "copy.bin").exists()


def test_a_restore_stopped_between_its_two_renames_is_finished_at_the_next_start(
        manager, session, populated, drive, tmp_path: Path) -> None:
    """A power cut after the damaged vault was moved aside and before the checked backup was
    renamed into place: the next start puts it in place (and tells the head log, so the older
    backup is not taken for a rollback); the damaged vault stays aside."""
    import os

    from vault.backup import reader

    names = _names(session)
    backup = manager.find_backups(drive)[0].path
    manager.head_log_dir = tmp_path / "heads"
    manager.lock_all()
    later = manager.unlock(STRONG)
    later.members.add("Lena Later")  # the vault moves on after the backup: the log sees it
    manager.lock_all()
    corrupt_page(manager.paths.db, 1)
    real_rename = os.rename
    calls: list[tuple[str, str]] = []

    class PowerCut(BaseException):
        pass

    def rename(src, dst):  # type: ignore[no-untyped-def]
        calls.append((str(src), str(dst)))
        if len(calls) == 2:
            raise PowerCut()
        real_rename(src, dst)

    with pytest.MonkeyPatch.context() as cut:
        cut.setattr(reader.os, "rename", rename)
        cut.setattr(reader.shutil, "rmtree", lambda *_a, **_k: None)  # nothing runs after
        with pytest.raises(PowerCut):
            manager.restore_replacing(backup, Credential(passphrase=STRONG))
    assert not manager.root.exists()
    staging = Path(calls[1][0])
    assert (staging / restore_names.READY_MARKER).is_file()

    assert manager.finish_interrupted_restore()
    assert not staging.exists() and not (manager.root / restore_names.READY_MARKER).exists()
    assert list(manager.root.parent.glob("vault.damaged-*"))
    restored = manager.unlock(STRONG)
    assert _names(restored) == names
    assert not manager.finish_interrupted_restore()  # nothing left to finish


def test_a_staging_folder_that_was_still_being_checked_is_never_put_in_place(
        manager, session, populated, drive) -> None:

    manager.lock_all()
    half = manager.root.parent / f"{restore_names.STAGING_PREFIX}vault-x1"
    half.mkdir()
    (half / "vault.keys").write_text("{}")
    aside = manager.root.with_name("vault.damaged-x")
    manager.root.rename(aside)
    assert not manager.finish_interrupted_restore()
    assert not manager.root.exists() and half.exists()
