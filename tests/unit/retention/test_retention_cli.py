"""The retention commands end to end (issue 9): close blocked by an original, holds, destroy
with its refusals, certificates, and the branch audit with its check."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader


def _case_with_original(run, tmp_path: Path) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    member = run("member", "add", "--name", "Olive Oddname", "--email", "olive@example.org",
                 "--json").json()["id"]
    ref = run("case", "open", "--member", member, "--title", "Oddname rota dispute",
              "--category", "grievance", "--json").json()["ref"]
    src = tmp_path / "contract.txt"
    src.write_text("the member's original contract")
    doc = run("doc", "add", ref, str(src), "--original", "--json").json()[0]["id"]
    assert run("escalation", ref, "--not-escalating", "Handled locally").code == 0
    return ref, doc


def test_close_hold_destroy_certificate_and_audit(initialised, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = initialised
    ref, doc = _case_with_original(run, tmp_path)

    refused = run("case", "close", ref, "--outcome", "Settled", "--paper-shredded",
                  "--retain-days", "0", "--reason", "member asked")
    assert refused.code == 1
    assert "original not returned" in refused.err and "contract.txt" in refused.err
    blocked = run("case", "close", ref, "--outcome", "Settled", "--json")
    assert blocked.code == 1
    kinds = {i["kind"] for i in json.loads(blocked.out)["outstanding"]}
    assert kinds == {"original-not-returned", "paper-not-shredded"}

    assert run("doc", "returned", ref, doc).code == 0
    closed = run("case", "close", ref, "--outcome", "Settled", "--paper-shredded",
                 "--retain-days", "0", "--reason", "member asked", "--json")
    assert closed.code == 0, closed.err
    assert closed.json()["status"] == "due"

    due = run("retention", "due", "--json").json()
    assert [r["ref"] for r in due] == [ref]
    assert run("retention", "hold", ref, "--reason", "Subject access request pending").code == 0
    assert run("retention", "due", "--json").json() == []
    held = run("retention", "list", "--status", "held", "--json").json()
    assert [r["ref"] for r in held] == [ref]
    refused = run("retention", "destroy", ref, "--yes")
    assert refused.code == 1 and "hold" in refused.err
    assert run("retention", "release", ref).code == 0

    assert run("retention", "destroy", ref).code == 1  # no --yes
    cert_pdf = tmp_path / "cert.pdf"
    destroyed = run("retention", "destroy", ref, "--yes", "--certificate-out", str(cert_pdf),
                    "--json")
    assert destroyed.code == 0, destroyed.err
    assert destroyed.json()["verified"] is True
    text = "".join(p.extract_text() for p in PdfReader(cert_pdf).pages)
    assert ref in text and "Oddname" not in text and "Olive" not in text
    again = run("retention", "destroy", ref, "--yes")
    assert again.code == 1 and "already been destroyed" in again.err
    cert_json = tmp_path / "cert.json"
    assert run("retention", "certificate", ref, "--out", str(cert_json)).code == 0
    body = cert_json.read_text()
    assert json.loads(body)["case"]["ref"] == ref and "Oddname" not in body

    listed = run("retention", "list", "--json").json()
    assert listed[0]["status"] == "destroyed" and listed[0]["certificate"]

    for suffix in ("json", "csv", "pdf"):
        out = tmp_path / f"audit.{suffix}"
        made = run("audit", "--out", str(out), "--json")
        assert made.code == 0, made.err
        assert made.json()["counts"]["destroyed"] == 1
    for suffix in ("json", "csv"):
        ok = run("audit", "check", str(tmp_path / f"audit.{suffix}"), "--json")
        assert ok.code == 0, ok.err
        assert ok.json()["genuine"] is True
        assert "Oddname" not in (tmp_path / f"audit.{suffix}").read_text()
    tampered = tmp_path / "tampered.json"
    doc_json = json.loads((tmp_path / "audit.json").read_text())
    doc_json["report"]["counts"]["destroyed"] = 0
    tampered.write_text(json.dumps(doc_json))
    bad = run("audit", "check", str(tampered))
    assert bad.code == 1 and "altered" in bad.err


def test_refusals_are_one_line_exit_1(initialised) -> None:  # type: ignore[no-untyped-def]
    run = initialised
    unknown = run("retention", "destroy", "C-1999-0001", "--yes")
    assert unknown.code == 1 and unknown.err.count("\n") == 1
    member = run("member", "add", "--name", "Open Case", "--json").json()["id"]
    ref = run("case", "open", "--member", member, "--title", "Still open", "--category",
              "pay-contract", "--json").json()["ref"]
    still_open = run("retention", "destroy", ref, "--yes")
    assert still_open.code == 1 and "still open" in still_open.err
    assert run("case", "close", ref, "--outcome", "Done", "--paper-shredded").code == 0
    not_due = run("retention", "destroy", ref, "--yes")
    assert not_due.code == 1 and "not due" in not_due.err
    assert run("case", "reopen", ref, "--reason", "New evidence").code == 0
    assert run("retention", "list", "--json").json() == []
    usage = run("case", "close", ref, "--outcome", "x", "--reason", "no days")
    assert usage.code == 2
    assert run("audit").code == 2
