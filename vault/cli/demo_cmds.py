"""``casevault demo [--cases N]``: a new vault filled with fictional casework to try the app.

Only ever creates a new vault (``--vault DIR``, else the default location must be empty), so
a real vault can never be mixed with demo data. The passphrase comes from
``--passphrase-file`` like every other command (``make demo`` passes a known one).
"""

from __future__ import annotations

import argparse

from vault.cli.context import CliContext, UsageError
from vault.demo.generator import DEFAULT_CASES, DEFAULT_SEED, DemoOptions, fill_demo_vault
from vault.domain import format_size
from vault.errors import VaultExists

MAX_CASES = 200_000


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("demo", parents=[common],
                       help="create a NEW vault filled with fictional casework (to try the app)")
    p.add_argument("--cases", type=int, default=DEFAULT_CASES, metavar="N",
                   help=f"how many cases (default {DEFAULT_CASES})")
    p.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (same seed, "
                   "same vault)")
    p.add_argument("--no-documents", action="store_true", help="no sample documents")
    p.set_defaults(handler=cmd_demo)


def cmd_demo(ctx: CliContext) -> int:
    cases = ctx.args.cases
    if not 1 <= cases <= MAX_CASES:
        raise UsageError(f"--cases must be between 1 and {MAX_CASES:,}")
    if ctx.manager.exists():
        raise VaultExists("There is already a vault there; the demo only creates a new one "
                          "(choose another folder with --vault DIR).")
    passphrase = ctx.read_secret("passphrase-file", "Passphrase for the new demo vault: ",
                                 confirm=True)
    session = ctx.manager.create(passphrase)
    try:
        def progress(done: int, total: int) -> None:
            if not ctx.json:
                ctx.stderr.write(f"\r{done:,} of {total:,} cases")
                ctx.stderr.flush()

        options = DemoOptions(cases=cases, seed=ctx.args.seed,
                              documents_every=0 if ctx.args.no_documents else 4)
        report = fill_demo_vault(session, options, progress=progress)
        if not ctx.json:
            ctx.stderr.write("\n")
            ctx.stderr.flush()
    finally:
        session.lock()
    ctx.emit({"vault": str(ctx.manager.root), **report.__dict__},
             f"Demo vault in {ctx.manager.root}: {report.members:,} members, "
             f"{report.cases:,} cases, {report.parties:,} parties "
             f"({report.conflicts:,} possible conflicts), {report.entries:,} trail entries, "
             f"{report.follow_ups_owed:,} follow-ups owed, {report.documents:,} documents "
             f"({format_size(report.document_bytes)}), in {report.seconds:.1f} s.\n"
             "Everything in it is fictional.")
    return 0
