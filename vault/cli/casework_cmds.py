"""Casework commands: parties and conflicts, the paper trail, follow-ups, the first meeting,
escalation, consent and search (DESIGN.md §8).

```
party add REF --name … --role … [--union-member yes|no|unknown] | party list REF
conflicts check --name … [--number …] [--email …] [--exclude-case REF]   (saves nothing)
conflicts pending [REF] | conflicts list REF
conflicts decide ID --decision proceed|step-aside|refer [--reason …]
log add REF --kind KIND --text … [--detail … | --detail-file PATH] [--when …]
        [--follows-up ENTRY] [--not-followed] [--channel …] [--follow-up-days N]
        [--manager-told]                                      (off-the-record entries)
log add REF --corrects ENTRY --text … [--detail …] [--when …]
log list REF [--kind K …] [--without-off-record] | log show ENTRY | log verify
log not-followed REF ENTRY --text …
consent off-record REF --when … --how … | consent share REF on|off
followups [--all] [--case REF] | followup draft ENTRY [--pdf PATH] [--rep-name …] [--union …]
followup waive ENTRY --reason …
meeting show REF | meeting set REF [--date D] [--place P] | meeting narrative REF --text …
meeting issue REF --text … [--new | --agreed] | meeting addressed REF ISSUE [--note …] [--undo]
meeting action REF --text … --owner rep|member|union [--due D] | meeting done REF ACTION [--undo]
upcoming [--days N]
escalation REF [--to … [--when D] [--regional-notified D] | --not-escalating REASON]
escalations
search QUERY [--limit N]
```

With ``--json``: ``party add`` → ``{"id", "ref", "conflicts": [{"ref", …}]}``; ``log add`` →
``{"id", …}``; ``followups``, ``search``, ``upcoming``, ``escalations``, ``log list`` and the
conflict lists → lists of objects each carrying a case ``ref``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from vault.casework.conflicts import ConflictDecision, ConflictFinding
from vault.casework.escalation import EscalationStatus
from vault.casework.first_meeting import ActionOwner, ActionPoint, FirstMeeting, Issue
from vault.casework.followups import FollowUp
from vault.casework.parties import Party, PartyRole
from vault.casework.search import SearchGroup
from vault.casework.trail_log import LogEntry, parse_when
from vault.casework.validation import parse_date
from vault.cli.context import CliContext, UsageError, add_allow_shared_folder, table
from vault.domain import EntryKind, format_uk_date
from vault.errors import InvalidInput

DRAFT_REP_PLACEHOLDER = "[your name]"
DRAFT_UNION_PLACEHOLDER = "[your union]"


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    _register_parties(sub, common)
    _register_log(sub, common)
    _register_followups(sub, common)
    _register_meeting(sub, common)
    _register_escalation(sub, common)
    p = sub.add_parser("search", parents=[common],
                       help="search members, cases, parties, first meetings and the trail")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=int, default=50, help="at most this many cases (default 50)")
    p.set_defaults(handler=cmd_search)


def _subparsers(parent: argparse.ArgumentParser) -> argparse._SubParsersAction:
    return parent.add_subparsers(dest="action", metavar="ACTION", required=True,
                                 parser_class=type(parent))


# -- parties and conflicts ---------------------------------------------------------------------

def _register_parties(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    party = sub.add_parser("party", parents=[common], help="other parties of a case")
    psub = _subparsers(party)
    p = psub.add_parser("add", parents=[common], help="add a party (runs the conflict check)")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--name", required=True)
    p.add_argument("--role", required=True, help="one of: " + ", ".join(r.value for r in PartyRole))
    p.add_argument("--union-member", choices=["yes", "no", "unknown"], default="unknown")
    p.set_defaults(handler=cmd_party_add)
    p = psub.add_parser("list", parents=[common], help="list a case's parties")
    p.add_argument("ref", metavar="REF")
    p.set_defaults(handler=cmd_party_list)

    conflicts = sub.add_parser("conflicts", parents=[common], help="conflict-of-interest checks")
    csub = _subparsers(conflicts)
    p = csub.add_parser("check", parents=[common],
                        help="check a name against every member and party (saves nothing)")
    p.add_argument("--name", required=True)
    p.add_argument("--number", help="membership number (matched exactly)")
    p.add_argument("--email", help="email address (matched exactly)")
    p.add_argument("--exclude-case", metavar="REF", help="leave out the people of this case")
    p.set_defaults(handler=cmd_conflicts_check)
    p = csub.add_parser("pending", parents=[common], help="possible conflicts awaiting a decision")
    p.add_argument("ref", metavar="REF", nargs="?", help="only those involving this case")
    p.set_defaults(handler=cmd_conflicts_pending)
    p = csub.add_parser("list", parents=[common], help="every conflict finding of a case")
    p.add_argument("ref", metavar="REF")
    p.set_defaults(handler=cmd_conflicts_list)
    p = csub.add_parser("decide", parents=[common], help="record your decision on a finding")
    p.add_argument("finding", metavar="ID", type=int)
    p.add_argument("--decision", required=True, choices=[d.value for d in ConflictDecision])
    p.add_argument("--reason", help="why (required to proceed)")
    p.set_defaults(handler=cmd_conflicts_decide)

    consent = sub.add_parser("consent", parents=[common], help="the member's consents")
    ksub = _subparsers(consent)
    p = ksub.add_parser("off-record", parents=[common],
                        help="record that the member was told beforehand and agreed to an "
                             "off-the-record / without-prejudice conversation")
    p.add_argument("ref", metavar="REF")
    p.add_argument("--when", required=True, help="when the member agreed (date or date and time)")
    p.add_argument("--how", required=True, help="how they were told (e.g. by phone)")
    p.set_defaults(handler=cmd_consent_off_record)
    p = ksub.add_parser("share", parents=[common],
                        help="whether the member agrees to sharing with branch caseworkers")
    p.add_argument("ref", metavar="REF")
    p.add_argument("value", choices=["on", "off"])
    p.set_defaults(handler=cmd_consent_share)


def party_json(p: Party) -> dict[str, Any]:
    return {"id": p.id, "ref": p.case_ref, "name": p.name, "role": p.role.value,
            "union_member": p.union_member.value, "added": p.added.isoformat()}


def _warn_findings(ctx: CliContext, findings: list[ConflictFinding]) -> None:
    if findings and not ctx.json:
        for f in findings:
            ctx.warn(f"possible conflict {f.describe()}")
        ctx.warn("record a decision on each: casevault conflicts decide ID "
                 "--decision proceed|step-aside|refer [--reason …]")


def cmd_party_add(ctx: CliContext) -> int:
    a = ctx.args
    added = ctx.session().parties.add(a.ref, a.name, a.role, a.union_member)
    _warn_findings(ctx, added.conflicts)
    data = {**party_json(added.party), "conflicts": [f.to_json() for f in added.conflicts]}
    ctx.emit(data, f"Added party {added.party.id} to {added.party.case_ref}"
                   f" ({len(added.conflicts)} possible conflicts).")
    return 0


def cmd_party_list(ctx: CliContext) -> int:
    parties = ctx.session().parties.list(ctx.args.ref)
    ctx.emit([party_json(p) for p in parties], lambda: table(
        [[str(p.id), p.name, p.role.label, p.union_member.value] for p in parties],
        ["ID", "Name", "Role", "Union member"]))
    return 0


def _findings_table(findings: list[ConflictFinding]) -> str:
    return table(
        [[str(f.id), f.case_ref or f"member {f.checked_id}", f.match.name,
          f"{f.match.role} in {f.match.ref or '(no case)'}", f.match.reason.value,
          str(f.match.score), f.decision.value if f.decision else "PENDING"] for f in findings],
        ["ID", "Checked in", "May be", "Who", "Why", "Score", "Decision"])


def cmd_conflicts_check(ctx: CliContext) -> int:
    a = ctx.args
    matches = ctx.session().conflicts.check(a.name, membership_number=a.number, email=a.email,
                                            exclude_ref=a.exclude_case)
    ctx.emit([m.to_json() for m in matches], lambda: "\n".join(
        m.describe() for m in matches) or "No possible conflicts found.")
    return 0


def cmd_conflicts_pending(ctx: CliContext) -> int:
    service = ctx.session().conflicts
    findings = service.pending(ctx.args.ref) if ctx.args.ref else service.pending_all()
    ctx.emit([f.to_json() for f in findings], lambda: _findings_table(findings))
    return 0


def cmd_conflicts_list(ctx: CliContext) -> int:
    findings = ctx.session().conflicts.findings(ctx.args.ref)
    ctx.emit([f.to_json() for f in findings], lambda: _findings_table(findings))
    return 0


def cmd_conflicts_decide(ctx: CliContext) -> int:
    a = ctx.args
    f = ctx.session().conflicts.decide(a.finding, a.decision, a.reason)
    ctx.emit(f.to_json(), f"Recorded: {a.decision} on finding {f.id}.")
    return 0


def cmd_consent_off_record(ctx: CliContext) -> int:
    a = ctx.args
    consent = ctx.session().trail_log.record_off_record_consent(
        a.ref, told_at=parse_when(a.when, "--when"), how=a.how)
    ctx.emit({"id": consent.id, "ref": a.ref.strip().upper(),
              "told_at": consent.told_at.isoformat(), "how": consent.how,
              "trail_entry": consent.trail_seq},
             f"Recorded the member's agreement (consent {consent.id}); you can now log one "
             "off-the-record conversation with --kind off-the-record --manager-told.")
    return 0


def cmd_consent_share(ctx: CliContext) -> int:
    case = ctx.session().cases.set_consent_to_share(ctx.args.ref, ctx.args.value == "on")
    ctx.emit({"ref": case.ref, "consent_to_share": case.consent_to_share},
             f"{case.ref}: consent to share with branch caseworkers is "
             f"{'on' if case.consent_to_share else 'off'}.")
    return 0


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
    add_allow_shared_folder(p)
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
        session.followups.render_pdf(a.entry, a.pdf, rep_name=rep, union_name=union,
                                     allow_shared_folder=a.allow_shared_folder)
        data["pdf"] = str(a.pdf)
        if not ctx.json:
            ctx.warn(f"the PDF at {a.pdf} is NOT encrypted; delete it once it is sent.")
    ctx.emit(data, text)
    return 0


def cmd_followup_waive(ctx: CliContext) -> int:
    f = ctx.session().followups.waive(ctx.args.entry, ctx.args.reason)
    ctx.emit(followup_json(f), f"Waived the written follow-up of entry #{f.advice_seq}.")
    return 0


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


# -- search ------------------------------------------------------------------------------------

def search_json(g: SearchGroup) -> dict[str, Any]:
    return {"ref": g.ref, "title": g.title, "status": g.status, "member_id": g.member_id,
            "member": g.member_name,
            "hits": [{"source": h.source.value, "id": h.source_id, "label": h.label,
                      "snippet": h.snippet} for h in g.hits]}


def cmd_search(ctx: CliContext) -> int:
    if ctx.args.limit < 1:
        raise UsageError("--limit must be at least 1")
    groups = ctx.session().search.search(ctx.args.query, limit=ctx.args.limit)

    def text() -> str:
        if not groups:
            return "Nothing found."
        lines = []
        for g in groups:
            head = g.ref or f"member {g.member_id} (no case)"
            lines.append(f"{head}  {g.title or ''}  {g.member_name or ''}".rstrip())
            for h in g.hits[:5]:
                lines.append(f"    {h.source.value:<8} {h.snippet[:90]}")
            if len(g.hits) > 5:
                lines.append(f"    … and {len(g.hits) - 5} more")
        return "\n".join(lines)

    ctx.emit([search_json(g) for g in groups], text)
    return 0
