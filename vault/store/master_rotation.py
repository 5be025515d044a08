"""Finishing a VMK rotation: the steps shared by a live passphrase change and the unlock that
completes one interrupted by a crash. Every step can be repeated (see ``vault.store.rekey``)."""

from __future__ import annotations

from vault.crypto import keyfile
from vault.crypto.keyfile import KeyFile
from vault.crypto.secret import SecretKey
from vault.errors import IntegrityError
from vault.store.cases_repo import CasesRepository
from vault.store.db import Database
from vault.store.key_holder import (
    PAYLOAD_KEY_NAME,
    TRAIL_KEY_NAME,
    KeyHolder,
    unwrap_stored_key,
    wrap_stored_key,
)
from vault.store.meta_repo import MetaRepository


def finish_interrupted(kf: KeyFile, db: Database, old_vmk: SecretKey,
                       new_vmk: SecretKey) -> tuple[KeyFile, KeyHolder]:
    """Complete a staged rotation on an open database; returns the key file to save (already
    saved by the caller) and the key holder for the new VMK. ``old_vmk`` is wiped."""
    try:
        rewrap_everything(db, old_vmk, new_vmk)
        if not opens_with_pending(db, kf, new_vmk):
            new_db_key = keyfile.unwrap_db_key(kf, new_vmk, pending=True)
            try:
                db.rekey(new_db_key)
            finally:
                new_db_key.wipe()
            db.quick_check()
        completed, _dropped = keyfile.complete_master_rotation(kf)
        with db.lock:
            meta = MetaRepository(db.connection)
            stored = {n: b for n in (TRAIL_KEY_NAME, PAYLOAD_KEY_NAME)
                      if (b := meta.get_blob(n)) is not None}
        keys = KeyHolder(new_vmk, stored)
        completed = keyfile.with_anchor(completed, keys.trail_key, *head_of(db))
    finally:
        old_vmk.wipe()
    return completed, keys


def opens_with_pending(db: Database, kf: keyfile.KeyFile, new_vmk: SecretKey) -> bool:
    """True when the database is already keyed with the pending (new) DB key."""
    probe = keyfile.unwrap_db_key(kf, new_vmk, pending=True)
    try:
        return db.key_matches(probe)
    finally:
        probe.wipe()


def rewrap_everything(db: Database, old_vmk: SecretKey, new_vmk: SecretKey) -> int:
    """Re-wrap every case key and the stored trail/payload keys under ``new_vmk``.

    Idempotent: a blob that already opens under ``new_vmk`` is left as it is.
    """
    count = 0
    with db.transaction() as conn:
        cases = CasesRepository(conn)
        for case_id, wrapped in cases.all_wrapped_keys():
            try:
                keyfile.unwrap_case_key(new_vmk, case_id, wrapped).wipe()
                continue
            except IntegrityError:
                pass
            with keyfile.unwrap_case_key(old_vmk, case_id, wrapped) as dek:
                cases.set_wrapped_key(case_id, keyfile.wrap_case_key(new_vmk, case_id, dek))
            count += 1
        meta = MetaRepository(conn)
        legacy = KeyHolder(SecretKey(old_vmk.raw()))  # derived keys of a vault made before 0004
        try:
            for name in (TRAIL_KEY_NAME, PAYLOAD_KEY_NAME):
                blob = meta.get_blob(name)
                if blob is not None:
                    try:
                        unwrap_stored_key(new_vmk, name, blob).wipe()
                        continue
                    except IntegrityError:
                        key = unwrap_stored_key(old_vmk, name, blob)
                else:
                    key = SecretKey((legacy.trail_key if name == TRAIL_KEY_NAME
                                     else legacy.vault_payload_key).raw())
                with key:
                    meta.set_blob(name, wrap_stored_key(new_vmk, name, key))
        finally:
            legacy.wipe()
    return count


def head_of(db: Database) -> tuple[int, str]:
    with db.lock:
        row = db.connection.execute("SELECT seq, mac FROM trail ORDER BY seq DESC LIMIT 1"
                                    ).fetchone()
    return (0, "") if row is None else (int(row[0]), bytes(row[1]).hex())
