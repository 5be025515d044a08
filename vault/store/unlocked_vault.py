"""Creating, unlocking and locking a vault: its files, its keys and its database.

An ``UnlockedVault`` is the composition of three things, each owning one concern:

- ``VaultFiles`` — the folder: ``vault.keys`` (loaded and saved atomically), the document
  store, the private folder for external opens;
- ``KeyHolder`` — the VMK and everything derived from or wrapped by it;
- ``Database`` with its ``UnitOfWork`` — the only way services read and write.

``lock()`` records the paper-trail head in the key file (the rollback anchor, issue 8),
closes the database and wipes every key; every later call fails with ``VaultLocked``.

Unlocking refuses a vault whose database is missing or empty (never a fresh vault), finishes
or drops an interrupted DB re-key, finishes an interrupted VMK rotation (a passphrase change),
and refuses a database that is older than the anchor in the key file.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import sqlcipher3

from vault.crypto import kdf, keyfile, strength
from vault.crypto.keyfile import KeyFile
from vault.crypto.secret import SecretKey
from vault.errors import (
    DatabaseDamaged,
    DatabaseUnreadable,
    IntegrityError,
    KeyFileError,
    RollbackDetected,
    UnsafeLocation,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WrongPassphrase,
)
from vault.store import master_rotation
from vault.store.db import DAMAGED_MESSAGE, Database, is_damage
from vault.store.document_store import DocumentStore
from vault.store.fsutil import safe_mkdir, storage_error
from vault.store.head_log import HeadLog
from vault.store.key_holder import PAYLOAD_KEY_NAME, TRAIL_KEY_NAME, KeyHolder
from vault.store.meta_repo import MetaRepository
from vault.store.trail_store import TrailStore
from vault.store.unit_of_work import UnitOfWork
from vault.store.vault_paths import VaultPaths
from vault.store.vault_permissions import check_and_repair, prepare_new_vault_dir

log = logging.getLogger(__name__)


class VaultFiles:
    """The vault folder: the key file (current copy in memory) and the document store."""

    def __init__(self, paths: VaultPaths, kf: KeyFile) -> None:
        self.paths = paths
        self._keyfile = kf
        self.documents = DocumentStore(paths.documents)
        self._lock = threading.RLock()

    @property
    def keyfile(self) -> KeyFile:
        return self._keyfile

    @property
    def vault_id(self) -> str:
        return self._keyfile.vault_id

    def scrub_external(self) -> int:
        """Remove every decrypted copy left in the external-open folder; returns how many."""
        folder = self.paths.external_tmp
        if not folder.exists():
            return 0
        count = sum(1 for p in folder.rglob("*") if p.is_file())
        shutil.rmtree(folder, ignore_errors=True)
        safe_mkdir(folder)
        return count

    def save_keyfile(self, updated: KeyFile) -> None:
        """Write ``updated`` atomically and make it the current copy.

        Raises:
            StorageError: the disk refused; the old file (and the current copy) stand.
        """
        with self._lock:
            updated.save(self.paths.keys)
            self._keyfile = updated


@dataclass(frozen=True)
class OpenedState:
    """What unlocking had to do before the vault opened (ids and counts only)."""

    finished_db_rekey: bool = False
    finished_passphrase_change: bool = False
    # One-line warnings of the permissions tightened at unlock (``vault_permissions``).
    repairs: tuple[str, ...] = ()


class UnlockedVault:
    """An open vault. Not constructed directly: use ``create_vault`` or ``unlock_vault``."""

    def __init__(self, files: VaultFiles, keys: KeyHolder, db: Database,
                 head_log: HeadLog | None = None, opened: OpenedState | None = None) -> None:
        self.files = files
        self.keys = keys
        self._db: Database | None = db
        self.trail = TrailStore(keys.trail_key)
        self.uow = UnitOfWork(db, keys, self.trail)
        self.head_log = head_log
        self.opened = opened or OpenedState()
        self._lock = threading.RLock()

    # -- state ---------------------------------------------------------------------------------

    @property
    def paths(self) -> VaultPaths:
        return self.files.paths

    @property
    def documents(self) -> DocumentStore:
        return self.files.documents

    @property
    def vault_id(self) -> str:
        return self.files.vault_id

    @property
    def keyfile(self) -> KeyFile:
        return self.files.keyfile

    @property
    def is_locked(self) -> bool:
        return self.keys.is_wiped

    @property
    def db(self) -> Database:
        if self._db is None:
            raise VaultLocked()
        return self._db

    @property
    def read_only(self) -> bool:
        """True when the database is open read-only because it is damaged (issue 11)."""
        return self._db is not None and self._db.read_only

    def make_read_only(self) -> None:
        """Damage was found after the open: refuse every write from now on."""
        self.db.make_read_only()

    # -- the rollback anchor -------------------------------------------------------------------

    def record_head(self) -> None:
        """Save the trail head in the key file (and the head log) if it moved.

        Raises:
            StorageError: the key file could not be written.
        """
        with self._lock:
            with self.uow.read() as tx:
                seq, mac = tx.trail.head()
            current = self.keyfile.anchor
            if current is None or (current.seq, current.mac) != (seq, mac):
                self.files.save_keyfile(keyfile.with_anchor(self.keyfile, self.keys.trail_key,
                                                            seq, mac))
            if self.head_log is not None:
                self.head_log.append(self.vault_id, seq, mac)

    # -- the OS-keyring slot (quick unlock) -----------------------------------------------------

    def add_keyring_slot(self, secret: SecretKey) -> None:
        """Add (or replace) the OS-keyring slot for ``secret`` and save the key file.

        Raises:
            VaultLocked: after lock(). StorageError: the key file could not be written.
        """
        with self._lock:
            updated = keyfile.add_keyring_slot(self.keyfile, self.keys.vmk(), secret)
            self.files.save_keyfile(updated)

    def remove_keyring_slot(self) -> None:
        """Drop the OS-keyring slot (no change when there is none) and save the key file."""
        with self._lock:
            if keyfile.has_slot(self.keyfile, keyfile.SLOT_OS_KEYRING):
                self.files.save_keyfile(keyfile.remove_slot(self.keyfile,
                                                            keyfile.SLOT_OS_KEYRING))

    # -- lock ----------------------------------------------------------------------------------

    def lock(self) -> None:
        """Record the trail head, close the database and wipe every key. Safe to call twice."""
        with self._lock:
            if self._db is not None:
                try:
                    if not self._db.read_only:  # a damaged vault's files are left as they are
                        self.record_head()
                except Exception:
                    log.warning("trail head not recorded at lock")
                self.uow.close()
                self._db.close()
                self._db = None
            self.keys.wipe()
            log.info("vault locked")


def create_vault(
    root: Path, passphrase: str, *, params: kdf.Argon2Params | None = None,
    enforce_strength: bool = True, head_log: HeadLog | None = None,
) -> UnlockedVault:
    """Create a new vault in ``root`` (a new 0700 folder, or an empty private one).

    Raises:
        VaultExists: a key file or database is already there (never overwritten).
        WeakPassphrase: the passphrase fails the strength rule.
        RefusedAction: ``root`` exists and is not an empty folder.
        UnsafeLocation: ``root`` exists and is not private (owner, shared, sticky).
        StorageError: the folder could not be created.
    """
    paths = VaultPaths(root)
    if paths.keys.exists() or paths.db.exists():
        raise VaultExists()
    if enforce_strength:
        strength.require_strong(passphrase)
    try:
        prepare_new_vault_dir(root)
    except OSError as exc:
        raise storage_error(exc) from exc
    kf, vmk, db_key = keyfile.create_keyfile(passphrase, params or kdf.calibrate())
    kf.save(paths.keys)
    safe_mkdir(paths.documents)
    try:
        db = Database(paths.db, db_key, create=True)
    finally:
        db_key.wipe()
    keys = KeyHolder(vmk)
    with db.transaction() as conn:  # the trail and payload keys, stored so a VMK can change
        meta = MetaRepository(conn)
        for name, blob in keys.stored_keys_for(vmk).items():
            meta.set_blob(name, blob)
    log.info("vault created")
    opened = UnlockedVault(VaultFiles(paths, kf), keys, db, head_log)
    opened.record_head()
    return opened


def unlock_vault(
    root: Path, passphrase: str, *, upgrade_params: kdf.Argon2Params | None = None,
    head_log: HeadLog | None = None,
) -> UnlockedVault:
    """Open an existing vault with its passphrase.

    A passphrase slot whose Argon2id parameters are below the floor is re-wrapped with
    ``upgrade_params`` (default: calibrated on this machine).

    Raises:
        VaultNotFound: no vault in ``root``.
        KeyFileError / UnsupportedFormat: the key file is damaged or too new.
        DatabaseMissing: the key file is there but the database is missing or empty.
        WrongPassphrase: the passphrase does not open it.
        IntegrityError: the database does not open with its key.
        RollbackDetected: the database is older than the key file's anchor or the head log.
        UnsafeLocation: the folder is writable by others, something in it belongs to another
            user, or a vault file is not an ordinary file. Looser read permissions are
            tightened instead, and said in ``UnlockedVault.opened.repairs``.
    """
    paths = VaultPaths(root)
    if not paths.keys.exists():
        if paths.db.exists():
            raise KeyFileError("The vault's key file (vault.keys) is missing; the vault "
                               "cannot be opened without it. Restore it from a backup.")
        raise VaultNotFound()
    repairs = tuple(check_and_repair(root))
    kf = KeyFile.load(paths.keys)
    if kf.rotation is not None:
        resumed = _finish_rotation(paths, kf, passphrase, head_log)
        resumed.opened = replace(resumed.opened, repairs=repairs)
        return resumed
    vmk = keyfile.unlock_vmk(kf, passphrase)
    return _open_with_vmk(paths, kf, vmk, passphrase, upgrade_params, head_log, repairs)


def unlock_vault_read_only(
    root: Path, passphrase: str, *, head_log: HeadLog | None = None,
) -> UnlockedVault:
    """Open a vault whose database is damaged, for reading only (issue 11).

    Nothing in the folder is written: no key-file upgrade or promotion, no migration, no
    checkpoint, no journal resume; the database is opened with SQLite's ``mode=ro``. The key
    file's anchor must still be authentic and a readable trail must not be a rollback; a trail
    too damaged to read is let through (the rep is told the vault is damaged).

    Raises:
        VaultNotFound, KeyFileError, UnsupportedFormat, DatabaseMissing, WrongPassphrase,
            RollbackDetected, UnsafeLocation: as ``unlock_vault``.
        DatabaseUnreadable: not even the schema can be read, or a passphrase change was
            half-way (restore a backup).
    """
    paths = VaultPaths(root)
    if not paths.keys.exists():
        raise VaultNotFound()
    repairs = tuple(check_and_repair(root))
    kf = KeyFile.load(paths.keys)
    if kf.rotation is not None:
        keyfile.unlock_rotation_vmks(kf, passphrase)[0].wipe()  # WrongPassphrase first
        raise DatabaseUnreadable()
    vmk = keyfile.unlock_vmk(kf, passphrase)
    try:
        _refuse_special(paths.db)
        db = _open_db_read_only(paths, kf, vmk)
        keys = _key_holder(db, vmk)
    except BaseException:
        vmk.wipe()
        raise
    opened = UnlockedVault(VaultFiles(paths, kf), keys, db, head_log,
                           OpenedState(repairs=repairs))
    _check_anchor(opened, tolerate_damage=True)
    log.info("vault unlocked read-only (damaged database)")
    return opened


def _open_db_read_only(paths: VaultPaths, kf: KeyFile, vmk: SecretKey) -> Database:
    """The current DB key, then a pending one (an interrupted re-key), read-only."""
    pendings = [False] + ([True] if kf.db_key_pending is not None else [])
    last: Exception = DatabaseUnreadable()
    for pending in pendings:
        with keyfile.unwrap_db_key(kf, vmk, pending=pending) as key:
            try:
                return Database(paths.db, key, read_only=True)
            except DatabaseUnreadable as exc:
                last = exc
    raise last


def unlock_vault_with_keyring(root: Path, secret: SecretKey, *,
                              head_log: HeadLog | None = None) -> UnlockedVault:
    """Open an existing vault with the quick-unlock secret kept in the OS keyring.

    Raises:
        VaultNotFound, KeyFileError, UnsupportedFormat, DatabaseMissing, IntegrityError,
            RollbackDetected, UnsafeLocation: as ``unlock_vault``.
        WrongPassphrase: there is no keyring slot, the secret does not open it, or a
            passphrase change is half-way (only the passphrase can finish it).
    """
    paths = VaultPaths(root)
    if not paths.keys.exists():
        raise VaultNotFound()
    repairs = tuple(check_and_repair(root))
    kf = KeyFile.load(paths.keys)
    if kf.rotation is not None:
        raise WrongPassphrase("Quick unlock did not work; use your passphrase.")
    vmk = keyfile.unlock_vmk_with_keyring(kf, secret)
    return _open_with_vmk(paths, kf, vmk, None, None, head_log, repairs)


def unlock_vault_with_recovery(root: Path, code: str, *,
                               head_log: HeadLog | None = None) -> UnlockedVault:
    """Open an existing vault with its recovery code (the passphrase was forgotten).

    The caller sets a new master key and passphrase next (``rekey.reset_passphrase``); the
    vault is never left open on the old master key by the front ends. A passphrase change that
    was half-way is finished first (the recovery slot still wraps the old master key then).

    Raises:
        VaultNotFound, KeyFileError, UnsupportedFormat, DatabaseMissing, IntegrityError,
            RollbackDetected, UnsafeLocation: as ``unlock_vault``.
        InvalidInput: the code is malformed or mistyped.
        WrongPassphrase: the vault has no recovery code, or this code does not open it.
    """
    paths = VaultPaths(root)
    if not paths.keys.exists():
        raise VaultNotFound()
    repairs = tuple(check_and_repair(root))
    kf = KeyFile.load(paths.keys)
    vmk = keyfile.unlock_vmk_with_recovery(kf, code)
    if kf.rotation is not None:
        try:
            old_vmk, new_vmk = keyfile.rotation_vmks_from_old(kf, vmk)
        except BaseException:
            vmk.wipe()
            raise
        resumed = _finish_rotation_with(paths, kf, old_vmk, new_vmk, head_log)
        resumed.opened = replace(resumed.opened, repairs=repairs)
        return resumed
    return _open_with_vmk(paths, kf, vmk, None, None, head_log, repairs)


def remove_keyring_slot_at_rest(root: Path) -> bool:
    """Drop the OS-keyring slot from a locked vault's key file (it needs no key); True when
    one was removed. Used at start and quit, so a slot never outlives the app's run.

    Raises:
        KeyFileError / UnsupportedFormat: the key file is damaged or too new.
        StorageError: the key file could not be written.
    """
    paths = VaultPaths(root)
    if not paths.keys.exists():
        return False
    kf = KeyFile.load(paths.keys)
    if not keyfile.has_slot(kf, keyfile.SLOT_OS_KEYRING):
        return False
    keyfile.remove_slot(kf, keyfile.SLOT_OS_KEYRING).save(paths.keys)
    return True


def _open_with_vmk(paths: VaultPaths, kf: KeyFile, vmk: SecretKey, passphrase: str | None,
                   upgrade_params: kdf.Argon2Params | None,
                   head_log: HeadLog | None, repairs: tuple[str, ...] = ()) -> UnlockedVault:
    """The rest of an unlock once a key slot gave the VMK (passphrase or keyring)."""
    try:
        if passphrase is not None and keyfile.needs_upgrade(kf):
            kf = keyfile.rewrap_passphrase(kf, vmk, passphrase, upgrade_params or kdf.calibrate())
            kf.save(paths.keys)
        db, used_pending = _open_db(paths, kf, vmk)
        finished = False
        if kf.db_key_pending is not None:
            # An interrupted re-key: finish it if the rekey happened, else forget the stage.
            kf = keyfile.promote_pending(kf) if used_pending else replace(kf, db_key_pending=None)
            kf.save(paths.keys)
            finished = used_pending
        keys = _key_holder(db, vmk)
    except BaseException:
        vmk.wipe()
        raise
    opened = UnlockedVault(VaultFiles(paths, kf), keys, db, head_log,
                           OpenedState(finished_db_rekey=finished, repairs=repairs))
    _check_anchor(opened)
    log.info("vault unlocked")
    return opened


def _key_holder(db: Database, vmk: SecretKey) -> KeyHolder:
    try:
        with db.lock:
            meta = MetaRepository(db.connection)
            stored = {name: blob for name in (TRAIL_KEY_NAME, PAYLOAD_KEY_NAME)
                      if (blob := meta.get_blob(name)) is not None}
    except sqlcipher3.DatabaseError as exc:
        db.close()
        if not is_damage(exc):
            raise
        raise (DatabaseUnreadable() if db.read_only else DatabaseDamaged(DAMAGED_MESSAGE)
               ) from None
    try:
        return KeyHolder(vmk, stored)
    except IntegrityError:
        db.close()
        raise


def _check_anchor(opened: UnlockedVault, *, tolerate_damage: bool = False) -> None:
    """Refuse a database older than what the key file (or the head log) recorded.

    ``tolerate_damage`` (the read-only open): a trail whose pages cannot be read is let
    through rather than refused; an altered anchor or a readable rollback still is refused.
    """
    try:
        kf = opened.keyfile
        if not keyfile.anchor_is_authentic(kf, opened.keys.trail_key):
            raise IntegrityError("The key file's record of the paper trail does not verify "
                                 "(the key file was altered); the vault was not opened.")
        heads = [] if kf.anchor is None else [(kf.anchor.seq, kf.anchor.mac)]
        if opened.head_log is not None:
            heads += opened.head_log.heads(opened.vault_id)
        try:
            with opened.uow.read() as tx:
                head_seq, _ = tx.trail.head()
                for seq, mac in heads:
                    if seq == 0:
                        continue
                    if seq > head_seq or tx.trail.mac_at(seq) != mac:
                        log.warning("rollback detected: recorded head #%d, database head #%d",
                                    seq, head_seq)
                        raise RollbackDetected()
        except RollbackDetected:
            raise
        except DatabaseDamaged:
            if not tolerate_damage:
                raise
            log.warning("read-only open: the trail could not be read for the rollback check")
    except BaseException:
        opened.uow.close()
        opened.db.close()
        opened.keys.wipe()
        raise


def _open_db(
    paths: VaultPaths, kf: KeyFile, vmk: SecretKey,
    pending_vmk: SecretKey | None = None,
) -> tuple[Database, bool]:
    """Try the current DB key, then a pending one from an interrupted re-key."""
    _refuse_special(paths.db)
    attempts: list[Callable[[], SecretKey]] = [lambda: keyfile.unwrap_db_key(kf, vmk)]
    if kf.db_key_pending is not None:
        attempts.append(lambda: keyfile.unwrap_db_key(kf, pending_vmk or vmk, pending=True))
    last_error: Exception | None = None
    for index, get_key in enumerate(attempts):
        key = get_key()
        try:
            return Database(paths.db, key), index == 1
        except IntegrityError as exc:
            last_error = exc
        finally:
            key.wipe()
    assert last_error is not None
    raise last_error


def _refuse_special(path: Path) -> None:
    """A FIFO, device or link in place of the database would hang or mislead SQLite."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(st.st_mode):
        raise UnsafeLocation("The vault database (vault.db) is not an ordinary file; "
                             "the vault was not opened.")


