"""``doc add``, ``doc list``, ``doc get``, ``doc returned``."""

from __future__ import annotations

import argparse
from pathlib import Path

from vault.cli import record_edit_cmds
from vault.cli.context import CliContext, table
from vault.domain import format_size, format_uk_date


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    doc = sub.add_parser("doc", parents=[common], help="case documents")
    dsub = doc.add_subparsers(dest="action", metavar="ACTION", required=True,
                              parser_class=type(doc))
    p = dsub.add_parser("add", parents=[common], help="import files into a case, encrypted")
    p.add_argument("ref", metavar="REF")
    p.add_argument("files", metavar="FILE", nargs="+", type=Path)
    p.add_argument("--original", action="store_true",
                   help="the originals belong to the member (to return at closing)")
    p.set_defaults(handler=cmd_add)
    p = dsub.add_parser("list", parents=[common], help="list a case's documents")
    p.add_argument("ref", metavar="REF")
    p.set_defaults(handler=cmd_list)
    p = dsub.add_parser("get", parents=[common],
                        help="write a DECRYPTED copy of a document outside the vault")
    p.add_argument("ref", metavar="REF")
    p.add_argument("doc", metavar="DOC", help="document id (or its first 6+ characters)")
    p.add_argument("--out", required=True, type=Path, metavar="PATH")
    p.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    p.set_defaults(handler=cmd_get)
    p = dsub.add_parser("returned", parents=[common],
                        help="record that a member's original was given back")
    p.add_argument("ref", metavar="REF")
    p.add_argument("doc", metavar="DOC")
    p.set_defaults(handler=cmd_returned)
    record_edit_cmds.register_doc(dsub, common)


def cmd_add(ctx: CliContext) -> int:
    session = ctx.session()
    added = []
    for path in ctx.args.files:
        doc = session.documents.import_file(ctx.args.ref, path, is_original=ctx.args.original)
        added.append(doc)
    ctx.emit([{"id": d.id, "name": d.name, "size": d.size, "sha256": d.sha256} for d in added],
             "\n".join(f"Added {d.id[:12]}  {d.name}  ({format_size(d.size)})" for d in added))
    return 0


def cmd_list(ctx: CliContext) -> int:
    docs = ctx.session().documents.list(ctx.args.ref)
    ctx.emit([{"id": d.id, "name": d.name, "type": d.media_type, "size": d.size,
               "sha256": d.sha256, "added": d.added, "original": d.is_original,
               "returned": d.returned} for d in docs], lambda: table(
        [[d.id[:12], d.name, d.media_type, format_size(d.size), format_uk_date(d.added),
          ("original" + (", returned" if d.returned else "")) if d.is_original else "",
          d.sha256[:16]] for d in docs],
        ["ID", "Name", "Type", "Size", "Added", "", "SHA-256"]))
    return 0


def cmd_get(ctx: CliContext) -> int:
    doc = ctx.session().documents.save_copy(ctx.args.ref, ctx.args.doc, ctx.args.out,
                                            overwrite=ctx.args.force)
    if not ctx.json:
        ctx.warn("the copy is NOT encrypted; delete it when you no longer need it.")
    ctx.emit({"id": doc.id, "name": doc.name, "out": str(ctx.args.out), "sha256": doc.sha256},
             f"Wrote a decrypted copy of {doc.name} to {ctx.args.out}.")
    return 0


def cmd_returned(ctx: CliContext) -> int:
    doc = ctx.session().documents.mark_returned(ctx.args.ref, ctx.args.doc)
    ctx.emit({"id": doc.id, "returned": doc.returned},
             f"Recorded that {doc.name} was returned to the member.")
    return 0
