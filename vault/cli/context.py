"""What every command handler gets: parsed options, the vault manager, passphrases, output.

Output is plain text for people or JSON (``--json``) for scripts. Errors are raised as
``VaultError`` and printed by ``vault.cli.main`` as one line on stderr with exit status 1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from enum import Enum
from pathlib import Path
from typing import Any, TextIO

from vault.errors import InvalidInput, VaultError
from vault.session import Session, VaultManager


class UsageError(Exception):
    """A command-line usage problem (exit status 2)."""


def _default(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class CliContext:
    def __init__(self, args: argparse.Namespace, manager: VaultManager,
                 stdin: TextIO, stdout: TextIO, stderr: TextIO) -> None:
        self.args = args
        self.manager = manager
        self.stdin = stdin
        self.stdout = stdout
        self.stderr = stderr
        self._session: Session | None = None
        self._stdin_lines: list[str] | None = None

    @property
    def json(self) -> bool:
        return bool(getattr(self.args, "json", False))

    # -- passphrases ---------------------------------------------------------------------------

    def _stdin_line(self, index: int) -> str:
        if self._stdin_lines is None:
            self._stdin_lines = self.stdin.read().splitlines()
        if index >= len(self._stdin_lines):
            raise InvalidInput("Not enough lines on standard input for the passphrases needed.")
        return self._stdin_lines[index]

    def read_secret(self, option: str, prompt: str, *, stdin_index: int = 0,
                    confirm: bool = False) -> str:
        """A passphrase from ``--<option> PATH`` ('-' = stdin), else a terminal prompt.

        Raises:
            InvalidInput: no file, unreadable file, no terminal to prompt on, or mismatch.
        """
        source = getattr(self.args, option.replace("-", "_"), None)
        if source == "-":
            return self._stdin_line(stdin_index)
        if source:
            try:
                text = Path(source).read_text("utf-8")
            except OSError as exc:
                raise InvalidInput(f"Cannot read --{option} ({exc.strerror}).") from exc
            lines = text.splitlines()
            if not lines or not lines[0]:
                raise InvalidInput(f"The --{option} file is empty.")
            return lines[0]
        if not self.stdin.isatty():
            raise InvalidInput(f"No passphrase given: use --{option} PATH (or - for stdin).")
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Again: ") != first:
            raise InvalidInput("The two passphrases differ.")
        return first

    def session(self) -> Session:
        """Unlock the vault once for this command."""
        if self._session is None:
            passphrase = self.read_secret("passphrase-file", "Vault passphrase: ")
            self._session = self.manager.unlock(passphrase)
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.lock()
            self._session = None

    # -- output --------------------------------------------------------------------------------

    def emit(self, data: Any, text: str | Callable[[], str]) -> None:
        """Print ``data`` as JSON under --json, else the human text."""
        if self.json:
            json.dump(data, self.stdout, default=_default, ensure_ascii=False, indent=2)
            self.stdout.write("\n")
        else:
            self.stdout.write((text() if callable(text) else text).rstrip("\n") + "\n")

    def warn(self, message: str) -> None:
        self.stderr.write(f"warning: {message}\n")


def table(rows: list[list[str]], headers: list[str]) -> str:
    """A plain aligned text table."""
    if not rows:
        return "(none)"
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


Handler = Callable[[CliContext], int | None]

__all__ = ["CliContext", "Handler", "UsageError", "VaultError", "table"]


def subparsers(parent: argparse.ArgumentParser) -> argparse._SubParsersAction:
    """The ACTION level below a command (``party add``, ``log list`` …)."""
    return parent.add_subparsers(dest="action", metavar="ACTION", required=True,
                                 parser_class=type(parent))
