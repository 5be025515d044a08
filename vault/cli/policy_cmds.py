"""The employer's policy library (guide point 10).

```
policy add FILE [--title … --employer … --version …] | policy list
policy get ID --out FILE          (a DECRYPTED copy, where you choose)
policy link REF ID | policy unlink REF ID | policy remove ID --reason …
```
"""

from __future__ import annotations

import argparse
from pathlib import Path

from vault.cli.context import CliContext, table
from vault.cli.context import subparsers as _subparsers
from vault.domain import format_size, format_uk_date
from vault.store.policies_repo import Policy


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    policy = sub.add_parser("policy", parents=[common],
                            help="the employer's policies and procedures (encrypted library)")
    psub = _subparsers(policy)
    p = psub.add_parser("add", parents=[common], help="add a policy document, encrypted")
    p.add_argument("file", metavar="FILE", type=Path)
    p.add_argument("--title")
    p.add_argument("--employer")
    p.add_argument("--version")
    p.set_defaults(handler=cmd_add)
    p = psub.add_parser("list", parents=[common], help="list the library")
    p.set_defaults(handler=cmd_list)
    p = psub.add_parser("get", parents=[common], help="write a decrypted copy")
    p.add_argument("policy_id", metavar="ID")
    p.add_argument("--out", required=True, type=Path)
    p.set_defaults(handler=cmd_get)
    for name, handler, text in (("link", cmd_link, "link a policy to a case"),
                                ("unlink", cmd_unlink, "unlink a policy from a case")):
        p = psub.add_parser(name, parents=[common], help=text)
        p.add_argument("ref", metavar="REF")
        p.add_argument("policy_id", metavar="ID")
        p.set_defaults(handler=handler)
    p = psub.add_parser("remove", parents=[common], help="remove a policy from the library")
    p.add_argument("policy_id", metavar="ID")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_remove)


def policy_json(p: Policy) -> dict[str, object]:
    return {"id": p.id, "title": p.title, "employer": p.employer, "version": p.version,
            "type": p.media_type, "size": p.size, "sha256": p.sha256,
            "added": p.added.isoformat()}


def cmd_add(ctx: CliContext) -> int:
    a = ctx.args
    p = ctx.session().policies.add(a.file, a.title, employer=a.employer, version=a.version)
    ctx.emit(policy_json(p), f"Added policy {p.id[:12]}  {p.title}.")
    return 0


def cmd_list(ctx: CliContext) -> int:
    items = ctx.session().policies.list()
    ctx.emit([policy_json(p) for p in items], lambda: table(
        [[p.id[:12], p.title, p.employer or "", p.version or "", format_size(p.size),
          format_uk_date(p.added)] for p in items],
        ["ID", "Title", "Employer", "Version", "Size", "Added"]) if items
        else "The policy library is empty.")
    return 0


def cmd_get(ctx: CliContext) -> int:
    from vault.store.fsutil import atomic_write_bytes

    policy, data = ctx.session().policies.read_bytes(ctx.args.policy_id)
    atomic_write_bytes(ctx.args.out, data)
    if not ctx.json:
        ctx.warn("the copy is NOT encrypted; delete it when you no longer need it.")
    ctx.emit({"id": policy.id, "out": str(ctx.args.out)},
             f"Wrote a decrypted copy of {policy.title} to {ctx.args.out}.")
    return 0


def cmd_link(ctx: CliContext) -> int:
    p = ctx.session().policies.link(ctx.args.ref, ctx.args.policy_id)
    ctx.emit({"ref": ctx.args.ref, "id": p.id}, f"Linked {p.title} to {ctx.args.ref}.")
    return 0


def cmd_unlink(ctx: CliContext) -> int:
    p = ctx.session().policies.unlink(ctx.args.ref, ctx.args.policy_id)
    ctx.emit({"ref": ctx.args.ref, "id": p.id}, f"Unlinked {p.title} from {ctx.args.ref}.")
    return 0


def cmd_remove(ctx: CliContext) -> int:
    p = ctx.session().policies.remove(ctx.args.policy_id, reason=ctx.args.reason)
    ctx.emit({"removed": p.id}, f"Removed {p.title} from the library.")
    return 0
