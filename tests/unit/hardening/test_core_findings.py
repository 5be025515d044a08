"""Issue 8, findings 1, 2, 3 and 5: each reproduces the attack on a real vault folder."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.conftest import OTHER_STRONG, STRONG
from vault.crypto import keyfile
from vault.domain import Category, EntryKind
from vault.errors import (
    DatabaseMissing,
    IntegrityError,
    KeyFileError,
    RollbackDetected,
    StorageError,
)
from vault.session import VaultManager


def _filled(manager: VaultManager, tmp_path: Path) -> tuple[str, str]:
    s = manager.create(STRONG)
    m = s.members.add("Finding Tester")
    case = s.cases.open(m.id, "Findings", Category.GRIEVANCE)
    src = tmp_path / "doc.txt"
    src.write_bytes(b"member letter " * 500)
    doc = s.documents.import_file(case.ref, src)
    s.trail_log.log(case.ref, EntryKind.NOTE, "first note")
    s.lock()
    return case.ref, doc.id


@pytest.fixture
def cli_run(tmp_path, fast_params, clock):  # type: ignore[no-untyped-def]
    from tests.unit.cli.conftest import run as make_run

    return make_run.__wrapped__(tmp_path, fast_params, clock)  # type: ignore[attr-defined]


# -- finding 1: a missing or empty vault.db is never a fresh vault ----------------------------

@pytest.mark.parametrize("how", ["delete", "truncate"])
def test_missing_or_empty_database_is_refused_not_recreated(manager, tmp_path, how) -> None:  # type: ignore[no-untyped-def]
    _filled(manager, tmp_path)
    db = manager.paths.db
    for extra in ("-wal", "-shm"):
        Path(str(db) + extra).unlink(missing_ok=True)
    if how == "delete":
        db.unlink()
    else:
        db.write_bytes(b"")
    with pytest.raises(DatabaseMissing, match="restore"):
        manager.unlock(STRONG)
    assert not db.exists() or db.stat().st_size == 0  # nothing was created in its place
    assert not (manager.paths.root / "quarantine").exists()  # no document was quarantined


def test_cli_verify_fails_without_the_database(cli_run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run = cli_run
    assert run("init").code == 0
    (run.vault_dir / "vault.db").unlink()
    result = run("verify")
    assert result.code == 1
    assert "vault.db" in result.err and "restore" in result.err.lower()
    assert "Traceback" not in result.err
    assert not (run.vault_dir / "vault.db").exists()


# -- finding 2: an older database copied back is detected --------------------------------------

def test_older_database_copied_back_is_detected(manager, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref, _ = _filled(manager, tmp_path)
    old = tmp_path / "old.db"
    shutil.copyfile(manager.paths.db, old)
    s = manager.unlock(STRONG)
    s.trail_log.log(ref, EntryKind.NOTE, "written after the copy")
    s.lock()
    for extra in ("-wal", "-shm"):
        Path(str(manager.paths.db) + extra).unlink(missing_ok=True)
    shutil.copyfile(old, manager.paths.db)
    with pytest.raises(RollbackDetected):
        manager.unlock(STRONG)


def test_whole_folder_rolled_back_is_caught_by_the_head_log(tmp_path, fast_params, clock) -> None:  # type: ignore[no-untyped-def]
    manager = VaultManager(root=tmp_path / "v", clock=clock, kdf_params=fast_params,
                           head_log_dir=tmp_path / "config" / "heads")
    ref, _ = _filled(manager, tmp_path)
    snapshot = tmp_path / "snapshot"
    shutil.copytree(manager.root, snapshot)
    s = manager.unlock(STRONG)
    s.trail_log.log(ref, EntryKind.NOTE, "after the snapshot")
    s.lock()
    shutil.rmtree(manager.root)
    shutil.copytree(snapshot, manager.root)  # keys file and database both older
    with pytest.raises(RollbackDetected):
        manager.unlock(STRONG)


def test_tampered_anchor_is_refused(manager, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _filled(manager, tmp_path)
    kf = keyfile.KeyFile.load(manager.paths.keys)
    assert kf.anchor is not None
    from dataclasses import replace

    forged = replace(kf, anchor=replace(kf.anchor, seq=1))  # claim a shorter trail
    forged.save(manager.paths.keys)
    with pytest.raises(IntegrityError, match="altered"):
        manager.unlock(STRONG)


# -- finding 3: passwd retires the old master key ------------------------------------------

def test_old_keys_file_with_old_passphrase_no_longer_opens_anything(manager, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref, doc_id = _filled(manager, tmp_path)
    old_keys = manager.paths.keys.read_bytes()
    s = manager.unlock(STRONG)
    result = s.admin.change_passphrase(STRONG, OTHER_STRONG)
    assert result.kind.value == "master-key-replaced" and result.rewrapped_case_keys == 1
    s.lock()
    s = manager.unlock(OTHER_STRONG)
    assert s.documents.read_bytes(ref, doc_id).startswith(b"member letter")
    assert s.verify().ok
    entries = s.trail_log.entries(ref)
    s.lock()
    assert entries
    manager.paths.keys.write_bytes(old_keys)  # an attacker's old copy of vault.keys
    with pytest.raises((IntegrityError, KeyFileError)):
        manager.unlock(STRONG)


def test_fast_rewrap_is_explicit_and_says_what_it_does_not_do(manager, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _filled(manager, tmp_path)
    s = manager.unlock(STRONG)
    result = s.admin.change_passphrase(STRONG, OTHER_STRONG, keep_master_key=True)
    assert result.kind.value == "rewrapped-only"
    assert "would still open" in result.message
    s.lock()
    assert manager.unlock(OTHER_STRONG).verify().ok


@pytest.mark.parametrize("crash_at", ["rewrap", "rekey", "promote"])
def test_passphrase_change_interrupted_at_each_step_finishes_at_unlock(
        manager, tmp_path, monkeypatch, crash_at) -> None:  # type: ignore[no-untyped-def]
    ref, doc_id = _filled(manager, tmp_path)
    s = manager.unlock(STRONG)
    from vault.store import master_rotation, rekey

    def boom(*_a, **_k):  # type: ignore[no-untyped-def]
        raise StorageError("disk refused")

    if crash_at == "rewrap":
        monkeypatch.setattr(rekey, "rewrap_everything", boom)
    elif crash_at == "rekey":
        monkeypatch.setattr(type(s.vault.db), "rekey", boom)
    else:
        monkeypatch.setattr(keyfile, "complete_master_rotation", boom)
    with pytest.raises(StorageError):
        s.admin.change_passphrase(STRONG, OTHER_STRONG)
    monkeypatch.undo()
    s.vault.keys.wipe()  # the process died: no orderly lock
    s.vault.db.close()
    assert keyfile.KeyFile.load(manager.paths.keys).rotation is not None
    # whichever passphrase the rep types, the change is finished and nothing is lost
    again = manager.unlock(STRONG if crash_at == "rewrap" else OTHER_STRONG)
    assert again.recovery.finished_passphrase_change
    assert again.documents.read_bytes(ref, doc_id).startswith(b"member letter")
    assert again.verify().ok
    again.lock()
    assert keyfile.KeyFile.load(manager.paths.keys).rotation is None
    with pytest.raises(Exception):
        manager.unlock(STRONG)
    assert master_rotation  # imported for the patch targets
    manager.unlock(OTHER_STRONG).lock()


# -- finding 5: the trail binds the case, and payloads of live cases cannot be nulled ---------

def test_moving_an_entry_to_another_case_breaks_the_chain(manager, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref, _ = _filled(manager, tmp_path)
    s = manager.unlock(STRONG)
    m = s.members.add("Other Member")
    other = s.cases.open(m.id, "Other", Category.OTHER)
    seq = s.trail_log.log(ref, EntryKind.NOTE, "belongs to the first case").seq
    conn = s.vault.db.connection
    conn.execute("DROP TRIGGER trail_no_update")
    conn.execute("UPDATE trail SET case_id = ?, case_ref = case_ref WHERE seq = ?",
                 (other.id, seq))
    report = s.trail.verify()
    assert not report.ok and report.broken_at == seq


def test_nulling_a_live_case_payload_is_refused(manager, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ref, _ = _filled(manager, tmp_path)
    s = manager.unlock(STRONG)
    case = s.cases.get(ref)
    import sqlcipher3

    with pytest.raises(sqlcipher3.IntegrityError, match="append-only"), \
            s.vault.db.transaction() as conn:
        conn.execute("UPDATE trail SET payload = NULL WHERE case_id = ?", (case.id,))
    assert all(not e.erased for e in s.trail_log.entries(ref))


def test_new_database_file_is_private(manager) -> None:  # type: ignore[no-untyped-def]
    manager.create(STRONG).lock()
    assert oct(os.stat(manager.paths.db).st_mode & 0o777) == "0o600"


def test_follow_up_note_pdf_carries_the_trail_head(manager, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import io

    from pypdf import PdfReader

    from vault.reports.followup_note import render_pdf_bytes

    ref, _ = _filled(manager, tmp_path)
    s = manager.unlock(STRONG)
    seq = s.trail_log.log(ref, EntryKind.ORAL_ADVICE, "Ask for a companion").seq
    draft = s.followups.draft(seq, rep_name="Sam Rep", union_name="UCU")
    head_seq, head_mac = s.trail.head()
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render_pdf_bytes(draft))).pages)
    assert f"#{head_seq}·{head_mac[:12]}" in text.replace("\n", "")


def test_the_app_keeps_the_head_log_in_the_user_config_folder(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The composition root wires the head log (it was left unset: the whole-folder rollback
    check above ran in tests only)."""
    from vault import app

    monkeypatch.setenv("CASEVAULT_CONFIG_DIR", str(tmp_path / "config"))
    manager = app.manager_for(str(tmp_path / "v"))
    assert manager.head_log_dir == tmp_path / "config" / "heads"
    assert not str(manager.head_log_dir).startswith(str(manager.root))  # outside the vault
