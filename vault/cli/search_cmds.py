"""Search across members, cases, parties, first meetings and the paper trail.

``search QUERY [--limit N]``; with ``--json`` a list of objects carrying the case ``ref``.
"""

from __future__ import annotations

import argparse
from typing import Any

from vault.casework.search import SearchGroup
from vault.cli.context import CliContext, UsageError


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("search", parents=[common],
                       help="search members, cases, parties, first meetings and the trail")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--limit", type=int, default=50, help="at most this many cases (default 50)")
    p.set_defaults(handler=cmd_search)


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
