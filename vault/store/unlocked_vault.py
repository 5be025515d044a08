"""Creating, unlocking and locking a vault: the key file, the database and the key cache.

An ``UnlockedVault`` holds the vault master key and the keys derived from it for as long as
the vault is open. ``lock()`` wipes every key, closes the database and makes every later call
fail with ``VaultLocked``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from vault.crypto import aead, kdf, keyfile, strength
from vault.crypto.secret import SecretKey
from vault.errors import (
    IntegrityError,
    KeyFileError,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WrongPassphrase,
)
from vault.paths import check_private_dir
from vault.store.db import Database
from vault.store.document_store import DocumentStore
from vault.store.fsutil import safe_mkdir
from vault.store.trail_store import TrailStore

log = logging.getLogger(__name__)

VAULT_PAYLOAD_INFO = b"casevault/v1/vault-payload"


@dataclass(frozen=True)
class VaultPaths:
    """The files of one vault folder (DESIGN.md §5)."""

    root: Path

    @property
    def keys(self) -> Path:
        return self.root / "vault.keys"

    @property
    def db(self) -> Path:
        return self.root / "vault.db"

    @property
    def documents(self) -> Path:
        return self.root / "documents"

    @property
    def external_tmp(self) -> Path:
        """Private folder for documents the rep chose to open in another program."""
        return self.root / "external-open"

    def exists(self) -> bool:
        return self.keys.exists()


@dataclass(frozen=True)
class RecoveryReport:
    """What the start-up recovery did (ids only, never names)."""

    rolled_back_imports: int = 0
    finished_imports: int = 0
    quarantined_files: int = 0
    scrubbed_external: int = 0


class UnlockedVault:
    """An open vault. Not constructed directly: use ``create_vault`` or ``unlock_vault``."""

    def __init__(self, paths: VaultPaths, kf: keyfile.KeyFile, vmk: SecretKey, db: Database):
        self.paths = paths
        self._keyfile = kf
        self._vmk: SecretKey | None = vmk
        self._db: Database | None = db
        self._case_keys: dict[str, SecretKey] = {}
        self._trail_key = keyfile.trail_key(vmk)
        self._vault_payload_key = aead.derive_subkey(vmk, VAULT_PAYLOAD_INFO)
        self._lock = threading.RLock()
        self.documents = DocumentStore(paths.documents)
        self.trail = TrailStore(self._trail_key)
        self.recovery = RecoveryReport()

    # -- state ---------------------------------------------------------------------------------

    @property
    def vault_id(self) -> str:
        return self._keyfile.vault_id

    @property
    def keyfile(self) -> keyfile.KeyFile:
        return self._keyfile

    @property
    def is_locked(self) -> bool:
        return self._vmk is None

    @property
    def db(self) -> Database:
        if self._db is None:
            raise VaultLocked()
        return self._db

    def _require_vmk(self) -> SecretKey:
        if self._vmk is None:
            raise VaultLocked()
        return self._vmk

    # -- keys ----------------------------------------------------------------------------------

    def new_case_key(self, case_id: str) -> tuple[SecretKey, bytes]:
        """A fresh random data key for a new case and its VMK-wrapped form for the database."""
        with self._lock:
            vmk = self._require_vmk()
            dek = SecretKey.generate()
            wrapped = keyfile.wrap_case_key(vmk, case_id, dek)
            self._case_keys[case_id] = dek
            return dek, wrapped

    def case_key(self, case_id: str, wrapped: bytes | None) -> SecretKey:
        """The data key of one case, unwrapped once and cached until lock.

        Raises:
            IntegrityError: the wrapped key does not open (tampered row, wrong case).
            VaultLocked: after lock().
        """
        with self._lock:
            vmk = self._require_vmk()
            cached = self._case_keys.get(case_id)
            if cached is not None and not cached.wiped:
                return cached
            if wrapped is None:
                raise IntegrityError("This case's key has been destroyed.")
            dek = keyfile.unwrap_case_key(vmk, case_id, wrapped)
            self._case_keys[case_id] = dek
            return dek

    def forget_case_key(self, case_id: str) -> None:
        """Wipe a case key from memory (secure deletion)."""
        with self._lock:
            key = self._case_keys.pop(case_id, None)
            if key is not None:
                key.wipe()

    @property
    def vault_payload_key(self) -> SecretKey:
        self._require_vmk()
        return self._vault_payload_key

    def change_passphrase(self, old: str, new: str, params: kdf.Argon2Params | None = None) -> None:
        """Re-wrap the VMK under a new passphrase; the database and documents are untouched.

        Raises:
            WrongPassphrase: ``old`` does not open the vault.
            WeakPassphrase: ``new`` is too weak.
        """
        with self._lock:
            vmk = self._require_vmk()
            strength.require_strong(new)
            check = keyfile.unlock_vmk(self._keyfile, old)
            check.wipe()
            updated = keyfile.rewrap_passphrase(
                self._keyfile, vmk, new, params or kdf.calibrate()
            )
            # A passphrase change ends quick unlock: the keyring slot goes with the old one.
            updated = keyfile.remove_slot(updated, keyfile.SLOT_OS_KEYRING)
            updated.save(self.paths.keys)
            self._keyfile = updated

    def add_keyring_slot(self, secret: SecretKey) -> None:
        """Add (or replace) the OS-keyring slot for ``secret`` and save the key file."""
        with self._lock:
            vmk = self._require_vmk()
            updated = keyfile.add_keyring_slot(self._keyfile, vmk, secret)
            updated.save(self.paths.keys)
            self._keyfile = updated

    def remove_keyring_slot(self) -> None:
        """Drop the OS-keyring slot (no change when there is none) and save the key file."""
        with self._lock:
            if not keyfile.has_slot(self._keyfile, keyfile.SLOT_OS_KEYRING):
                return
            updated = keyfile.remove_slot(self._keyfile, keyfile.SLOT_OS_KEYRING)
            updated.save(self.paths.keys)
            self._keyfile = updated

    def rotate_db_key(self) -> None:
        """Two-phase re-key of the database (DESIGN §3): stage, rekey, check, promote."""
        with self._lock:
            vmk = self._require_vmk()
            new_key = SecretKey.generate()
            staged = keyfile.stage_db_key(self._keyfile, vmk, new_key)
            staged.save(self.paths.keys)
            self.db.rekey(new_key)
            self.db.quick_check()
            promoted = keyfile.promote_pending(staged)
            promoted.save(self.paths.keys)
            self._keyfile = promoted
            new_key.wipe()

    # -- lock ----------------------------------------------------------------------------------

    def lock(self) -> None:
        """Close the database and wipe every key held. Safe to call twice."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None
            for key in self._case_keys.values():
                key.wipe()
            self._case_keys.clear()
            self._trail_key.wipe()
            self._vault_payload_key.wipe()
            if self._vmk is not None:
                self._vmk.wipe()
                self._vmk = None
            log.info("vault locked")


