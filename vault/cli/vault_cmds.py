"""Vault-level commands: init, status, verify, passwd."""

from __future__ import annotations

import argparse
from pathlib import Path

from vault.cli.backup_cmds import configured_backup_folders, restore_hint
from vault.cli.context import CliContext
from vault.crypto import keyfile, strength
from vault.domain import format_uk_date
from vault.errors import DatabaseDamaged
from vault.paths import looks_cloud_synced


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help="create a new vault")
    p.set_defaults(handler=cmd_init)
    p = sub.add_parser("status", parents=[common], help="where the vault is and whether it opens")
    p.set_defaults(handler=cmd_status)
    p = sub.add_parser("verify", parents=[common],
                       help="check the database, the paper trail and every document")
    p.set_defaults(handler=cmd_verify)
    p = sub.add_parser("passwd", parents=[common], help="change the vault passphrase")
    p.add_argument("--new-passphrase-file", metavar="PATH",
                   help="read the new passphrase from PATH ('-' = the next stdin line)")
    p.add_argument("--keep-master-key", action="store_true",
                   help="only re-wrap the master key (fast, but an old vault.keys with the old "
                        "passphrase would still open the vault)")
    p.set_defaults(handler=cmd_passwd)


def cmd_init(ctx: CliContext) -> int:
    passphrase = ctx.read_secret("passphrase-file", "New vault passphrase: ", confirm=True)
    report = strength.check_passphrase(passphrase)
    if not report.acceptable:
        from vault.errors import WeakPassphrase

        raise WeakPassphrase(f"Passphrase too weak: {report.reason}")
    session = ctx.manager.create(passphrase)
    try:
        root = session.root
        vault_id = session.admin.vault_id
    finally:
        session.lock()
    if looks_cloud_synced(root):
        ctx.warn("the vault folder looks like a cloud-sync folder; its encrypted files will be "
                 "copied off this computer.")
    ctx.emit({"vault": str(root), "vault_id": vault_id},
             f"Created a vault in {root}.\nKeep your passphrase safe: nobody can recover it.")
    return 0


def cmd_status(ctx: CliContext) -> int:
    paths = ctx.manager.paths
    data: dict[str, object] = {"vault": str(paths.root), "exists": paths.exists()}
    if not paths.exists():
        ctx.emit(data, f"No vault in {paths.root}. Create one with: casevault init")
        return 0
    kf = keyfile.KeyFile.load(paths.keys)
    data.update({"vault_id": kf.vault_id, "format_version": kf.format_version,
                 "created": kf.created, "cloud_synced": looks_cloud_synced(paths.root)})
    lines = [f"Vault: {paths.root}", f"Format: CVF vault v{kf.format_version}",
             f"Created: {kf.created}"]
    folders: list[Path] = []
    if ctx.args.passphrase_file:
        session = ctx.session(read_only_ok=True)
        data["read_only"] = session.admin.read_only
        if session.admin.read_only:
            lines.append("Database: DAMAGED — open read-only; nothing can be changed until you "
                         "restore from a backup.")
        folders = configured_backup_folders(session)
        try:
            members = session.members.list()
            cases = session.cases.list()
            seq, mac = session.trail.head()
        except DatabaseDamaged as exc:
            if not session.admin.read_only:
                raise
            lines.append(f"Contents: {exc}")
        else:
            data.update({"unlocked": True, "members": len(members), "cases": len(cases),
                         "open_cases": sum(1 for c in cases if c.case.status.value == "open"),
                         "trail_head": {"seq": seq, "mac": mac}})
            lines += [f"Members: {len(members)}", f"Cases: {len(cases)}",
                      f"Trail head: #{seq} {mac[:12]}"]
    latest = ctx.manager.find_backups(*folders)
    data["latest_backup"] = ({"path": latest[0].path, "created": latest[0].created}
                             if latest else None)
    if latest:
        lines.append(f"Latest backup: {latest[0].path} "
                     f"(made {format_uk_date(latest[0].created)})")
    ctx.emit(data, "\n".join(lines))
    return 0


def cmd_verify(ctx: CliContext) -> int:
    session = ctx.session(read_only_ok=True)
    report = session.verify()
    data = {
        "ok": report.ok,
        "database": {"integrity": report.database_problems or "ok",
                     "cipher_integrity": report.cipher_problems or "ok"},
        "trail": {"ok": report.trail.ok, "entries": report.trail.entries,
                  "head_seq": report.trail.head_seq, "head_mac": report.trail.head_mac,
                  "broken_at": report.trail.broken_at, "problem": report.trail.problem},
        "recorded_heads": {"count": report.recorded_heads, "missing": report.missing_heads},
        "documents": [{"ref": d.case_ref, "id": d.document_id, "ok": d.ok, "problem": d.problem}
                      for d in report.documents],
    }
    lines = [
        "Database: " + ("intact" if not report.database_problems else "DAMAGED: "
                        + "; ".join(report.database_problems[:3])),
        "Encryption pages: " + ("intact" if not report.cipher_problems else "DAMAGED: "
                                + "; ".join(report.cipher_problems[:3])),
        "Paper trail: " + (f"intact, {report.trail.entries} entries, head "
                           f"{report.trail.short_head}" if report.trail.ok
                           else f"BROKEN: {report.trail.problem}"),
        f"Documents: {sum(d.ok for d in report.documents)} of {len(report.documents)} intact",
        "Recorded heads: " + (f"all {report.recorded_heads} present" if not report.missing_heads
                              else "MISSING entries " + ", ".join(
                                  f"#{s}" for s in report.missing_heads[:5])
                              + " (the database is older than what was recorded)"),
    ]
    lines += [f"  DAMAGED {d.case_ref} {d.document_id}: {d.problem}"
              for d in report.damaged_documents]
    data["read_only"] = session.admin.read_only
    if session.admin.read_only:
        lines.insert(0, "This vault's database is damaged — it is open read-only.")
    if session.admin.read_only or report.database_problems or report.cipher_problems:
        lines.append(restore_hint(ctx.manager, *configured_backup_folders(session)))
    ctx.emit(data, "\n".join(lines))
    return 0 if report.ok else 1


def cmd_passwd(ctx: CliContext) -> int:
    session = ctx.session()
    old = ctx.read_secret("passphrase-file", "Current passphrase: ")
    new = ctx.read_secret("new-passphrase-file", "New passphrase: ", stdin_index=1, confirm=True)
    result = session.admin.change_passphrase(old, new,
                                             keep_master_key=ctx.args.keep_master_key)
    ctx.emit({"changed": True, "method": result.kind.value,
              "dropped_slots": result.dropped_slots}, result.message)
    return 0