def _finish_rotation(paths: VaultPaths, kf: KeyFile, passphrase: str,
                     head_log: HeadLog | None) -> UnlockedVault:
    """Finish a passphrase change that was replacing the VMK when the process stopped."""
    old_vmk, new_vmk = keyfile.unlock_rotation_vmks(kf, passphrase)
    return _finish_rotation_with(paths, kf, old_vmk, new_vmk, head_log)


def _finish_rotation_with(paths: VaultPaths, kf: KeyFile, old_vmk: SecretKey,
                          new_vmk: SecretKey, head_log: HeadLog | None) -> UnlockedVault:
    try:
        db, _ = _open_db(paths, kf, old_vmk, pending_vmk=new_vmk)
    except BaseException:
        old_vmk.wipe()
        new_vmk.wipe()
        raise
    try:
        completed, keys = master_rotation.finish_interrupted(kf, db, old_vmk, new_vmk)
        completed.save(paths.keys)
    except BaseException:
        db.close()
        new_vmk.wipe()
        raise
    log.info("vault unlocked; an interrupted passphrase change was finished")
    return UnlockedVault(VaultFiles(paths, completed), keys, db, head_log,
                         OpenedState(finished_passphrase_change=True))


def verify_passphrase(root: Path, passphrase: str) -> bool:
    """True when ``passphrase`` opens the vault's key file (no database access)."""
    kf = KeyFile.load(VaultPaths(root).keys)
    try:
        keyfile.unlock_vmk(kf, passphrase).wipe()
    except WrongPassphrase:
        return False
    return True


def ensure_private_tmp(paths: VaultPaths) -> Path:
    safe_mkdir(paths.external_tmp)
    return paths.external_tmp


__all__ = ["OpenedState", "UnlockedVault", "VaultFiles", "VaultPaths", "create_vault",
           "ensure_private_tmp", "remove_keyring_slot_at_rest", "unlock_vault",
           "unlock_vault_read_only",
           "unlock_vault_with_keyring", "unlock_vault_with_recovery", "verify_passphrase"]
