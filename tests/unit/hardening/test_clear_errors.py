"""Finding 6: crashes became the product's own one-line errors with exit status 1.

Each attack is run on a real vault folder; those that depend on a real process (SQLCipher's
writes to fd 2, argv bytes that are not UTF-8, the log file) run the CLI in a child process.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import STRONG
from tests.unit.hardening.support import Cli, ProcResult, one_line_error


def _proc_one_line(r: ProcResult) -> str:
    err = r.err.decode("utf-8", "replace")
    lines = [line for line in err.splitlines() if line.strip()]
    assert r.code == 1, (r.code, err)
    assert len(lines) == 1 and lines[0].startswith("casevault: "), err
    assert "Traceback" not in err and "internal error" not in err
    return lines[0]


def _flip_a_byte_in_page(db: Path, page: int) -> None:
    data = bytearray(db.read_bytes())
    assert len(data) > page * 4096 + 200
    data[page * 4096 + 100] ^= 0x01
    db.write_bytes(bytes(data))


def test_a_flipped_byte_in_a_database_page_is_one_line_and_exit_1(vault_cli: Cli) -> None:
    _flip_a_byte_in_page(vault_cli.vault_dir / "vault.db", 2)
    r = vault_cli.proc("verify")
    line = _proc_one_line(r)
    assert "damaged" in line
    assert b"ERROR CORE" not in r.err, "SQLCipher's own log reached stderr"
    assert b"DatabaseError" not in r.err


def test_a_damaged_page_met_by_any_command_is_one_line(vault_cli: Cli) -> None:
    _flip_a_byte_in_page(vault_cli.vault_dir / "vault.db", 3)
    for argv in (("member", "list"), ("case", "list"), ("status",)):
        r = vault_cli.proc(*argv)
        assert r.code in (0, 1), r.err
        assert b"ERROR CORE" not in r.err and b"Traceback" not in r.err
        if r.code == 1:
            _proc_one_line(r)


def _rewrite_keys(cli: Cli, change) -> None:  # type: ignore[no-untyped-def]
    path = cli.vault_dir / "vault.keys"
    data = json.loads(path.read_text())
    text = change(data)
    path.write_text(text if isinstance(text, str) else json.dumps(data))


def test_deeply_nested_json_in_the_keys_file_is_a_key_file_error(vault_cli: Cli) -> None:
    _rewrite_keys(vault_cli, lambda d: '{"format": "casevault-keys", "x": ' + "[" * 100_000
                  + "]" * 100_000 + "}")
    for argv in (("member", "list"), ("status",)):
        line = one_line_error(vault_cli(*argv))
        assert "key file" in line and "damaged" in line


def test_an_epoch_of_2_to_the_64_in_the_keys_file_is_a_key_file_error(vault_cli: Cli) -> None:
    for epoch in (2**64, 2**64 - 1, 10**30):
        def change(d, epoch=epoch):  # type: ignore[no-untyped-def]
            d["db_epoch"] = epoch
        _rewrite_keys(vault_cli, change)
        line = one_line_error(vault_cli("member", "list"))
        assert "key file" in line and "damaged" in line


def test_a_fifo_in_place_of_vault_keys_is_refused_without_hanging(vault_cli: Cli) -> None:
    keys = vault_cli.vault_dir / "vault.keys"
    keys.unlink()
    os.mkfifo(keys, 0o600)
    r = vault_cli.proc("member", "list", timeout=30)  # before the fix: hangs for ever
    assert "not an ordinary file" in _proc_one_line(r)
    r = vault_cli.proc("status", timeout=30)
    assert "not an ordinary file" in _proc_one_line(r)


def test_a_fifo_in_place_of_vault_db_is_refused_without_hanging(vault_cli: Cli) -> None:
    db = vault_cli.vault_dir / "vault.db"
    db.unlink()
    os.mkfifo(db, 0o600)
    r = vault_cli.proc("member", "list", timeout=30)
    assert "not an ordinary file" in _proc_one_line(r)


def test_a_symlink_in_place_of_vault_keys_is_refused(vault_cli: Cli, tmp_path: Path) -> None:
    keys = vault_cli.vault_dir / "vault.keys"
    moved = tmp_path / "elsewhere.keys"
    keys.rename(moved)
    keys.symlink_to(moved)
    assert "not an ordinary file" in one_line_error(vault_cli("member", "list"))


def test_a_passphrase_file_that_is_not_utf8_is_one_line_and_stays_out_of_the_log(
        vault_cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad-pw.txt"
    secret_part = "Zq9ZqXw"
    bad.write_bytes(secret_part.encode() + b"\xff\xfe" + b"more secret words\n")
    r = vault_cli.proc("member", "list", pw_file=bad)
    assert "not UTF-8" in _proc_one_line(r)
    log = vault_cli.log_text()
    for leak in (secret_part, "0xff", "\\xff", "position", "more secret"):
        assert leak not in log, f"{leak!r} reached the log"
    assert secret_part.encode() not in r.err


def test_invalid_utf8_in_name_or_text_is_one_line_and_nothing_is_stored(
        vault_cli: Cli) -> None:
    r = vault_cli.proc("member", "add", "--name", b"Jo \xff Bloggs")
    assert "not valid UTF-8" in _proc_one_line(r)
    r = vault_cli.proc("log", "add", vault_cli.ref, "--kind", "note", "--text",
                       b"Met the member \xc3\x28 at noon")
    assert "not valid UTF-8" in _proc_one_line(r)
    assert [m["id"] for m in vault_cli.ok("member", "list")] == ["M-0001"]
    entries = vault_cli.ok("log", "list", vault_cli.ref)
    assert not any("noon" in json.dumps(e) for e in entries)
    assert "\\udcff" not in vault_cli.log_text() and "\\udcc3" not in vault_cli.log_text()


def test_surrogates_reaching_a_service_are_refused_there_too(session) -> None:  # type: ignore[no-untyped-def]
    """The GUI (or any caller) passing undecodable text meets the same refusal."""
    import pytest

    from vault.errors import InvalidInput

    with pytest.raises(InvalidInput, match="UTF-8"):
        session.members.add("Jo \udcff Bloggs")
    member = session.members.add("Jo Bloggs")
    case = session.cases.open(member.id, "Grievance", category=_grievance())
    with pytest.raises(InvalidInput, match="UTF-8"):
        session.trail_log.log(case.ref, "note", "Met \udcc3 at noon")
    assert [m.member.id for m in session.members.list()] == [member.id]


def _grievance():  # type: ignore[no-untyped-def]
    from vault.domain import Category

    return Category.GRIEVANCE


def test_the_strong_passphrase_still_works_through_the_child_process(vault_cli: Cli) -> None:
    r = vault_cli.proc("member", "list", "--json")
    assert r.code == 0, r.err
    assert [m["id"] for m in json.loads(r.out)] == ["M-0001"]
    assert STRONG not in vault_cli.log_text()
