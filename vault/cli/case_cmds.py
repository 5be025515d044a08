"""``case open``, ``case list``, ``case show``."""

from __future__ import annotations

import argparse

from vault.cli import record_edit_cmds
from vault.cli.context import CliContext, UsageError, table
from vault.domain import Case, CaseFlags, Category, format_uk_date


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    case = sub.add_parser("case", parents=[common], help="cases")
    csub = case.add_subparsers(dest="action", metavar="ACTION", required=True,
                               parser_class=type(case))
    p = csub.add_parser("open", parents=[common], help="open a case for a member")
    p.add_argument("--member", required=True, metavar="ID")
    p.add_argument("--title", required=True)
    p.add_argument("--category", required=True,
                   help="one of: " + ", ".join(c.value for c in Category))
    p.add_argument("--dismissal-threatened", action="store_true")
    p.add_argument("--discrimination-alleged", action="store_true")
    p.add_argument("--legal-action", action="store_true", help="legal action contemplated")
    p.add_argument("--opened", metavar="DATE", help="opening date (default today)")
    p.set_defaults(handler=cmd_open)
    p = csub.add_parser("list", parents=[common], help="list cases")
    p.add_argument("--status", choices=["open", "closed", "destroyed"])
    p.set_defaults(handler=cmd_list)
    p = csub.add_parser("show", parents=[common], help="show one case")
    p.add_argument("ref", metavar="REF")
    p.set_defaults(handler=cmd_show)
    record_edit_cmds.register_case(csub, common)


def case_json(case: Case, member_name: str | None = None) -> dict[str, object]:
    data: dict[str, object] = {
        "ref": case.ref, "title": case.title, "category": case.category.value,
        "status": case.status.value, "member_id": case.member_id,
        "opened": case.opened.isoformat(),
        "closed": case.closed.isoformat() if case.closed else None,
        "flags": {"dismissal_threatened": case.flags.dismissal_threatened,
                  "discrimination_alleged": case.flags.discrimination_alleged,
                  "legal_action_contemplated": case.flags.legal_action_contemplated},
        "consent_to_share": case.consent_to_share,
        "last_activity": case.last_activity.isoformat(),
    }
    if member_name is not None:
        data["member"] = member_name
    return data


def cmd_open(ctx: CliContext) -> int:
    from vault.casework.validation import parse_date

    a = ctx.args
    try:
        category = Category.parse(a.category)
    except ValueError as exc:
        raise UsageError(str(exc)) from exc
    session = ctx.session()
    flags = CaseFlags(a.dismissal_threatened, a.discrimination_alleged, a.legal_action)
    case = session.cases.open(a.member, a.title, category, flags=flags,
                              opened=parse_date(a.opened) if a.opened else None)
    # Escalation prompt (which rule applies, and why) and the member's conflict check.
    status = session.escalation.status(case.ref)
    findings = session.conflicts.check_case_member(case.ref)
    data: dict[str, object] = {
        "ref": case.ref,
        "escalation_required": status.required,
        "escalation_rules": [r.value for r in status.rules],
        "escalation_reasons": status.reasons,
        "conflicts": [f.to_json() for f in findings],
    }
    lines = [f"Opened case {case.ref}."]
    if status.required:
        lines += [f"Escalation: {reason}" for reason in status.reasons]
        lines.append("Record the decision with: casevault escalation "
                     f"{case.ref} --to WHO --when DATE --regional-notified DATE, "
                     "or --not-escalating REASON.")
    if findings and not ctx.json:
        for f in findings:
            ctx.warn(f"possible conflict {f.describe()}")
        ctx.warn("record a decision on each: casevault conflicts decide ID "
                 "--decision proceed|step-aside|refer [--reason …]")
    ctx.emit(data, "\n".join(lines))
    return 0


def cmd_list(ctx: CliContext) -> int:
    rows = ctx.session().cases.list()
    if ctx.args.status:
        rows = [r for r in rows if r.case.status.value == ctx.args.status]
    ctx.emit([case_json(r.case, r.member_name) for r in rows], lambda: table(
        [[r.case.ref, r.member_name, r.case.title[:40], r.case.category.label,
          r.case.status.value, format_uk_date(r.case.opened)] for r in rows],
        ["Ref", "Member", "Title", "Category", "Status", "Opened"]))
    return 0


def cmd_show(ctx: CliContext) -> int:
    session = ctx.session()
    case = session.cases.get(ctx.args.ref)
    member = session.cases.member_of(case)
    docs = session.documents.list(case.ref)
    data = case_json(case, member.name)
    data["documents"] = [{"id": d.id, "name": d.name, "size": d.size, "sha256": d.sha256,
                          "original": d.is_original} for d in docs]
    flags = [n for n, v in (("dismissal threatened", case.flags.dismissal_threatened),
                            ("discrimination alleged", case.flags.discrimination_alleged),
                            ("legal action contemplated", case.flags.legal_action_contemplated))
             if v]
    text = "\n".join([
        f"{case.ref}  {case.title}",
        f"Member: {member.name} ({member.id})",
        f"Category: {case.category.label}   Status: {case.status.value}",
        f"Opened: {format_uk_date(case.opened)}"
        + (f"   Closed: {format_uk_date(case.closed)}" if case.closed else ""),
        f"Flags: {', '.join(flags) or 'none'}",
        f"Consent to share with branch caseworkers: {'yes' if case.consent_to_share else 'no'}",
        f"Documents: {len(docs)}",
    ])
    ctx.emit(data, text)
    return 0
