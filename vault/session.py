"""A session: every service of one unlocked vault, built in one place.

The GUI and the CLI both hold a ``Session`` while the vault is unlocked and drop it on lock.
``VaultManager`` (created once by the composition root, ``vault.app``) creates and unlocks
vaults and hands out sessions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from vault.backup.service import BackupService
from vault.backup.writer import remove_stale_snapshots
from vault.casework.cases import CaseService
from vault.casework.conflicts import ConflictService
from vault.casework.documents import DocumentService
from vault.casework.escalation import EscalationService
from vault.casework.first_meeting import FirstMeetingService
from vault.casework.followups import FollowUpService
from vault.casework.members import MemberService
from vault.casework.paper_trail import PaperTrail
from vault.casework.parties import PartyService
from vault.casework.search import SearchService
from vault.casework.trail_log import TrailLogService
from vault.casework.vault_check import VaultCheckReport, check_vault
from vault.clock import Clock
from vault.crypto import kdf
from vault.paths import resources_dir
from vault.settings import AppSettings
from vault.store.unlocked_vault import UnlockedVault, VaultPaths, create_vault, unlock_vault
from vault.training.profile import ProfileError, UnionProfile, load_builtin_profiles
from vault.training.repository import TrainingRepository
from vault.training.service import TrainingService

log = logging.getLogger(__name__)

T = TypeVar("T")


class _InTransaction:
    """Runs every method of a service that never commits inside one database transaction."""

    def __init__(self, vault: UnlockedVault, target: object) -> None:
        self._vault = vault
        self._target = target

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._target, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._vault.db.transaction():  # raises VaultLocked after lock()
                return attr(*args, **kwargs)

        return call


def in_transaction(vault: UnlockedVault, service: T) -> T:
    """``service`` with each call wrapped in a transaction (typed as the service itself)."""
    return cast(T, _InTransaction(vault, service))


def builtin_profiles() -> tuple[dict[str, UnionProfile], list[ProfileError]]:
    """The union profiles shipped in resources/unions, and an error per file that failed."""
    loaded = load_builtin_profiles(resources_dir() / "unions")
    return loaded.profiles, loaded.errors


class Session:
    """The services of one unlocked vault. ``lock()`` wipes keys and ends the session.

    ``settings`` supplies the follow-up working days and bank-holiday region (read at each
    use, so ``session.settings`` may be replaced when the rep changes them). ``is_accredited``
    answers whether the rep is an accredited case handler (escalation prompts for personal
    cases); by default it is the derived status of the rep's own training record.
    """

    def __init__(self, vault: UnlockedVault, clock: Clock,
                 profiles: Mapping[str, UnionProfile] | None = None, *,
                 settings: AppSettings | None = None,
                 is_accredited: Callable[[], bool] | None = None) -> None:
        self.vault = vault
        self.clock = clock
        self.settings = (settings or AppSettings()).validated()
        self.training = in_transaction(vault, TrainingService(
            TrainingRepository(vault.db.connection), profiles or {}, clock))
        self.trail = PaperTrail(vault, clock)
        self.members = MemberService(vault, clock, self.trail)
        self.cases = CaseService(vault, clock, self.trail)
        self.documents = DocumentService(vault, clock, self.trail)
        # Casework (issue 3): parties and conflicts, the paper trail by kind, follow-ups,
        # the first meeting, escalation and search.
        self.conflicts = ConflictService(vault, clock, self.trail)
        self.parties = PartyService(vault, clock, self.trail, self.conflicts)
        self.followups = FollowUpService(
            vault, clock, self.trail,
            working_days=lambda: self.settings.follow_up_working_days,
            region=lambda: self.settings.bank_holiday_region,
        )
        self.trail_log = TrailLogService(vault, clock, self.trail, self.followups)
        self.first_meeting = FirstMeetingService(vault, clock, self.trail)
        self.escalation = EscalationService(vault, clock, self.trail,
                                            is_accredited
                                            or self.training.is_accredited_case_handler)
        self.search = SearchService(vault)
        # Backups and their register (issue 11); a snapshot left by a crashed backup goes.
        self.backups = BackupService(vault, clock)
        remove_stale_snapshots(vault.paths.root)
        self.trail.ensure_indexed()

    @property
    def root(self) -> Path:
        return self.vault.paths.root

    @property
    def is_locked(self) -> bool:
        return self.vault.is_locked

    def verify(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> VaultCheckReport:
        """The whole-vault check (database, trail chain, every document end to end)."""
        return check_vault(self.vault, self.trail, self.documents, progress, cancelled)

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
    _sessions: list[Session] = field(default_factory=list)

    @property
    def paths(self) -> VaultPaths:
        return VaultPaths(self.root)

    def exists(self) -> bool:
        return self.paths.exists() or self.paths.db.exists()

    def create(self, passphrase: str) -> Session:
        vault = create_vault(self.root, passphrase, params=self.kdf_params,
                             enforce_strength=self.enforce_strength)
        return self._session(vault)

    def unlock(self, passphrase: str) -> Session:
        return self._session(unlock_vault(self.root, passphrase, upgrade_params=self.kdf_params))

    def _session(self, vault: UnlockedVault) -> Session:
        session = Session(vault, self.clock, self.profiles, settings=self.settings,
                          is_accredited=self.is_accredited)
        self._sessions.append(session)
        return session

    def lock_all(self) -> None:
        for session in self._sessions:
            session.lock()
        self._sessions.clear()