def create_vault(
    root: Path, passphrase: str, *, params: kdf.Argon2Params | None = None,
    enforce_strength: bool = True,
) -> UnlockedVault:
    """Create a new vault in ``root`` (made 0700) and return it unlocked.

    Raises:
        VaultExists: a key file or database is already there (never overwritten).
        WeakPassphrase: the passphrase fails the strength rule.
        UnsafeLocation: the folder is writable by others.
    """
    paths = VaultPaths(root)
    if paths.keys.exists() or paths.db.exists():
        raise VaultExists()
    if enforce_strength:
        strength.require_strong(passphrase)
    safe_mkdir(root)
    check_private_dir(root)
    kf, vmk, db_key = keyfile.create_keyfile(passphrase, params or kdf.calibrate())
    kf.save(paths.keys)
    safe_mkdir(paths.documents)
    try:
        db = Database(paths.db, db_key)
    finally:
        db_key.wipe()
    log.info("vault created")
    return UnlockedVault(paths, kf, vmk, db)


def unlock_vault(
    root: Path, passphrase: str, *, upgrade_params: kdf.Argon2Params | None = None
) -> UnlockedVault:
    """Open an existing vault with its passphrase and run start-up recovery.

    A passphrase slot whose Argon2id parameters are below the floor is re-wrapped with
    ``upgrade_params`` (default: calibrated on this machine).

    Raises:
        VaultNotFound: no vault in ``root``.
        KeyFileError / UnsupportedFormat: the key file is damaged or too new.
        WrongPassphrase: the passphrase does not open it.
        IntegrityError: the database does not open with its key.
        UnsafeLocation: the folder is writable by others.
    """
    paths = VaultPaths(root)
    if not paths.keys.exists():
        if paths.db.exists():
            raise KeyFileError("The vault's key file (vault.keys) is missing; the vault "
                               "cannot be opened without it. Restore it from a backup.")
        raise VaultNotFound()
    check_private_dir(root)
    kf = keyfile.KeyFile.load(paths.keys)
    vmk = keyfile.unlock_vmk(kf, passphrase)
    return _open_unlocked(paths, kf, vmk, passphrase, upgrade_params)


