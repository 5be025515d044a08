"""A session: every service of one unlocked vault, built in one place.

The GUI and the CLI both hold a ``Session`` while the vault is unlocked and drop it on lock.
``VaultManager`` (created once by the composition root, ``vault.app``) creates and unlocks
vaults and hands out sessions.

Services receive the unit of work (and, where they need them, the document store or the intent
journal) — never the whole vault. Vault-level actions go through ``session.admin``; the front
ends never touch ``session.vault`` (an architecture test checks that).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from vault.admin.service import StartupReport, VaultAdminService
from vault.admin.vault_check import VaultCheckReport
from vault.backup import recovery
from vault.backup.reader import BackupSummary, Credential, restore_backup
from vault.casework.cases import CaseService
from vault.casework.conflicts import ConflictService
from vault.casework.documents import DocumentService
from vault.casework.escalation import EscalationService
from vault.casework.first_meeting import FirstMeetingService
from vault.casework.followups import FollowUpService
from vault.casework.members import MemberService
from vault.casework.parties import PartyService
from vault.casework.search import SearchService
from vault.casework.trail_log import TrailLogService
from vault.clock import Clock
from vault.crypto import kdf
from vault.paths import resources_dir
from vault.settings import AppSettings
from vault.store.head_log import HeadLog
from vault.store.intent_journal import IntentJournal
from vault.store.unit_of_work import UnitOfWork
from vault.store.unlocked_vault import UnlockedVault, VaultPaths, create_vault, unlock_vault
from vault.trail.service import PaperTrail
from vault.training.profile import ProfileError, UnionProfile, load_builtin_profiles
from vault.training.record import TrainingRecord
from vault.training.repository import TrainingRepository
from vault.training.service import TrainingService

log = logging.getLogger(__name__)


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
        self.members = MemberService(uow, clock, self.trail)
        self.cases = CaseService(uow, clock, self.trail)
        self.documents = DocumentService(uow, clock, self.trail, vault.documents, self.journal)
        self.conflicts = ConflictService(uow, clock, self.trail)
        self.parties = PartyService(uow, clock, self.trail, self.conflicts)
        self.followups = FollowUpService(
            uow, clock, self.trail,
            working_days=lambda: self.settings.follow_up_working_days,
            region=lambda: self.settings.bank_holiday_region,
        )
        self.trail_log = TrailLogService(uow, clock, self.trail, self.followups)
        self.first_meeting = FirstMeetingService(uow, clock, self.trail)
        self.escalation = EscalationService(uow, clock, self.trail,
                                            is_accredited
                                            or self.training.is_accredited_case_handler)
        self.search = SearchService(uow)
        self.admin = VaultAdminService(vault, clock, self.trail, self.documents, self.journal,
                                       settings=lambda: self.settings,
                                       set_settings=self._set_settings,
                                       kdf_params=kdf_params)
        self.admin.run_startup(vault.files.scrub_external)
        self.trail.ensure_indexed()

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

    def lock(self) -> None:
        self.vault.lock()


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

    def recover(self, code: str, new_passphrase: str) -> Session:
        """Forgot the passphrase: set a new one with the recovery code and open the vault.

        Raises: as ``vault.backup.recovery.recover``, then as ``unlock``.
        """
        recovery.recover(self.root, code, new_passphrase, params=self.kdf_params,
                         enforce_strength=self.enforce_strength)
        session = self.unlock(new_passphrase)
        recovery.record_recovery(session.vault.uow, session.trail)
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
        head_log = self._head_log()
        if head_log is not None and summary.trail_head[0] > 0:
            head_log.restart(summary.vault_id, *summary.trail_head)
        return summary

    def _session(self, vault: UnlockedVault) -> Session:
        try:
            session = Session(vault, self.clock, self.profiles, settings=self.settings,
                              is_accredited=self.is_accredited, kdf_params=self.kdf_params)
        except BaseException:
            vault.lock()
            raise
        self._sessions.append(session)
        return session

    def lock_all(self) -> None:
        for session in self._sessions:
            session.lock()
        self._sessions.clear()
