"""The command line (DESIGN.md §8): the same services as the GUI, for scripts and audits.

``casevault`` with no command starts the GUI (see ``vault.app``). Global options may stand
before or after the command. Errors are one line on stderr: exit 1 for a user error, 2 for
usage, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from vault.cli import (
    backup_cmds,
    case_cmds,
    doc_cmds,
    escalation_cmds,
    followup_cmds,
    log_cmds,
    meeting_cmds,
    member_cmds,
    party_cmds,
    search_cmds,
    training_cmds,
    vault_cmds,
)
from vault.cli.context import CliContext, UsageError
from vault.errors import VaultError
from vault.session import VaultManager

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_USER = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70

# Each command module registers its commands; adding an area is adding a module here.
COMMAND_MODULES = [vault_cmds, member_cmds, case_cmds, doc_cmds, party_cmds, log_cmds,
                   followup_cmds, meeting_cmds, escalation_cmds, search_cmds, training_cmds,
                   backup_cmds]


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors are one line too."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--vault", metavar="DIR", default=argparse.SUPPRESS,
                        help="the vault folder (default: $CASEVAULT_DIR or the user data dir)")
    common.add_argument("--passphrase-file", metavar="PATH", default=argparse.SUPPRESS,
                        help="read the passphrase from the first line of PATH ('-' = stdin)")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="machine-readable output")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = common_options()
    parser = _Parser(prog="casevault", parents=[common],
                     description="Casework Vault: encrypted case files for union reps.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMAND_MODULES:
        module.register(sub, common)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    manager_factory: Callable[[argparse.Namespace], VaultManager],
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run one command. ``manager_factory`` comes from the composition root (``vault.app``)."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        stderr.write(f"{exc}\n")
        return EXIT_USAGE
    for name, default in (("vault", None), ("passphrase_file", None), ("json", False)):
        if not hasattr(args, name):
            setattr(args, name, default)
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_usage(stderr)
        return EXIT_USAGE
    ctx = CliContext(args, manager_factory(args), stdin, stdout, stderr)
    try:
        return int(handler(ctx) or EXIT_OK)
    except UsageError as exc:
        stderr.write(f"casevault: {exc}\n")
        return EXIT_USAGE
    except VaultError as exc:
        stderr.write(f"casevault: {exc}\n")
        return EXIT_USER
    except KeyboardInterrupt:
        stderr.write("casevault: interrupted; nothing was left half-done.\n")
        return EXIT_USER
    except Exception:
        log.exception("internal error in command %s", getattr(args, "command", "?"))
        stderr.write("casevault: internal error (details, without personal data, are in the log)\n")
        return EXIT_INTERNAL
    finally:
        ctx.close()
