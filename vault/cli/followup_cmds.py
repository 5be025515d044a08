"""Written follow-ups of oral advice: the list, drafts and waivers.

```
followups [--all] [--case REF] | followup draft ENTRY [--pdf PATH] [--rep-name …] [--union …]
followup waive ENTRY --reason …
```
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from vault.casework.followups import FollowUp
from vault.cli.context import CliContext, UsageError, table
from vault.cli.context import subparsers as _subparsers
from vault.domain import format_uk_date
from vault.errors import InvalidInput

DRAFT_REP_PLACEHOLDER = "[your name]"
DRAFT_UNION_PLACEHOLDER = "[your union]"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    _register_followups(sub, common)


# -- follow-ups --------------------------------------------------------------------------------

def _register_followups(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("followups", parents=[common],
                       help="written follow-ups owed for oral advice (overdue first)")
    p.add_argument("--all", action="store_true",
                   help="include discharged and waived (needs --case)")
    p.add_argument("--case", metavar="REF", help="only this case")
    p.set_defaults(handler=cmd_followups)
    fu = sub.add_parser("followup", parents=[common], help="one written follow-up")
    fsub = _subparsers(fu)
    p = fsub.add_parser("draft", parents=[common],
                        help="draft the follow-up note (prints text; --pdf writes a PDF)")
    p.add_argument("entry", metavar="ENTRY", type=int, help="the oral-advice entry")
    p.add_argument("--pdf", type=Path, metavar="PATH", help="also write the note as a PDF")
    p.add_argument("--rep-name", help="your name, to sign the note")
    p.add_argument("--union", help="the union's name (default: from your training record)")
    p.set_defaults(handler=cmd_followup_draft)
    p = fsub.add_parser("waive", parents=[common], help="no written follow-up will be sent")
    p.add_argument("entry", metavar="ENTRY", type=int)
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_followup_waive)


def followup_json(f: FollowUp) -> dict[str, Any]:
    return {"ref": f.case_ref, "entry": f.advice_seq, "advice_date": f.advice_date.isoformat(),
            "due": f.due.isoformat(), "state": f.state.value, "overdue": f.overdue,
            "days_overdue": f.days_overdue, "summary": f.summary,
            "discharged_by": f.discharged_by,
            "waived_on": f.waived_on.isoformat() if f.waived_on else None,
            "waive_reason": f.waive_reason}


def cmd_followups(ctx: CliContext) -> int:
    a = ctx.args
    service = ctx.session().followups
    if a.case:
        items = service.for_case(a.case)
        if not a.all:
            items = [f for f in items if f.state.value == "owed"]
    elif a.all:
        raise UsageError("followups --all needs --case REF")
    else:
        items = service.owed()
    ctx.emit([followup_json(f) for f in items], lambda: table(
        [[f.case_ref, f"#{f.advice_seq}", format_uk_date(f.advice_date), format_uk_date(f.due),
          (f"OVERDUE {f.days_overdue}d" if f.overdue else f.state.value), f.summary[:50]]
         for f in items], ["Ref", "Advice", "Given", "Due", "State", "Summary"]))
    return 0


def cmd_followup_draft(ctx: CliContext) -> int:
    a = ctx.args
    session = ctx.session()
    union = a.union
    if not union:
        profile = session.training.current_profile()
        union = profile.name if profile is not None else DRAFT_UNION_PLACEHOLDER
    rep = a.rep_name or DRAFT_REP_PLACEHOLDER
    text = session.followups.draft_text(a.entry, rep_name=rep, union_name=union)
    data: dict[str, Any] = {"entry": a.entry, "ref": session.followups.get(a.entry).case_ref,
                            "text": text, "pdf": None}
    if a.pdf is not None:
        if a.pdf.exists():
            raise InvalidInput(f"{a.pdf} already exists; choose a new file name.")
        session.followups.render_pdf(a.entry, a.pdf, rep_name=rep, union_name=union)
        data["pdf"] = str(a.pdf)
        if not ctx.json:
            ctx.warn(f"the PDF at {a.pdf} is NOT encrypted; delete it once it is sent.")
    ctx.emit(data, text)
    return 0


def cmd_followup_waive(ctx: CliContext) -> int:
    f = ctx.session().followups.waive(ctx.args.entry, ctx.args.reason)
    ctx.emit(followup_json(f), f"Waived the written follow-up of entry #{f.advice_seq}.")
    return 0
