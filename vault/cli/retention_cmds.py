"""Retention on the command line: ``case close``, ``case reopen``, ``retention …``, ``audit``.

DESIGN.md §8 and issue 9::

    case close REF --outcome TEXT --paper-shredded [--retain-days N --reason TEXT]
    case reopen REF --reason TEXT
    retention list [--status due|overdue|held|kept|destroyed] [--as-of DATE]
    retention due [--as-of DATE]
    retention hold REF --reason TEXT
    retention release REF [--reason TEXT]
    retention destroy REF --yes [--certificate-out FILE]
    retention certificate REF --out FILE(.pdf|.json)
    audit --out FILE(.pdf|.csv|.json) [--from DATE --to DATE]
    audit check FILE

Every command takes ``--json``. Refusals are one line and exit 1, with nothing changed. The
output files are written atomically with mode 0600 and never overwrite an existing file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from vault.casework.validation import parse_date
from vault.cli.context import CliContext, UsageError, table
from vault.domain import format_uk_date
from vault.errors import InvalidInput, RefusedAction, StorageError
from vault.reports.destruction_certificate import render_pdf_bytes
from vault.retention.checklist import OutstandingItem
from vault.retention.policy import RetentionStatus
from vault.retention.views import EraseStep, RetentionRow
from vault.store.fsutil import atomic_write_bytes


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    _register_case_actions(sub, common)

    ret = sub.add_parser("retention", parents=[common], help="retention and secure deletion")
    rsub = ret.add_subparsers(dest="action", metavar="ACTION", required=True,
                              parser_class=type(ret))
    p = rsub.add_parser("list", parents=[common], help="closed cases and their retention")
    p.add_argument("--status", choices=[s.value for s in RetentionStatus])
    p.add_argument("--as-of", metavar="DATE")
    p.set_defaults(handler=cmd_list)
    p = rsub.add_parser("due", parents=[common], help="cases due or overdue for destruction")
    p.add_argument("--as-of", metavar="DATE")
    p.set_defaults(handler=cmd_due)
    p = rsub.add_parser("hold", parents=[common], help="put a closed case on legal hold")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_hold)
    p = rsub.add_parser("release", parents=[common], help="lift a legal hold")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--reason")
    p.set_defaults(handler=cmd_release)
    p = rsub.add_parser("destroy", parents=[common],
                        help="destroy a due case by cryptographic erase (permanent)")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--yes", action="store_true", help="confirm: destroying is permanent")
    p.add_argument("--certificate-out", metavar="FILE",
                   help="also write the certificate (.pdf or .json)")
    p.set_defaults(handler=cmd_destroy)
    p = rsub.add_parser("certificate", parents=[common], help="write a destruction certificate")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--out", required=True, metavar="FILE", help=".pdf or .json")
    p.set_defaults(handler=cmd_certificate)

    audit = sub.add_parser("audit", parents=[common], help="the branch audit report")
    audit.add_argument("--out", metavar="FILE", help=".pdf, .csv or .json")
    audit.add_argument("--from", dest="period_from", metavar="DATE")
    audit.add_argument("--to", dest="period_to", metavar="DATE")
    audit.set_defaults(handler=cmd_audit)
    asub = audit.add_subparsers(dest="audit_action", metavar="check", parser_class=type(audit))
    p = asub.add_parser("check", parents=[common],
                        help="confirm an audit CSV/JSON is unaltered and from this vault")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=cmd_audit_check)


def _register_case_actions(sub: argparse._SubParsersAction,
                           common: argparse.ArgumentParser) -> None:
    """Add ``close`` and ``reopen`` to the ``case`` command registered by ``case_cmds``."""
    case = sub.choices.get("case")
    if case is None:
        raise RuntimeError("retention_cmds must be registered after case_cmds")
    actions = [a for a in case._actions if isinstance(a, argparse._SubParsersAction)]
    csub = actions[0]
    p = csub.add_parser("close", parents=[common], help="close a case (runs the checklist)")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--outcome", required=True, help="the outcome in your words")
    p.add_argument("--paper-shredded", action="store_true",
                   help="confirm the paper copies of the case have been shredded")
    p.add_argument("--retain-days", type=int, metavar="N",
                   help="a per-case archive period in days (0 allowed) instead of the union's")
    p.add_argument("--reason", help="why the per-case period (required with --retain-days)")
    p.set_defaults(handler=cmd_close)
    p = csub.add_parser("reopen", parents=[common], help="reopen a closed case")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_reopen)
    p = csub.add_parser("delete", parents=[common],
                        help="delete a case opened by mistake (only while nothing is in it)")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--reason", required=True)
    p.add_argument("--yes", action="store_true", required=True,
                   help="confirm: the case is crypto-erased at once")
    p.set_defaults(handler=cmd_delete)


# -- case close / reopen -----------------------------------------------------------------------

def cmd_close(ctx: CliContext) -> int:
    a = ctx.args
    if a.reason and a.retain_days is None:
        raise UsageError("--reason goes with --retain-days")
    session = ctx.session()
    checklist = session.retention.checklist(a.ref, paper_copies_shredded=a.paper_shredded)
    outstanding = checklist.outstanding()
    if outstanding:
        if ctx.json:
            ctx.emit({"ref": a.ref.upper(), "closed": False,
                      "outstanding": [_item_json(i) for i in outstanding]}, "")
        else:
            for item in outstanding:
                ctx.stderr.write(f"  outstanding: {item.label}\n")
        checklist.require_complete()
    row = session.retention.close(a.ref, outcome=a.outcome,
                                  paper_copies_shredded=a.paper_shredded,
                                  retain_days=a.retain_days, reason=a.reason)
    ctx.emit({**row.to_json(), "closed": row.closed},
             f"Closed case {row.ref}. Retention until {format_uk_date(row.retain_until)} "
             f"({row.rule}).")
    return 0


def _item_json(item: OutstandingItem) -> dict[str, object]:
    return {"kind": item.kind.value, "item": item.label, "subject": item.subject}


def cmd_reopen(ctx: CliContext) -> int:
    session = ctx.session()
    session.retention.reopen(ctx.args.ref, reason=ctx.args.reason)
    ref = ctx.args.ref.strip().upper()
    ctx.emit({"ref": ref, "status": "open"}, f"Reopened case {ref}; its retention date is "
                                             "cleared.")
    return 0


def cmd_delete(ctx: CliContext) -> int:
    certificate = ctx.session().retention.delete_opened_by_mistake(ctx.args.ref,
                                                                  reason=ctx.args.reason)
    ctx.emit({"ref": certificate.case_ref, "status": "destroyed",
              "certificate_id": certificate.certificate_id},
             f"Case {certificate.case_ref} (opened by mistake) was erased; certificate "
             f"{certificate.certificate_id}.")
    return 0


# -- retention ---------------------------------------------------------------------------------

def _rows_text(rows: list[RetentionRow]) -> str:
    return table([[r.ref, r.category, format_uk_date(r.closed), format_uk_date(r.retain_until),
                   r.rule, "yes" if r.held else "", r.status.label] for r in rows],
                 ["REF", "CATEGORY", "CLOSED", "RETENTION DATE", "RULE", "HOLD", "STATUS"])


def cmd_list(ctx: CliContext) -> int:
    a = ctx.args
    as_of = parse_date(a.as_of, "--as-of") if a.as_of else None
    status = RetentionStatus(a.status) if a.status else None
    rows = ctx.session().retention.rows(as_of=as_of, status=status)
    ctx.emit([r.to_json() for r in rows], lambda: _rows_text(rows))
    return 0


def cmd_due(ctx: CliContext) -> int:
    as_of = parse_date(ctx.args.as_of, "--as-of") if ctx.args.as_of else None
    rows = ctx.session().retention.due(as_of=as_of)
    ctx.emit([r.to_json() for r in rows], lambda: _rows_text(rows))
    return 0


def cmd_hold(ctx: CliContext) -> int:
    row = ctx.session().retention.hold(ctx.args.ref, reason=ctx.args.reason)
    ctx.emit(row.to_json(), f"Case {row.ref} is on legal hold; it will not fall due while "
                            "held.")
    return 0


def cmd_release(ctx: CliContext) -> int:
    row = ctx.session().retention.release(ctx.args.ref, reason=ctx.args.reason)
    ctx.emit(row.to_json(), f"Hold lifted on case {row.ref} (status: {row.status.label}).")
    return 0


def cmd_destroy(ctx: CliContext) -> int:
    a = ctx.args
    if not a.yes:
        raise RefusedAction("Destroying a case is permanent; add --yes to confirm.")
    out = _new_file(a.certificate_out, (".pdf", ".json")) if a.certificate_out else None
    session = ctx.session()

    def progress(done: int, total: int, step: EraseStep) -> None:
        if not ctx.json and done < total:
            ctx.stderr.write(f"  [{done + 1}/{total}] {step.label}\n")

    view = session.retention.destroy(a.ref, progress=progress)
    _, body = session.retention.certificate(view.case_ref)
    if out is not None:
        _write(out, render_pdf_bytes(view) if out.suffix.lower() == ".pdf" else body)
    data = {"ref": view.case_ref, "certificate": view.certificate_id,
            "verified": view.verified, "certificate_out": str(out) if out else None}
    text = (f"Destroyed case {view.case_ref}. Certificate {view.certificate_id} "
            f"({'verified' if view.verified else 'VERIFICATION FAILED'}).")
    if out is not None:
        text += f" Written to {out}."
    ctx.emit(data, text)
    return 0 if view.verified else 1


def cmd_certificate(ctx: CliContext) -> int:
    out = _new_file(ctx.args.out, (".pdf", ".json"))
    session = ctx.session()
    view, body = session.retention.certificate(ctx.args.ref)
    _write(out, render_pdf_bytes(view) if out.suffix.lower() == ".pdf" else body)
    ctx.emit({"ref": view.case_ref, "certificate": view.certificate_id, "out": str(out)},
             f"Certificate {view.certificate_id} of case {view.case_ref} written to {out}.")
    return 0


# -- audit -------------------------------------------------------------------------------------

def cmd_audit(ctx: CliContext) -> int:
    a = ctx.args
    if not a.out:
        raise UsageError("audit needs --out FILE (.pdf, .csv or .json), or: audit check FILE")
    out = _new_file(a.out, (".pdf", ".csv", ".json"))
    start = parse_date(a.period_from, "--from") if a.period_from else None
    end = parse_date(a.period_to, "--to") if a.period_to else None
    service = ctx.session().retention
    view = service.audit(period_from=start, period_to=end)
    _write(out, service.audit_bytes(view, out.suffix.lower().lstrip(".")))
    c = view.counts
    ctx.emit({"out": str(out), "period": {"from": view.period_from, "to": view.period_to},
              "counts": {"open": c.open, "closed": c.closed, "due": c.due,
                         "overdue": c.overdue, "held": c.held, "destroyed": c.destroyed}},
             f"Branch audit {format_uk_date(view.period_from)} to "
             f"{format_uk_date(view.period_to)} written to {out}: {c.open} open, "
             f"{c.closed} closed ({c.due} due, {c.overdue} overdue, {c.held} on hold), "
             f"{c.destroyed} destroyed in the period.")
    return 0


def cmd_audit_check(ctx: CliContext) -> int:
    path = Path(ctx.args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path.name} ({exc.strerror}).") from exc
    result = ctx.session().retention.check_audit(data)
    ctx.emit({"genuine": True, "form": result.form, "vault_id": result.vault_id,
              "period": {"from": result.period_from, "to": result.period_to},
              "generated": result.generated},
             f"Genuine: this {result.form.upper()} branch audit for "
             f"{format_uk_date(result.period_from)} to {format_uk_date(result.period_to)} was "
             "made by this vault and has not been altered.")
    return 0


# -- files -------------------------------------------------------------------------------------

def _new_file(name: str, suffixes: tuple[str, ...]) -> Path:
    path = Path(name)
    if path.suffix.lower() not in suffixes:
        raise UsageError(f"{path.name}: the file must end in " + ", ".join(suffixes))
    if path.exists():
        raise InvalidInput(f"{path.name} already exists; choose another name.")
    if not path.parent.is_dir():
        raise InvalidInput("That folder does not exist.")
    return path


def _write(path: Path, data: bytes) -> None:
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise StorageError() from exc


__all__ = ["register"]
