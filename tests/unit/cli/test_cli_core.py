"""The command line of DESIGN.md §8: options anywhere, JSON fields, exit codes, one-line errors."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import OTHER_STRONG, STRONG


def test_init_then_status(run) -> None:  # type: ignore[no-untyped-def]
    r = run("init", "--json")
    assert r.code == 0, r.err
    assert r.json()["vault"] == str(run.vault_dir)
    r = run("status", "--json")
    assert r.code == 0 and r.json()["exists"] is True and r.json()["members"] == 0


def test_global_options_before_or_after_the_command(initialised, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from vault.cli import main

    run = initialised
    a = run("--json", "member", "add", "--name", "Before Options")
    b = run("member", "add", "--json", "--name", "After Options")
    assert a.code == b.code == 0
    assert a.json()["id"] == "M-0001" and b.json()["id"] == "M-0002"
    assert main is not None


def test_member_case_doc_json_fields(initialised, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = initialised
    mid = run("member", "add", "--name", "Jo Bloggs", "--number", "123456",
              "--email", "jo@uni.ac.uk", "--employer", "Uni of Somewhere", "--json").json()["id"]
    r = run("case", "open", "--member", mid, "--title", "Disciplinary hearing",
            "--category", "disciplinary", "--dismissal-threatened", "--json")
    assert r.code == 0, r.err
    data = r.json()
    assert data["ref"].startswith("C-2026-") and data["escalation_required"] is True
    assert isinstance(data["conflicts"], list)
    ref = data["ref"]
    f1 = tmp_path / "letter.txt"
    f1.write_text("Dear Jo")
    f2 = tmp_path / "scan.pdf"
    f2.write_bytes(b"%PDF-1.4 x")
    r = run("doc", "add", ref, str(f1), str(f2), "--json")
    assert r.code == 0, r.err
    docs = r.json()
    assert [d["name"] for d in docs] == ["letter.txt", "scan.pdf"] and all("id" in d for d in docs)
    listed = run("doc", "list", ref, "--json").json()
    assert {d["id"] for d in listed} == {d["id"] for d in docs}
    out = tmp_path / "copy.txt"
    r = run("doc", "get", ref, docs[0]["id"][:8], "--out", str(out))
    assert r.code == 0 and out.read_text() == "Dear Jo" and "NOT encrypted" in r.err
    cases = run("case", "list", "--json").json()
    assert cases[0]["ref"] == ref
    shown = run("case", "show", ref, "--json").json()
    assert shown["ref"] == ref and len(shown["documents"]) == 2
    r = run("verify", "--json")
    assert r.code == 0 and r.json()["ok"] is True and len(r.json()["documents"]) == 2


def test_wrong_passphrase_is_one_line_exit_1(initialised, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.txt"
    bad.write_text("definitely the wrong passphrase\n")
    r = initialised("member", "list", "--passphrase-file", str(bad), pw_file=False)
    assert r.code == 1
    assert r.err.count("\n") == 1 and "passphrase" in r.err and "Traceback" not in r.err


def test_usage_errors_exit_2(initialised) -> None:  # type: ignore[no-untyped-def]
    r = initialised("case", "open", "--member", "M-0001")
    assert r.code == 2 and "Traceback" not in r.err
    r = initialised("frobnicate")
    assert r.code == 2
    r = initialised("case", "open", "--member", "M-0001", "--title", "x", "--category", "nonsense")
    assert r.code == 2 and "choose one of" in r.err


def test_user_errors_exit_1(initialised, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert initialised("case", "show", "C-2026-9999").code == 1
    assert initialised("member", "add", "--name", "   ").code == 1
    mid = initialised("member", "add", "--name", "X Y", "--json").json()["id"]
    ref = initialised("case", "open", "--member", mid, "--title", "t", "--category", "other",
                      "--json").json()["ref"]
    r = initialised("doc", "add", ref, str(tmp_path / "missing.pdf"))
    assert r.code == 1 and "does not exist" in r.err


def test_passphrase_from_stdin_and_passwd(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("init", "--passphrase-file", "-", stdin=STRONG + "\n", pw_file=False)
    assert r.code == 0, r.err
    r = run("passwd", "--passphrase-file", "-", "--new-passphrase-file", "-",
            stdin=f"{STRONG}\n{OTHER_STRONG}\n", pw_file=False)
    assert r.code == 0, r.err
    assert run("member", "list").code == 1
    r = run("member", "list", "--passphrase-file", "-", stdin=OTHER_STRONG + "\n", pw_file=False)
    assert r.code == 0


def test_weak_passphrase_on_init(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("init", "--passphrase-file", "-", stdin="short\n", pw_file=False)
    assert r.code == 1 and "weak" in r.err.lower()
    assert not (run.vault_dir / "vault.keys").exists()


def test_verify_names_a_damaged_document(initialised, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = initialised
    mid = run("member", "add", "--name", "V D", "--json").json()["id"]
    ref = run("case", "open", "--member", mid, "--title", "t", "--category", "other",
              "--json").json()["ref"]
    f = tmp_path / "a.txt"
    f.write_text("hello" * 1000)
    doc_id = run("doc", "add", ref, str(f), "--json").json()[0]["id"]
    path = next(run.vault_dir.joinpath("documents").rglob(f"{doc_id}.cvf"))
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    r = run("verify")
    assert r.code == 1 and f"DAMAGED {ref} {doc_id}" in r.out
