"""The command line (DESIGN.md §8): the same services as the GUI, for scripts and audits.

``casevault`` with no command starts the GUI (see ``vault.app``). Global options may stand
before or after the command. Errors are one line on stderr: exit 1 for a user error, 2 for
usage, never a traceback. Output cut short by its reader (``casevault log list REF | head``)
ends the command quietly: no message, exit 0, the rest of the output dropped.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO

from vault import __version__
from vault.cli import (
    backup_cmds,
    case_cmds,
    demo_cmds,
    doc_cmds,
    escalation_cmds,
    export_cmds,
    followup_cmds,
    log_cmds,
    meeting_cmds,
    member_cmds,
    party_cmds,
    policy_cmds,
    record_edit_cmds,
    retention_cmds,
    search_cmds,
    training_cmds,
    vault_cmds,
)
from vault.cli.context import CliContext, UsageError
from vault.errors import DatabaseDamaged, VaultError
from vault.session import VaultManager
from vault.store.db import DAMAGED_MESSAGE, DatabaseError
from vault.store.safe_output import SharedOutputFolder

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_USER = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 70

# Positional arguments shown by their metavar-like name in the one-line error.
_POSITIONAL = frozenset({"ref", "doc", "query", "step", "dates"})

# Each command module registers its commands; adding an area is adding a module here.
COMMAND_MODULES = [vault_cmds, member_cmds, case_cmds, doc_cmds, party_cmds, log_cmds,
                   followup_cmds, meeting_cmds, escalation_cmds, search_cmds, training_cmds,
                   record_edit_cmds, policy_cmds, retention_cmds, export_cmds, demo_cmds,
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
    parser.add_argument("--version", action="store_true",
                        help="print the version of Casework Vault and exit")
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
    if args.version:
        stdout.write(f"casevault {__version__}\n")
        return EXIT_OK
    handler = getattr(args, "handler", None)
    if handler is None:
        parser.print_usage(stderr)
        return EXIT_USAGE
    bad_option = _undecodable_option(args)
    if bad_option is not None:
        # Python decodes argv with surrogateescape: bytes that are not UTF-8 arrive as lone
        # surrogates, which SQLite, the PDFs and the log cannot take. Paths may hold them.
        stderr.write(f"casevault: {bad_option} is not valid UTF-8 text; nothing was changed.\n")
        return EXIT_USER
    ctx = CliContext(args, manager_factory(args), stdin, stdout, stderr)
    if ctx.manager.finish_interrupted_restore():
        stderr.write("casevault: an interrupted restore was finished: the backup is in place "
                     "and the vault that was there is kept beside it.\n")
    try:
        code = int(handler(ctx) or EXIT_OK)
        stdout.flush()  # a reader that went away shows here, not at interpreter exit
        return code
    except BrokenPipeError:
        _silence_broken_pipe(stdout)
        return EXIT_OK
    except UsageError as exc:
        stderr.write(f"casevault: {exc}\n")
        return EXIT_USAGE
    except SharedOutputFolder as exc:
        stderr.write(f"casevault: {exc} (or insist with --allow-shared-folder)\n")
        return EXIT_USER
    except DatabaseDamaged as exc:
        # One line still: the damage, then where the newest backup is and how to restore it.
        stderr.write(f"casevault: {exc} {_restore_hint(ctx)}\n")
        return EXIT_USER
    except VaultError as exc:
        stderr.write(f"casevault: {exc}\n")
        return EXIT_USER
    except KeyboardInterrupt:
        stderr.write("casevault: interrupted; nothing was left half-done.\n")
        return EXIT_USER
    except DatabaseError as exc:
        # A damaged page met after unlock (the open checks catch most): the product's words.
        _log_internal(args, exc)
        stderr.write(f"casevault: {DAMAGED_MESSAGE}\n")
        return EXIT_USER
    except UnicodeError as exc:
        _log_internal(args, exc)
        stderr.write("casevault: some input is not valid UTF-8 text; nothing was changed.\n")
        return EXIT_USER
    except Exception as exc:
        _log_internal(args, exc)
        stderr.write("casevault: internal error (details, without personal data, are in the log)\n")
        return EXIT_INTERNAL
    finally:
        ctx.close()


def _restore_hint(ctx: CliContext) -> str:
    try:
        return backup_cmds.restore_hint(ctx.manager)
    except Exception as exc:  # a hint must never turn a clear error into an internal one
        log.warning("restore hint unavailable: %s", type(exc).__name__)
        return ""


def _silence_broken_pipe(stdout: TextIO) -> None:
    """The reader of standard output closed it (``| head``): point the stream at /dev/null so
    the interpreter's final flush does not report the broken pipe a second time. Never raises.
    """
    log.debug("standard output closed by its reader")
    try:
        fileno = stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (a test's StringIO): nothing will be flushed at exit
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, fileno)
        finally:
            os.close(devnull)
    except OSError:
        pass


def _log_internal(args: argparse.Namespace, exc: BaseException) -> None:
    """Log where an unexpected error came from: its type and the stack, never its message.

    An exception's message can quote input (a ``UnicodeDecodeError`` quotes the bytes it could
    not decode, which may be a passphrase's; a database error may quote a query's values).
    """
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in reversed(frames))
    log.error("internal error in command %s: %s at %s", getattr(args, "command", "?"),
              type(exc).__name__, where or "?")


def _undecodable_option(args: argparse.Namespace) -> str | None:
    """The first text option holding a lone surrogate (undecodable argv bytes), as ``--name``."""
    for name, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        for item in values:
            if isinstance(item, str) and _has_surrogate(item):
                return "--" + name.replace("_", "-") if name not in _POSITIONAL else name.upper()
    return None


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)
