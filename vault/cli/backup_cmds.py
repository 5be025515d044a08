"""Backup and recovery commands: backup, backups, backup-settings, verify-backup, restore,
recovery-code, recover (DESIGN.md §8, issue 11)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import shlex
from dataclasses import replace
from pathlib import Path

from vault.backup.reader import BackupSummary, Credential, verify_backup
from vault.backup.service import BackupRecord, BackupService
from vault.cli.context import CliContext, UsageError, table
from vault.domain import format_size, format_uk_date
from vault.errors import InvalidInput, VaultError
from vault.reports import recovery_sheet
from vault.session import Session, VaultManager
from vault.settings import SettingsStore
from vault.store.fsutil import atomic_write_bytes


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("backup", parents=[common],
                       help="write an encrypted backup of the whole vault")
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", metavar="FILE", help="a new backup file")
    where.add_argument("--automatic", action="store_true",
                       help="into the automatic-backup folder, keeping the newest N")
    p.set_defaults(handler=cmd_backup)
    p = sub.add_parser("backups", parents=[common], help="backups written by this vault")
    p.set_defaults(handler=cmd_backups)
    p = sub.add_parser("backup-settings", parents=[common],
                       help="show or set the automatic-backup folder and how many to keep")
    p.add_argument("--folder", metavar="DIR")
    p.add_argument("--keep", type=int, metavar="N")
    p.add_argument("--automatic", choices=("on", "off"))
    p.set_defaults(handler=cmd_backup_settings)
    p = sub.add_parser("verify-backup", parents=[common],
                       help="check every byte of a backup without restoring it")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--code-file", metavar="PATH",
                   help="open it with the recovery code in PATH instead of the passphrase")
    p.set_defaults(handler=cmd_verify_backup)
    p = sub.add_parser("restore", parents=[common],
                       help="restore a backup into a new or empty --vault folder")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--code-file", metavar="PATH",
                   help="open it with the recovery code in PATH instead of the passphrase")
    p.add_argument("--replace-damaged", action="store_true",
                   help="the --vault folder holds a damaged vault: move it aside to "
                        "DIR.damaged-YYYYMMDD-HHMMSS (kept, never deleted) and restore in its "
                        "place, once the whole backup has verified")
    p.set_defaults(handler=cmd_restore)
    p = sub.add_parser("recovery-code", parents=[common],
                       help="make a new recovery code (the old one stops working)")
    p.add_argument("--out", metavar="FILE", required=True,
                   help="where to write it: a printable sheet if FILE ends in .pdf, else text")
    p.set_defaults(handler=cmd_recovery_code)
    p = sub.add_parser("recover", parents=[common],
                       help="set a new passphrase with the recovery code")
    p.add_argument("--code-file", metavar="PATH", required=True)
    p.add_argument("--new-passphrase-file", metavar="PATH", required=True,
                   help="the new passphrase ('-' = standard input)")
    p.set_defaults(handler=cmd_recover)


def _service(ctx: CliContext) -> BackupService:
    return ctx.session().admin.backups


def _record_data(record: BackupRecord) -> dict[str, object]:
    return {"id": record.id, "created": record.created, "kind": record.kind,
            "path": record.path, "size": record.size, "cases": len(record.case_ids),
            "kept": record.kept, "removed_reason": record.removed_reason}


def cmd_backup(ctx: CliContext) -> int:
    service = _service(ctx)
    if ctx.args.automatic:
        record = service.backup_automatic()
    else:
        record = service.backup(Path(ctx.args.out))
    ctx.emit(_record_data(record),
             f"Backup written: {record.path} ({format_size(record.size)}, "
             f"{len(record.case_ids)} cases). It opens with today's passphrase or the "
             "recovery code.")
    return 0


def cmd_backups(ctx: CliContext) -> int:
    records = _service(ctx).records(include_removed=True)
    rows = [[format_uk_date(r.created), r.kind, r.id[:8], format_size(r.size),
             "kept" if r.kept else f"deleted ({r.removed_reason})", str(r.path)]
            for r in records]
    ctx.emit([_record_data(r) for r in records],
             table(rows, ["Date", "Kind", "Id", "Size", "State", "Where"]))
    return 0


def cmd_backup_settings(ctx: CliContext) -> int:
    service = _service(ctx)
    current = service.settings()
    a = ctx.args
    if a.folder is not None or a.keep is not None or a.automatic is not None:
        folder = Path(a.folder).expanduser() if a.folder is not None else current.folder
        automatic = current.automatic if a.automatic is None else a.automatic == "on"
        current = service.configure(folder=folder, keep=a.keep or current.keep,
                                    automatic=automatic)
        remember_backup_folder(current.folder)
    ctx.emit({"folder": current.folder, "keep": current.keep, "automatic": current.automatic},
             f"Automatic backups: {'on' if current.automatic else 'off'}\n"
             f"Folder: {current.folder or '(none chosen)'}\nKeep: {current.keep}")
    return 0


def remember_backup_folder(folder: Path | None) -> None:
    """Keep the automatic-backup folder in the app settings too (outside the vault), so a
    restore can find the backups when the vault's own database cannot be read."""
    store = SettingsStore()
    settings = store.load()
    wanted = str(folder) if folder is not None else ""
    if settings.backup_folder != wanted:
        with contextlib.suppress(OSError):
            store.save(replace(settings, backup_folder=wanted))


