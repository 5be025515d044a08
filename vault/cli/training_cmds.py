"""``training union|record|untick|dates|show|print``: the rep's route to accredited case handler."""

from __future__ import annotations

import argparse
from pathlib import Path

from vault.cli.context import CliContext, table
from vault.domain import format_uk_date
from vault.training.dates import parse_date
from vault.training.service import TrainingOverview


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    tr = sub.add_parser("training", parents=[common], help="your training record")
    tsub = tr.add_subparsers(dest="action", metavar="ACTION", required=True,
                             parser_class=type(tr))
    p = tsub.add_parser("union", parents=[common], help="choose your union profile")
    p.add_argument("name", nargs="?", help="ucu, bectu, prospect, … (omit to list them)")
    p.set_defaults(handler=cmd_union)
    p = tsub.add_parser("record", parents=[common],
                        help="record a course or tick a step of the Reps 2 route")
    p.add_argument("step", metavar="STEP", help="e.g. reps1, reps1-freelancer, attended, "
                   "officer-signed-off")
    p.add_argument("--date", help="when (default today); 2026-11-23 or 23/11/2026")
    p.add_argument("--title", help="the course title, for other Level 2 courses")
    p.set_defaults(handler=cmd_record)
    p = tsub.add_parser("untick", parents=[common],
                        help="remove a course or step recorded by mistake")
    p.add_argument("step", metavar="STEP")
    p.add_argument("--title")
    p.set_defaults(handler=cmd_untick)
    p = tsub.add_parser("dates", parents=[common], help="the Reps 2 course session dates")
    p.add_argument("dates", nargs="*", metavar="DATE")
    p.set_defaults(handler=cmd_dates)
    p = tsub.add_parser("show", parents=[common], help="your status, next step and reminders")
    p.set_defaults(handler=cmd_show)
    p = tsub.add_parser("print", parents=[common], help="write the training record PDF")
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--name", help="your name as it should appear on the record")
    p.set_defaults(handler=cmd_print)


def _date(text: str | None):  # type: ignore[no-untyped-def]
    return parse_date(text) if text else None


def cmd_union(ctx: CliContext) -> int:
    training = ctx.session().training
    if not ctx.args.name:
        current = training.current_profile()
        profiles = training.profiles()
        ctx.emit({"current": current.key if current else None,
                  "known": [{"key": p.key, "name": p.full_name} for p in profiles]},
                 "\n".join([f"Current: {current.full_name if current else 'none chosen'}",
                            "Known: " + ", ".join(f"{p.key} ({p.name})" for p in profiles)]))
        return 0
    profile = training.choose_union(ctx.args.name)
    ctx.emit({"union": profile.key, "name": profile.full_name,
              "retention_years": profile.retention_years},
             f"Union profile set to {profile.full_name}.")
    return 0


def cmd_record(ctx: CliContext) -> int:
    overview = ctx.session().training.record(ctx.args.step, _date(ctx.args.date),
                                             title=ctx.args.title)
    ctx.emit(overview.as_json(), lambda: f"Recorded.\n{_summary(overview)}")
    return 0


def cmd_untick(ctx: CliContext) -> int:
    overview = ctx.session().training.untick(ctx.args.step, title=ctx.args.title)
    ctx.emit(overview.as_json(), lambda: f"Removed.\n{_summary(overview)}")
    return 0


def cmd_dates(ctx: CliContext) -> int:
    dates = [parse_date(d) for d in ctx.args.dates]
    overview = ctx.session().training.set_course_dates(dates)
    ctx.emit(overview.as_json(), lambda: "Course dates: " + (
        ", ".join(format_uk_date(d) for d in overview.course_dates) or "none"))
    return 0


def cmd_show(ctx: CliContext) -> int:
    overview = ctx.session().training.show()
    ctx.emit(overview.as_json(), lambda: _full(overview))
    return 0


def cmd_print(ctx: CliContext) -> int:
    from vault.training.record_report import render_training_record

    overview = ctx.session().training.show()
    render_training_record(overview, ctx.args.name, ctx.args.out)
    ctx.emit({"out": str(ctx.args.out), "status": overview.status.code.value},
             f"Wrote your training record to {ctx.args.out}.")
    return 0


def _summary(o: TrainingOverview) -> str:
    lines = [f"Status: {o.status.headline}"]
    if o.status.next_step is not None:
        lines.append(f"Next step: {o.status.next_step.title}")
    return "\n".join(lines)


def _full(o: TrainingOverview) -> str:
    lines = [f"Union: {o.profile.full_name}", _summary(o)]
    if o.status.explanation:
        lines.append(o.status.explanation)
    if o.status.missing:
        lines.append("Missing: " + "; ".join(o.status.missing))
    lines.append("")
    lines.append("Courses:")
    lines.append(table([[c.name, format_uk_date(c.completed_on)] for c in o.courses],
                       ["Course", "Completed"]))
    lines.append("")
    lines.append("Reps 2 route:")
    lines.append(table([[("→ " if s.is_next else "  ") + s.id, s.title,
                         format_uk_date(s.done_on) if s.done_on else ""] for s in o.steps],
                       ["Step", "", "Done"]))
    for r in o.reminders:
        lines.append(f"Reminder: {r.message}")
    return "\n".join(lines)
