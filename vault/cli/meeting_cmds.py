"""The first meeting: date and place, issues, action points, the narrative; and what is due.

```
meeting show REF | meeting set REF [--date D] [--place P] | meeting narrative REF --text …
meeting issue REF --text … [--new | --agreed] | meeting addressed REF ISSUE [--note …] [--undo]
meeting action REF --text … --owner rep|member|union [--due D] | meeting done REF ACTION [--undo]
upcoming [--days N]
```
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from vault.casework.first_meeting import ActionOwner, ActionPoint, FirstMeeting, Issue
from vault.casework.validation import parse_date
from vault.cli.context import CliContext, UsageError, table
from vault.cli.context import subparsers as _subparsers
from vault.domain import format_uk_date
from vault.errors import InvalidInput


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    _register_meeting(sub, common)


# -- the first meeting -------------------------------------------------------------------------

def _register_meeting(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    meeting = sub.add_parser("meeting", parents=[common], help="the first meeting of a case")
    msub = _subparsers(meeting)
    p = msub.add_parser("show", parents=[common], help="what was agreed, and how it stands")
    p.add_argument("ref", metavar="REF")
    p.set_defaults(handler=cmd_meeting_show)
    p = msub.add_parser("set", parents=[common], help="date and place of the first meeting")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--date", help="the meeting date")
    p.add_argument("--place")
    p.set_defaults(handler=cmd_meeting_set)
    p = msub.add_parser("narrative", parents=[common], help="the narrative agreed with the member")
    p.add_argument("ref", metavar="REF")
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("--text")
    src.add_argument("--file", type=Path, metavar="PATH", help="read the narrative from PATH")
    p.set_defaults(handler=cmd_meeting_narrative)
    p = msub.add_parser("issue", parents=[common], help="add an issue")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--text", required=True)
    when = p.add_mutually_exclusive_group()
    when.add_argument("--new", dest="raised_later", action="store_const", const=True,
                      help="raised after the first meeting")
    when.add_argument("--agreed", dest="raised_later", action="store_const", const=False,
                      help="identified and agreed at the first meeting")
    p.set_defaults(handler=cmd_meeting_issue, raised_later=None)
    p = msub.add_parser("addressed", parents=[common], help="mark an issue addressed")
    p.add_argument("ref", metavar="REF")
    p.add_argument("issue", metavar="ISSUE", type=int)
    p.add_argument("--note")
    p.add_argument("--undo", action="store_true", help="mark it not addressed")
    p.set_defaults(handler=cmd_meeting_addressed)
    p = msub.add_parser("action", parents=[common], help="add an agreed action point")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--text", required=True)
    p.add_argument("--owner", required=True, choices=[o.value for o in ActionOwner])
    p.add_argument("--due", help="due date")
    p.set_defaults(handler=cmd_meeting_action)
    p = msub.add_parser("done", parents=[common], help="mark an action point done")
    p.add_argument("ref", metavar="REF")
    p.add_argument("action_id", metavar="ACTION", type=int)
    p.add_argument("--undo", action="store_true", help="mark it not done")
    p.set_defaults(handler=cmd_meeting_done)
    p = sub.add_parser("upcoming", parents=[common],
                       help="action points due soon on open cases (overdue included)")
    p.add_argument("--days", type=int, default=7, help="days ahead (default 7)")
    p.set_defaults(handler=cmd_upcoming)


def issue_json(i: Issue) -> dict[str, Any]:
    return {"id": i.id, "text": i.text, "new": i.raised_later,
            "raised_on": i.raised_on.isoformat(),
            "addressed": i.addressed,
            "addressed_on": i.addressed_on.isoformat() if i.addressed_on else None,
            "addressed_note": i.addressed_note}


def action_json(a: ActionPoint) -> dict[str, Any]:
    return {"id": a.id, "text": a.text, "owner": a.owner.value,
            "due": a.due.isoformat() if a.due else None, "done": a.done,
            "done_on": a.done_on.isoformat() if a.done_on else None}


def meeting_json(m: FirstMeeting) -> dict[str, Any]:
    return {"ref": m.case_ref, "date": m.held_on.isoformat() if m.held_on else None,
            "place": m.place, "narrative": m.narrative,
            "issues": [issue_json(i) for i in m.issues],
            "actions": [action_json(a) for a in m.actions]}


def _meeting_text(m: FirstMeeting) -> str:
    lines = [f"First meeting of {m.case_ref}: "
             + (f"{format_uk_date(m.held_on)}" if m.held_on else "date not recorded")
             + (f", {m.place}" if m.place else "")]
    lines.append("Issues:" if m.issues else "Issues: none recorded")
    for i in m.issues:
        state = "addressed" if i.addressed else "NOT addressed"
        lines.append(f"  [{i.id}] {'NEW ' if i.raised_later else ''}{i.text} ({state})")
    lines.append("Action points:" if m.actions else "Action points: none recorded")
    for a in m.actions:
        due = f", due {format_uk_date(a.due)}" if a.due else ""
        lines.append(f"  [{a.id}] {a.text} ({a.owner.value}{due}"
                     f"{', done' if a.done else ''})")
    lines.append("Narrative: " + ("agreed" if m.narrative else "not recorded"))
    if m.narrative:
        lines += ["", m.narrative]
    return "\n".join(lines)


def cmd_meeting_show(ctx: CliContext) -> int:
    m = ctx.session().first_meeting.get(ctx.args.ref)
    ctx.emit(meeting_json(m), _meeting_text(m))
    return 0


def cmd_meeting_set(ctx: CliContext) -> int:
    a = ctx.args
    if a.date is None and a.place is None:
        raise UsageError("meeting set: give --date and/or --place")
    m = ctx.session().first_meeting.record(
        a.ref, held_on=parse_date(a.date, "--date") if a.date else None, place=a.place)
    ctx.emit(meeting_json(m), _meeting_text(m))
    return 0


def cmd_meeting_narrative(ctx: CliContext) -> int:
    a = ctx.args
    text = a.text
    if a.file is not None:
        try:
            text = a.file.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput("Cannot read --file (it must be UTF-8 text).") from exc
    m = ctx.session().first_meeting.set_narrative(a.ref, text)
    ctx.emit(meeting_json(m), f"Recorded the agreed narrative of {m.case_ref}.")
    return 0


def cmd_meeting_issue(ctx: CliContext) -> int:
    a = ctx.args
    i = ctx.session().first_meeting.add_issue(a.ref, a.text, raised_later=a.raised_later)
    ctx.emit(issue_json(i), f"Added {'new ' if i.raised_later else ''}issue {i.id}.")
    return 0


def cmd_meeting_addressed(ctx: CliContext) -> int:
    a = ctx.args
    i = ctx.session().first_meeting.set_issue_addressed(a.ref, a.issue, not a.undo, note=a.note)
    ctx.emit(issue_json(i), f"Issue {i.id} is {'addressed' if i.addressed else 'not addressed'}.")
    return 0


def cmd_meeting_action(ctx: CliContext) -> int:
    a = ctx.args
    act = ctx.session().first_meeting.add_action(
        a.ref, a.text, a.owner, parse_date(a.due, "--due") if a.due else None)
    ctx.emit(action_json(act), f"Added action point {act.id}.")
    return 0


def cmd_meeting_done(ctx: CliContext) -> int:
    a = ctx.args
    act = ctx.session().first_meeting.set_action_done(a.ref, a.action_id, not a.undo)
    ctx.emit(action_json(act), f"Action point {act.id} is {'done' if act.done else 'not done'}.")
    return 0


def cmd_upcoming(ctx: CliContext) -> int:
    items = ctx.session().first_meeting.upcoming(within_days=ctx.args.days)
    ctx.emit([{"ref": u.case_ref, "overdue": u.overdue, **action_json(u.action)} for u in items],
             lambda: table([[u.case_ref, str(u.action.id), u.action.text[:50],
                             u.action.owner.value, format_uk_date(u.action.due),
                             "OVERDUE" if u.overdue else ""] for u in items],
                           ["Ref", "ID", "Action", "Owner", "Due", ""]))
    return 0
