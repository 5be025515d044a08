"""Casework commands: JSON shapes of DESIGN.md §8, and one-line errors with exit status 1."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ACCREDITATION_ROUTE


@pytest.fixture
def cli(initialised):  # type: ignore[no-untyped-def]
    """The CLI of a vault whose rep is an accredited case handler (Prospect route recorded)."""
    run = initialised
    assert run("training", "union", "prospect").code == 0
    assert run("training", "record", "reps1", "--date", "2026-01-10").code == 0
    for step in ACCREDITATION_ROUTE:
        assert run("training", "record", step, "--date", "2026-06-01").code == 0

    def ok(*argv: str):  # type: ignore[no-untyped-def]
        r = run(*argv, "--json")
        assert r.code == 0, r.err
        return r.json()

    run.ok = ok  # type: ignore[attr-defined]
    return run


def _two_cases(cli):  # type: ignore[no-untyped-def]
    m1 = cli.ok("member", "add", "--name", "Jon Smith")["id"]
    c1 = cli.ok("case", "open", "--member", m1, "--title", "Pay", "--category", "pay-contract")
    m2 = cli.ok("member", "add", "--name", "Mary Jones")["id"]
    c2 = cli.ok("case", "open", "--member", m2, "--title", "Hearing", "--category",
                "disciplinary", "--dismissal-threatened")
    return c1["ref"], c2


def _one_line_error(r, code: int = 1) -> None:  # type: ignore[no-untyped-def]
    assert r.code == code, (r.out, r.err)
    assert r.err.count("\n") == 1 and "Traceback" not in r.err


def test_case_open_and_member_add_carry_escalation_and_conflicts(cli) -> None:  # type: ignore[no-untyped-def]
    _, c2 = _two_cases(cli)
    assert c2["escalation_required"] is True and c2["conflicts"] == []
    assert c2["escalation_rules"] == ["dismissal-or-discrimination"]
    assert "tell your Prospect officer" in c2["escalation_reasons"][0]
    party = cli.ok("party", "add", c2["ref"], "--name", "Bob Roberts", "--role", "witness")
    assert party["conflicts"] == []
    added = cli.ok("member", "add", "--name", "Robert Roberts")
    assert [c["ref"] for c in added["conflicts"]] == [c2["ref"]]
    assert added["conflicts"][0]["role"] == "witness"
    opened = cli.ok("case", "open", "--member", added["id"], "--title", "Own",
                    "--category", "grievance")
    assert opened["escalation_required"] is False
    assert [c["ref"] for c in opened["conflicts"]] == [c2["ref"]]
    text = cli("member", "add", "--name", "Bobby Roberts")
    assert text.code == 0 and "possible conflict" in text.err


def test_party_add_json_and_conflict_decisions(cli) -> None:  # type: ignore[no-untyped-def]
    c1, c2 = _two_cases(cli)
    data = cli.ok("party", "add", c2["ref"], "--name", "Jonathan Smith", "--role", "manager",
                  "--union-member", "no")
    assert isinstance(data["id"], int) and data["ref"] == c2["ref"]
    [conflict] = data["conflicts"]
    assert conflict["ref"] == c1 and conflict["role"] == "member"
    assert conflict["reason"] == "nickname" and conflict["decision"] is None
    assert [p["name"] for p in cli.ok("party", "list", c2["ref"])] == ["Jonathan Smith"]
    pending = cli.ok("conflicts", "pending", c1)
    assert [p["id"] for p in pending] == [conflict["id"]]
    assert all("ref" in p for p in cli.ok("conflicts", "pending"))
    r = cli("conflicts", "decide", str(conflict["id"]), "--decision", "proceed")
    _one_line_error(r)
    decided = cli.ok("conflicts", "decide", str(conflict["id"]), "--decision", "proceed",
                     "--reason", "Not the same person")
    assert decided["decision"] == "proceed"
    assert cli.ok("conflicts", "pending") == []
    assert cli.ok("conflicts", "list", c2["ref"])[0]["decision_reason"] == "Not the same person"


def test_conflicts_check_saves_nothing_and_empty_vault_gives_empty_list(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli.ok("conflicts", "check", "--name", "Jon Smith") == []
    c1, _ = _two_cases(cli)
    head = cli.ok("log", "verify")["head_seq"]
    found = cli.ok("conflicts", "check", "--name", "Smith, Jonathan")
    assert [(f["ref"], f["role"], f["name"]) for f in found] == [(c1, "member", "Jon Smith")]
    assert cli.ok("conflicts", "check", "--name", "Jon Smith", "--exclude-case", c1) == []
    assert cli.ok("log", "verify")["head_seq"] == head
    r = cli("conflicts", "check", "--name", " ")
    _one_line_error(r)


def test_log_add_list_correct_and_verify(cli) -> None:  # type: ignore[no-untyped-def]
    ref, _ = _two_cases(cli)
    first = cli.ok("log", "add", ref, "--kind", "meeting", "--text", "Met the member",
                   "--when", "2026-11-20 10:30")
    assert isinstance(first["id"], int)
    note = cli.ok("log", "add", ref, "--kind", "note", "--text", "A note", "--detail", "Longer")
    fix = cli.ok("log", "add", ref, "--corrects", str(first["id"]), "--text", "Met the member "
                 "and HR")
    assert fix["corrects"] == first["id"] and fix["kind"] == "meeting"
    r = cli("log", "add", ref, "--corrects", str(first["id"]), "--text", "again")
    _one_line_error(r)
    assert f"correct #{fix['id']} instead" in r.err
    listed = cli.ok("log", "list", ref)
    assert all(e["ref"] == ref for e in listed)
    by_id = {e["id"]: e for e in listed}
    assert by_id[first["id"]]["corrected_by"] == fix["id"]
    assert by_id[note["id"]]["detail"] == "Longer"
    assert [e["kind"] for e in cli.ok("log", "list", ref, "--kind", "meeting")] == [
        "meeting", "meeting"]
    shown = cli.ok("log", "show", str(first["id"]))
    assert shown["occurred"].startswith("2026-11-20T10:30")
    verify = cli.ok("log", "verify")
    assert verify["ok"] is True and verify["head_seq"] == fix["id"]
    assert verify["short_head"].startswith(f"#{fix['id']}·")


@pytest.mark.parametrize("argv,needle", [
    (["--kind", "note", "--text", "   "], "summary"),
    (["--kind", "meeting", "--text", "x", "--when", "2030-01-01"], "future"),
    (["--kind", "note", "--text", "x", "--not-followed"], "advice"),
    (["--kind", "off-the-record", "--text", "x", "--manager-told"], "told beforehand"),
    (["--kind", "off-the-record", "--text", "x"], "manager"),
])
def test_log_add_refusals_are_one_line(cli, argv, needle) -> None:  # type: ignore[no-untyped-def]
    ref, _ = _two_cases(cli)
    r = cli("log", "add", ref, *argv)
    _one_line_error(r)
    assert needle in r.err


def test_log_add_usage_errors(cli) -> None:  # type: ignore[no-untyped-def]
    ref, _ = _two_cases(cli)
    _one_line_error(cli("log", "add", ref, "--text", "no kind"), code=2)
    _one_line_error(cli("log", "add", ref, "--kind", "note"), code=2)
    _one_line_error(cli("log", "add", ref, "--kind", "gossip", "--text", "x"), code=1)


def test_oral_advice_followups_draft_and_waive(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ref, c2 = _two_cases(cli)
    oral = cli.ok("log", "add", ref, "--kind", "oral-advice", "--text", "Ask for it in writing",
                  "--channel", "meeting")
    assert oral["followup_due"] == "2026-11-25"
    owed = cli.ok("followups")
    assert [(f["ref"], f["entry"], f["state"]) for f in owed] == [(ref, oral["id"], "owed")]
    theirs = cli.ok("log", "add", c2["ref"], "--kind", "oral-advice", "--text", "Other advice")
    r = cli("log", "add", ref, "--kind", "letter", "--text", "x", "--follows-up",
            str(theirs["id"]))
    _one_line_error(r)
    assert "another case" in r.err
    text = cli("followup", "draft", str(oral["id"]), "--rep-name", "Alex Rep", "--union", "UCU")
    assert text.code == 0 and text.out.startswith("Dear Jon Smith,")
    assert "Ask for it in writing" in text.out
    pdf = tmp_path / "note.pdf"
    drafted = cli.ok("followup", "draft", str(oral["id"]), "--pdf", str(pdf))
    assert drafted["pdf"] == str(pdf) and pdf.read_bytes().startswith(b"%PDF")
    assert "[your name]" in drafted["text"] and drafted["ref"] == ref
    _one_line_error(cli("followup", "draft", str(oral["id"]), "--pdf", str(pdf)))
    done = cli.ok("log", "add", ref, "--kind", "email-sent", "--text", "Sent the note",
                  "--follows-up", str(oral["id"]))
    assert done["discharged"] == oral["id"]
    waived = cli.ok("followup", "waive", str(theirs["id"]), "--reason", "Member withdrew")
    assert waived["state"] == "waived" and waived["ref"] == c2["ref"]
    assert cli.ok("followups") == []
    every = cli.ok("followups", "--case", ref, "--all")
    assert [f["state"] for f in every] == ["discharged"]


def test_off_record_consent_then_log(cli) -> None:  # type: ignore[no-untyped-def]
    ref, _ = _two_cases(cli)
    r = cli("consent", "off-record", ref, "--when", "2030-01-01", "--how", "phone")
    _one_line_error(r)
    consent = cli.ok("consent", "off-record", ref, "--when", "2026-11-22", "--how",
                     "Told by phone, member agreed")
    assert consent["ref"] == ref and isinstance(consent["id"], int)
    entry = cli.ok("log", "add", ref, "--kind", "off-the-record", "--text", "Talk with HR",
                   "--manager-told")
    listed = cli.ok("log", "list", ref)
    assert next(e for e in listed if e["id"] == entry["id"])["off_record"] is True
    without = cli.ok("log", "list", ref, "--without-off-record")
    assert entry["id"] not in [e["id"] for e in without]


def test_consent_share(cli) -> None:  # type: ignore[no-untyped-def]
    ref, _ = _two_cases(cli)
    assert cli.ok("consent", "share", ref, "on") == {"ref": ref, "consent_to_share": True}
    assert cli.ok("case", "show", ref)["consent_to_share"] is True
    assert cli.ok("consent", "share", ref, "off")["consent_to_share"] is False
    _one_line_error(cli("consent", "share", ref, "maybe"), code=2)


def test_meeting_commands_and_upcoming(cli) -> None:  # type: ignore[no-untyped-def]
    ref, _ = _two_cases(cli)
    m = cli.ok("meeting", "set", ref, "--date", "2026-11-20", "--place", "Union office")
    assert m["date"] == "2026-11-20" and m["place"] == "Union office"
    _one_line_error(cli("meeting", "set", ref, "--date", "2026-12-25"))
    issue = cli.ok("meeting", "issue", ref, "--text", "Underpaid since April")
    assert issue["new"] is True  # the clock is past the meeting day
    agreed = cli.ok("meeting", "issue", ref, "--text", "Missing payslips", "--agreed")
    assert agreed["new"] is False
    assert cli.ok("meeting", "addressed", ref, str(issue["id"]), "--note", "Back pay agreed")[
        "addressed"] is True
    action = cli.ok("meeting", "action", ref, "--text", "Write to payroll", "--owner", "rep",
                    "--due", "2026-11-26")
    assert action["owner"] == "rep" and action["done"] is False
    cli.ok("meeting", "narrative", ref, "--text", "Pay cut without notice")
    shown = cli.ok("meeting", "show", ref)
    assert [i["id"] for i in shown["issues"]] == [issue["id"], agreed["id"]]
    assert shown["narrative"] == "Pay cut without notice"
    upcoming = cli.ok("upcoming")
    assert [(u["ref"], u["id"]) for u in upcoming] == [(ref, action["id"])]
    assert cli.ok("meeting", "done", ref, str(action["id"]))["done"] is True
    assert cli.ok("upcoming") == []
    assert "First meeting of" in cli("meeting", "show", ref).out


def test_escalation_commands(cli) -> None:  # type: ignore[no-untyped-def]
    _, c2 = _two_cases(cli)
    ref = c2["ref"]
    assert [e["ref"] for e in cli.ok("escalations")] == [ref]
    status = cli.ok("escalation", ref)
    assert status["outstanding"] is True and status["decision"] is None
    _one_line_error(cli("escalation", ref, "--when", "2026-11-20"), code=2)
    _one_line_error(cli("escalation", ref, "--to", "Jo", "--when", "2027-01-01"))
    done = cli.ok("escalation", ref, "--to", "Jo Caseworker", "--when", "2026-11-20",
                  "--regional-notified", "2026-11-21")
    assert done["outstanding"] is False
    assert done["decision"]["escalated_to"] == "Jo Caseworker"
    assert cli.ok("escalations") == []
    other = cli.ok("escalation", ref, "--not-escalating", "Handled by the branch secretary")
    assert other["decision"]["decision"] == "not-escalating"


def test_search_json(cli) -> None:  # type: ignore[no-untyped-def]
    ref, c2 = _two_cases(cli)
    cli.ok("log", "add", c2["ref"], "--kind", "note", "--text", "Hearing moved to Friday")
    cli.ok("party", "add", ref, "--name", "Fiona Friday", "--role", "colleague")
    groups = cli.ok("search", "friday")
    assert {g["ref"] for g in groups} == {ref, c2["ref"]}
    assert all("hits" in g and g["hits"] for g in groups)
    assert cli.ok("search", "nothing-like-this") == []
    _one_line_error(cli("search", "!!!"))
    assert "Nothing found." in cli("search", "zzzz").out