def _credential(ctx: CliContext) -> Credential:
    code_file = getattr(ctx.args, "code_file", None)
    if code_file:
        return Credential(recovery_code=_read_code(code_file))
    return Credential(passphrase=ctx.read_secret(
        "passphrase-file", "Passphrase when the backup was made: "))


def _summary_data(summary: BackupSummary) -> dict[str, object]:
    return {"ok": True, "backup_id": summary.backup_id, "vault_id": summary.vault_id,
            "created": summary.created, "cases": summary.cases,
            "documents": summary.documents, "size": summary.size}


def cmd_verify_backup(ctx: CliContext) -> int:
    summary = verify_backup(Path(ctx.args.file), _credential(ctx))  # no vault needed
    ctx.emit(_summary_data(summary),
             f"Backup intact: made {format_uk_date(summary.created)}, {summary.cases} cases, "
             f"{summary.documents} documents, every document checked.")
    return 0


def cmd_restore(ctx: CliContext) -> int:
    if ctx.args.vault is None:
        raise UsageError("restore needs --vault DIR: a new or empty folder to restore into")
    target = ctx.manager.root
    aside = None
    if ctx.args.replace_damaged:
        outcome = ctx.manager.restore_replacing(Path(ctx.args.file), _credential(ctx))
        summary, aside = outcome.summary, outcome.set_aside
    else:
        summary = ctx.manager.restore(Path(ctx.args.file), _credential(ctx))
    data = _summary_data(summary) | {"vault": target, "damaged_copy": aside}
    text = (f"Restored into {target}: {summary.cases} cases, {summary.documents} "
            "documents. Unlock it with the passphrase the backup was made with.")
    if aside is not None:
        text += f" The vault that was there is kept, unchanged, in {aside}."
    ctx.emit(data, text)
    return 0


def configured_backup_folders(session: Session) -> list[Path]:
    """The automatic-backup folder the vault itself records (none if it cannot be read)."""
    try:
        folder = session.admin.backups.settings().folder
    except VaultError:
        return []
    return [folder] if folder is not None else []


def restore_hint(manager: VaultManager, *folders: Path) -> str:
    """One sentence: the newest backup found and the command that restores it over a damaged
    vault (issue 11)."""
    vault = shlex.quote(str(manager.root))
    found = manager.find_backups(*folders)
    if not found:
        return f"To restore a backup: casevault restore FILE --vault {vault} --replace-damaged"
    latest = found[0]
    return (f"Latest backup: {latest.path} (made {format_uk_date(latest.created)}); restore it "
            f"with: casevault restore {shlex.quote(str(latest.path))} --vault {vault} "
            "--replace-damaged")


def cmd_recovery_code(ctx: CliContext) -> int:
    session = ctx.session()
    out = Path(ctx.args.out)
    if out.exists():
        raise InvalidInput("That file already exists; choose a new name.")
    passphrase = ctx.read_secret("passphrase-file", "Passphrase (to confirm): ")
    code = session.admin.new_recovery_code(passphrase)
    if out.suffix.lower() == ".pdf":
        recovery_sheet.write_pdf(out, code, vault_id=session.admin.vault_id,
                                 created=session.clock.today())
    else:
        atomic_write_bytes(out, (code + "\n").encode("utf-8"))
    ctx.emit({"written": out, "words": len(code.split())},
             f"New recovery code written to {out}. Print it or write it down, keep it somewhere "
             "safe, then delete the file. The old code no longer works.")
    return 0


def cmd_recover(ctx: CliContext) -> int:
    code = _read_code(ctx.args.code_file)
    new = ctx.read_secret("new-passphrase-file", "New passphrase: ", confirm=True)
    ctx.manager.recover(code, new).lock()
    ctx.emit({"recovered": True, "at": dt.datetime.now(dt.UTC)},
             "New passphrase set, with a new master key: an old copy of vault.keys no longer "
             "opens the vault. The recovery code still works; if anyone else saw it, make a "
             "new one with recovery-code.")
    return 0


def _read_code(path: str) -> str:
    try:
        text = Path(path).read_text("utf-8")
    except OSError as exc:
        raise InvalidInput(f"Cannot read --code-file ({exc.strerror}).") from exc
    if not text.strip():
        raise InvalidInput("The --code-file is empty.")
    return text
