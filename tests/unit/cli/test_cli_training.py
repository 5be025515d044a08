"""``training`` commands: the Bectu Freelancer exclusion and a Prospect walk to accredited."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

PROSPECT_ROUTE = ["reps2-listed", "cohort-formed", "letter1", "dates-accepted",
                  "resources-received", "attended", "homework2-marked", "homework1-marked",
                  "action-plan", "tutor-feedback", "officer-follow-up", "officer-signed-off",
                  "records-updated", "letters-received"]


def test_unknown_union_lists_the_known_ones(initialised) -> None:  # type: ignore[no-untyped-def]
    r = initialised("training", "union", "nosuchunion")
    assert r.code == 1
    assert "bectu" in r.err and "prospect" in r.err and "ucu" in r.err


def test_bectu_freelancer_only_cannot_start_reps2(initialised) -> None:  # type: ignore[no-untyped-def]
    run = initialised
    assert run("training", "union", "bectu").code == 0
    assert run("training", "record", "reps1-freelancer", "--date", "2026-01-10").code == 0
    shown = run("training", "show", "--json").json()
    assert shown["status"] == "reps2-not-open" and shown["next_step"] is None
    r = run("training", "record", "reps2-listed")
    assert r.code == 1 and "Freelancer" in r.err


def test_prospect_walk_to_accredited_and_print(initialised, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run = initialised
    assert run("training", "union", "prospect").code == 0
    assert run("training", "show", "--json").json()["status"] == "not-eligible"
    assert run("training", "record", "reps1", "--date", "2026-02-01").code == 0
    shown = run("training", "show", "--json").json()
    assert shown["status"] == "eligible-level2" and shown["next_step"] == "reps2-listed"
    # Sign-off before attendance is refused with the reason.
    r = run("training", "record", "officer-signed-off", "--date", "2026-03-01")
    assert r.code == 1 and r.err.count("\n") == 1
    for step in PROSPECT_ROUTE:
        r = run("training", "record", step, "--date", "2026-06-01")
        assert r.code == 0, (step, r.err)
        if step == "attended":
            assert run("training", "show", "--json").json()["status"] == "reps2-in-progress"
        if step == "officer-follow-up":
            assert run("training", "show", "--json").json()["status"] == "awaiting-sign-off"
    assert run("training", "show", "--json").json()["status"] == "accredited"
    out = tmp_path / "record.pdf"
    assert run("training", "print", "--out", str(out), "--name", "Sam Rep").code == 0
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "Accredited case handler" in text and "Prospect" in text and "Sam Rep" in text


def test_future_date_refused(initialised) -> None:  # type: ignore[no-untyped-def]
    run = initialised
    run("training", "union", "ucu")
    r = run("training", "record", "reps1", "--date", "2031-01-01")
    assert r.code == 1 and "future" in r.err


def test_education_team_update_is_confirmed_from_the_command_line(initialised) -> None:  # type: ignore[no-untyped-def]
    run = initialised
    run("training", "union", "bectu")
    run("training", "record", "reps1", "--date", "2026-01-10")
    shown = run("training", "show", "--json").json()
    assert any("Education team" in m for m in shown["missing"])
    r = run("training", "education", "reps1", "--date", "2026-01-20")
    assert r.code == 0, r.err
    shown = run("training", "show", "--json").json()
    assert shown["courses"][0]["education_updated_on"] == "2026-01-20"
    assert not any("Education team" in m for m in shown["missing"])
    # Before the course, or for a course not on the record: refused in one line.
    r = run("training", "education", "reps1", "--date", "2026-01-05")
    assert r.code == 1 and r.err.count("\n") == 1
    r = run("training", "education", "hs-rep")
    assert r.code == 1 and "not on your training record" in r.err


def test_bectu_route_in_the_seed_order_from_the_command_line(initialised) -> None:  # type: ignore[no-untyped-def]
    run = initialised
    run("training", "union", "bectu")
    run("training", "record", "reps1", "--date", "2026-01-10")
    run("training", "record", "reps2-listed", "--date", "2026-02-01")
    r = run("training", "record", "letter1", "--date", "2026-02-02")
    assert r.code == 1 and "Six reps gathered" in r.err
    for step in ["cohort-formed", "letter1", "dates-accepted", "resources-received", "attended",
                 "homework1-marked",
                 "homework2-marked", "action-plan", "tutor-feedback"]:
        assert run("training", "record", step, "--date", "2026-06-01").code == 0, step
    assert run("training", "show", "--json").json()["next_step"] == "feedback-returned"
    r = run("training", "record", "officer-signed-off", "--date", "2026-06-01")
    assert r.code == 1
    for step in ["feedback-returned", "officer-follow-up", "officer-signed-off"]:
        assert run("training", "record", step, "--date", "2026-06-02").code == 0, step
    assert run("training", "show", "--json").json()["status"] == "accredited"
