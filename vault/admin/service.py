"""The vault administration service: what concerns the whole vault rather than a case.

The front ends reach the vault's keys and files only through this service (an architecture
test forbids ``session.vault`` under ``vault/ui`` and ``vault/cli``). Each action that changes
the vault writes a paper-trail entry, and results are typed (``PassphraseChange``), never dicts.

- ``change_passphrase`` — by default the strong path (a new VMK and DB key; issue 8 finding 3);
  ``keep_master_key=True`` is the fast re-wrap, whose result says plainly what it does not do.
- ``verify`` — database pages, SQLCipher page MACs, the trail chain, the heads recorded outside
  the database, every document end to end.
- ``rotate_db_key`` — the two-phase DB re-key used after a secure deletion.
- ``startup`` — what unlocking and the intent journal did (counts only).
- ``settings`` / ``update_settings`` — the rep's settings for this session.
- ``read_only`` / ``enter_read_only`` — a damaged database open for reading only (issue 11):
  every change is refused with ``ReadOnlyVault``.
- backups and the recovery code (issue 11) — ``backup``, ``backup_automatic``, ``backups``
  (the register, settings and rotation), ``verify_backup``, ``new_recovery_code``, and the
  retention hook ``backups_affected_by_erase`` / ``drop_backups_holding``
  (docs/backup-format.md).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from vault.admin.messages import READ_ONLY_BANNER
from vault.admin.vault_check import VaultCheckReport, check_vault
from vault.backup import recovery
from vault.backup.reader import BackupSummary, Credential
from vault.backup.service import BackupRecord, BackupService, EraseBackupReport
from vault.backup.writer import remove_stale_snapshots
from vault.casework.documents import DocumentService, ReconcileReport
from vault.clock import Clock
from vault.crypto import kdf
from vault.errors import ReadOnlyVault
from vault.settings import AppSettings
from vault.store import rekey
from vault.store.intent_journal import IntentJournal, ResumeReport
from vault.store.unlocked_vault import UnlockedVault
from vault.trail.kinds import TrailEvent
from vault.trail.service import PaperTrail

log = logging.getLogger(__name__)


RECOVERED_TEXT = ("New passphrase set with the recovery code, and a new master key: an old copy "
                  "of vault.keys no longer opens the vault. The recovery code still works; if "
                  "anyone else saw it, make a new one in Settings → Recovery code.")


class PassphraseChangeKind(StrEnum):
    MASTER_KEY_REPLACED = "master-key-replaced"
    REWRAPPED_ONLY = "rewrapped-only"


@dataclass(frozen=True)
class PassphraseChange:
    """What a passphrase change did, in words a rep can be shown."""

    kind: PassphraseChangeKind
    rewrapped_case_keys: int = 0
    dropped_slots: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if self.kind is PassphraseChangeKind.MASTER_KEY_REPLACED:
            text = ("Passphrase changed: the vault now opens with the new passphrase. It also "
                    "has a new master key and database key, so an old copy of vault.keys with "
                    "the old passphrase no longer opens it.")
            if "recovery" in self.dropped_slots:
                text += " Your recovery code no longer works; make a new one in Settings."
            return text
        return ("Passphrase changed (quick re-wrap): the vault now opens with the new passphrase. "
                "The master key is the same, so an old copy of vault.keys with the old "
                "passphrase would still open this vault.")


@dataclass(frozen=True)
class StartupReport:
    """What opening the vault had to do (ids and counts only, never names)."""

    finished_db_rekey: bool = False
    finished_passphrase_change: bool = False
    resumed: dict[str, int] = field(default_factory=dict)
    unresolved: dict[str, int] = field(default_factory=dict)
    rolled_back_imports: int = 0
    finished_imports: int = 0
    quarantined_files: int = 0
    scrubbed_external: int = 0
    # Permissions tightened at unlock, one sentence each (``vault.store.vault_permissions``).
    permission_repairs: tuple[str, ...] = ()
    # The database is damaged and was opened read-only (issue 11): nothing was resumed.
    read_only: bool = False
    # Opened by "Forgot passphrase?" / recover: a new passphrase and master key were set.
    recovered_with_code: bool = False

    def lines(self) -> list[str]:
        """Plain sentences for the status line / stderr; empty when nothing happened."""
        out: list[str] = [READ_ONLY_BANNER] if self.read_only else []
        out += list(self.permission_repairs)
        if self.recovered_with_code:
            out.append(RECOVERED_TEXT)
        if self.finished_passphrase_change:
            out.append("An interrupted passphrase change was finished: use your new "
                       "passphrase from now on.")
        if self.finished_db_rekey:
            out.append("An interrupted database re-key was finished.")
        erased = self.resumed.get("erase-case", 0)  # vault.retention.erase.ERASE_INTENT
        if erased:
            out.append(f"{erased} interrupted case destruction(s) were finished; the "
                       "destruction certificate is on the Retention page.")
        if self.rolled_back_imports:
            out.append(f"{self.rolled_back_imports} interrupted document import(s) were "
                       "rolled back; import those files again.")
        if self.quarantined_files:
            out.append(f"{self.quarantined_files} file(s) in the documents folder belonged to "
                       "no document and were moved to quarantine/ (nothing was deleted).")
        for kind, n in self.unresolved.items():
            out.append(f"{n} interrupted operation(s) ({kind}) could not be finished yet; "
                       "they will be retried at the next unlock.")
        return out


class VaultAdminService:
    def __init__(self, vault: UnlockedVault, clock: Clock, trail: PaperTrail,
                 documents: DocumentService, journal: IntentJournal,
                 settings: Callable[[], AppSettings],
                 set_settings: Callable[[AppSettings], None],
                 kdf_params: kdf.Argon2Params | None = None) -> None:
        self._vault = vault
        self._clock = clock
        self._trail = trail
        self._documents = documents
        self._journal = journal
        self._settings = settings
        self._set_settings = set_settings
        self._kdf_params = kdf_params
        self._startup = StartupReport()
        self.backups = BackupService(vault, clock, trail)

    # -- facts ---------------------------------------------------------------------------------

    @property
    def root(self) -> Path:
        return self._vault.paths.root

    @property
    def vault_id(self) -> str:
        return self._vault.vault_id

    @property
    def db_epoch(self) -> int:
        return self._vault.keyfile.db_epoch

    @property
    def startup(self) -> StartupReport:
        return self._startup

    @property
    def read_only(self) -> bool:
        """True when the database is damaged and open read-only: every change is refused
        (``ReadOnlyVault``) until the vault is restored from a backup."""
        return self._vault.read_only

    def enter_read_only(self) -> None:
        """Damage was found after the open (the background quick check): refuse every change
        from now on, as a vault opened read-only does. Idempotent."""
        self._vault.make_read_only()
        self._startup = replace(self._startup, read_only=True)

    def note_recovery(self) -> None:
        """The session was opened by a recovery with the code (``VaultManager.recover``)."""
        self._startup = replace(self._startup, recovered_with_code=True)

    def _refuse_if_read_only(self) -> None:
        if self._vault.read_only:
            raise ReadOnlyVault()

    # -- start-up ------------------------------------------------------------------------------

    def run_startup_read_only(self, scrub_external: Callable[[], int]) -> StartupReport:
        """The start of a read-only (damaged) vault: only "Open with…" copies are scrubbed;
        the journal, the documents folder and the database are left exactly as they are."""
        self._startup = StartupReport(read_only=True, scrubbed_external=scrub_external(),
                                      permission_repairs=self._vault.opened.repairs)
        return self._startup

    def run_startup(self, scrub_external: Callable[[], int]) -> StartupReport:
        """Resume the journal, reconcile the documents folder, scrub external opens."""
        resumed: ResumeReport = self._journal.resume()
        remove_stale_snapshots(self._vault.paths.root)  # left by a backup that crashed
        files: ReconcileReport = self._documents.reconcile_files()
        opened = self._vault.opened
        self._startup = StartupReport(
            finished_db_rekey=opened.finished_db_rekey,
            finished_passphrase_change=opened.finished_passphrase_change,
            resumed=dict(resumed.resumed),
            unresolved={**resumed.failed, **resumed.unknown},
            rolled_back_imports=files.rolled_back_imports,
            finished_imports=files.finished_imports,
            quarantined_files=files.quarantined_files,
            scrubbed_external=scrub_external(),
            permission_repairs=opened.repairs,
        )
        return self._startup

    # -- the passphrase ------------------------------------------------------------------------

    def change_passphrase(self, old: str, new: str, *,
                          keep_master_key: bool = False) -> PassphraseChange:
        """Change the passphrase; by default the VMK and DB key are replaced too.

        Raises:
            WrongPassphrase: ``old`` does not open the vault.
            WeakPassphrase: ``new`` is too weak.
            StorageError: the disk refused; the next unlock finishes what was started.
            ReadOnlyVault: the database is damaged (open read-only).
        """
        self._refuse_if_read_only()
        if keep_master_key:
            rekey.rewrap_passphrase_only(self._vault, old, new, self._kdf_params)
            result = PassphraseChange(PassphraseChangeKind.REWRAPPED_ONLY)
        else:
            rotated = rekey.rotate_master_key(self._vault, old, new, self._kdf_params)
            result = PassphraseChange(PassphraseChangeKind.MASTER_KEY_REPLACED,
                                      rotated.rewrapped_case_keys, rotated.dropped_slots)
        with self._vault.uow.write() as tx:
            self._trail.record(tx, kind=TrailEvent.PASSPHRASE_CHANGED.value, case=None,
                               payload={"summary": "Vault passphrase changed",
                                        "method": result.kind.value,
                                        "db_epoch": self._vault.keyfile.db_epoch})
        self._vault.record_head()
        log.info("passphrase changed (%s)", result.kind.value)
        return result

    def verify_passphrase(self, passphrase: str) -> bool:
        from vault.crypto import keyfile
        from vault.errors import WrongPassphrase

        try:
            keyfile.unlock_vmk(self._vault.keyfile, passphrase).wipe()
        except WrongPassphrase:
            return False
        return True

    # -- keys ----------------------------------------------------------------------------------

    def rotate_db_key(self) -> None:
        """Re-encrypt the database under a fresh key, two-phase (after a secure deletion)."""
        self._refuse_if_read_only()
        rekey.rotate_db_key(self._vault)

    def record_head(self) -> None:
        """Write the trail head to the key file's anchor and the head log now (not for a
        read-only vault: its files are left as they are)."""
        if not self._vault.read_only:
            self._vault.record_head()

    # -- checks --------------------------------------------------------------------------------

    def verify(self, progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> VaultCheckReport:
        """The whole-vault check (see ``vault.admin.vault_check``)."""
        kf = self._vault.keyfile
        heads = [] if kf.anchor is None else [(kf.anchor.seq, kf.anchor.mac)]
        if self._vault.head_log is not None:
            heads += self._vault.head_log.heads(self._vault.vault_id)

        def mac_at(seq: int) -> str | None:
            with self._vault.uow.read() as tx:
                return tx.trail.mac_at(seq)

        return check_vault(self._vault.db, self._trail, self._documents, heads, mac_at,
                           progress, cancelled)

    # -- settings ------------------------------------------------------------------------------

    @property
    def settings(self) -> AppSettings:
        return self._settings()

    def update_settings(self, settings: AppSettings) -> AppSettings:
        """Apply new settings to this session's services; returns them validated."""
        valid = settings.validated()
        self._set_settings(valid)
        return valid

    # -- backups and the recovery code (issue 11) ----------------------------------------------

    def backup(self, out: Path, *, progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> BackupRecord:
        """A manual backup to a new file ``out`` (see ``BackupService.backup``)."""
        self._refuse_if_read_only()
        return self.backups.backup(out, progress=progress, cancelled=cancelled)

    def backup_automatic(self, *, progress: Callable[[int, int], None] | None = None,
                         cancelled: Callable[[], bool] | None = None) -> BackupRecord:
        """An automatic backup into the chosen folder, keeping the newest N."""
        self._refuse_if_read_only()
        return self.backups.backup_automatic(progress=progress, cancelled=cancelled)

    @staticmethod
    def verify_backup(path: Path, credential: Credential, *,
                      progress: Callable[[int, int], None] | None = None,
                      cancelled: Callable[[], bool] | None = None) -> BackupSummary:
        """Check every byte of a backup file without restoring it."""
        return BackupService.verify(path, credential, progress=progress, cancelled=cancelled)

    def has_recovery_code(self) -> bool:
        return recovery.has_recovery_code(self._vault)

    def new_recovery_code(self, passphrase: str) -> str:
        """Make (or replace) the recovery code; returned once, to show. See
        ``vault.backup.recovery.new_recovery_code`` for what it raises."""
        self._refuse_if_read_only()
        return recovery.new_recovery_code(self._vault, passphrase, self._trail)

    def backups_affected_by_erase(self, case_id: str) -> list[BackupRecord]:
        """Every kept backup that still holds ``case_id`` (for the destruction certificate)."""
        return self.backups.backups_affected_by_erase(case_id)

    def drop_backups_holding(self, case_id: str) -> EraseBackupReport:
        """After an erase has committed: delete the automatic backups holding the case, write a
        fresh one, and report the manual ones for the certificate."""
        return self.backups.drop_backups_holding(case_id)
