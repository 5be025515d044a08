"""Escalation decisions and the list of those still outstanding.

```
escalation REF [--to … [--when D] [--regional-notified D] | --not-escalating REASON]
escalations
```
"""

from __future__ import annotations

import argparse
from typing import Any

from vault.casework.escalation import EscalationStatus
from vault.casework.validation import parse_date
from vault.cli.context import CliContext, UsageError
from vault.domain import format_uk_date


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    _register_escalation(sub, common)


# -- escalation --------------------------------------------------------------------------------

def _register_escalation(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("escalation", parents=[common],
                       help="show or record a case's escalation decision")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--to", help="who the case was escalated to")
    p.add_argument("--when", help="when it was escalated (default today)")
    p.add_argument("--regional-notified", metavar="DATE",
                   help="when the regional office was notified")
    p.add_argument("--not-escalating", metavar="REASON", help="the reason for not escalating")
    p.set_defaults(handler=cmd_escalation)
    p = sub.add_parser("escalations", parents=[common],
                       help="open cases still needing an escalation decision")
    p.set_defaults(handler=cmd_escalations)


def escalation_json(s: EscalationStatus) -> dict[str, Any]:
    d = s.decision
    return {
        "ref": s.ref, "required": s.required, "outstanding": s.outstanding,
        "outstanding_reason": s.outstanding_reason, "rules": [r.value for r in s.rules],
        "reasons": s.reasons,
        "decision": None if d is None else {
            "decision": d.kind.value, "escalated_to": d.escalated_to,
            "escalated_on": d.escalated_on.isoformat() if d.escalated_on else None,
            "regional_notified_on": (d.regional_notified_on.isoformat()
                                     if d.regional_notified_on else None),
            "reason": d.reason, "rules": [r.value for r in d.rules],
            "recorded": d.recorded.isoformat(), "trail_entry": d.trail_seq,
        },
    }


def _escalation_text(s: EscalationStatus) -> str:
    lines = [f"{s.ref}: " + ("escalation decision OUTSTANDING" if s.outstanding
                             else "escalation decision recorded" if s.decision
                             else "no escalation needed")]
    lines += [f"  {r}" for r in s.reasons]
    if s.outstanding_reason:
        lines.append(f"  {s.outstanding_reason}")
    d = s.decision
    if d is not None:
        if d.escalated_to:
            lines.append(f"  Escalated to {d.escalated_to} on {format_uk_date(d.escalated_on)}; "
                         "regional office notified: "
                         + (format_uk_date(d.regional_notified_on) or "not yet"))
        else:
            lines.append(f"  Not escalating: {d.reason}")
    return "\n".join(lines)


def cmd_escalation(ctx: CliContext) -> int:
    a = ctx.args
    service = ctx.session().escalation
    if a.not_escalating is not None:
        if a.to or a.when or a.regional_notified:
            raise UsageError("--not-escalating cannot be combined with --to, --when or "
                             "--regional-notified")
        status = service.record_not_escalating(a.ref, a.not_escalating)
    elif a.to is not None:
        on = parse_date(a.when, "--when") if a.when else ctx.session().clock.today()
        notified = (parse_date(a.regional_notified, "--regional-notified")
                    if a.regional_notified else None)
        status = service.record_escalated(a.ref, to=a.to, on=on, regional_notified_on=notified)
    elif a.when or a.regional_notified:
        raise UsageError("--when and --regional-notified need --to WHO")
    else:
        status = service.status(a.ref)
    ctx.emit(escalation_json(status), _escalation_text(status))
    return 0


def cmd_escalations(ctx: CliContext) -> int:
    items = ctx.session().escalation.outstanding()
    ctx.emit([escalation_json(s) for s in items],
             lambda: "\n".join(_escalation_text(s) for s in items) or
             "No escalation decisions outstanding.")
    return 0
