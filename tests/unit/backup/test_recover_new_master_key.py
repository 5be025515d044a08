"""Recovering with the code sets a new master key (issue 11): an old copy of ``vault.keys``
opens nothing afterwards — not with the old passphrase, not with the code — while the code
itself keeps working on the current key file, and an interrupted recovery finishes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import OTHER_STRONG, STRONG
from vault.backup import recovery
from vault.crypto import keyfile
from vault.errors import IntegrityError, KeyFileError, StorageError, WrongPassphrase
from vault.store import rekey
from vault.store.unlocked_vault import unlock_vault

THIRD = "amber quartz meadow lantern eleven"


def _swap_keys(root: Path, keys: Path) -> Path:
    """Put ``keys`` in place of the vault's key file; returns where the current one went."""
    current = root.parent / "current.keys"
    shutil.copy2(root / "vault.keys", current)
    shutil.copy2(keys, root / "vault.keys")
    return current


def test_an_old_keys_file_with_the_old_passphrase_opens_nothing_after_recover(
        manager, session, tmp_path: Path) -> None:
    member = session.members.add("Rhea Recover")
    code = session.admin.new_recovery_code(STRONG)
    manager.lock_all()
    old_keys = tmp_path / "old.keys"
    shutil.copy2(manager.paths.keys, old_keys)

    recovered = manager.recover(code, THIRD)
    assert [m.member.id for m in recovered.members.list()] == [member.id]
    assert recovered.admin.has_recovery_code()  # the same code, re-wrapped
    assert any("new master key" in line and "still works" in line
               for line in recovered.admin.startup.lines())  # what the app tells the rep
    assert recovered.verify().ok
    recovered.lock()

    current = _swap_keys(manager.root, old_keys)
    with pytest.raises(IntegrityError):  # the old VMK's DB key no longer opens vault.db
        unlock_vault(manager.root, STRONG)
    with pytest.raises(IntegrityError):  # nor does the old recovery slot, through it
        recovery.recover(manager.root, code, OTHER_STRONG, enforce_strength=False)
    shutil.copy2(current, manager.root / "vault.keys")

    again = manager.unlock(THIRD)
    assert [m.member.id for m in again.members.list()] == [member.id]
    again.lock()


def test_the_code_still_works_after_it_was_used_and_the_old_passphrase_does_not(
        manager, session) -> None:
    code = session.admin.new_recovery_code(STRONG)
    manager.lock_all()
    manager.recover(code, THIRD).lock()
    with pytest.raises(WrongPassphrase):
        manager.unlock(STRONG)
    again = manager.recover(code, OTHER_STRONG)
    assert again.admin.has_recovery_code()
    again.lock()
    manager.unlock(OTHER_STRONG).lock()


def test_the_master_key_really_changes(manager, session) -> None:
    code = session.admin.new_recovery_code(STRONG)
    before = keyfile.KeyFile.load(manager.paths.keys)
    manager.lock_all()
    manager.recover(code, THIRD).lock()
    after = keyfile.KeyFile.load(manager.paths.keys)
    assert after.db_epoch == before.db_epoch + 1
    assert after.db_key_current != before.db_key_current
    with keyfile.unlock_vmk(after, THIRD) as vmk, pytest.raises(KeyFileError):
        # the VMK of today does not unwrap the DB key of before: it is another key
        keyfile.unwrap_db_key(before, vmk).wipe()


def test_a_recovery_interrupted_after_staging_finishes_at_the_next_unlock(
        manager, session, monkeypatch: pytest.MonkeyPatch) -> None:
    member = session.members.add("Ida Interrupted")
    code = session.admin.new_recovery_code(STRONG)
    manager.lock_all()

    def disk_refuses(*_args, **_kwargs):  # the rekey never happens
        raise StorageError("The disk is full.")

    monkeypatch.setattr(rekey, "rewrap_everything", disk_refuses)
    with pytest.raises(StorageError):
        manager.recover(code, THIRD)
    monkeypatch.undo()
    assert keyfile.KeyFile.load(manager.paths.keys).rotation is not None
    # The code again: it finishes the staged change and keeps the code.
    resumed = manager.recover(code, OTHER_STRONG)
    assert [m.member.id for m in resumed.members.list()] == [member.id]
    assert resumed.admin.has_recovery_code()
    assert resumed.verify().ok
    resumed.lock()
    manager.unlock(OTHER_STRONG).lock()