def unlock_vault_with_keyring(root: Path, secret: SecretKey) -> UnlockedVault:
    """Open an existing vault with the quick-unlock secret from the OS keyring.

    Raises:
        VaultNotFound, KeyFileError, UnsupportedFormat, IntegrityError, UnsafeLocation: as
            ``unlock_vault``.
        WrongPassphrase: there is no keyring slot or the secret does not open it.
    """
    paths = VaultPaths(root)
    if not paths.keys.exists():
        raise VaultNotFound()
    check_private_dir(root)
    kf = keyfile.KeyFile.load(paths.keys)
    vmk = keyfile.unlock_vmk_with_keyring(kf, secret)
    return _open_unlocked(paths, kf, vmk, None, None)


def remove_keyring_slot_at_rest(root: Path) -> bool:
    """Drop the OS-keyring slot from a locked vault's key file (needs no key); True when one
    was removed. Used at start and quit, so a slot never outlives the app's run.

    Raises:
        KeyFileError / UnsupportedFormat: the key file is damaged or too new.
    """
    paths = VaultPaths(root)
    if not paths.keys.exists():
        return False
    kf = keyfile.KeyFile.load(paths.keys)
    if not keyfile.has_slot(kf, keyfile.SLOT_OS_KEYRING):
        return False
    keyfile.remove_slot(kf, keyfile.SLOT_OS_KEYRING).save(paths.keys)
    return True


def _open_unlocked(paths: VaultPaths, kf: keyfile.KeyFile, vmk: SecretKey,
                   passphrase: str | None,
                   upgrade_params: kdf.Argon2Params | None) -> UnlockedVault:
    try:
        if passphrase is not None and keyfile.needs_upgrade(kf):
            kf = keyfile.rewrap_passphrase(kf, vmk, passphrase, upgrade_params or kdf.calibrate())
            kf.save(paths.keys)
        db, used_pending = _open_db(paths, kf, vmk)
        if kf.db_key_pending is not None:
            # An interrupted re-key: finish it if the rekey happened, else forget the stage.
            kf = keyfile.promote_pending(kf) if used_pending else replace(kf, db_key_pending=None)
            kf.save(paths.keys)
    except BaseException:
        vmk.wipe()
        raise
    opened = UnlockedVault(paths, kf, vmk, db)
    from vault.store.recovery import recover  # local: recovery depends on UnlockedVault

    opened.recovery = recover(opened)
    log.info("vault unlocked")
    return opened


def _open_db(
    paths: VaultPaths, kf: keyfile.KeyFile, vmk: SecretKey
) -> tuple[Database, bool]:
    """Try the current DB key, then a pending one from an interrupted re-key."""
    attempts: list[Callable[[], SecretKey]] = [lambda: keyfile.unwrap_db_key(kf, vmk)]
    if kf.db_key_pending is not None:
        attempts.append(lambda: keyfile.unwrap_db_key(kf, vmk, pending=True))
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


def verify_passphrase(root: Path, passphrase: str) -> bool:
    """True when ``passphrase`` opens the vault's key file (no database access)."""
    kf = keyfile.KeyFile.load(VaultPaths(root).keys)
    try:
        keyfile.unlock_vmk(kf, passphrase).wipe()
    except WrongPassphrase:
        return False
    return True


def ensure_private_tmp(paths: VaultPaths) -> Path:
    safe_mkdir(paths.external_tmp)
    return paths.external_tmp
