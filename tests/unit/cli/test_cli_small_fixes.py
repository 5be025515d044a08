"""Issue 16, small: output cut short by ``| head`` ends quietly; ``log show`` keeps the time of
day and says which entry corrected it."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tests.unit.cli.test_cli_casework import _two_cases


def test_output_cut_short_by_its_reader_exits_quietly(initialised, fast_params, clock) -> None:  # type: ignore[no-untyped-def]
    """A real pipe whose reading end is closed, as after ``| head -1``."""
    from vault.cli import main
    from vault.session import VaultManager

    run = initialised
    assert run("training", "union", "ucu").code == 0
    read_end, write_end = os.pipe()
    os.close(read_end)
    stdout = open(write_end, "w", encoding="utf-8")  # noqa: SIM115 - closed below
    err = io.StringIO()
    try:
        code = main(["training", "union", "--vault", str(run.vault_dir),
                     "--passphrase-file", str(run.pw)],
                    manager_factory=lambda a: VaultManager(root=Path(a.vault), clock=clock,
                                                           kdf_params=fast_params),
                    stdin=io.StringIO(), stdout=stdout, stderr=err)
        assert code == 0
        assert err.getvalue() == ""  # no "internal error", no traceback
        # The stream now points at /dev/null: the final flush at exit is silent too.
        stdout.write("more\n")
        stdout.flush()
    finally:
        stdout.close()


class _ClosedByReader(io.StringIO):
    def write(self, s: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_broken_pipe_without_a_real_file_is_quiet_too(initialised, fast_params, clock) -> None:  # type: ignore[no-untyped-def]
    from vault.cli import main
    from vault.session import VaultManager

    run = initialised
    err = io.StringIO()
    code = main(["training", "union", "--vault", str(run.vault_dir), "--passphrase-file",
                 str(run.pw)],
                manager_factory=lambda a: VaultManager(root=Path(a.vault), clock=clock,
                                                       kdf_params=fast_params),
                stdin=io.StringIO(), stdout=_ClosedByReader(), stderr=err)
    assert code == 0 and err.getvalue() == ""


@pytest.fixture
def cli(initialised):  # type: ignore[no-untyped-def]
    run = initialised

    def ok(*argv: str):  # type: ignore[no-untyped-def]
        r = run(*argv, "--json")
        assert r.code == 0, r.err
        return r.json()

    run.ok = ok  # type: ignore[attr-defined]
    return run


def test_log_show_keeps_the_time_and_names_the_correcting_entry(cli) -> None:  # type: ignore[no-untyped-def]
    ref, _ = _two_cases(cli)
    first = cli.ok("log", "add", ref, "--kind", "meeting", "--text", "Met the member",
                   "--when", "2026-11-20 10:30")
    fix = cli.ok("log", "add", ref, "--corrects", str(first["id"]), "--text", "Met the member "
                 "and HR")
    shown = cli("log", "show", str(first["id"]))
    assert shown.code == 0, shown.err
    assert "Happened: 20 Nov 2026, 10:30" in shown.out
    assert f"Corrected by entry #{fix['id']}" in shown.out
    correction = cli("log", "show", str(fix["id"]))
    assert f"Corrects entry #{first['id']}." in correction.out


def test_member_delete_from_the_command_line(cli) -> None:  # type: ignore[no-untyped-def]
    slip = cli.ok("member", "add", "--name", "Amy Chne")["id"]
    assert cli.ok("member", "delete", slip) == {"deleted": slip}
    kept = cli.ok("member", "add", "--name", "Dana Whitlock")["id"]
    cli.ok("case", "open", "--member", kept, "--title", "Pay", "--category", "pay-contract")
    r = cli("member", "delete", kept)
    assert r.code == 1 and r.err.count("\n") == 1 and "cannot be deleted" in r.err
