"""Union profiles: the data file that says how one union trains and accredits its reps.

A profile is a TOML file (``resources/unions/<key>.toml`` for the built-in ones). It holds the
course names, which courses open Level 2 and Reps 2, which courses count as Reps 1 for
accreditation, the Reps 2 route (each step with its title, its explanation in the union's own
words and the steps that must be ticked before it), the default archive period for retention,
the union's contacts wording and its useful links. The code knows no union by name: adding a
union is adding a file.

Loading is strict: an unknown field, a wrong type or a dangling reference is a
:class:`ProfileError` naming the file and the field, so a typo never silently changes a rule.
Loading a folder never fails as a whole: files that fail are reported beside the ones that
loaded, so the app still starts with the good profiles.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from vault.errors import InvalidInput
from vault.training.codes import DEFAULT_HEADLINES, StatusCode, is_valid_id

log = logging.getLogger(__name__)

PROFILE_FORMAT = 1
MAX_PROFILE_BYTES = 256 * 1024
_MAX_TEXT = 2000
_HEADLINE_PLACEHOLDER = "{next_step}"


class ProfileError(InvalidInput):
    """A union profile file is malformed. The message names the file and the field."""

    def __init__(self, file_name: str, field_name: str, problem: str) -> None:
        self.file_name = file_name
        self.field_name = field_name
        self.problem = problem
        super().__init__(f"Union profile {file_name}: {field_name}: {problem}")


@dataclass(frozen=True)
class Course:
    """A course the rep can record. ``level`` is 1 (entry courses) or 2."""

    id: str
    name: str
    level: int
    # True for a catch-all entry ("Other Level 2 course") whose title the rep types in; the rep
    # may then record it several times under different titles.
    free_title: bool = False
    description: str = ""


@dataclass(frozen=True)
class RouteStep:
    """One step of the Reps 2 route, in the union's words."""

    id: str
    title: str
    explanation: str
    requires: tuple[str, ...] = ()
    # Reminder rules: the step is expected this many days before the Reps 2 course starts
    # (course resources), or before the course's next session (homework sheets).
    expected_days_before_course: int | None = None
    due_before_next_session: bool = False


@dataclass(frozen=True)
class UsefulLink:
    title: str
    url: str
    note: str = ""
    # Shown beside escalation prompts (regional contacts, support centre, solicitors, ACAS) as
    # well as on Help.
    beside_escalation: bool = False


@dataclass(frozen=True)
class UnionProfile:
    """A validated union profile. Built only by :func:`parse_profile`."""

    key: str
    name: str
    full_name: str
    source_file: str
    retention_years: int
    courses: tuple[Course, ...]
    # Level 2: which entry courses open it, the union's wording, and what to say while the
    # Education team has not been confirmed as updating the record.
    level2_open_after: tuple[str, ...]
    level2_wording: str
    education_update_wording: str
    # Reps 2 (Handling cases).
    reps2_course_name: str
    reps2_open_after: tuple[str, ...]
    reps2_wording: str
    reps2_not_open_wording: str
    attendance_step: str
    sign_off_step: str
    # The step that records the tutor's feedback: the sign-off must require it (seeds: the
    # officer signs off only after the tutor's feedback reached them).
    tutor_feedback_step: str
    letters: tuple[str, ...]
    route: tuple[RouteStep, ...]
    # Accreditation.
    accreditation_needs_one_of: tuple[str, ...]
    accredited_wording: str
    not_accredited_prompt: str
    # Contacts and help.
    regional_office: str
    # The verb prompts use for the regional office: "notify your UCU regional office",
    # "tell your Bectu dedicated officer".
    notify_verb: str
    regional_office_help: str
    education_team: str
    links: tuple[UsefulLink, ...]
    headlines: Mapping[StatusCode, str] = field(default_factory=dict)

    def course(self, course_id: str) -> Course | None:
        """The course with this id, or None."""
        return next((c for c in self.courses if c.id == course_id), None)

    def step(self, step_id: str) -> RouteStep | None:
        """The route step with this id, or None."""
        return next((s for s in self.route if s.id == step_id), None)

    def course_name(self, course_id: str) -> str:
        """The course's name in this profile, or the id itself when the profile lacks it."""
        course = self.course(course_id)
        return course.name if course is not None else course_id

    def step_title(self, step_id: str) -> str:
        """The step's title in this profile, or the id itself when the profile lacks it."""
        step = self.step(step_id)
        return step.title if step is not None else step_id

    def headline(self, code: StatusCode) -> str:
        """The headline for a status: the profile's own wording, else the product default."""
        return self.headlines.get(code, DEFAULT_HEADLINES[code])

    @property
    def known_ids(self) -> tuple[str, ...]:
        """Every id the rep can record: course ids then step ids, in profile order."""
        return tuple(c.id for c in self.courses) + tuple(s.id for s in self.route)


