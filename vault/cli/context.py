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

    def _stdin_line(self, index: int, option: str) -> str:
        if self._stdin_lines is None:
            self._stdin_lines = split_stdin_secrets(_read_stdin(self.stdin))
        if index >= len(self._stdin_lines):
            raise InvalidInput("Not enough lines on standard input for the passphrases needed.")
        line = self._stdin_lines[index]
        if not line:
            raise InvalidInput(f"The passphrase for --{option} on standard input is empty.")
        return line

    def read_secret(self, option: str, prompt: str, *, stdin_index: int = 0,
                    confirm: bool = False) -> str:
        """A passphrase from ``--<option> PATH`` ('-' = stdin), else a terminal prompt.

        A file holds one passphrase: its whole text (UTF-8) less exactly one trailing ``\n`` or
        ``\r\n`` (``read_passphrase_file``). On stdin, passphrases are one per line.

        Raises:
            InvalidInput: no file, unreadable file, not UTF-8, empty, more than one line, no
                terminal to prompt on, or mismatch. Messages never quote the passphrase.
        """
        source = getattr(self.args, option.replace("-", "_"), None)
        if source == "-":
            return self._stdin_line(stdin_index, option)
        if source:
            return read_passphrase_file(Path(source), option)
        if not self.stdin.isatty():
            raise InvalidInput(f"No passphrase given: use --{option} PATH (or - for stdin).")
        first = getpass.getpass(prompt)
        if confirm and getpass.getpass("Again: ") != first:
            raise InvalidInput("The two passphrases differ.")
        return first

    def session(self, *, read_only_ok: bool = False) -> Session:
        """Unlock the vault once for this command; print what the unlock repaired.

        ``read_only_ok`` (``status``, ``verify``): a damaged database is opened read-only
        instead of refused (``session.admin.read_only``); other commands get the one-line
        refusal with the restore hint.
        """
        if self._session is None:
            passphrase = self.read_secret("passphrase-file", "Vault passphrase: ")
            self._session = (self.manager.unlock_or_read_only(passphrase) if read_only_ok
                             else self.manager.unlock(passphrase))
            for message in self._session.admin.startup.permission_repairs:
                self.warn(message)
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


MAX_PASSPHRASE_FILE_BYTES = 64 * 1024


def read_passphrase_file(path: Path, option: str = "passphrase-file") -> str:
    """The passphrase in ``path`` (see ``parse_passphrase_file``); reads at most 64 KiB.

    A pipe (``<(…)``, ``/dev/stdin``) is allowed and read as it arrives.

    Raises:
        InvalidInput: the file cannot be read, is too big, or ``parse_passphrase_file`` refuses
            its contents.
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_PASSPHRASE_FILE_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(f"Cannot read --{option} ({exc.strerror}).") from None
    return parse_passphrase_file(data, option)


def parse_passphrase_file(data: bytes, option: str = "passphrase-file") -> str:
    """The passphrase held in a file's bytes: UTF-8, less exactly one trailing LF or CRLF.

    Nothing else is stripped or split: a passphrase may contain form feeds, U+2028 and any
    other character the GUI accepts, so the file and the GUI always agree (issue 8, finding 7).

    Raises:
        InvalidInput: more than 64 KiB, not UTF-8, empty, or more than one line (a passphrase
            is typed on one line). The message never quotes any of the file.
    """
    if len(data) > MAX_PASSPHRASE_FILE_BYTES:
        raise InvalidInput(f"The --{option} file is too big to hold a passphrase.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(f"The --{option} file is not UTF-8 text.") from None
    text = _strip_one_newline(text)
    if not text:
        raise InvalidInput(f"The --{option} file is empty.")
    if "\n" in text or "\r" in text:
        raise InvalidInput(f"The --{option} file has more than one line; "
                           "put only the passphrase in it.")
    return text


def split_stdin_secrets(text: str) -> list[str]:
    """Passphrases given on standard input, one per line (LF or CRLF; nothing else splits).

    Raises:
        InvalidInput: the text holds undecodable bytes (lone surrogates from a non-UTF-8
            stream).
    """
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise InvalidInput("Standard input is not UTF-8 text.")
    if not text:
        return []
    lines = text.split("\n")
    if text.endswith("\n"):
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _strip_one_newline(text: str) -> str:
    if text.endswith("\r\n"):
        return text[:-2]
    if text.endswith("\n"):
        return text[:-1]
    return text


def _read_stdin(stream: TextIO) -> str:
    """All of standard input as text, decoded strictly as UTF-8 where the bytes are at hand."""
    buffer = getattr(stream, "buffer", None)
    try:
        if buffer is not None:
            text = bytes(buffer.read(MAX_PASSPHRASE_FILE_BYTES + 1)).decode("utf-8")
        else:
            text = stream.read(MAX_PASSPHRASE_FILE_BYTES + 1)
    except UnicodeDecodeError:
        raise InvalidInput("Standard input is not UTF-8 text.") from None
    if len(text) > MAX_PASSPHRASE_FILE_BYTES:
        raise InvalidInput("Standard input is too long to hold passphrases.")
    return text


def add_allow_shared_folder(parser: argparse.ArgumentParser) -> None:
    """The option by which the rep insists on writing plaintext into a folder others can change."""
    parser.add_argument("--allow-shared-folder", action="store_true",
                        help="write even though other users can change the output folder")


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
