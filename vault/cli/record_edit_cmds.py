"""Corrections and key dates (issue 13), hung off the ``member``, ``case`` and ``doc`` commands,
and the rep's own profile.

```
member edit ID [--name … --number … --email … --phone … --employer … --department …] --reason …
member show ID
case edit REF [--title … --category … --dismissal-threatened|--no-dismissal-threatened
        --discrimination|--no-discrimination --stage informal|formal|appeal|tribunal
        --informal-tried yes|no --description …] --reason …
case date add REF --kind hearing|meeting|appeal|response|tribunal|other [--date D]
        [--act-date D] [--note …]
case dates REF | case date remove ID --reason … | case ics REF --out FILE [--with-member-name]
doc rename REF DOC --name … --reason … | doc remove REF DOC --reason … [--original-reason …]
doc original REF DOC yes|no --reason …
profile show | profile set [--name … --role … --branch … --email … --phone … --signature …]
```

An empty value (``--email ""``) clears a field. Every refusal is one line, exit status 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from vault.casework.key_dates import KeyDate, KeyDateKind
from vault.casework.validation import parse_date
from vault.cli.context import CliContext, UsageError, table
from vault.domain import CaseFlags, CaseStage, Category, format_uk_date
from vault.store.rep_profile_repo import RepProfile

_MEMBER_OPTIONS = (("--name", "name"), ("--number", "membership_number"), ("--email", "email"),
                   ("--phone", "phone"), ("--employer", "employer"),
                   ("--department", "department"))
_PROFILE_FIELDS = ("name", "role", "branch", "email", "phone", "signature")


def register_member(msub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = msub.add_parser("edit", parents=[common], help="correct a member's record")
    p.add_argument("member_id", metavar="ID")
    for option, dest in _MEMBER_OPTIONS:
        p.add_argument(option, dest=f"set_{dest}", default=None)
    p.add_argument("--reason", required=True, help="why (kept in the paper trail)")
    p.set_defaults(handler=cmd_member_edit)
    p = msub.add_parser("show", parents=[common], help="one member with their cases")
    p.add_argument("member_id", metavar="ID")
    p.set_defaults(handler=cmd_member_show)


def register_case(csub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = csub.add_parser("edit", parents=[common], help="correct a case's record")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--title")
    p.add_argument("--category", help="one of: " + ", ".join(c.value for c in Category))
    p.add_argument("--dismissal-threatened", dest="dismissal", action="store_const", const=True)
    p.add_argument("--no-dismissal-threatened", dest="dismissal", action="store_const",
                   const=False)
    p.add_argument("--discrimination", dest="discrimination", action="store_const", const=True)
    p.add_argument("--no-discrimination", dest="discrimination", action="store_const",
                   const=False)
    p.add_argument("--stage", choices=[s.value for s in CaseStage])
    p.add_argument("--informal-tried", choices=["yes", "no"])
    p.add_argument("--description")
    p.add_argument("--reason", required=True, help="why (kept in the paper trail)")
    p.set_defaults(handler=cmd_case_edit)
    date = csub.add_parser("date", parents=[common], help="key dates and time limits")
    dsub = date.add_subparsers(dest="date_action", metavar="ACTION", required=True,
                               parser_class=type(date))
    p = dsub.add_parser("add", parents=[common], help="add a hearing, deadline or time limit")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--kind", required=True, choices=[k.value for k in KeyDateKind])
    p.add_argument("--date", help="the date (a tribunal limit is worked out from --act-date)")
    p.add_argument("--act-date", help="tribunal: the date of the act complained of")
    p.add_argument("--note")
    p.set_defaults(handler=cmd_date_add)
    p = dsub.add_parser("remove", parents=[common], help="remove a date added by mistake")
    p.add_argument("date_id", metavar="ID", type=int)
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_date_remove)
    p = csub.add_parser("dates", parents=[common], help="a case's key dates with countdowns")
    p.add_argument("ref", metavar="REF")
    p.set_defaults(handler=cmd_dates)
    p = csub.add_parser("ics", parents=[common], help="a case's key dates as a calendar file")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--with-member-name", action="store_true",
                   help="put the member's name in the events (left out by default)")
    p.set_defaults(handler=cmd_ics)


def register_doc(dsub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = dsub.add_parser("rename", parents=[common], help="give a document a new title")
    p.add_argument("ref", metavar="REF")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--name", required=True)
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_doc_rename)
    p = dsub.add_parser("remove", parents=[common], help="remove a document added by mistake")
    p.add_argument("ref", metavar="REF")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("--reason", required=True)
    p.add_argument("--original-reason",
                   help="why an original not yet returned may go (otherwise refused)")
    p.set_defaults(handler=cmd_doc_remove)
    p = dsub.add_parser("original", parents=[common],
                        help="mark or unmark a document as the member's original")
    p.add_argument("ref", metavar="REF")
    p.add_argument("doc", metavar="DOC")
    p.add_argument("value", choices=["yes", "no"])
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_doc_original)


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    profile = sub.add_parser("profile", parents=[common], help="your own profile (You)")
    psub = profile.add_subparsers(dest="action", metavar="ACTION", required=True,
                                  parser_class=type(profile))
    p = psub.add_parser("show", parents=[common], help="show your profile")
    p.set_defaults(handler=cmd_profile_show)
    p = psub.add_parser("set", parents=[common], help="set your name, role, branch …")
    for field in _PROFILE_FIELDS:
        p.add_argument(f"--{field}", dest=f"set_{field}", default=None)
    p.set_defaults(handler=cmd_profile_set)


# -- members ---------------------------------------------------------------------------------

def _given(args: argparse.Namespace, dest: str) -> dict[str, Any]:
    value = getattr(args, f"set_{dest}")
    if value is None:
        return {}
    return {dest: value if value.strip() else None}


def cmd_member_edit(ctx: CliContext) -> int:
    a = ctx.args
    fields: dict[str, Any] = {}
    for _option, dest in _MEMBER_OPTIONS:
        fields.update(_given(a, dest))
    if not fields:
        raise UsageError("member edit: give at least one field to change")
    result = ctx.session().members.edit(a.member_id, reason=a.reason, **fields)
    findings: list[Any] = [getattr(f, "to_json", dict)() for f in result.conflicts]
    if not ctx.json:
        if result.email_warning:
            ctx.warn(result.email_warning)
        for f in result.conflicts:
            ctx.warn(f"possible conflict {getattr(f, 'describe', lambda: '')()}")
    ctx.emit({"id": result.member.id, "changed": list(result.changed), "conflicts": findings,
              "email_warning": result.email_warning},
             f"Member {result.member.id} updated: "
             + ", ".join(c.replace("_", " ") for c in result.changed) + ".")
    return 0


def cmd_member_show(ctx: CliContext) -> int:
    session = ctx.session()
    member = session.members.get(ctx.args.member_id)
    cases = session.cases.list(member_id=member.id)
    data = {"id": member.id, "name": member.name, "membership_number": member.membership_number,
            "email": member.email, "phone": member.phone, "employer": member.employer,
            "department": member.department,
            "cases": [{"ref": c.case.ref, "title": c.case.title, "status": c.case.status.value,
                       "opened": c.case.opened.isoformat()} for c in cases]}
    lines = [f"{member.id}  {member.name}",
             f"Number: {member.membership_number or '—'}   Email: {member.email or '—'}   "
             f"Phone: {member.phone or '—'}",
             f"Employer: {member.employer or '—'}   Department: {member.department or '—'}",
             ""]
    lines += [f"{c.case.ref}  {c.case.status.value:<9} {format_uk_date(c.case.opened)}  "
              f"{c.case.title}" for c in cases] or ["No cases."]
    ctx.emit(data, "\n".join(lines))
    return 0


# -- cases -----------------------------------------------------------------------------------

def cmd_case_edit(ctx: CliContext) -> int:
    a = ctx.args
    session = ctx.session()
    kwargs: dict[str, Any] = {}
    if a.title is not None:
        kwargs["title"] = a.title
    if a.category is not None:
        try:
            kwargs["category"] = Category.parse(a.category)
        except ValueError as exc:
            raise UsageError(str(exc)) from exc
    if a.dismissal is not None or a.discrimination is not None:
        flags = session.cases.get(a.ref).flags
        kwargs["flags"] = CaseFlags(
            flags.dismissal_threatened if a.dismissal is None else a.dismissal,
            flags.discrimination_alleged if a.discrimination is None else a.discrimination,
            flags.legal_action_contemplated)
    if a.stage is not None:
        kwargs["stage"] = CaseStage(a.stage)
    if a.informal_tried is not None:
        kwargs["informal_tried"] = a.informal_tried == "yes"
    if a.description is not None:
        kwargs["description"] = a.description or None
    if not kwargs:
        raise UsageError("case edit: give at least one field to change")
    result = session.cases.edit(a.ref, reason=a.reason, **kwargs)
    if result.escalation_newly_required and not ctx.json:
        ctx.warn("escalation is now required: casevault escalation "
                 f"{result.case.ref} --to … or --not-escalating REASON")
    ctx.emit({"ref": result.case.ref, "changed": list(result.changed),
              "escalation_required": result.escalation_required,
              "escalation_newly_required": result.escalation_newly_required}, result.message)
    return 0


def _date_text(d: KeyDate) -> str:
    return d.describe() + (f"  [{d.note}]" if d.note else "")


def cmd_date_add(ctx: CliContext) -> int:
    a = ctx.args
    on = parse_date(a.date, "--date") if a.date else None
    act = parse_date(a.act_date, "--act-date") if a.act_date else None
    added = ctx.session().key_dates.add(a.ref, a.kind, on, act_date=act, note=a.note)
    if added.advice and not ctx.json:
        ctx.warn(added.advice)
    ctx.emit(added.to_json(), f"Added to {added.case_ref}: {_date_text(added)} (id {added.id})")
    return 0


def cmd_date_remove(ctx: CliContext) -> int:
    ctx.session().key_dates.remove(ctx.args.date_id, ctx.args.reason)
    ctx.emit({"removed": ctx.args.date_id}, f"Removed key date {ctx.args.date_id}.")
    return 0


def cmd_dates(ctx: CliContext) -> int:
    dates = ctx.session().key_dates.for_case(ctx.args.ref)
    ctx.emit([d.to_json() for d in dates], lambda: table(
        [[str(d.id), d.kind.label, format_uk_date(d.on), d.countdown
          + (" OVERDUE" if d.overdue else ""), d.note or ""] for d in dates],
        ["ID", "What", "Date", "When", "Note"]) if dates else "No key dates.")
    return 0


def cmd_ics(ctx: CliContext) -> int:
    from vault.store.fsutil import atomic_write_bytes

    text = ctx.session().key_dates.ics(ctx.args.ref, member_name=ctx.args.with_member_name)
    atomic_write_bytes(ctx.args.out, text.encode("utf-8"))
    ctx.emit({"out": str(ctx.args.out)}, f"Wrote {ctx.args.out}.")
    return 0


# -- documents -------------------------------------------------------------------------------

def cmd_doc_rename(ctx: CliContext) -> int:
    a = ctx.args
    doc = ctx.session().documents.rename(a.ref, a.doc, a.name,
                                         reason=a.reason)
    ctx.emit({"id": doc.id, "name": doc.name}, f"Renamed to {doc.name}.")
    return 0


def cmd_doc_remove(ctx: CliContext) -> int:
    a = ctx.args
    doc = ctx.session().documents.remove(a.ref, a.doc, reason=a.reason,
                                         original_reason=a.original_reason)
    ctx.emit({"removed": doc.id}, f"Removed {doc.name} (its encrypted file is gone).")
    return 0


def cmd_doc_original(ctx: CliContext) -> int:
    a = ctx.args
    doc = ctx.session().documents.set_original(a.ref, a.doc,
                                               a.value == "yes", reason=a.reason)
    ctx.emit({"id": doc.id, "original": doc.is_original},
             f"{doc.name}: {'marked' if doc.is_original else 'no longer marked'} as the "
             "member's original.")
    return 0


# -- the rep's profile -----------------------------------------------------------------------

def cmd_profile_show(ctx: CliContext) -> int:
    profile = ctx.session().profile.get()
    data = {f: getattr(profile, f) for f in _PROFILE_FIELDS}
    ctx.emit(data, "\n".join(f"{f.capitalize():<10} {getattr(profile, f) or '—'}"
                             for f in _PROFILE_FIELDS))
    return 0


def cmd_profile_set(ctx: CliContext) -> int:
    session = ctx.session()
    current = session.profile.get()
    values = {f: getattr(current, f) for f in _PROFILE_FIELDS}
    for f in _PROFILE_FIELDS:
        values.update(_given(ctx.args, f))
    saved = session.profile.set(RepProfile(**values))
    warning = session.profile.email_warning(saved)
    if warning and not ctx.json:
        ctx.warn(warning)
    ctx.emit({f: getattr(saved, f) for f in _PROFILE_FIELDS}, "Profile saved.")
    return 0
