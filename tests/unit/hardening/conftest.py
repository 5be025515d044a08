"""Fixtures for the attack tests of issue 8 (helpers in ``support``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.hardening.support import Cli


@pytest.fixture
def cli(tmp_path: Path, fast_params, clock) -> Cli:  # type: ignore[no-untyped-def]
    return Cli(tmp_path, fast_params, clock)


@pytest.fixture
def vault_cli(cli: Cli) -> Cli:
    """A real vault folder with one member and one case holding one document."""
    r = cli("init")
    assert r.code == 0, r.err
    member = cli.ok("member", "add", "--name", "Jo Bloggs")["id"]
    ref = cli.ok("case", "open", "--member", member, "--title", "Grievance about rota",
                 "--category", "grievance")["ref"]
    src = cli.vault_dir.parent / "letter.txt"
    src.write_text("CANARY-PLAINTEXT the member's letter")
    doc = cli.ok("doc", "add", ref, str(src))[0]["id"]
    src.unlink()
    cli.ref = ref  # type: ignore[attr-defined]
    cli.doc = doc  # type: ignore[attr-defined]
    return cli
