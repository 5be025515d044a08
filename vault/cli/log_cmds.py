"""The paper trail: log, correct, list, show, verify, and advice not followed.

```
log add REF --kind KIND --text … [--detail … | --detail-file PATH] [--when …]
        [--follows-up ENTRY] [--not-followed] [--channel …] [--follow-up-days N]
        [--manager-told]                                      (off-the-record entries)
log add REF --corrects ENTRY --text … [--detail …] [--when …]
log list REF [--kind K …] [--without-off-record] | log show ENTRY | log verify
log not-followed REF ENTRY --text …
```

With ``--json``: ``log add`` → ``{"id", …}``; ``log list`` → objects carrying the case ``ref``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from vault.casework.trail_log import LogEntry, parse_when
from vault.cli.context import CliContext, UsageError, table
from vault.cli.context import subparsers as _subparsers
from vault.domain import EntryKind, format_uk_date
from vault.errors import InvalidInput


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    _register_log(sub, common)


# -- the paper trail ---------------------------------------------------------------------------

def _register_log(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    log = sub.add_parser("log", parents=[common], help="the paper trail")
    lsub = _subparsers(log)
    kinds = ", ".join(k.value for k in EntryKind)
    p = lsub.add_parser("add", parents=[common], help="log an entry (or correct one)")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--kind", help=f"one of: {kinds}")
    p.add_argument("--text", required=True, help="the summary")
    p.add_argument("--detail", help="longer text (up to 100 KB)")
    p.add_argument("--detail-file", type=Path, metavar="PATH", help="read the detail from PATH")
    p.add_argument("--when", help="when it happened (default now)")
    p.add_argument("--follows-up", type=int, metavar="ENTRY",
                   help="the oral advice this written advice, email or letter follows up")
    p.add_argument("--corrects", type=int, metavar="ENTRY", help="the entry this corrects")
    p.add_argument("--not-followed", action="store_true",
                   help="advice the member chose not to follow")
    p.add_argument("--channel", help="oral advice: how it was given (meeting, phone call, …)")
    p.add_argument("--follow-up-days", type=int, metavar="N",
                   help="oral advice: working days until the written follow-up is due")
    p.add_argument("--manager-told", action="store_true",
                   help="off the record: the manager was told anything said would be reported "
                        "back to the member")
    p.set_defaults(handler=cmd_log_add)
    p = lsub.add_parser("list", parents=[common], help="list a case's entries")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--kind", action="append", help="only this kind (repeatable)")
    p.add_argument("--without-off-record", action="store_true",
                   help="leave out off-the-record entries")
    p.set_defaults(handler=cmd_log_list)
    p = lsub.add_parser("show", parents=[common], help="show one entry in full")
    p.add_argument("entry", metavar="ENTRY", type=int)
    p.set_defaults(handler=cmd_log_show)
    p = lsub.add_parser("verify", parents=[common],
                        help="check the paper trail's MAC chain and show its head")
    p.set_defaults(handler=cmd_log_verify)
    p = lsub.add_parser("not-followed", parents=[common],
                        help="note that the member chose not to follow advice already logged")
    p.add_argument("ref", metavar="REF")
    p.add_argument("entry", metavar="ENTRY", type=int)
    p.add_argument("--text", required=True)
    p.set_defaults(handler=cmd_log_not_followed)


def entry_json(e: LogEntry) -> dict[str, Any]:
    return {"id": e.seq, "ref": e.case_ref, "kind": e.kind, "label": e.label,
            "written": e.ts.isoformat(), "occurred": e.occurred.isoformat(),
            "summary": e.summary, "detail": e.detail, "links": e.links,
            "off_record": e.off_record, "not_followed": e.not_followed,
            "corrected_by": e.corrected_by, "followed_up_by": e.followed_up_by,
            "erased": e.erased}


def _read_detail(a: argparse.Namespace) -> str | None:
    if a.detail is not None and a.detail_file is not None:
        raise UsageError("give --detail or --detail-file, not both")
    if a.detail_file is None:
        detail: str | None = a.detail
        return detail
    try:
        text: str = a.detail_file.read_text("utf-8")
        return text
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput("Cannot read --detail-file (it must be UTF-8 text).") from exc


def cmd_log_add(ctx: CliContext) -> int:
    a = ctx.args
    detail = _read_detail(a)
    when = parse_when(a.when, "--when") if a.when else None
    log = ctx.session().trail_log
    if a.corrects is not None:
        extra = [o for o, v in (("--follows-up", a.follows_up), ("--channel", a.channel),
                                ("--follow-up-days", a.follow_up_days)) if v is not None]
        if extra:
            raise UsageError(f"a correction keeps the original's links; drop {extra[0]}")
        if a.kind:
            original = log.entry(a.corrects)
            if original.kind != a.kind.strip().casefold():
                raise InvalidInput(f"Entry #{a.corrects} is {original.kind}; a correction keeps "
                                   "its kind.")
        done = log.correct(a.ref, a.corrects, a.text, detail=detail, occurred=when,
                           not_followed=True if a.not_followed else None)
    else:
        if not a.kind:
            raise UsageError("log add: --kind is required (or --corrects ENTRY)")
        done = log.log(a.ref, a.kind, a.text, detail=detail, occurred=when,
                       follows_up=a.follows_up, not_followed=a.not_followed,
                       manager_told=a.manager_told, channel=a.channel,
                       follow_up_days=a.follow_up_days)
    data: dict[str, Any] = {"id": done.seq, "ref": done.case_ref, "kind": done.kind.value}
    lines = [f"Logged entry #{done.seq} on {done.case_ref}."]
    if a.corrects is not None:
        data["corrects"] = a.corrects
        lines = [f"Logged entry #{done.seq} correcting #{a.corrects}."]
    if done.followup_due is not None:
        data["followup_due"] = done.followup_due.isoformat()
        lines.append(f"Written follow-up owed by {format_uk_date(done.followup_due)}.")
    if done.discharged is not None:
        data["discharged"] = done.discharged
        lines.append(f"Discharges the written follow-up of entry #{done.discharged}.")
    ctx.emit(data, "\n".join(lines))
    return 0


def cmd_log_list(ctx: CliContext) -> int:
    a = ctx.args
    entries = ctx.session().trail_log.entries(a.ref, kinds=a.kind,
                                              include_off_record=not a.without_off_record)

    def marks(e: LogEntry) -> str:
        out = []
        if e.corrected_by:
            out.append(f"corrected by #{e.corrected_by}")
        if e.corrects:
            out.append(f"corrects #{e.corrects}")
        if e.follows_up:
            out.append(f"follows up #{e.follows_up}")
        if e.off_record:
            out.append("off the record")
        if e.not_followed:
            out.append("not followed")
        return ", ".join(out)

    ctx.emit([entry_json(e) for e in entries], lambda: table(
        [[f"#{e.seq}", format_uk_date(e.occurred), e.label, e.summary[:60], marks(e)]
         for e in entries], ["Entry", "Date", "Kind", "Summary", ""]))
    return 0


def cmd_log_show(ctx: CliContext) -> int:
    e = ctx.session().trail_log.entry(ctx.args.entry)
    lines = [f"#{e.seq}  {e.label}  {e.case_ref or '(vault)'}",
             f"Happened: {format_uk_date(e.occurred)}   Written: {e.ts.isoformat()}",
             e.summary]
    if e.detail:
        lines += ["", e.detail]
    ctx.emit(entry_json(e), "\n".join(lines))
    return 0


def cmd_log_verify(ctx: CliContext) -> int:
    report = ctx.session().trail.verify()
    data = {"ok": report.ok, "entries": report.entries, "head_seq": report.head_seq,
            "head_mac": report.head_mac, "short_head": report.short_head,
            "broken_at": report.broken_at, "problem": report.problem}
    text = (f"Paper trail intact: {report.entries} entries, head {report.short_head}"
            if report.ok else f"Paper trail BROKEN at entry #{report.broken_at}: "
                              f"{report.problem}")
    ctx.emit(data, text)
    return 0 if report.ok else 1


def cmd_log_not_followed(ctx: CliContext) -> int:
    a = ctx.args
    done = ctx.session().trail_log.record_not_followed(a.ref, a.entry, a.text)
    ctx.emit({"id": done.seq, "ref": done.case_ref, "not_followed": a.entry},
             f"Logged note #{done.seq}: the member chose not to follow entry #{a.entry}.")
    return 0
