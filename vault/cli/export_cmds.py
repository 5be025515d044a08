"""``export REF --out FILE …`` and ``sar MEMBER --out FILE …``: encrypted bundles.

The generated passphrase is printed once, or written to ``--passphrase-out`` (a new 0600 file)
instead; it is never stored in the vault. ``--bundle-passphrase-file`` takes a passphrase
agreed with the recipient instead ('-' = the next line of standard input). ``--eml`` also
saves an email draft with the bundle attached (``--to`` defaults to the member's preferred
address; ``--from`` is the rep's own address, where the read receipt goes).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vault.cli.context import CliContext, UsageError
from vault.domain import format_size
from vault.errors import InvalidInput, StorageError
from vault.export.service import ExportOutcome

ADVICE = ("Give the passphrase to the recipient by another channel — phone or text — never in "
          "the same email. It is not stored anywhere: keep it until they have opened the "
          "bundle with 7-Zip, WinZip or Keka.")
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export", parents=[common],
                       help="export a case as an AES-256 encrypted zip bundle")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    p.add_argument("--docs", metavar="ID,ID", default=None,
                   help="only these documents (ids or 6+ character prefixes); default all")
    p.add_argument("--no-summary", action="store_true", help="leave out the case summary PDF")
    p.add_argument("--no-trail", action="store_true", help="leave out the paper-trail PDF")
    p.add_argument("--include-off-record", action="store_true",
                   help="include off-the-record entries in the paper-trail PDF")
    _passphrase_options(p)
    p.add_argument("--eml", type=Path, metavar="FILE", help="also save an email draft (.eml)")
    p.add_argument("--to", metavar="ADDR", help="the draft's recipient (default: the member)")
    p.add_argument("--from", dest="sender", metavar="ADDR",
                   help="your own address: the draft's sender and where the read receipt goes")
    p.add_argument("--for", dest="audience", choices=["member", "branch"], default=None,
                   help="who the bundle is for: the member, or the branch (a regional officer or "
                        "another caseworker: needs the member's consent to share). Default: the "
                        "member when it goes to their preferred address, else the branch")
    p.set_defaults(handler=cmd_export)
    p = sub.add_parser("sar", parents=[common],
                       help="subject access export: everything held about a member, encrypted")
    p.add_argument("member", metavar="MEMBER")
    p.add_argument("--out", required=True, type=Path, metavar="FILE")
    _passphrase_options(p)
    p.set_defaults(handler=cmd_sar)


def _passphrase_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--passphrase-out", type=Path, metavar="FILE",
                   help="write the generated passphrase to this new 0600 file, not the terminal")
    p.add_argument("--bundle-passphrase-file", metavar="PATH",
                   help="use an agreed passphrase from PATH ('-' = standard input) instead")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def cmd_export(ctx: CliContext) -> int:
    a = ctx.args
    if a.eml is not None and not a.sender:
        raise UsageError("--eml needs --from ADDR (your own address, for the read receipt)")
    if a.eml is None and (a.to or a.sender):
        raise UsageError("--to and --from only go with --eml FILE")
    session = ctx.session()
    typed = _typed_passphrase(ctx)
    docs = tuple(d.strip() for d in a.docs.split(",") if d.strip()) if a.docs is not None else None
    plan = session.export.plan_case(a.ref)
    to = a.to or plan.member_email
    if a.eml is not None and not to:
        raise InvalidInput("The member has no preferred email; give --to ADDR.")

    audience = a.audience or (
        "member" if not a.to or (plan.member_email or "").casefold() == a.to.casefold()
        else "branch")

    def run() -> ExportOutcome:
        return session.export.export_case(
            a.ref, a.out, document_ids=docs, include_summary=not a.no_summary,
            include_trail=not a.no_trail, include_off_record=a.include_off_record,
            passphrase=typed, recipient=to or "", overwrite=a.force,
            for_member=audience == "member")

    outcome = _with_passphrase_file(ctx, run)
    data = _outcome_json(ctx, outcome)
    extra: list[str] = []
    if a.eml is not None:
        recipient = session.export.write_email_draft(
            outcome, a.eml, to=to or "", sender=a.sender, employer=plan.member_employer,
            overwrite=a.force)
        data["eml"] = {"path": str(a.eml), "to": recipient.address, "bcc": recipient.bcc,
                       "warning": recipient.warning}
        extra.append(f"Email draft saved to {a.eml} ({'Bcc' if recipient.bcc else 'To'}: "
                     f"{recipient.address}). Attach nothing else; send the passphrase "
                     "separately.")
        if recipient.warning:
            ctx.warn(recipient.warning)
    for warning in outcome.warnings:
        ctx.warn(warning)
    ctx.emit(data, lambda: _outcome_text(ctx, outcome, extra))
    return 0


def cmd_sar(ctx: CliContext) -> int:
    a = ctx.args
    session = ctx.session()
    typed = _typed_passphrase(ctx)
    outcome = _with_passphrase_file(ctx, lambda: session.export.subject_access_export(
        a.member, a.out, passphrase=typed, overwrite=a.force))
    ctx.emit(_outcome_json(ctx, outcome), lambda: _outcome_text(ctx, outcome, []))
    return 0


def _typed_passphrase(ctx: CliContext) -> str | None:
    if not ctx.args.bundle_passphrase_file:
        return None
    if ctx.args.passphrase_out is not None:
        raise UsageError("--passphrase-out is for a generated passphrase; you gave your own")
    stdin_index = 1 if getattr(ctx.args, "passphrase_file", None) == "-" else 0
    return ctx.read_secret("bundle-passphrase-file", "Bundle passphrase: ",
                           stdin_index=stdin_index)


def _with_passphrase_file(ctx: CliContext, run: Callable[[], ExportOutcome]) -> ExportOutcome:
    """Run the export; with --passphrase-out, claim that file first and fill it after."""
    target: Path | None = ctx.args.passphrase_out
    if target is None:
        return run()
    try:
        fd = os.open(target, _NEW_FILE, 0o600)
    except FileExistsError as exc:
        raise InvalidInput("The --passphrase-out file already exists.") from exc
    except OSError as exc:
        raise StorageError(f"Cannot create the --passphrase-out file ({exc.strerror}).") from exc
    try:
        outcome = run()
        os.write(fd, (outcome.passphrase + "\n").encode("ascii"))
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        target.unlink(missing_ok=True)
        raise
    os.close(fd)
    return outcome


def _outcome_json(ctx: CliContext, outcome: ExportOutcome) -> dict[str, Any]:
    data: dict[str, Any] = {
        "out": str(outcome.path), "sha256": outcome.sha256, "size": outcome.size,
        "members": outcome.member_count, "documents": outcome.documents,
        "files": [{"name": m.name, "title": m.title, "kind": m.kind, "size": m.size,
                   "sha256": m.sha256, **({"case": m.group} if m.group else {})}
                  for m in outcome.members],
        "passphrase_generated": outcome.passphrase_generated,
        "trail_entries": list(outcome.trail_entries), "warnings": list(outcome.warnings),
    }
    if ctx.args.passphrase_out is not None:
        data["passphrase_file"] = str(ctx.args.passphrase_out)
    elif outcome.passphrase_generated:
        data["passphrase"] = outcome.passphrase
    return data


def _outcome_text(ctx: CliContext, outcome: ExportOutcome, extra: list[str]) -> str:
    lines = [f"Wrote {outcome.path}: {outcome.member_count} files, {outcome.documents} "
             f"documents, {format_size(outcome.size)}.",
             f"SHA-256 {outcome.sha256}"]
    if ctx.args.passphrase_out is not None:
        lines.append(f"The passphrase is in {ctx.args.passphrase_out} (readable by you only).")
    elif outcome.passphrase_generated:
        lines.append(f"Passphrase: {outcome.passphrase}")
    else:
        lines.append("Locked with the passphrase you gave.")
    lines.append(ADVICE)
    return "\n".join([*lines, *extra])
