"""Issue 13: correcting records, the rep's profile, key dates and time limits."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import STRONG
from vault.casework.key_dates import KeyDateKind, tribunal_limitation
from vault.domain import CaseFlags, CaseStage, Category
from vault.errors import InvalidInput, RefusedAction
from vault.store.rep_profile_repo import RepProfile


@pytest.fixture
def case(session):  # type: ignore[no-untyped-def]
    m = session.members.add("Jonathon Smyth", membership_number="1001", email="j@example.org")
    return session.cases.open(m.id, "Grievance about rota", Category.GRIEVANCE,
                              opened=dt.date(2026, 11, 1))


def _entries(session, ref: str | None = None):  # type: ignore[no-untyped-def]
    if ref is None:
        seq, _ = session.trail.head()
        return [session.trail.entry(s)[0] for s in range(1, seq + 1)]
    return session.trail_log.entries(ref)


# -- members ---------------------------------------------------------------------------------

def test_member_edit_changes_only_given_fields_and_logs_names_not_values(session, case) -> None:  # type: ignore[no-untyped-def]
    result = session.members.edit(case.member_id, reason="typo at first meeting",
                                  name="Jonathan Smith", phone="07700 900123")
    assert result.changed == ("name", "phone")
    assert result.member.name == "Jonathan Smith" and result.member.email == "j@example.org"
    entry = next(e for e in reversed(_entries(session)) if e.kind == "member-edited")
    assert entry.payload["fields"] == ["name", "phone"]
    assert "Jonathon" not in str(entry.payload) and "Jonathan" not in str(entry.payload)
    assert session.verify().ok


def test_member_name_change_reruns_the_conflict_check(session, case) -> None:  # type: ignore[no-untyped-def]
    other = session.members.add("Priya Patel")
    session.parties.add(case.ref, "Priya Patell", "subject")
    fresh = session.members.add("Pat Newcomer")
    result = session.members.edit(fresh.id, reason="misheard", name="Priya Patel")
    assert result.conflicts, "the re-check should find the other Priya Patel and the party"
    assert other.id != fresh.id


def test_member_edit_refusals(session, case) -> None:  # type: ignore[no-untyped-def]
    other = session.members.add("Sam Other", membership_number="2002")
    with pytest.raises(InvalidInput, match=other.id):
        session.members.edit(case.member_id, reason="x", membership_number="2002")
    with pytest.raises(InvalidInput, match="Nothing to change"):
        session.members.edit(case.member_id, reason="x", name="Jonathon Smyth")
    with pytest.raises(InvalidInput):
        session.members.edit(case.member_id, reason="", name="New Name")
    with pytest.raises(InvalidInput):
        session.members.edit(case.member_id, reason="x", email="not-an-address")
    assert session.members.get(case.member_id).membership_number == "1001"


# -- cases -----------------------------------------------------------------------------------

def test_case_edit_to_dismissal_threatened_says_escalation_is_now_required(session, case) -> None:  # type: ignore[no-untyped-def]
    assert not case.needs_escalation_prompt
    result = session.cases.edit(case.ref, reason="manager's letter",
                                flags=CaseFlags(dismissal_threatened=True),
                                stage=CaseStage.FORMAL, informal_tried=True)
    assert result.escalation_newly_required and "Escalation is now required" in result.message
    assert session.escalation.status(case.ref).required
    updated = session.cases.get(case.ref)
    assert updated.stage is CaseStage.FORMAL and updated.informal_tried is True
    entry = _entries(session, case.ref)[-1]
    assert entry.payload["changes"]["stage"] == {"from": "informal", "to": "formal"}
    with pytest.raises(InvalidInput, match="Nothing to change"):
        session.cases.edit(case.ref, reason="again", stage=CaseStage.FORMAL)
    assert session.verify().ok


# -- documents -------------------------------------------------------------------------------

def test_rename_and_remove_a_document(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "wrong.txt"
    canary = b"CANARY-REMOVED-DOC-7f3e"
    src.write_bytes(canary * 200)
    doc = session.documents.import_file(case.ref, src, is_original=True)
    renamed = session.documents.rename(case.ref, doc.id, "Rota letter.txt", reason="clearer")
    assert renamed.name == "Rota letter.txt"
    path = session.vault.documents.path_for(case.id, doc.id)
    assert path.exists()
    with pytest.raises(RefusedAction, match="original"):
        session.documents.remove(case.ref, doc.id, reason="imported by mistake")
    session.documents.remove(case.ref, doc.id, reason="imported by mistake",
                             original_reason="it was a copy, not the original")
    assert not path.exists()
    assert session.documents.list(case.ref) == []
    kinds = [e.kind for e in _entries(session, case.ref)]
    assert kinds[-2:] == ["document-renamed", "document-removed"]
    assert session.verify().ok
    session.lock()
    for p in session.vault.paths.root.rglob("*"):
        if p.is_file():
            assert canary not in p.read_bytes()


# -- the rep's profile -----------------------------------------------------------------------

def test_profile_is_kept_and_used_on_follow_up_notes(session, case) -> None:  # type: ignore[no-untyped-def]
    session.profile.set(RepProfile(name="Sam Rep", branch="Northtown UCU",
                                   email="sam.casework@example.org"))
    assert session.profile.get().name == "Sam Rep"


# -- key dates -------------------------------------------------------------------------------

@pytest.mark.parametrize(("act", "limit"), [
    (dt.date(2026, 1, 15), dt.date(2026, 4, 14)),
    (dt.date(2025, 11, 30), dt.date(2026, 2, 27)),   # no 30 Feb: last day, less one
    (dt.date(2027, 11, 30), dt.date(2028, 2, 28)),   # leap year: 29 Feb less one
    (dt.date(2026, 3, 31), dt.date(2026, 6, 29)),    # 30 June stands in, less one
    (dt.date(2026, 12, 1), dt.date(2027, 2, 28)),
])
def test_tribunal_limitation_is_three_months_less_one_day(act, limit) -> None:  # type: ignore[no-untyped-def]
    assert tribunal_limitation(act) == limit


def test_key_dates_with_countdowns_upcoming_and_refusals(session, case, clock) -> None:  # type: ignore[no-untyped-def]
    today = clock.today()
    hearing = session.key_dates.add(case.ref, "hearing", today + dt.timedelta(days=3))
    assert hearing.countdown == "in 3 days" and not hearing.overdue
    tribunal = session.key_dates.add(case.ref, KeyDateKind.TRIBUNAL,
                                     act_date=dt.date(2026, 11, 2))
    assert tribunal.on == dt.date(2027, 2, 1) and "regional office" in (tribunal.advice or "")
    assert [d.id for d in session.key_dates.upcoming(14)] == [hearing.id]
    with pytest.raises(InvalidInput, match="before case"):
        session.key_dates.add(case.ref, "response", dt.date(2026, 10, 1))
    with pytest.raises(InvalidInput, match="act complained of"):
        session.key_dates.add(case.ref, "tribunal")
    with pytest.raises(InvalidInput, match="future"):
        session.key_dates.add(case.ref, "tribunal", act_date=today + dt.timedelta(days=1))
    session.key_dates.remove(hearing.id, "hearing cancelled")
    assert [d.id for d in session.key_dates.for_case(case.ref)] == [tribunal.id]


def test_ics_export_parses_and_leaves_out_the_member_name(session, case, clock) -> None:  # type: ignore[no-untyped-def]
    from icalendar import Calendar

    session.key_dates.add(case.ref, "hearing", clock.today() + dt.timedelta(days=5),
                          note="Room 2, bring the rota")
    session.key_dates.add(case.ref, "tribunal", act_date=dt.date(2026, 11, 2))
    text = session.key_dates.ics(case.ref)
    cal = Calendar.from_ical(text)
    events = [c for c in cal.walk() if c.name == "VEVENT"]
    assert len(events) == 2
    assert {str(e["SUMMARY"]) for e in events} == {f"{case.ref}: Hearing",
                                                    f"{case.ref}: Tribunal time limit"}
    assert "Jonathon" not in text
    assert "Jonathon Smyth" in session.key_dates.ics(case.ref, member_name=True)


# -- the command line ------------------------------------------------------------------------

def test_cli_edit_paths(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert run("init").code == 0
    member = run("member", "add", "--name", "Jo Blogs", "--json").json()["id"]
    ref = run("case", "open", "--member", member, "--title", "Rota", "--category", "other",
              "--json").json()["ref"]
    r = run("member", "edit", member, "--name", "Jo Bloggs", "--reason", "typo", "--json")
    assert r.code == 0 and r.json()["changed"] == ["name"]
    assert "Jo Bloggs" in run("member", "show", member).out
    r = run("case", "edit", ref, "--dismissal-threatened", "--reason", "letter", "--json")
    assert r.code == 0 and r.json()["escalation_newly_required"] is True
    r = run("case", "edit", ref, "--reason", "nothing")
    assert r.code == 2
    r = run("case", "date", "add", ref, "--kind", "tribunal", "--act-date", "2026-11-02",
            "--json")
    assert r.code == 0 and r.json()["date"] == "2027-02-01"
    r = run("case", "date", "add", ref, "--kind", "hearing", "--date", "not a date")
    assert r.code == 1 and "Traceback" not in r.err and len(r.err.strip().splitlines()) == 1
    assert "Tribunal time limit" in run("case", "dates", ref).out
    out = tmp_path / "dates.ics"
    assert run("case", "ics", ref, "--out", str(out)).code == 0
    assert out.read_text().startswith("BEGIN:VCALENDAR")
    assert run("profile", "set", "--name", "Sam Rep").code == 0
    assert run("profile", "show", "--json").json()["name"] == "Sam Rep"
    r = run("member", "edit", member, "--number", "x" * 50, "--reason", "r")
    assert r.code == 1 and "Traceback" not in r.err
    assert run("verify").code == 0
    assert STRONG


# -- technical advice (guide point 9) ---------------------------------------------------------

def test_technical_advice_without_a_source_prompts_to_look_it_up(session, case) -> None:  # type: ignore[no-untyped-def]
    from vault.domain import EntryKind

    bare = session.trail_log.log(case.ref, EntryKind.TECHNICAL_ADVICE,
                                 "Told the member the notice period is four weeks")
    assert bare.prompt is not None and "regional office" in bare.prompt
    sourced = session.trail_log.log(case.ref, "technical-advice",
                                    "Right to be accompanied", source="ACAS code, para 14")
    assert sourced.prompt is None
    entry = session.trail_log.entry(sourced.seq)
    assert entry.payload["source"] == "ACAS code, para 14" and entry.label == "Technical advice"
    with pytest.raises(InvalidInput, match="technical advice only"):
        session.trail_log.log(case.ref, EntryKind.NOTE, "x", source="somewhere")


def test_cli_technical_advice_warns_without_a_source(run) -> None:  # type: ignore[no-untyped-def]
    assert run("init").code == 0
    member = run("member", "add", "--name", "Kim Lee", "--json").json()["id"]
    ref = run("case", "open", "--member", member, "--title", "Pay", "--category",
              "pay-contract", "--json").json()["ref"]
    r = run("log", "add", ref, "--kind", "technical-advice", "--text", "Holiday pay rule")
    assert r.code == 0 and "look it up" in r.err


# -- checking back (guide point 8) ------------------------------------------------------------

def test_check_back_is_due_after_the_weeks_set_and_cleared_by_recording_one(
        session, case, clock) -> None:  # type: ignore[no-untyped-def]
    session.first_meeting.add_issue(case.ref, "Rota changed without consultation")
    assert session.check_back.due() == []  # opened 1 Nov; today 23 Nov: not yet 4 weeks
    clock.advance(days=7)
    assert [d.case_ref for d in session.check_back.due()] == [case.ref]
    due = session.check_back.due()[0]
    assert due.open_issues == 1 and due.since == dt.date(2026, 11, 1)
    session.check_back.record(case.ref, "went through the issues with the member")
    assert session.check_back.due() == []
    entry = session.trail_log.entries(case.ref)[-1]
    assert entry.kind == "checked-back" and entry.payload["open_issues"] == 1
    clock.advance(days=35)
    assert [d.case_ref for d in session.check_back.due()] == [case.ref]


# -- parties ---------------------------------------------------------------------------------

def test_party_edit_rechecks_and_remove_keeps_the_decision(session, case) -> None:  # type: ignore[no-untyped-def]
    other_member = session.members.add("Priya Patel")
    other = session.cases.open(other_member.id, "Other", Category.OTHER)
    added = session.parties.add(case.ref, "Pat Manager", "manager")
    assert added.conflicts == []
    edited = session.parties.edit(added.party.id, reason="misheard the name",
                                  name="Priya Patel")
    assert edited.party.name == "Priya Patel" and edited.conflicts
    finding = edited.conflicts[0]
    session.conflicts.decide(finding.id, "proceed", reason="different department")
    session.parties.remove(added.party.id, reason="added to the wrong case")
    assert session.parties.list(case.ref) == []
    assert any(f.id == finding.id and f.decision is not None
               for f in session.conflicts.findings(case.ref))
    assert session.search.search("Patel") and all(
        g.ref != case.ref or not any(h.source.value == "party" for h in g.hits)
        for g in session.search.search("Patel"))
    assert [e.kind for e in session.trail_log.entries(case.ref)][-1] == "party-removed"
    assert other.ref
    assert session.verify().ok


def test_cli_party_edit_and_remove(run) -> None:  # type: ignore[no-untyped-def]
    assert run("init").code == 0
    member = run("member", "add", "--name", "Kim Lee", "--json").json()["id"]
    ref = run("case", "open", "--member", member, "--title", "Pay", "--category",
              "pay-contract", "--json").json()["ref"]
    pid = run("party", "add", ref, "--name", "Pat Boss", "--role", "manager",
              "--json").json()["id"]
    r = run("party", "edit", str(pid), "--role", "witness", "--reason", "wrong role", "--json")
    assert r.code == 0 and r.json()["role"] == "witness"
    assert run("party", "remove", str(pid), "--reason", "mistake").code == 0
    assert run("party", "list", ref, "--json").json() == []


def test_cli_case_delete_opened_by_mistake(run) -> None:  # type: ignore[no-untyped-def]
    assert run("init").code == 0
    member = run("member", "add", "--name", "Kim Lee", "--json").json()["id"]
    ref = run("case", "open", "--member", member, "--title", "Oops", "--category", "other",
              "--json").json()["ref"]
    r = run("case", "delete", ref, "--reason", "opened for the wrong member", "--yes", "--json")
    assert r.code == 0 and r.json()["status"] == "destroyed"
    assert run("case", "delete", ref, "--reason", "again", "--yes").code == 1
    assert run("verify").code == 0