class ProfileSet(NamedTuple):
    """The profiles that loaded (by key) and an error for each file that did not."""

    profiles: dict[str, UnionProfile]
    errors: list[ProfileError]


# --------------------------------------------------------------------------------------------
# Loading


def load_profile_file(path: Path) -> UnionProfile:
    """Read and validate one profile file.

    Raises:
        ProfileError: the file is unreadable, too large, not UTF-8, not TOML, or fails a rule.
    """
    name = path.name
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_PROFILE_BYTES + 1)
    except OSError as exc:
        raise ProfileError(name, "(file)", "could not be read") from exc
    if len(raw) > MAX_PROFILE_BYTES:
        raise ProfileError(name, "(file)", f"is larger than {MAX_PROFILE_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProfileError(name, "(file)", "is not UTF-8 text") from exc
    return parse_profile(text, name)


def parse_profile(text: str, file_name: str) -> UnionProfile:
    """Validate a profile given as TOML text. ``file_name`` is used in error messages.

    Raises:
        ProfileError: the text is not TOML or breaks one of the profile rules.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(file_name, "(syntax)", f"not valid TOML ({exc})") from exc
    return _ProfileReader(file_name).read(data)


def load_profiles(unions_dir: Path, extra_dirs: Sequence[Path] = ()) -> ProfileSet:
    """Load every ``*.toml`` profile in ``unions_dir`` and then in each of ``extra_dirs``.

    ``unions_dir`` holds the built-in profiles and must exist; ``extra_dirs`` (for example a
    folder of the rep's own profiles) may be missing. A file that fails, or whose key is already
    taken by an earlier file, is reported in ``errors`` and skipped; the others still load.
    Never raises for a bad file.
    """
    profiles: dict[str, UnionProfile] = {}
    errors: list[ProfileError] = []
    folders: list[tuple[Path, bool]] = [(unions_dir, True), *((d, False) for d in extra_dirs)]
    for folder, required in folders:
        if not folder.is_dir():
            if required:
                errors.append(ProfileError(folder.name, "(folder)", "was not found"))
            continue
        for path in sorted(folder.glob("*.toml")):
            if path.name.startswith("."):
                continue
            try:
                profile = load_profile_file(path)
            except ProfileError as exc:
                log.warning("union profile rejected: %s", exc)
                errors.append(exc)
                continue
            if profile.key in profiles:
                taken_by = profiles[profile.key].source_file
                errors.append(ProfileError(path.name, "key",
                                           f"'{profile.key}' is already used by {taken_by}"))
                continue
            profiles[profile.key] = profile
    return ProfileSet(profiles, errors)


def load_builtin_profiles(unions_dir: Path) -> ProfileSet:
    """Load the built-in profiles from ``unions_dir`` (``resources/unions``). Never raises."""
    return load_profiles(unions_dir)


# --------------------------------------------------------------------------------------------
# Validation


class _ProfileReader:
    """Turns parsed TOML into a UnionProfile, naming the file and field of the first problem."""

    def __init__(self, file_name: str) -> None:
        self.file_name = file_name

    def fail(self, field_name: str, problem: str) -> ProfileError:
        return ProfileError(self.file_name, field_name, problem)

    # -- primitive readers ----------------------------------------------------------------

    def check_fields(self, table: Mapping[str, Any], where: str,
                     allowed: Iterable[str]) -> None:
        allowed_set = set(allowed)
        for name in table:
            if name not in allowed_set:
                raise self.fail(_join(where, name), "is not a field this profile format knows")

    def text(self, table: Mapping[str, Any], where: str, name: str, *,
             default: str | None = None) -> str:
        full = _join(where, name)
        if name not in table:
            if default is not None:
                return default
            raise self.fail(full, "is missing")
        value = table[name]
        if not isinstance(value, str):
            raise self.fail(full, "must be text")
        value = " ".join(value.split())
        if not value and default is None:
            raise self.fail(full, "must not be empty")
        if len(value) > _MAX_TEXT:
            raise self.fail(full, f"is longer than {_MAX_TEXT} characters")
        return value

    def integer(self, table: Mapping[str, Any], where: str, name: str, *, low: int, high: int,
                default: int | None = None) -> int:
        full = _join(where, name)
        if name not in table:
            if default is not None:
                return default
            raise self.fail(full, "is missing")
        value = table[name]
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(full, "must be a whole number")
        if not low <= value <= high:
            raise self.fail(full, f"must be between {low} and {high}")
        return value

    def flag(self, table: Mapping[str, Any], where: str, name: str) -> bool:
        value = table.get(name, False)
        if not isinstance(value, bool):
            raise self.fail(_join(where, name), "must be true or false")
        return value

    def texts(self, table: Mapping[str, Any], where: str, name: str, *,
              required: bool = True) -> tuple[str, ...]:
        full = _join(where, name)
        if name not in table:
            if required:
                raise self.fail(full, "is missing")
            return ()
        value = table[name]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(full, "must be a list of text")
        items = tuple(" ".join(v.split()) for v in value)
        if any(not v for v in items):
            raise self.fail(full, "must not contain empty text")
        return items

    def table(self, data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
        if name not in data:
            raise self.fail(name, "is missing")
        value = data[name]
        if not isinstance(value, dict):
            raise self.fail(name, "must be a table ([" + name + "])")
        return value

    def array_of_tables(self, data: Mapping[str, Any], name: str, *,
                        required: bool) -> list[Mapping[str, Any]]:
        if name not in data:
            if required:
                raise self.fail(name, "is missing")
            return []
        value = data[name]
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(name, f"must be a list of tables ([[{name}]])")
        if required and not value:
            raise self.fail(name, "must not be empty")
        return value

    def ident(self, table: Mapping[str, Any], where: str, name: str = "id") -> str:
        value = self.text(table, where, name)
        if not is_valid_id(value):
            raise self.fail(_join(where, name),
                            f"'{value}' must be lower-case words joined by hyphens")
        return value

    def ids(self, table: Mapping[str, Any], where: str, name: str, *,
            among: Mapping[str, object], kind: str, required: bool = True) -> tuple[str, ...]:
        values = self.texts(table, where, name, required=required)
        if required and not values:
            raise self.fail(_join(where, name), "must not be empty")
        for value in values:
            if value not in among:
                known = ", ".join(among) or "none"
                raise self.fail(_join(where, name),
                                f"'{value}' is not a {kind} of this profile (known: {known})")
        if len(set(values)) != len(values):
            raise self.fail(_join(where, name), "lists the same id twice")
        return values

    # -- the profile ------------------------------------------------------------------------

    def read(self, data: Mapping[str, Any]) -> UnionProfile:
        self.check_fields(data, "", (
            "format", "key", "name", "full_name", "retention_years", "contacts", "level2",
            "reps2", "accreditation", "headlines", "courses", "route", "links"))
        fmt = self.integer(data, "", "format", low=1, high=1_000)
        if fmt != PROFILE_FORMAT:
            raise self.fail("format", f"must be {PROFILE_FORMAT} (this version reads only that)")
        key = self.ident(data, "", "key")
        name = self.text(data, "", "name")
        full_name = self.text(data, "", "full_name", default=name) or name
        retention_years = self.integer(data, "", "retention_years", low=1, high=100, default=6)

        courses = self.read_courses(data)
        level1 = {c.id: c for c in courses if c.level == 1}
        all_courses = {c.id: c for c in courses}
        route = self.read_route(data, set(all_courses))
        steps = {s.id: s for s in route}

        contacts = self.table(data, "contacts")
        self.check_fields(contacts, "contacts",
                          ("regional_office", "notify", "regional_office_help",
                           "education_team"))
        notify_verb = self.text(contacts, "contacts", "notify", default="tell")
        if not notify_verb.isalpha() or not notify_verb.islower():
            raise self.fail("contacts.notify", "must be one lower-case verb, e.g. tell")

        level2 = self.table(data, "level2")
        self.check_fields(level2, "level2", ("open_after", "wording", "education_update"))
        level2_open_after = self.ids(level2, "level2", "open_after", among=level1,
                                     kind="level-1 course")

        reps2 = self.table(data, "reps2")
        self.check_fields(reps2, "reps2", ("course_name", "open_after", "wording", "not_open",
                                           "attendance_step", "sign_off_step",
                                           "tutor_feedback_step", "letters"))
        reps2_open_after = self.ids(reps2, "reps2", "open_after", among=level1,
                                    kind="level-1 course")
        outside = [c for c in reps2_open_after if c not in level2_open_after]
        if outside:
            raise self.fail("reps2.open_after",
                            f"'{outside[0]}' must also be listed in level2.open_after")
        attendance_step = self.text(reps2, "reps2", "attendance_step")
        sign_off_step = self.text(reps2, "reps2", "sign_off_step")
        tutor_feedback_step = self.text(reps2, "reps2", "tutor_feedback_step")
        for field_name, step_id in (("attendance_step", attendance_step),
                                    ("sign_off_step", sign_off_step),
                                    ("tutor_feedback_step", tutor_feedback_step)):
            if step_id not in steps:
                raise self.fail(f"reps2.{field_name}", f"'{step_id}' is not a step of the route")
        before_sign_off = _prerequisites_closure(steps, sign_off_step)
        if attendance_step not in before_sign_off:
            raise self.fail("reps2.sign_off_step",
                            f"'{sign_off_step}' must require '{attendance_step}' (directly or "
                            "through other steps), so sign-off can never come before attendance")
        if tutor_feedback_step not in before_sign_off:
            raise self.fail("reps2.sign_off_step",
                            f"'{sign_off_step}' must require '{tutor_feedback_step}' (directly "
                            "or through other steps), so a rep is never signed off before the "
                            "tutor's feedback")

        accreditation = self.table(data, "accreditation")
        self.check_fields(accreditation, "accreditation",
                          ("needs_one_of", "wording", "not_accredited_prompt"))
        needs = self.ids(accreditation, "accreditation", "needs_one_of", among=level1,
                         kind="level-1 course")

        return UnionProfile(
            key=key,
            name=name,
            full_name=full_name,
            source_file=self.file_name,
            retention_years=retention_years,
            courses=courses,
            level2_open_after=level2_open_after,
            level2_wording=self.text(level2, "level2", "wording"),
            education_update_wording=self.text(level2, "level2", "education_update"),
            reps2_course_name=self.text(reps2, "reps2", "course_name"),
            reps2_open_after=reps2_open_after,
            reps2_wording=self.text(reps2, "reps2", "wording"),
            reps2_not_open_wording=self.text(reps2, "reps2", "not_open"),
            attendance_step=attendance_step,
            sign_off_step=sign_off_step,
            tutor_feedback_step=tutor_feedback_step,
            letters=self.texts(reps2, "reps2", "letters", required=False),
            route=route,
            accreditation_needs_one_of=needs,
            accredited_wording=self.text(accreditation, "accreditation", "wording"),
            not_accredited_prompt=self.text(accreditation, "accreditation",
                                            "not_accredited_prompt"),
            regional_office=self.text(contacts, "contacts", "regional_office"),
            notify_verb=notify_verb,
            regional_office_help=self.text(contacts, "contacts", "regional_office_help"),
            education_team=self.text(contacts, "contacts", "education_team"),
            links=self.read_links(data),
            headlines=MappingProxyType(self.read_headlines(data)),
        )

    def read_courses(self, data: Mapping[str, Any]) -> tuple[Course, ...]:
        courses: list[Course] = []
        seen: set[str] = set()
        for i, table in enumerate(self.array_of_tables(data, "courses", required=True)):
            where = f"courses[{i + 1}]"
            self.check_fields(table, where, ("id", "name", "level", "free_title", "description"))
            course_id = self.ident(table, where)
            if course_id in seen:
                raise self.fail(f"{where}.id", f"'{course_id}' is used twice")
            seen.add(course_id)
            courses.append(Course(
                id=course_id,
                name=self.text(table, where, "name"),
                level=self.integer(table, where, "level", low=1, high=2),
                free_title=self.flag(table, where, "free_title"),
                description=self.text(table, where, "description", default=""),
            ))
        if not any(c.level == 1 for c in courses):
            raise self.fail("courses", "must include at least one level-1 course")
        return tuple(courses)

    def read_route(self, data: Mapping[str, Any], course_ids: set[str]) -> tuple[RouteStep, ...]:
        route: list[RouteStep] = []
        earlier: dict[str, RouteStep] = {}
        for i, table in enumerate(self.array_of_tables(data, "route", required=True)):
            where = f"route[{i + 1}]"
            self.check_fields(table, where, ("id", "title", "explanation", "requires",
                                             "expected_days_before_course",
                                             "due_before_next_session"))
            step_id = self.ident(table, where)
            if step_id in earlier or step_id in course_ids:
                raise self.fail(f"{where}.id", f"'{step_id}' is already used by a course or step")
            # Prerequisites must be earlier steps: this keeps the route free of cycles and
            # makes route order a valid order in which to tick everything.
            requires = self.texts(table, where, "requires", required=False)
            for req in requires:
                if req not in earlier:
                    raise self.fail(f"{where}.requires",
                                    f"'{req}' is not an earlier step of the route")
            days: int | None = None
            if "expected_days_before_course" in table:
                days = self.integer(table, where, "expected_days_before_course", low=1, high=90)
            step = RouteStep(
                id=step_id,
                title=self.text(table, where, "title"),
                explanation=self.text(table, where, "explanation"),
                requires=requires,
                expected_days_before_course=days,
                due_before_next_session=self.flag(table, where, "due_before_next_session"),
            )
            earlier[step_id] = step
            route.append(step)
        return tuple(route)

    def read_links(self, data: Mapping[str, Any]) -> tuple[UsefulLink, ...]:
        links: list[UsefulLink] = []
        for i, table in enumerate(self.array_of_tables(data, "links", required=False)):
            where = f"links[{i + 1}]"
            self.check_fields(table, where, ("title", "url", "note", "beside_escalation"))
            url = self.text(table, where, "url")
            if not url.startswith(("https://", "http://")) or " " in url:
                raise self.fail(f"{where}.url", "must be a web address starting https://")
            links.append(UsefulLink(title=self.text(table, where, "title"), url=url,
                                    note=self.text(table, where, "note", default=""),
                                    beside_escalation=self.flag(table, where,
                                                                "beside_escalation")))
        return tuple(links)

    def read_headlines(self, data: Mapping[str, Any]) -> dict[StatusCode, str]:
        if "headlines" not in data:
            return {}
        table = self.table(data, "headlines")
        codes = {c.value: c for c in StatusCode}
        self.check_fields(table, "headlines", codes)
        headlines: dict[StatusCode, str] = {}
        for name in table:
            text = self.text(table, "headlines", name)
            if "{" in text.replace(_HEADLINE_PLACEHOLDER, ""):
                raise self.fail(f"headlines.{name}",
                                f"may use only the placeholder {_HEADLINE_PLACEHOLDER}")
            headlines[codes[name]] = text
        return headlines


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _prerequisites_closure(steps: Mapping[str, RouteStep], step_id: str) -> set[str]:
    """Every step that must be ticked before ``step_id``, directly or through other steps."""
    found: set[str] = set()
    pending = list(steps[step_id].requires)
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending.extend(steps[current].requires)
    return found


def prerequisites_closure(profile: UnionProfile, step_id: str) -> set[str]:
    """Every step of ``profile``'s route required before ``step_id`` (transitively).

    Raises:
        KeyError: ``step_id`` is not a step of the route.
    """
    return _prerequisites_closure({s.id: s for s in profile.route}, step_id)
