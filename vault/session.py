"""A session: every service of one unlocked vault, built in one place.

The GUI and the CLI both hold a ``Session`` while the vault is unlocked and drop it on lock.
``VaultManager`` (created once by the composition root, ``vault.app``) creates and unlocks
vaults and hands out sessions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vault.casework.cases import CaseService
from vault.casework.documents import DocumentService
from vault.casework.members import MemberService
from vault.casework.paper_trail import PaperTrail
from vault.casework.vault_check import VaultCheckReport, check_vault
from vault.clock import Clock
from vault.crypto import kdf
from vault.store.unlocked_vault import UnlockedVault, VaultPaths, create_vault, unlock_vault

log = logging.getLogger(__name__)


class Session:
    """The services of one unlocked vault. ``lock()`` wipes keys and ends the session."""

    def __init__(self, vault: UnlockedVault, clock: Clock) -> None:
        self.vault = vault
        self.clock = clock
        self.trail = PaperTrail(vault, clock)
        self.members = MemberService(vault, clock, self.trail)
        self.cases = CaseService(vault, clock, self.trail)
        self.documents = DocumentService(vault, clock, self.trail)

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
        session = Session(vault, self.clock)
        self._sessions.append(session)
        return session

    def lock_all(self) -> None:
        for session in self._sessions:
            session.lock()
        self._sessions.clear()
