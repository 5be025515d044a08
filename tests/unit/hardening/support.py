"""Helpers for the attack tests of issue 8: the CLI over a real vault folder, in-process and in
a child process (for what only a real process shows: fd 2, argv bytes, the log file)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import STRONG

ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]


@dataclass
class ProcResult:
    code: int
    out: bytes
    err: bytes


class Cli:
    """The command line over one vault folder: ``cli(...)`` in-process, ``cli.proc(...)`` in a
    child process."""

    def __init__(self, tmp_path: Path, fast_params: Any, clock: Any) -> None:
        self.vault_dir = tmp_path / "vault"
        self.pw = tmp_path / "pw.txt"
        self.pw.write_text(STRONG + "\n")
        self.log_dir = Path(os.environ["CASEVAULT_LOG_DIR"])
        self._fast = fast_params
        self._clock = clock

    def __call__(self, *argv: str, stdin: str = "", pw_file: Path | None = None) -> Result:
        from vault.cli import main
        from vault.session import VaultManager

        full = [*argv, "--vault", str(self.vault_dir), "--passphrase-file",
                str(pw_file or self.pw)]
        out, err = io.StringIO(), io.StringIO()

        def factory(args):  # type: ignore[no-untyped-def]
            return VaultManager(root=Path(args.vault), clock=self._clock,
                                kdf_params=self._fast)

        code = main(full, manager_factory=factory, stdin=io.StringIO(stdin), stdout=out,
                    stderr=err)
        return Result(code, out.getvalue(), err.getvalue())

    def ok(self, *argv: str) -> Any:
        r = self(*argv, "--json")
        assert r.code == 0, r.err
        return r.json()

    def proc(self, *argv: str | bytes, pw_file: Path | None = None,
             timeout: float = 60) -> ProcResult:
        """Run in a child process; argv items may be bytes (passed to the OS as they are)."""
        full: list[str | bytes] = [sys.executable, "-m", "tests.unit.hardening.cli_driver",
                                   *argv, "--vault", str(self.vault_dir),
                                   "--passphrase-file", str(pw_file or self.pw)]
        env = dict(os.environ, PYTHONPATH=str(ROOT), LC_ALL="C.UTF-8", PYTHONUTF8="1")
        done = subprocess.run([os.fsencode(a) if isinstance(a, str) else a for a in full],
                              capture_output=True, timeout=timeout, env=env, cwd=ROOT,
                              check=False)
        return ProcResult(done.returncode, done.stdout, done.stderr)

    def log_text(self) -> str:
        path = self.log_dir / "casevault.log"
        return path.read_text("utf-8", "replace") if path.exists() else ""


def one_line_error(r: Result, code: int = 1) -> str:
    """Assert a product error: the status, one line on stderr, no traceback."""
    assert r.code == code, (r.code, r.err)
    lines = r.err_lines
    assert len(lines) == 1 and lines[0].startswith("casevault: "), r.err
    assert "Traceback" not in r.err and "internal error" not in r.err
    return lines[0]


Run = Callable[..., Result]
