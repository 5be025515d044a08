"""``member add`` and ``member list``."""

from __future__ import annotations

import argparse

from vault.casework.members import work_email_warning
from vault.cli import record_edit_cmds
from vault.cli.context import CliContext, table
from vault.domain import Member


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    member = sub.add_parser("member", parents=[common], help="members")
    msub = member.add_subparsers(dest="action", metavar="ACTION", required=True,
                                 parser_class=type(member))
    p = msub.add_parser("add", parents=[common], help="add a member")
    p.add_argument("--name", required=True)
    p.add_argument("--number", help="membership number")
    p.add_argument("--email", help="the member's preferred email")
    p.add_argument("--phone")
    p.add_argument("--employer")
    p.add_argument("--department")
    p.set_defaults(handler=cmd_add)
    p = msub.add_parser("list", parents=[common], help="list members")
    p.set_defaults(handler=cmd_list)
    record_edit_cmds.register_member(msub, common)
    p = msub.add_parser("delete", parents=[common],
                        help="delete a member added by mistake (only while nothing refers to it)")
    p.add_argument("member_id", metavar="ID")
    p.set_defaults(handler=cmd_delete)


def cmd_add(ctx: CliContext) -> int:
    a = ctx.args
    session = ctx.session()
    member = session.members.add(a.name, membership_number=a.number, employer=a.employer,
                                 department=a.department, email=a.email, phone=a.phone)
    warning = work_email_warning(member.email, member.employer)
    extra = _conflict_hook(ctx, member)
    data: dict[str, object] = {"id": member.id, "email_warning": warning, **extra}
    if warning and not ctx.json:
        ctx.warn(warning)
    ctx.emit(data, f"Added member {member.id}.")
    return 0


def _conflict_hook(ctx: CliContext, member: Member) -> dict[str, object]:
    """Run the conflict check on the member just added; findings are saved, pending a decision."""
    findings = ctx.session().conflicts.check_member(member.id)
    if findings and not ctx.json:
        for f in findings:
            ctx.warn(f"possible conflict {f.describe()}")
        ctx.warn("record a decision on each: casevault conflicts decide ID "
                 "--decision proceed|step-aside|refer [--reason …]")
    return {"conflicts": [f.to_json() for f in findings]}


def cmd_delete(ctx: CliContext) -> int:
    member_id = ctx.args.member_id
    ctx.session().members.delete_added_by_mistake(member_id)
    ctx.emit({"deleted": member_id.strip().upper()},
             f"Deleted member {member_id.strip().upper()} (recorded in the paper trail).")
    return 0


def cmd_list(ctx: CliContext) -> int:
    rows = ctx.session().members.list()
    data = [{"id": r.member.id, "name": r.member.name,
             "membership_number": r.member.membership_number, "employer": r.member.employer,
             "email": r.member.email, "open_cases": r.open_cases,
             "email_warning": r.email_warning} for r in rows]
    ctx.emit(data, lambda: table(
        [[r.member.id, r.member.name, r.member.membership_number or "", r.member.employer or "",
          str(r.open_cases), "work email?" if r.email_warning else ""] for r in rows],
        ["ID", "Name", "Number", "Employer", "Open cases", ""]))
    return 0
