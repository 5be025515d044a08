"""Creating, unlocking, locking; bad key files; permissions; passphrase change."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pytest

from tests.conftest import OTHER_STRONG, STRONG
from vault.domain import Category
from vault.errors import (
    KeyFileError,
    UnsafeLocation,
    UnsupportedFormat,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WeakPassphrase,
    WrongPassphrase,
)
from vault.session import VaultManager


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_lock_unlock_round_trip(manager: VaultManager) -> None:
    s = manager.create(STRONG)
    m = s.members.add("Alex Example")
    s.lock()
    with pytest.raises(VaultLocked):
        s.members.list()
    s2 = manager.unlock(STRONG)
    assert [x.member.id for x in s2.members.list()] == [m.id]


def test_wrong_passphrase_is_refused_and_changes_nothing(manager: VaultManager) -> None:
    manager.create(STRONG).lock()
    before = {p: _digest(p) for p in manager.root.rglob("*") if p.is_file()}
    with pytest.raises(WrongPassphrase):
        manager.unlock("not the passphrase at all")
    after = {p: _digest(p) for p in manager.root.rglob("*") if p.is_file()}
    assert before == after


def test_weak_passphrase_refused_and_leaves_no_files(manager: VaultManager) -> None:
    with pytest.raises(WeakPassphrase) as err:
        manager.create("password123")
    assert str(err.value)
    assert not manager.root.exists() or not any(manager.root.iterdir())


def test_existing_vault_never_overwritten(manager: VaultManager) -> None:
    manager.create(STRONG).lock()
    keys = _digest(manager.paths.keys)
    with pytest.raises(VaultExists):
        manager.create(OTHER_STRONG)
    assert _digest(manager.paths.keys) == keys


def test_missing_vault(manager: VaultManager) -> None:
    with pytest.raises(VaultNotFound):
        manager.unlock(STRONG)


def test_missing_key_file_with_database_present(manager: VaultManager) -> None:
    manager.create(STRONG).lock()
    manager.paths.keys.unlink()
    with pytest.raises(KeyFileError, match="missing"):
        manager.unlock(STRONG)


@pytest.mark.parametrize("damage", ["garbage", "truncate", "bad-field"])
def test_corrupt_key_file_is_reported_and_not_overwritten(manager: VaultManager,
                                                          damage: str) -> None:
    manager.create(STRONG).lock()
    path = manager.paths.keys
    raw = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"\x00\xffnot json")
    elif damage == "truncate":
        path.write_bytes(raw[: len(raw) // 2])
    else:
        data = json.loads(raw)
        data["slots"] = "nonsense"
        path.write_text(json.dumps(data))
    damaged = path.read_bytes()
    with pytest.raises(KeyFileError):
        manager.unlock(STRONG)
    assert path.read_bytes() == damaged


def test_newer_format_version_refused(manager: VaultManager) -> None:
    manager.create(STRONG).lock()
    data = json.loads(manager.paths.keys.read_bytes())
    data["format_version"] = 99
    manager.paths.keys.write_text(json.dumps(data))
    with pytest.raises(UnsupportedFormat):
        manager.unlock(STRONG)


def test_newer_schema_version_refused(manager: VaultManager) -> None:
    s = manager.create(STRONG)
    s.vault.db.connection.execute("PRAGMA user_version = 999")
    s.lock()
    with pytest.raises(UnsupportedFormat):
        manager.unlock(STRONG)


def test_private_permissions(manager: VaultManager, tmp_path: Path) -> None:
    s = manager.create(STRONG)
    m = s.members.add("Perm Check")
    case = s.cases.open(m.id, "Permissions", Category.GRIEVANCE)
    src = tmp_path / "a.txt"
    src.write_text("hello")
    s.documents.import_file(case.ref, src)
    s.lock()
    assert stat.S_IMODE(manager.root.stat().st_mode) == 0o700
    for p in manager.root.rglob("*"):
        mode = stat.S_IMODE(p.stat().st_mode)
        if p.is_dir():
            assert mode == 0o700, p
        else:
            assert mode & 0o077 == 0, p


def test_vault_dir_writable_by_others_is_refused(manager: VaultManager) -> None:
    manager.create(STRONG).lock()
    os.chmod(manager.root, 0o777)
    with pytest.raises(UnsafeLocation):
        manager.unlock(STRONG)
    os.chmod(manager.root, 0o700)
    manager.unlock(STRONG).lock()


def test_passphrase_change_leaves_database_and_documents_untouched(
        manager: VaultManager, tmp_path: Path) -> None:
    s = manager.create(STRONG)
    m = s.members.add("Pat Change")
    case = s.cases.open(m.id, "Rewrap", Category.OTHER)
    src = tmp_path / "d.bin"
    src.write_bytes(os.urandom(70_000))
    s.documents.import_file(case.ref, src)
    s.lock()
    s = manager.unlock(STRONG)
    s.vault.db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    protected = [manager.paths.db, *manager.paths.documents.rglob("*.cvf")]
    before = {p: _digest(p) for p in protected}
    from vault.store import rekey

    with pytest.raises(WrongPassphrase):
        rekey.rewrap_passphrase_only(s.vault, "wrong old passphrase here", OTHER_STRONG)
    rekey.rewrap_passphrase_only(s.vault, STRONG, OTHER_STRONG, manager.kdf_params)
    assert {p: _digest(p) for p in protected} == before
    s.lock()
    with pytest.raises(WrongPassphrase):
        manager.unlock(STRONG)
    s = manager.unlock(OTHER_STRONG)
    assert s.verify().ok


def test_lock_wipes_keys(session) -> None:  # type: ignore[no-untyped-def]
    m = session.members.add("Key Wipe")
    case = session.cases.open(m.id, "Wipe", Category.OTHER)
    vault = session.vault
    dek = vault.keys.case_key(case.id, None)
    session.lock()
    assert dek.wiped
    assert vault.is_locked
    with pytest.raises(VaultLocked):
        dek.raw()


def test_db_key_rotation_and_interrupted_rotation(manager: VaultManager) -> None:
    s = manager.create(STRONG)
    s.members.add("Rotate Me")
    from vault.store import rekey

    rekey.rotate_db_key(s.vault)
    s.lock()
    s = manager.unlock(STRONG)
    assert len(s.members.list()) == 1
    # Simulate a crash after the stage was written but before PRAGMA rekey ran.
    from vault.crypto import keyfile
    from vault.crypto.secret import SecretKey

    staged = keyfile.stage_db_key(s.vault.keyfile, s.vault.keys.vmk(), SecretKey.generate())
    staged.save(manager.paths.keys)
    s.lock()
    s = manager.unlock(STRONG)
    assert len(s.members.list()) == 1
    assert s.vault.keyfile.db_key_pending is None


def test_nested_transactions_are_savepoints(session) -> None:  # type: ignore[no-untyped-def]
    db = session.vault.db
    before = {r["key"] for r in db.query("SELECT key FROM vault_meta")}
    with db.transaction() as conn:
        conn.execute("INSERT INTO vault_meta (key, value) VALUES ('outer', '1')")
        with pytest.raises(RuntimeError), db.transaction() as inner:
            inner.execute("INSERT INTO vault_meta (key, value) VALUES ('inner', '1')")
            raise RuntimeError("inner fails")
        with db.transaction() as inner:
            inner.execute("INSERT INTO vault_meta (key, value) VALUES ('inner2', '1')")
    keys = {r["key"] for r in db.query("SELECT key FROM vault_meta")} - before
    assert keys == {"outer", "inner2"}
