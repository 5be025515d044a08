"""The backup service of one unlocked vault: manual and automatic backups, their register,
rotation, and the retention hook that keeps a destroyed case out of kept backups.

Every backup written through here is recorded twice: a vault-level paper-trail entry
("backup-written", with the backup id, kind and the number of cases it holds) and a row in
``backups`` (id, time, kind, path, size, the case ids it holds). Automatic backups go to the
folder the rep chose, named by the product (``casevault-20261123-100000-1a2b3c4d.cvbackup``),
and only the newest ``keep`` (default 5) are kept. When a case is destroyed,
``backups_affected_by_erase`` lists every kept backup still holding it and
``drop_backups_holding`` deletes the automatic ones (writing a fresh automatic backup so the
rep still has one) and returns the manual ones for the destruction certificate. The choice is
explained in docs/backup-format.md section 5.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from vault.backup.reader import BackupSummary, Credential, verify_backup
from vault.backup.repository import BackupRow, BackupsRepository
from vault.backup.writer import BACKUP_SUFFIX, BackupResult, write_backup
from vault.clock import Clock
from vault.errors import InvalidInput, NotFound, ReadOnlyVault, RefusedAction
from vault.store.unit_of_work import Tx
from vault.store.unlocked_vault import UnlockedVault
from vault.trail.kinds import TrailEvent
from vault.trail.service import PaperTrail

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]

MANUAL = "manual"
AUTOMATIC = "automatic"
DEFAULT_KEEP = 5
AUTO_PREFIX = "casevault-"
AUTO_INTERVAL = dt.timedelta(hours=24)
BACKUP_WRITTEN = TrailEvent.BACKUP_WRITTEN.value
BACKUP_REMOVED = TrailEvent.BACKUP_REMOVED.value


@dataclass(frozen=True)
class BackupSettings:
    """Automatic backups: where, how many to keep, and whether they run."""

    folder: Path | None = None
    keep: int = DEFAULT_KEEP
    automatic: bool = False


BackupRecord = BackupRow  # one row of the backup register (ids, times and paths only)


@dataclass(frozen=True)
class EraseBackupReport:
    """What the erase of one case did to the backups that held it."""

    dropped: tuple[BackupRecord, ...] = ()
    manual: tuple[BackupRecord, ...] = ()
    fresh: BackupRecord | None = None
    failed: tuple[BackupRecord, ...] = field(default_factory=tuple)

    def certificate_lines(self) -> list[str]:
        """Plain sentences for the destruction certificate (dates, ids and paths only)."""
        lines = [f"Automatic backup of {_uk(r.created)} ({r.id[:8]}) that held this case "
                 "was deleted." for r in self.dropped]
        if self.fresh is not None:
            lines.append(f"A new automatic backup without this case was written "
                         f"({self.fresh.id[:8]}).")
        lines += [f"Manual backup of {_uk(r.created)} ({r.id[:8]}) written to {r.path} still "
                  "holds this case: delete that file." for r in self.manual]
        lines += [f"Automatic backup {r.id[:8]} at {r.path} could not be deleted: delete it "
                  "by hand." for r in self.failed]
        if not lines:
            lines.append("No backup written by the vault holds this case.")
        return lines


class BackupService:
    """Backups of one unlocked vault (see the module docstring)."""

    def __init__(self, vault: UnlockedVault, clock: Clock, trail: PaperTrail) -> None:
        self._vault = vault
        self._clock = clock
        self._trail_service = trail

    # -- settings ------------------------------------------------------------------------------

    def settings(self) -> BackupSettings:
        with self._vault.uow.read() as tx:
            row = BackupsRepository(tx.connection).settings()
        if row is None:
            return BackupSettings()
        return BackupSettings(row.folder, row.keep, row.automatic)

    def configure(self, *, folder: Path | None, keep: int = DEFAULT_KEEP,
                  automatic: bool = True) -> BackupSettings:
        """Set the automatic-backup folder, how many to keep (1–100) and whether they run.

        Raises:
            InvalidInput: ``keep`` out of range, or automatic on without an existing folder.
        """
        if not 1 <= keep <= 100:
            raise InvalidInput("Keep between 1 and 100 backups.")
        if automatic and (folder is None or not Path(folder).is_dir()):
            raise InvalidInput("Choose an existing folder for automatic backups.")
        if folder is not None and _is_inside(Path(folder), self._vault.paths.root):
            raise InvalidInput("Automatic backups must go outside the vault folder.")
        with self._vault.uow.write() as tx:
            BackupsRepository(tx.connection).save_settings(
                Path(folder) if folder is not None else None, keep, automatic)
        return self.settings()

    # -- writing -------------------------------------------------------------------------------

    def backup(self, out: Path, *, progress: Progress | None = None,
               cancelled: CancelFlag | None = None) -> BackupRecord:
        """A manual backup to ``out`` (a new file), recorded in the register and the trail.

        Raises: as ``write_backup`` (RefusedAction, StorageError, Cancelled, VaultLocked);
            ReadOnlyVault: the database is damaged (a backup of it would replace good ones).
        """
        self._refuse_if_read_only()
        out = Path(out)
        if _is_inside(out.parent, self._vault.paths.root):
            raise RefusedAction("A backup inside the vault folder is no backup; choose "
                                "another place (an external drive).")
        result = write_backup(self._vault, out, now=self._clock.now(), progress=progress,
                              cancelled=cancelled)
        return self._register(result, MANUAL)

    def backup_automatic(self, *, progress: Progress | None = None,
                         cancelled: CancelFlag | None = None) -> BackupRecord:
        """An automatic backup into the configured folder, then rotation to the newest N.

        Raises:
            RefusedAction: no folder is configured, or it is missing (a drive not plugged in).
            and as ``write_backup``; ReadOnlyVault: the database is damaged.
        """
        self._refuse_if_read_only()
        settings = self.settings()
        if settings.folder is None:
            raise RefusedAction("Choose a folder for automatic backups in Settings first.")
        if not settings.folder.is_dir():
            raise RefusedAction("The backup folder is not there (is the drive plugged in?).")
        now = self._clock.now()
        out = settings.folder / _auto_name(now)
        result = write_backup(self._vault, out, now=now, progress=progress, cancelled=cancelled)
        record = self._register(result, AUTOMATIC)
        self._rotate(settings)
        return record

    def automatic_due(self) -> bool:
        """True when automatic backups are on and the last one is a day old or more (never for
        a damaged, read-only vault: its backup would rotate a good one out)."""
        if self._vault.read_only:
            return False
        settings = self.settings()
        if not settings.automatic or settings.folder is None:
            return False
        last = self.last_backup(kind=AUTOMATIC)
        return last is None or self._clock.now() - last.created >= AUTO_INTERVAL

    # -- register ------------------------------------------------------------------------------

    def records(self, *, include_removed: bool = False) -> list[BackupRecord]:
        """Backups written through this vault, newest first."""
        with self._vault.uow.read() as tx:
            return BackupsRepository(tx.connection).list(include_removed=include_removed)

    def last_backup(self, *, kind: str | None = None) -> BackupRecord | None:
        for record in self.records():
            if kind is None or record.kind == kind:
                return record
        return None

    def last_backup_age(self) -> dt.timedelta | None:
        """How long ago the newest kept backup was written (None: never)."""
        last = self.last_backup()
        return None if last is None else self._clock.now() - last.created

    @staticmethod
    def verify(path: Path, credential: Credential, *, progress: Progress | None = None,
               cancelled: CancelFlag | None = None) -> BackupSummary:
        """Verify a backup file end to end (see ``reader.verify_backup``)."""
        return verify_backup(path, credential, progress=progress, cancelled=cancelled)

    # -- retention -----------------------------------------------------------------------------

    def backups_affected_by_erase(self, case_id: str) -> list[BackupRecord]:
        """Every kept backup (manual or automatic) that still holds ``case_id``."""
        return [r for r in self.records() if case_id in r.case_ids]

    def drop_backups_holding(self, case_id: str) -> EraseBackupReport:
        """After a case is destroyed: delete the automatic backups that hold it, write a fresh
        automatic backup if any were deleted (and the folder is there), and return the manual
        ones for the certificate. Call it after the erase has committed.

        Never raises for a backup it cannot delete: that one is reported in ``failed``.
        """
        affected = self.backups_affected_by_erase(case_id)
        dropped: list[BackupRecord] = []
        failed: list[BackupRecord] = []
        for record in affected:
            if record.kind != AUTOMATIC:
                continue
            try:
                record.path.unlink(missing_ok=True)
            except OSError:
                failed.append(record)
                continue
            self._mark_removed(record, "erase")
            dropped.append(record)
        fresh = None
        if dropped:
            with contextlib.suppress(RefusedAction):
                fresh = self.backup_automatic()
        manual = tuple(r for r in affected if r.kind == MANUAL)
        log.info("erase: %d automatic backup(s) deleted, %d manual listed",
                 len(dropped), len(manual))
        return EraseBackupReport(tuple(dropped), manual, fresh, tuple(failed))

    # -- internals -----------------------------------------------------------------------------

    def _refuse_if_read_only(self) -> None:
        if self._vault.read_only:
            raise ReadOnlyVault()

    def _register(self, result: BackupResult, kind: str) -> BackupRecord:
        record = BackupRecord(
            id=result.backup_id, created=result.created, kind=kind, path=result.path.resolve(),
            size=result.size, case_ids=result.case_ids,
        )
        with self._vault.uow.write() as tx:
            BackupsRepository(tx.connection).add(record)
            self._trail(tx, BACKUP_WRITTEN, {
                "summary": f"Backup written ({kind})", "backup_id": record.id, "kind": kind,
                "cases": len(record.case_ids), "size": record.size,
            })
        return record

    def _rotate(self, settings: BackupSettings) -> None:
        automatic = [r for r in self.records() if r.kind == AUTOMATIC
                     and settings.folder is not None and r.path.parent == settings.folder.resolve()]
        for record in automatic[settings.keep:]:
            try:
                record.path.unlink(missing_ok=True)
            except OSError:
                log.warning("rotation: backup %s not deleted", record.id[:8])
                continue
            self._mark_removed(record, "rotation")

    def _mark_removed(self, record: BackupRecord, reason: str) -> None:
        with self._vault.uow.write() as tx:
            BackupsRepository(tx.connection).mark_removed(record.id, self._clock.now(), reason)
            self._trail(tx, BACKUP_REMOVED, {
                "summary": f"Automatic backup deleted ({reason})", "backup_id": record.id,
                "reason": reason,
            })

    def _trail(self, tx: Tx, kind: str, payload: dict[str, object]) -> None:
        self._trail_service.record(tx, kind=kind, case=None, payload=payload)


def get_record(service: BackupService, backup_id: str) -> BackupRecord:
    for record in service.records(include_removed=True):
        if record.id == backup_id:
            return record
    raise NotFound("No such backup.")


def _auto_name(now: dt.datetime) -> str:
    """``casevault-20261123-100000-1a2b3c4d.cvbackup`` (random tail: never a clash)."""
    stamp = now.astimezone(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return f"{AUTO_PREFIX}{stamp}-{os.urandom(4).hex()}{BACKUP_SUFFIX}"


def _uk(value: dt.datetime) -> str:
    return f"{value.day} {value.strftime('%b %Y')}"


def _is_inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
