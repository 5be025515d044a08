"""The services of one unlocked vault, built in one place (``Session``).

The GUI and the CLI both hold a ``Session`` while the vault is unlocked and drop it on lock;
``VaultManager`` (``vault.session.manager``) builds it at unlock. This module imports every
service of the vault (casework, retention, export, reports and their libraries), which is most
of the app's import time: nothing on the way to the unlock window imports it (``vault.session``
loads it on first use), so the window shows first and the services load while the rep types.

Services receive the unit of work (and, where they need them, the document store or the intent
journal) — never the whole vault. Vault-level actions go through ``session.admin``; the front
ends never touch ``session.vault`` (an architecture test checks that).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from vault.admin.service import StartupReport, VaultAdminService
from vault.admin.vault_check import VaultCheckReport
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
from vault.crypto import kdf
from vault.export.case_views import CaseworkReaders
from vault.export.service import ExportService
from vault.retention.erase import EraseStore
from vault.retention.service import RetentionService
from vault.settings import AppSettings
from vault.store.intent_journal import IntentJournal
from vault.store.unit_of_work import UnitOfWork
from vault.store.unlocked_vault import UnlockedVault
from vault.trail.service import PaperTrail
from vault.training.profile import UnionProfile
from vault.training.record import TrainingRecord
from vault.training.repository import TrainingRepository
from vault.training.service import TrainingService


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
