"""``casevault demo``: a new vault of fictional casework that passes ``verify``; never mixed
into an existing vault."""

from __future__ import annotations

from vault.demo.people import SURNAMES


def test_demo_fills_a_new_vault_that_verifies(run) -> None:  # type: ignore[no-untyped-def]
    result = run("--json", "demo", "--cases", "24")
    assert result.code == 0, result.err
    report = result.json()
    assert report["cases"] == 24 and report["members"] >= 20
    assert report["documents"] > 0 and report["follow_ups_owed"] > 0
    assert report["training_steps"] > 0
    listed = run("--json", "case", "list").json()
    assert len(listed) == 24
    assert {c["category"] for c in listed} >= {"disciplinary", "grievance", "redundancy"}
    members = run("--json", "member", "list").json()
    assert all(m["name"].split()[-1] in SURNAMES for m in members)  # obviously fictional
    assert run("verify").code == 0
    assert run("--json", "followups").json()  # some follow-ups owed, some overdue


def test_demo_refuses_a_folder_that_already_holds_a_vault(initialised) -> None:  # type: ignore[no-untyped-def]
    result = initialised("demo", "--cases", "3")
    assert result.code == 1 and "already a vault" in result.err


def test_demo_beyond_the_detailed_cases_uses_the_bulk_path_and_still_verifies(  # type: ignore[no-untyped-def]
        run, monkeypatch) -> None:
    from vault.demo import generator

    monkeypatch.setattr(generator, "DETAILED_CASES", 5)
    result = run("--json", "demo", "--cases", "30", "--no-documents")
    assert result.code == 0, result.err
    assert result.json()["cases"] == 30
    assert len(run("--json", "case", "list").json()) == 30
    assert run("verify").code == 0
