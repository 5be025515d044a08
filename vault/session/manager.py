"""``VaultManager``: creates, unlocks, recovers and restores the vault at one location.

Created once by the composition root (``vault.app``), it hands out ``Session``s. It is on the
way to the first window, so it imports only what finding a vault and showing the unlock card
need: the store, the backup reader, recovery and the OS keyring are imported by the methods
that use them, and the services (``vault.session.services``) only when a session is built —
on the unlock worker, while the window is already showing (docs/performance.md, start-up).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vault import external_open
from vault.backup.restore_names import restore_may_be_pending
from vault.clock import Clock
from vault.crypto import kdf, keyfile
from vault.errors import (
    DatabaseDamaged,
    DatabaseUnreadable,
    QuickUnlockUnavailable,
    RefusedAction,
    VaultError,
    WrongPassphrase,
)
from vault.paths import resources_dir
from vault.settings import AppSettings
from vault.store.head_log import HeadLog
from vault.store.vault_paths import VaultPaths
from vault.training.profile import ProfileError, UnionProfile, load_builtin_profiles

if TYPE_CHECKING:
    from vault.backup.finder import FoundBackup
    from vault.backup.reader import BackupSummary, Credential, RestoreOutcome
    from vault.crypto.keystore import KeyringStore
    from vault.session.services import Session
    from vault.store.unlocked_vault import UnlockedVault

log = logging.getLogger(__name__)

QUICK_UNLOCK_TIMEOUT_SECONDS = 5.0  # each OS-keyring call gives up after this (DESIGN §3)


def builtin_profiles() -> tuple[dict[str, UnionProfile], list[ProfileError]]:
    """The union profiles shipped in resources/unions, and an error per file that failed."""
    loaded = load_builtin_profiles(resources_dir() / "unions")
    return loaded.profiles, loaded.errors



@dataclass
class VaultManager:
    """Creates and unlocks vaults at one location. Built once by the composition root."""

    root: Path
    clock: Clock
    kdf_params: kdf.Argon2Params | None = None  # None: calibrate (tests pass fast params)
    enforce_strength: bool = True
    settings: AppSettings | None = None  # None: defaults (2 working days, England)
    is_accredited: Callable[[], bool] | None = None  # None: from the rep's training record
    profiles: dict[str, UnionProfile] = field(default_factory=lambda: builtin_profiles()[0])
    profile_errors: list[ProfileError] = field(default_factory=list)
    head_log_dir: Path | None = None  # None: no head log outside the vault (tests)
    keyring: KeyringStore | None = None  # None: the OS keyring, built when first needed
    _sessions: list[Session] = field(default_factory=list)

    @property
    def paths(self) -> VaultPaths:
        return VaultPaths(self.root)

    def exists(self) -> bool:
        return self.paths.exists() or self.paths.db.exists()

    def _head_log(self) -> HeadLog | None:
        return HeadLog(self.head_log_dir) if self.head_log_dir is not None else None

    def create(self, passphrase: str) -> Session:
        from vault.store.unlocked_vault import create_vault
        vault = create_vault(self.root, passphrase, params=self.kdf_params,
                             enforce_strength=self.enforce_strength, head_log=self._head_log())
        return self._session(vault)

    def unlock(self, passphrase: str) -> Session:
        from vault.store.unlocked_vault import unlock_vault
        return self._session(unlock_vault(self.root, passphrase, upgrade_params=self.kdf_params,
                                          head_log=self._head_log()))

    def unlock_read_only(self, passphrase: str) -> Session:
        """Open a vault whose database is damaged, for reading only (``session.admin.read_only``;
        every change is refused with ``ReadOnlyVault``).

        Raises: as ``vault.store.unlocked_vault.unlock_vault_read_only``.
        """
        from vault.store.unlocked_vault import unlock_vault_read_only
        return self._session(unlock_vault_read_only(self.root, passphrase,
                                                    head_log=self._head_log()))

    def unlock_or_read_only(self, passphrase: str) -> Session:
        """Unlock; when the database turns out damaged, open it read-only instead (issue 11).

        Raises:
            DatabaseUnreadable: damaged beyond a read-only open (restore a backup).
            and as ``unlock`` for everything else (a wrong passphrase is never retried).
        """
        try:
            return self.unlock(passphrase)
        except DatabaseDamaged:
            log.warning("database damaged at unlock; trying a read-only open")
            try:
                return self.unlock_read_only(passphrase)
            except DatabaseDamaged as exc:
                raise DatabaseUnreadable() from exc

    def find_backups(self, *folders: Path | None) -> list[FoundBackup]:
        """This vault's backups in ``folders`` and the folder the app settings remember, newest
        first (no key needed; see ``vault.backup.finder``). Any vault's when there is no key
        file (a new laptop)."""
        vault_id = None
        with contextlib.suppress(OSError, ValueError, VaultError):
            if self.paths.exists():
                vault_id = keyfile.KeyFile.load(self.paths.keys).vault_id
        remembered = self.settings.backup_folder if self.settings is not None else ""
        from vault.backup.finder import find_backups
        return find_backups([*folders, Path(remembered) if remembered else None],
                            vault_id=vault_id)

    def restore_replacing(self, backup: Path, credential: Credential, *,
                          label: str = "damaged",
                          progress: Callable[[int, int], None] | None = None,
                          cancelled: Callable[[], bool] | None = None) -> RestoreOutcome:
        """Restore ``backup`` as the vault at ``root``; a vault already there (damaged, or the
        rep confirmed replacing it) is moved aside to ``<root>.<label>-YYYYMMDD-HHMMSS`` and
        kept (``label``: "damaged", or "replaced" for a healthy vault the rep replaced).

        Raises:
            RefusedAction: a session of this vault is still open (lock it first).
            and as ``vault.backup.reader.restore_backup_replacing``.
        """
        if any(not s.is_locked for s in self._sessions):
            raise RefusedAction("Lock the vault before restoring over it.")
        self._sessions.clear()
        from vault.backup.reader import restore_backup_replacing
        outcome = restore_backup_replacing(backup, self.root, credential, now=self.clock.now(),
                                           label=label, progress=progress,
                                           cancelled=cancelled)
        self._restart_head_log(outcome.summary)
        return outcome

    def recover(self, code: str, new_passphrase: str) -> Session:
        """Forgot the passphrase: set a new one (and a new master key) with the recovery code
        and open the vault. The code keeps working; an old ``vault.keys`` opens nothing.

        Raises: as ``vault.backup.recovery.reset_with_code``.
        """
        from vault.backup import recovery
        vault = recovery.reset_with_code(self.root, code, new_passphrase,
                                         params=self.kdf_params,
                                         enforce_strength=self.enforce_strength,
                                         head_log=self._head_log())
        session = self._session(vault)
        recovery.record_recovery(session.vault.uow, session.trail)
        session.vault.record_head()
        session.admin.note_recovery()
        return session

    def restore(self, backup: Path, credential: Credential, *,
                progress: Callable[[int, int], None] | None = None,
                cancelled: Callable[[], bool] | None = None) -> BackupSummary:
        """Restore a backup as the vault at ``root`` (which must be absent or empty).

        The head log outside the vault is told, so the restored vault — older than the one
        that was lost — is not refused as a rollback. Raises: as ``restore_backup``.
        """
        from vault.backup.reader import restore_backup
        summary = restore_backup(backup, self.root, credential, progress=progress,
                                 cancelled=cancelled)
        self._restart_head_log(summary)
        return summary

    def finish_interrupted_restore(self) -> bool:
        """At start: finish a restore over a vault that a crash stopped between its two
        renames (the checked backup is put in place; the old vault stays aside). Never raises
        for the rep's sake: a failure is logged and the start goes on."""
        if not restore_may_be_pending(self.root):
            return False
        from vault.backup.reader import finish_interrupted_restore
        try:
            restored = finish_interrupted_restore(self.root)
        except VaultError as exc:
            log.warning("an interrupted restore could not be finished: %s", type(exc).__name__)
            return False
        if restored is None:
            return False
        vault_id, (seq, mac) = restored
        head_log = self._head_log()
        if head_log is not None and seq > 0:
            with contextlib.suppress(ValueError):
                head_log.restart(vault_id, seq, mac)
        return True

    def _restart_head_log(self, summary: BackupSummary) -> None:
        head_log = self._head_log()
        if head_log is not None and summary.trail_head[0] > 0:
            head_log.restart(summary.vault_id, *summary.trail_head)

    def _session(self, vault: UnlockedVault) -> Session:
        from vault.session.services import Session
        try:
            session = Session(vault, self.clock, self.profiles, settings=self.settings,
                              is_accredited=self.is_accredited, kdf_params=self.kdf_params)
        except BaseException:
            vault.lock()
            raise
        self._sessions.append(session)
        return session

    # -- keyring quick unlock (opt-in; DESIGN §3) -----------------------------------------------
    #
    # Every method below may wait on the OS keyring (each call at most 5 s): call them off the
    # GUI thread. The keyring holds random bytes that open an ``os-keyring`` key slot, never the
    # passphrase; the slot and the item live only while the app runs.

    def keyring_store(self) -> KeyringStore:
        if self.keyring is None:
            from vault.crypto.keystore import KeyringStore
            self.keyring = KeyringStore(timeout=QUICK_UNLOCK_TIMEOUT_SECONDS)
        return self.keyring

    def quick_unlock_backend(self) -> str | None:
        """The trusted keyring backend's name, or None when quick unlock cannot work here."""
        return self.keyring_store().backend_name()

    def has_quick_unlock(self) -> bool:
        """True when the key file on disk has a keyring slot (reads no keyring)."""
        try:
            return keyfile.has_slot(keyfile.KeyFile.load(self.paths.keys),
                                    keyfile.SLOT_OS_KEYRING)
        except (OSError, ValueError, VaultError):
            return False

    def enable_quick_unlock(self, session: Session) -> bool:
        """Store a fresh random secret in the keyring and add its slot; False on any failure
        (and for a read-only vault, whose key file is left as it is)."""
        if session.admin.read_only:
            return False
        store = self.keyring_store()
        secret = store.create(session.vault.vault_id)
        if secret is None:
            return False
        try:
            session.vault.add_keyring_slot(secret)
        finally:
            secret.wipe()
        log.info("quick unlock armed")
        return True

    def quick_unlock(self) -> Session:
        """Unlock with the keyring's secret instead of the passphrase.

        Raises:
            QuickUnlockUnavailable: no slot, the keyring is locked, missing, refused, timed
                out, or its secret does not open the slot.
            IntegrityError, UnsafeLocation, KeyFileError: as ``unlock``.
        """
        try:
            vault_id = keyfile.KeyFile.load(self.paths.keys).vault_id
        except (OSError, ValueError) as exc:
            raise QuickUnlockUnavailable() from exc
        if not self.has_quick_unlock():
            raise QuickUnlockUnavailable()
        secret = self.keyring_store().get(vault_id)
        if secret is None:
            raise QuickUnlockUnavailable()
        try:
            from vault.store.unlocked_vault import unlock_vault_with_keyring
            vault = unlock_vault_with_keyring(self.root, secret, head_log=self._head_log())
        except WrongPassphrase as exc:
            raise QuickUnlockUnavailable() from exc
        finally:
            secret.wipe()
        return self._session(vault)

    def disable_quick_unlock(self, session: Session | None = None) -> bool:
        """Remove the keyring slot and the keyring item (on quit, at start, on passphrase
        change, when the rep turns it off). True when the item is gone too. Never raises for a
        keyring failure."""
        try:
            if session is not None and not session.is_locked:
                vault_id = session.vault.vault_id
                session.vault.remove_keyring_slot()
            else:
                if not self.paths.exists():
                    return True
                vault_id = keyfile.KeyFile.load(self.paths.keys).vault_id
                from vault.store.unlocked_vault import remove_keyring_slot_at_rest
                remove_keyring_slot_at_rest(self.root)
        except (OSError, ValueError, VaultError) as exc:
            log.warning("could not remove the keyring slot: %s", type(exc).__name__)
            return False
        return self.keyring_store().delete(vault_id)

    @property
    def open_with_folder(self) -> Path:
        """The private folder for "Open with…" copies of this vault (see vault.external_open)."""
        return external_open.open_with_folder(self.root)

    def scrub_open_with(self) -> int:
        """Delete every "Open with…" copy of this vault (on lock, quit and start). Never raises."""
        scrubbed = external_open.scrub(self.open_with_folder)
        scrubbed += external_open.scrub(self.paths.external_tmp)
        return scrubbed

    def lock_all(self) -> None:
        for session in self._sessions:
            session.lock()
        self._sessions.clear()
