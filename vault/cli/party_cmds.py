"""Parties, conflict checks and decisions, and the member's consents (DESIGN.md §8).

```
party add REF --name … --role … [--union-member yes|no|unknown] | party list REF
conflicts check --name … [--number …] [--email …] [--exclude-case REF]   (saves nothing)
conflicts pending [REF] | conflicts list REF
conflicts decide ID --decision proceed|step-aside|refer [--reason …]
consent off-record REF --when … --how … | consent share REF on|off
```
"""

from __future__ import annotations

import argparse
from typing import Any

from vault.casework.conflicts import ConflictDecision, ConflictFinding
from vault.casework.parties import Party, PartyRole
from vault.casework.trail_log import parse_when
from vault.cli.context import CliContext, table
from vault.cli.context import subparsers as _subparsers


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    _register_parties(sub, common)


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
