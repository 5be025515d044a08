"""Union profiles: the built-in files load, every rule is data, malformed files are named."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from vault.errors import InvalidInput
from vault.training.codes import StatusCode
from vault.training.profile import (
    ProfileError,
    load_builtin_profiles,
    load_profile_file,
    load_profiles,
    parse_profile,
    prerequisites_closure,
)

ROOT = Path(__file__).parents[3]
UNIONS_DIR = ROOT / "resources" / "unions"
DOMAIN_STEPS = ("reps2-listed", "cohort-formed", "letter1", "dates-accepted",
                "resources-received", "attended", "homework1-marked", "homework2-marked",
                "action-plan", "tutor-feedback", "officer-follow-up", "officer-signed-off",
                "records-updated", "letters-received")
CUSTOM_TEXT = (UNIONS_DIR / "custom.toml").read_text("utf-8")


def test_builtin_profiles_all_load() -> None:
    loaded = load_builtin_profiles(UNIONS_DIR)
    assert loaded.errors == []
    assert set(loaded.profiles) == {"bectu", "custom", "prospect", "ucu"}
    profiles, errors = loaded  # unpacks like the (profiles, errors) pair it is
    assert profiles is loaded.profiles and errors is loaded.errors


@pytest.mark.parametrize("key", ["bectu", "prospect", "ucu"])
def test_main_profiles_use_every_domain_step_name(key: str) -> None:
    profile = load_profile_file(UNIONS_DIR / f"{key}.toml")
    assert tuple(s.id for s in profile.route) == DOMAIN_STEPS
    assert profile.attendance_step == "attended"
    assert profile.sign_off_step == "officer-signed-off"
    assert {"reps1", "hs-rep"} <= {c.id for c in profile.courses}
    assert profile.retention_years == 6


def test_bectu_has_freelancer_course_that_opens_level2_but_not_reps2() -> None:
    bectu = load_profile_file(UNIONS_DIR / "bectu.toml")
    freelancer = bectu.course("reps1-freelancer")
    assert freelancer is not None and freelancer.name == "Reps 1 (Freelancer)"
    assert "reps1-freelancer" in bectu.level2_open_after
    assert "reps1-freelancer" not in bectu.reps2_open_after
    assert "Freelancer" in bectu.reps2_not_open_wording


def test_prospect_recommends_reps2_and_sends_two_letters() -> None:
    prospect = load_profile_file(UNIONS_DIR / "prospect.toml")
    assert prospect.course("reps1-freelancer") is None
    assert prospect.reps2_wording.startswith("Recommended")
    assert len(prospect.letters) == 2
    assert any("employer" in letter for letter in prospect.letters)
    letters_step = prospect.step("letters-received")
    assert letters_step is not None and "employer" in letters_step.explanation


def test_ucu_links_come_from_the_casework_guide() -> None:
    ucu = load_profile_file(UNIONS_DIR / "ucu.toml")
    urls = {link.url for link in ucu.links}
    assert {"https://ucu.custhelp.com/", "https://www.thompsons.law.co.uk",
            "https://www.slatergordon.co.uk", "https://www.gov.uk/browse/working",
            "https://www.acas.org.uk", "https://www.ucu.org.uk/yourcontacts",
            "https://www.ucu.org.uk/training"} <= urls
    assert "regional office" in ucu.regional_office
    assert "ucu.org.uk/yourcontacts" in ucu.regional_office_help


@pytest.mark.parametrize("key", ["bectu", "custom", "prospect", "ucu"])
def test_every_profile_refuses_sign_off_before_attendance_by_data(key: str) -> None:
    profile = load_profile_file(UNIONS_DIR / f"{key}.toml")
    assert profile.attendance_step in prerequisites_closure(profile, profile.sign_off_step)
    resources = [s for s in profile.route if s.expected_days_before_course]
    assert [s.expected_days_before_course for s in resources] == [14]
    homework = [s.id for s in profile.route if s.due_before_next_session]
    assert homework == ["homework1-marked", "homework2-marked"]
    # Homework sheets do not require each other: sheet 2 may be marked before sheet 1.
    for step_id in homework:
        step = profile.step(step_id)
        assert step is not None and not set(step.requires) & set(homework)


def test_custom_profile_overrides_a_headline_and_drops_steps() -> None:
    custom = load_profile_file(UNIONS_DIR / "custom.toml")
    assert custom.headline(StatusCode.REPS2_IN_PROGRESS).startswith("Working towards")
    assert custom.headline(StatusCode.ACCREDITED) == "Accredited case handler"
    assert custom.step("cohort-formed") is None


def test_code_knows_no_union_by_name() -> None:
    """Union names may appear in docstrings as examples, never in code or string literals."""
    sources = list((ROOT / "vault" / "training").glob("*.py"))
    sources.append(ROOT / "vault" / "training" / "record_report.py")
    for path in sources:
        tree = ast.parse(path.read_text("utf-8"))
        docstrings = {
            id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
            and node.body and isinstance(node.body[0], ast.Expr)
        }
        words: list[str] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) not in docstrings:
                    words.append(node.value)
            elif isinstance(node, ast.Name):
                words.append(node.id)
            elif isinstance(node, ast.Attribute):
                words.append(node.attr)
        code = " ".join(words).casefold()
        for union in ("bectu", "prospect", "ucu"):
            assert union not in code, f"{path.name} names {union}"


# -- malformed profiles ---------------------------------------------------------------------


def _broken(old: str, new: str) -> str:
    assert old in CUSTOM_TEXT, old
    return CUSTOM_TEXT.replace(old, new, 1)


@pytest.mark.parametrize(("text", "field", "problem"), [
    ("key = ", "(syntax)", "not valid TOML"),
    (_broken('key = "custom"', 'key = "Custom Union"'), "key", "lower-case words"),
    (_broken('name = "Other union (example)"\n', ""), "name", "is missing"),
    (_broken("retention_years = 6", 'retention_years = "six"'), "retention_years",
     "whole number"),
    (_broken("retention_years = 6", "retention_years = 0"), "retention_years", "between 1"),
    (_broken("retention_years = 6", "retention_years = true"), "retention_years",
     "whole number"),
    (_broken("format = 1", "format = 2"), "format", "must be 1"),
    (_broken('name = "Reps 1"', 'nmae = "Reps 1"'), "courses[1].nmae", "not a field"),
    (_broken("level = 1", "level = 3"), "courses[1].level", "between 1 and 2"),
    (_broken('id = "hs-rep"', 'id = "reps1"'), "courses[2].id", "used twice"),
    (_broken('open_after = ["reps1", "hs-rep"]', 'open_after = ["reps1", "reps9"]'),
     "level2.open_after", "'reps9' is not a level-1 course"),
    (_broken('open_after = ["reps1", "hs-rep"]\nwording = "To be',
             'open_after = ["reps1", "level2-other"]\nwording = "To be'),
     "reps2.open_after", "level-1 course"),
    (_broken('requires = ["reps2-listed"]', 'requires = ["attended"]'),
     "route[2].requires", "'attended' is not an earlier step"),
    (_broken('requires = ["homework1-marked", "homework2-marked", "officer-follow-up"]',
             'requires = ["letter1"]'),
     "reps2.sign_off_step", "must require 'attended'"),
    (_broken('sign_off_step = "officer-signed-off"', 'sign_off_step = "signed"'),
     "reps2.sign_off_step", "not a step of the route"),
    (_broken('id = "letter1"', 'id = "reps1"'), "route[2].id", "already used"),
    (_broken("expected_days_before_course = 14", "expected_days_before_course = 400"),
     "route[4].expected_days_before_course", "between 1 and 90"),
    (_broken('url = "https://www.acas.org.uk"', 'url = "javascript:alert(1)"'),
     "links[1].url", "https://"),
    (_broken('"reps2-in-progress" = "Working towards accreditation (next: {next_step})"',
             '"reps2-in-progress" = "Next: {0.__class__}"'),
     "headlines.reps2-in-progress", "placeholder"),
    (_broken('"reps2-in-progress" =', '"almost-there" ='), "headlines.almost-there",
     "not a field"),
    (_broken('explanation = "You attend the course."', "explanation = 5"),
     "route[5].explanation", "must be text"),
    (_broken("due_before_next_session = true", 'due_before_next_session = "yes"'),
     "route[6].due_before_next_session", "true or false"),
    (_broken("[contacts]", "[contact]"), "contact", "not a field"),
])
def test_malformed_profile_names_file_and_field(text: str, field: str, problem: str) -> None:
    with pytest.raises(ProfileError) as caught:
        parse_profile(text, "mine.toml")
    err = caught.value
    assert isinstance(err, InvalidInput)
    assert err.file_name == "mine.toml"
    assert err.field_name == field
    assert problem in str(err)
    assert str(err).startswith(f"Union profile mine.toml: {field}:")


def test_malformed_file_is_reported_and_the_others_still_load(tmp_path: Path) -> None:
    builtin = tmp_path / "unions"
    builtin.mkdir()
    for key in ("bectu", "prospect"):
        (builtin / f"{key}.toml").write_text((UNIONS_DIR / f"{key}.toml").read_text("utf-8"))
    (builtin / "broken.toml").write_text(_broken("level = 1", "level = 7"), "utf-8")
    (builtin / "binary.toml").write_bytes(b"\xff\xfe\x00garbage")
    (builtin / "notes.txt").write_text("not a profile")
    loaded = load_builtin_profiles(builtin)
    assert set(loaded.profiles) == {"bectu", "prospect"}
    assert sorted((e.file_name, e.field_name) for e in loaded.errors) == [
        ("binary.toml", "(file)"), ("broken.toml", "courses[1].level")]


def test_user_folder_adds_profiles_and_duplicate_keys_are_refused(tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "branch.toml").write_text(
        _broken('key = "custom"', 'key = "my-branch"'), "utf-8")
    (mine / "copy-of-bectu.toml").write_text((UNIONS_DIR / "bectu.toml").read_text("utf-8"))
    loaded = load_profiles(UNIONS_DIR, [mine, tmp_path / "missing-folder-is-fine"])
    assert "my-branch" in loaded.profiles
    assert loaded.profiles["bectu"].source_file == "bectu.toml"
    assert [(e.file_name, e.field_name) for e in loaded.errors] == [
        ("copy-of-bectu.toml", "key")]
    assert "already used by bectu.toml" in str(loaded.errors[0])


def test_missing_builtin_folder_is_an_error_not_a_crash(tmp_path: Path) -> None:
    loaded = load_builtin_profiles(tmp_path / "nowhere")
    assert loaded.profiles == {}
    assert [e.field_name for e in loaded.errors] == ["(folder)"]


def test_oversized_profile_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_text(CUSTOM_TEXT + "\n#" + "x" * 300_000 + "\n", "utf-8")
    with pytest.raises(ProfileError, match=re.escape("big.toml: (file): is larger")):
        load_profile_file(big)


def test_whitespace_in_wording_is_normalised() -> None:
    text = _broken('wording = "You are an accredited case handler."',
                   'wording = """You are an\n    accredited   case handler."""')
    profile = parse_profile(text, "mine.toml")
    assert profile.accredited_wording == "You are an accredited case handler."
