"""Run the CLI in-process with a fast KDF (the composition root is the only other caller)."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import STRONG


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def run(tmp_path: Path, fast_params, clock) -> Callable[..., Result]:  # type: ignore[no-untyped-def]
    from vault.cli import main
    from vault.session import VaultManager

    vault_dir = tmp_path / "cli-vault"
    pw = tmp_path / "pw.txt"
    pw.write_text(STRONG + "\n")

    def factory(args):  # type: ignore[no-untyped-def]
        return VaultManager(root=Path(args.vault) if args.vault else vault_dir, clock=clock,
                            kdf_params=fast_params)

    def _run(*argv: str, stdin: str = "", vault: bool = True, pw_file: bool = True) -> Result:
        full = list(argv)
        if vault:
            full += ["--vault", str(vault_dir)]
        if pw_file:
            full += ["--passphrase-file", str(pw)]
        out, err = io.StringIO(), io.StringIO()
        code = main(full, manager_factory=factory, stdin=io.StringIO(stdin), stdout=out,
                    stderr=err)
        return Result(code, out.getvalue(), err.getvalue())

    _run.vault_dir = vault_dir  # type: ignore[attr-defined]
    _run.pw = pw  # type: ignore[attr-defined]
    return _run


@pytest.fixture
def initialised(run):  # type: ignore[no-untyped-def]
    assert run("init").code == 0
    return run
