"""A session: every service of one unlocked vault, built in one place.

The GUI and the CLI both hold a ``Session`` while the vault is unlocked and drop it on lock.
``VaultManager`` (created once by the composition root, ``vault.app``) creates and unlocks
vaults and hands out sessions.

Services receive the unit of work (and, where they need them, the document store or the intent
journal) — never the whole vault. Vault-level actions go through ``session.admin``; the front
ends never touch ``session.vault`` (an architecture test checks that).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from vault import external_open
from vault.admin.service import StartupReport, VaultAdminService
from vault.admin.vault_check import VaultCheckReport
from vault.backup import recovery
from vault.backup.finder import FoundBackup, find_backups
from vault.backup.reader import (
    BackupSummary,
    Credential,
    RestoreOutcome,
    finish_interrupted_restore,
    restore_backup,
    restore_backup_replacing,
)
from vault.casework.cases import CaseService
from vault.casework.check_back import CheckBackService
from vault.casework.conflicts import ConflictService
from vault.casework.documents import DocumentService
from vault.casework.escalation import EscalationService, NotifyWords
from vault.casework.first_meeting import FirstMeetingService
from vault.casework.followups import FollowUpService
from vault.casework.key_dates import KeyDateService
from vault.casework.members import MemberService
from vault.casework.parties import PartyService
from vault.casework.policies import PolicyLibraryService
from vault.casework.rep_profile import RepProfileService
from vault.casework.search import SearchService
from vault.casework.trail_log import TrailLogService
from vault.clock import Clock
from vault.crypto import kdf, keyfile
from vault.crypto.keystore import KeyringStore
from vault.errors import (
    DatabaseDamaged,
    DatabaseUnreadable,
    QuickUnlockUnavailable,
    RefusedAction,
    VaultError,
    WrongPassphrase,
)
from vault.export.case_views import CaseworkReaders
from vault.export.service import ExportService
from vault.paths import resources_dir
from vault.retention.erase import EraseStore
from vault.retention.service import RetentionService
from vault.settings import AppSettings
from vault.store.head_log import HeadLog
from vault.store.intent_journal import IntentJournal
from vault.store.unit_of_work import UnitOfWork
from vault.store.unlocked_vault import (
    UnlockedVault,
    VaultPaths,
    create_vault,
    remove_keyring_slot_at_rest,
    unlock_vault,
    unlock_vault_read_only,
    unlock_vault_with_keyring,
)
from vault.trail.service import PaperTrail
from vault.training.profile import ProfileError, UnionProfile, load_builtin_profiles
from vault.training.record import TrainingRecord
from vault.training.repository import TrainingRepository
from vault.training.service import TrainingService

log = logging.getLogger(__name__)

QUICK_UNLOCK_TIMEOUT_SECONDS = 5.0  # each OS-keyring call gives up after this (DESIGN §3)


def builtin_profiles() -> tuple[dict[str, UnionProfile], list[ProfileError]]:
    """The union profiles shipped in resources/unions, and an error per file that failed."""
    loaded = load_builtin_profiles(resources_dir() / "unions")
    return loaded.profiles, loaded.errors


class UowTrainingStore:
    """The training repository's ``load``/``save`` over the unit of work: each load is a read
    snapshot, each save one write transaction."""

    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow

    def load(self) -> TrainingRecord:
        with self._uow.read() as tx:
            return TrainingRepository(tx.connection).load()

    def save(self, record: TrainingRecord) -> None:
        with self._uow.write() as tx:
            TrainingRepository(tx.connection).save(record)


class Session:
    """The services of one unlocked vault. ``lock()`` wipes keys and ends the session.

    ``settings`` supplies the follow-up working days and bank-holiday region (read at each
    use; change them with ``session.admin.update_settings``). ``is_accredited`` answers whether
    the rep is an accredited case handler (escalation prompts for personal cases); by default it
    is the derived status of the rep's own training record.
    """

    def __init__(self, vault: UnlockedVault, clock: Clock,
                 profiles: Mapping[str, UnionProfile] | None = None, *,
                 settings: AppSettings | None = None,
                 is_accredited: Callable[[], bool] | None = None,
                 kdf_params: kdf.Argon2Params | None = None) -> None:
        self.vault = vault
        self.clock = clock
        self.settings = (settings or AppSettings()).validated()
        uow = vault.uow
        self.journal = IntentJournal(uow, clock)
        self.training = TrainingService(UowTrainingStore(uow),  # type: ignore[arg-type]
                                        profiles or {}, clock)
        self.trail = PaperTrail(uow, clock)
        self.cases = CaseService(uow, clock, self.trail)
        self.documents = DocumentService(uow, clock, self.trail, vault.documents, self.journal)
        self.policies = PolicyLibraryService(uow, clock, self.trail, vault.documents,
                                             self.journal)
        self.conflicts = ConflictService(uow, clock, self.trail)
        self.members = MemberService(uow, clock, self.trail,
                                     recheck=self.conflicts.check_member)
        self.key_dates = KeyDateService(uow, clock, self.trail, vault.paths.root)
        self.profile = RepProfileService(uow, self.trail)
        self.check_back = CheckBackService(uow, clock, self.trail,
                                           weeks=lambda: self.settings.check_back_weeks)
        self.parties = PartyService(uow, clock, self.trail, self.conflicts)
        self.followups = FollowUpService(
            uow, clock, self.trail,
            working_days=lambda: self.settings.follow_up_working_days,
            region=lambda: self.settings.bank_holiday_region,
            vault_root=vault.paths.root,
        )
        self.trail_log = TrailLogService(uow, clock, self.trail, self.followups)
        self.first_meeting = FirstMeetingService(uow, clock, self.trail)
        self.escalation = EscalationService(uow, clock, self.trail,
                                            is_accredited
                                            or self.training.is_accredited_case_handler,
                                            notify_words=self._notify_words)
        self.search = SearchService(uow)
        self.export = ExportService(uow, clock, CaseworkReaders(
            cases=self.cases, members=self.members, documents=self.documents, trail=self.trail,
            trail_log=self.trail_log, first_meeting=self.first_meeting,
            followups=self.followups, escalation=self.escalation, parties=self.parties,
            conflicts=self.conflicts), vault.documents)
        self.admin = VaultAdminService(vault, clock, self.trail, self.documents, self.journal,
                                       settings=lambda: self.settings,
                                       set_settings=self._set_settings,
                                       kdf_params=kdf_params)
        # Retention (issue 9): closing, holds, the erase and its certificates, the branch audit.
        # Built before the start-up resume: its erase handler is registered with the journal.
        self.retention = RetentionService(
            uow, clock, self.trail,
            EraseStore(files=vault.files, db=vault.db, journal=self.journal,
                       rotate_db_key=self.admin.rotate_db_key,
                       backups_holding=self._backups_holding,
                       after_erase=lambda case_id: self.admin.drop_backups_holding(case_id)),
            report_key=lambda: vault.keys.trail_key,
            archive_years=self.training.retention_years,
            union_name=lambda: (p.name if (p := self.training.current_profile()) else ""),
            escalation=self.escalation, on_people_changed=self.conflicts.forget_erased)
        if vault.read_only:  # damaged (issue 11): nothing is resumed, indexed or written
            self.admin.run_startup_read_only(vault.files.scrub_external)
        else:
            self.admin.run_startup(vault.files.scrub_external)
            self.trail.ensure_indexed()

    def _backups_holding(self, case_id: str) -> list[tuple[str, str, str]]:
        """The kept backups that still hold ``case_id``, as the destruction certificate lists
        them (automatic ones are deleted and written afresh right after the erase)."""
        out = []
        for r in self.admin.backups_affected_by_erase(case_id):
            if r.kind == "automatic":
                out.append(("backup-automatic", r.created.date().isoformat(),
                            f"automatic backup {r.id[:8]}: deleted after the erase, and a new "
                            "one written without this case"))
            else:
                out.append(("backup-manual", r.created.date().isoformat(),
                            f"backup {r.id[:8]} written to {r.path}: still holds this case, "
                            "delete that file"))
        return out

    def _set_settings(self, settings: AppSettings) -> None:
        self.settings = settings

    @property
    def root(self) -> Path:
        return self.vault.paths.root

    @property
    def recovery(self) -> StartupReport:
        """What opening the vault had to do (see ``VaultAdminService.startup``)."""
        return self.admin.startup

    @property
    def is_locked(self) -> bool:
        return self.vault.is_locked

    def verify(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> VaultCheckReport:
        """The whole-vault check (database, trail chain, every document end to end)."""
        return self.admin.verify(progress, cancelled)

    @property
    def needs_background_check(self) -> bool:
        """True when the database was not checked at open (it was closed cleanly last time):
        the front end then runs ``quick_check`` in the background after its window shows."""
        return not self.vault.db.checked

    def quick_check(self, cancelled: Callable[[], bool]) -> None:
        """SQLite's quick check on a reader connection, stopping soon after ``cancelled()``.

        Raises:
            IntegrityError: damage was found. Cancelled: ``cancelled()`` turned true.
        """
        self.vault.db.quick_check(cancelled=cancelled)
        self.vault.db.checked = True

    def lock(self) -> None:
        self.vault.lock()

    def _notify_words(self) -> NotifyWords:
        """Who escalation prompts say to tell, in the chosen union's words (issue 16)."""
        wording = self.training.wording()
        return NotifyWords(verb=wording.verb, told=wording.past_participle, body=wording.body)


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
        vault = create_vault(self.root, passphrase, params=self.kdf_params,
                             enforce_strength=self.enforce_strength, head_log=self._head_log())
        return self._session(vault)

    def unlock(self, passphrase: str) -> Session:
        return self._session(unlock_vault(self.root, passphrase, upgrade_params=self.kdf_params,
                                          head_log=self._head_log()))

    def unlock_read_only(self, passphrase: str) -> Session:
        """Open a vault whose database is damaged, for reading only (``session.admin.read_only``;
        every change is refused with ``ReadOnlyVault``).

        Raises: as ``vault.store.unlocked_vault.unlock_vault_read_only``.
        """
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
        summary = restore_backup(backup, self.root, credential, progress=progress,
                                 cancelled=cancelled)
        self._restart_head_log(summary)
        return summary

    def finish_interrupted_restore(self) -> bool:
        """At start: finish a restore over a vault that a crash stopped between its two
        renames (the checked backup is put in place; the old vault stays aside). Never raises
        for the rep's sake: a failure is logged and the start goes on."""
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
