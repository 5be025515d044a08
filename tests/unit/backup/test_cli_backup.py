"""The backup and recovery commands: back up, wipe the vault folder, restore, find everything;
forget the passphrase and recover with the code; one-line errors."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import OTHER_STRONG


def _fill(run, tmp_path: Path) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    mid = run("member", "add", "--name", "Rita Restore", "--json").json()["id"]
    ref = run("case", "open", "--member", mid, "--title", "Restore case", "--category",
              "grievance", "--json").json()["ref"]
    doc = tmp_path / "evidence.txt"
    doc.write_text("the evidence\n")
    assert run("doc", "add", ref, str(doc)).code == 0
    assert run("log", "add", ref, "--kind", "note", "--text", "spoke to the member").code == 0
    return mid, ref


def test_backup_wipe_restore_walk(initialised, tmp_path: Path) -> None:
    run = initialised
    _mid, ref = _fill(run, tmp_path)
    out = tmp_path / "usb" / "vault.cvbackup"
    out.parent.mkdir()
    r = run("backup", "--out", str(out), "--json")
    assert r.code == 0, r.err
    assert r.json()["cases"] == 1
    r = run("verify-backup", str(out), "--json")
    assert r.code == 0, r.err
    assert r.json()["documents"] == 1
    assert run("backups", "--json").json()[0]["kind"] == "manual"
    before = run("log", "list", ref, "--json").json()

    shutil.rmtree(run.vault_dir)  # the laptop is gone
    r = run("restore", str(out))
    assert r.code == 0, r.err
    assert run("verify").code == 0
    assert run("log", "list", ref, "--json").json() == before
    docs = run("doc", "list", ref, "--json").json()
    got = tmp_path / "got.txt"
    assert run("doc", "get", ref, docs[0]["id"], "--out", str(got)).code == 0
    assert got.read_text() == "the evidence\n"

    r = run("restore", str(out))  # not into a vault that is there
    assert r.code == 1 and r.err.count("\n") == 1 and "empty" in r.err


def test_restore_needs_a_vault_option(initialised, tmp_path: Path) -> None:
    out = tmp_path / "b.cvbackup"
    assert initialised("backup", "--out", str(out)).code == 0
    r = initialised("restore", str(out), vault=False)
    assert r.code == 2


def test_damaged_backup_is_one_line(initialised, tmp_path: Path) -> None:
    out = tmp_path / "b.cvbackup"
    assert initialised("backup", "--out", str(out)).code == 0
    raw = bytearray(out.read_bytes())
    raw[len(raw) // 2] ^= 0x40
    out.write_bytes(bytes(raw))
    r = initialised("verify-backup", str(out))
    assert r.code == 1
    assert r.err == "casevault: The backup file is damaged or has been tampered with.\n"


def test_forgot_passphrase_walk(initialised, tmp_path: Path) -> None:
    run = initialised
    _fill(run, tmp_path)
    sheet = tmp_path / "sheet.pdf"
    r = run("recovery-code", "--out", str(sheet))
    assert r.code == 0, r.err
    assert sheet.read_bytes().startswith(b"%PDF")
    code_file = tmp_path / "code.txt"
    assert run("recovery-code", "--out", str(code_file)).code == 0  # replaces the sheet's code
    code = code_file.read_text().strip()
    assert len(code.split()) == 15
    new_pw = tmp_path / "new.txt"
    new_pw.write_text(OTHER_STRONG + "\n")
    r = run("recover", "--code-file", str(code_file), "--new-passphrase-file", str(new_pw),
            pw_file=False)
    assert r.code == 0, r.err
    r = run("verify")  # the old passphrase no longer opens it
    assert r.code == 1 and "passphrase" in r.err
    r = run("verify", "--passphrase-file", str(new_pw), pw_file=False)
    assert r.code == 0, r.err
    bad = tmp_path / "bad.txt"
    bad.write_text(" ".join(code.split()[:14]) + "\n")
    r = run("recover", "--code-file", str(bad), "--new-passphrase-file", str(new_pw),
            pw_file=False)
    assert r.code == 1 and "15 words" in r.err and code.split()[0] not in r.err


def test_automatic_backups_from_the_command_line(initialised, tmp_path: Path) -> None:
    run = initialised
    drive = tmp_path / "drive"
    drive.mkdir()
    r = run("backup-settings", "--folder", str(drive), "--keep", "2", "--automatic", "on",
            "--json")
    assert r.code == 0, r.err
    assert r.json() == {"folder": str(drive), "keep": 2, "automatic": True}
    for _ in range(3):
        assert run("backup", "--automatic").code == 0
    assert len(list(drive.iterdir())) == 2
