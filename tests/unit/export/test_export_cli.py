"""``export`` and ``sar`` on the command line, with 7-Zip opening what they write."""

from __future__ import annotations

import email
import stat
from email import policy
from pathlib import Path

from tests.unit.export import sevenzip


def _setup(cli, tmp_path: Path) -> tuple[str, str, str]:  # type: ignore[no-untyped-def]
    member = cli("member", "add", "--name", "Zoë Ó'Brien", "--email", "zoe@gmail.com",
                 "--employer", "Northshire University", "--json").json()["id"]
    ref = cli("case", "open", "--member", member, "--title", "Rota", "--category",
              "grievance", "--json").json()["ref"]
    doc = tmp_path / "letter.pdf"
    doc.write_bytes(b"%PDF-1.4 letter")
    added = cli("doc", "add", ref, str(doc), "--json").json()
    return member, ref, added[0]["id"]


def test_export_json_with_passphrase_file_and_eml(initialised, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = initialised
    _member, ref, doc_id = _setup(cli, tmp_path)
    out, secret, eml = tmp_path / "b.zip", tmp_path / "secret.txt", tmp_path / "d.eml"
    result = cli("export", ref, "--out", str(out), "--docs", doc_id[:8], "--passphrase-out",
                 str(secret), "--eml", str(eml), "--from", "rep@branch.example.org", "--json")
    assert result.code == 0, result.err
    data = result.json()
    assert "passphrase" not in data and data["passphrase_file"] == str(secret)
    assert data["members"] == 5 and data["documents"] == 1
    assert data["files"][0]["name"] == "01-document.pdf"
    passphrase = secret.read_text().strip()
    assert passphrase not in result.out and passphrase not in result.err
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert sevenzip.test_ok(out, passphrase)
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["Bcc"] == "zoe@gmail.com" and data["eml"]["bcc"] is True
    assert msg["Disposition-Notification-To"] == "rep@branch.example.org"


def test_export_prints_the_passphrase_once_and_advice(initialised, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = initialised
    _m, ref, _d = _setup(cli, tmp_path)
    out = tmp_path / "b.zip"
    result = cli("export", ref, "--out", str(out), "--no-summary", "--include-off-record")
    assert result.code == 0, result.err
    line = next(x for x in result.out.splitlines() if x.startswith("Passphrase: "))
    assert sevenzip.test_ok(out, line.removeprefix("Passphrase: "))
    assert "phone or text" in result.out


def test_export_with_an_agreed_passphrase_from_stdin(initialised, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = initialised
    _m, ref, _d = _setup(cli, tmp_path)
    out = tmp_path / "b.zip"
    agreed = "violet lantern across frozen harbour"
    result = cli("export", ref, "--out", str(out), "--bundle-passphrase-file", "-",
                 stdin=agreed + "\n")
    assert result.code == 0, result.err
    assert agreed not in result.out and sevenzip.test_ok(out, agreed)
    weak = cli("export", ref, "--out", str(tmp_path / "w.zip"), "--bundle-passphrase-file", "-",
               stdin="password1\n")
    assert weak.code == 1 and not (tmp_path / "w.zip").exists()


def test_export_refusals_are_one_line(initialised, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = initialised
    _m, ref, _d = _setup(cli, tmp_path)
    usage = cli("export", ref, "--out", str(tmp_path / "b.zip"), "--eml", str(tmp_path / "d.eml"))
    assert usage.code == 2 and "--from" in usage.err
    bad_to = cli("export", ref, "--out", str(tmp_path / "b.zip"), "--eml",
                 str(tmp_path / "d.eml"), "--to", "nonsense", "--from", "rep@example.org")
    assert bad_to.code == 1 and bad_to.err.count("\n") == 1
    missing = cli("export", ref, "--out", str(tmp_path / "nowhere" / "b.zip"))
    assert missing.code == 1 and "folder does not exist" in missing.err
    nothing = cli("export", ref, "--out", str(tmp_path / "n.zip"), "--docs", "",
                  "--no-summary", "--no-trail")
    assert nothing.code == 1 and "Nothing was chosen" in nothing.err
    assert not (tmp_path / "n.zip").exists()
    taken = tmp_path / "taken.txt"
    taken.write_text("x")
    clash = cli("export", ref, "--out", str(tmp_path / "c.zip"), "--passphrase-out", str(taken))
    assert clash.code == 1 and not (tmp_path / "c.zip").exists()


def test_sar_command(initialised, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cli = initialised
    member, _ref, _d = _setup(cli, tmp_path)
    out, secret = tmp_path / "sar.zip", tmp_path / "sar-pass.txt"
    result = cli("sar", member, "--out", str(out), "--passphrase-out", str(secret), "--json")
    assert result.code == 0, result.err
    data = result.json()
    names = [f["name"] for f in data["files"]]
    assert names[0] == "01-member-record.pdf" and "index.pdf" in names
    assert sevenzip.test_ok(out, secret.read_text().strip())
