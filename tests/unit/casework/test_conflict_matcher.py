"""The conflict-of-interest index (vault.casework.conflict_matcher)."""

from __future__ import annotations

import random

import pytest

from vault.casework.conflict_matcher import (
    ConflictIndex,
    ConflictMatch,
    MatchReason,
    Person,
    match_wording,
)
from vault.errors import InvalidInput, NotFound


def party(key: str, name: str, case_ref: str | None = "C-2026-0001", **kw: str) -> Person:
    return Person(key=key, name=name, case_ref=case_ref, role=kw.pop("role", "witness"), **kw)


def names_found(matches: list[ConflictMatch]) -> set[str]:
    return {m.person.name for m in matches}


def one(index: ConflictIndex, query: str, name: str) -> ConflictMatch:
    found = [m for m in index.match(query) if m.person.name == name]
    assert len(found) == 1, f"{query!r} should flag {name!r} once"
    return found[0]


@pytest.fixture
def smiths() -> ConflictIndex:
    return ConflictIndex.build(
        [
            party("p1", "Jonathan Smith"),
            party("p2", "Smith, Jonathan", "C-2026-0002"),
            party("p3", "Jonathon Smyth", "C-2026-0003"),
            party("p4", "John Smithers", "C-2026-0004"),
            party("p5", "Mary Smith", "C-2026-0005"),
            party("p6", "John Jones", "C-2026-0006"),
            party("p7", "Joan Smith", "C-2026-0007"),
        ]
    )


def test_jon_smith_finds_jonathan_smith_in_every_spelling(smiths: ConflictIndex) -> None:
    found = names_found(smiths.match("Jon Smith"))
    assert {"Jonathan Smith", "Smith, Jonathan", "Jonathon Smyth"} <= found


def test_john_smithers_is_not_jon_smith(smiths: ConflictIndex) -> None:
    assert "John Smithers" not in names_found(smiths.match("Jon Smith"))


def test_same_first_name_different_surname_is_not_a_match(smiths: ConflictIndex) -> None:
    assert "John Jones" not in names_found(smiths.match("John Smith"))
    assert names_found(smiths.match("Jonathan Brown")) == set()


def test_same_surname_different_first_name_is_not_a_match(smiths: ConflictIndex) -> None:
    found = names_found(smiths.match("Jon Smith"))
    assert "Mary Smith" not in found
    assert "Joan Smith" not in found  # one letter apart, but a different name


def test_reasons_and_scores(smiths: ConflictIndex) -> None:
    exact = one(smiths, "Jonathan Smith", "Jonathan Smith")
    assert (exact.reason, exact.score) == (MatchReason.SAME_NAME, 100)
    turned = one(smiths, "Jonathan Smith", "Smith, Jonathan")
    assert (turned.reason, turned.score) == (MatchReason.SAME_NAME, 100)
    nick = one(smiths, "Jon Smith", "Jonathan Smith")
    assert (nick.reason, nick.score) == (MatchReason.NICKNAME, 90)
    fuzzy = one(smiths, "Jon Smith", "Jonathon Smyth")
    assert fuzzy.reason is MatchReason.FUZZY
    assert 60 <= fuzzy.score < nick.score


def test_bob_jones_finds_robert_jones() -> None:
    index = ConflictIndex.build([party("r", "Robert Jones"), party("x", "Roberta Jones")])
    match = one(index, "Bob Jones", "Robert Jones")
    assert match.reason is MatchReason.NICKNAME
    assert "Roberta Jones" not in names_found(index.match("Bob Jones"))


def test_accents_do_not_hide_a_match() -> None:
    index = ConflictIndex.build([party("a", "Jose Nunez")])
    match = one(index, "José Núñez", "Jose Nunez")
    assert (match.reason, match.score) == (MatchReason.SAME_NAME, 100)


@pytest.mark.parametrize(
    ("stored", "typed", "other"),
    [
        ("Иван Петров", "ИВАН  ПЕТРОВ", "Иван Сидоров"),
        ("王小明", "王 小明", "王小红"),
        ("Γιώργος Παπαδόπουλος", "ΓΙΩΡΓΟΣ ΠΑΠΑΔΟΠΟΥΛΟΣ", "Νίκος Παπαδόπουλος"),
        ("مُحَمَّد علي", "محمد علي", "محمد حسن"),
        ("राहुल शर्मा", "राहुल  शर्मा", "रहल शर्मा"),
    ],
)
def test_non_latin_names_match_their_normalised_selves(stored: str, typed: str, other: str) -> None:
    index = ConflictIndex.build([party("s", stored), party("o", other, "C-2026-0009")])
    matches = index.match(typed)
    assert [m.person.key for m in matches] == ["s"]
    assert matches[0].reason is MatchReason.SAME_NAME


def test_exact_membership_number_always_matches() -> None:
    index = ConflictIndex.build(
        [party("m", "Priya Patel", None, role="member", membership_number="UCU 12345")]
    )
    assert index.match("Somebody Else") == []
    matches = index.match("Somebody Else", membership_number="UCU 12345")
    assert [(m.person.key, m.reason, m.score) for m in matches] == [
        ("m", MatchReason.EXACT_NUMBER, 100)
    ]
    assert index.match("Somebody Else", membership_number=" ucu12345 ")[0].person.key == "m"
    assert index.match("Somebody Else", membership_number="UCU 12346") == []


def test_exact_email_always_matches_casefolded_and_stripped() -> None:
    index = ConflictIndex.build([party("e", "Priya Patel", email="Priya.Patel@Example.org")])
    matches = index.match("P. Q. Nobody", email="  priya.patel@example.ORG ")
    assert [(m.person.key, m.reason) for m in matches] == [("e", MatchReason.EXACT_EMAIL)]
    assert index.match("P. Q. Nobody", email="priya@example.org") == []


def test_one_match_per_person_with_the_strongest_reason() -> None:
    index = ConflictIndex.build(
        [party("m", "Priya Patel", membership_number="123", email="p@example.org")]
    )
    matches = index.match("Priya Patel", membership_number="123", email="p@example.org")
    assert len(matches) == 1
    assert matches[0].reason is MatchReason.EXACT_NUMBER


@pytest.mark.parametrize("blank", ["", "  ", "\n\t"])
def test_blank_name_is_refused(blank: str) -> None:
    with pytest.raises(InvalidInput):
        ConflictIndex().match(blank)


def test_ann_lee_and_anna_leigh_are_flagged_as_possible() -> None:
    # Decided: flagged (fuzzy, lower score). Ann is short for Anna; Lee and Leigh sound alike.
    index = ConflictIndex.build(
        [party("a", "Anna Leigh"), party("b", "Anna Law"), party("c", "Anna Lee")]
    )
    matches = index.match("Ann Lee")
    by_name = {m.person.name: m for m in matches}
    assert set(by_name) == {"Anna Leigh", "Anna Lee"}
    assert by_name["Anna Lee"].reason is MatchReason.NICKNAME
    assert by_name["Anna Leigh"].reason is MatchReason.FUZZY
    assert by_name["Anna Leigh"].score < by_name["Anna Lee"].score


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Jonh Smith", "John Smith"),  # swapped letters
        ("Micheal Brown", "Michael Brown"),
        ("Katherine Smyth", "Catherine Smith"),
        ("Mary Smiht", "Mary Smith"),
        ("Sarah Johns", "Sarah Jones"),
        ("Mary Reid", "Mary Reed"),
        ("Priya Pattel", "Priya Patel"),
        ("J Smith", "John Smith"),  # an initial
        ("Mary Smith", "Mary Smith-Jones"),  # double-barrelled surname
        ("Smith John", "John Smith"),  # words in another order
        ("John A Smith", "John Adam Smith"),
        ("Dr Siobhán O'Brien", "Siobhan OBrien"),
        # Issue 16: near-misses a rep types after a meeting.
        ("Amy Chan", "Amy Chen"),  # two spellings of one surname
        ("Wei Li", "Wei Lee"),
        ("Mary McDonald", "Mary MacDonald"),
        ("Ali Mohammed", "Ali Muhammad"),
        ("John Bloggs", "Jo Bloggs"),  # a two-letter first name is a short form
        ("Joe Bloggs", "Jo Bloggs"),
        ("Jo Blogs", "Joe Bloggs"),
    ],
)
def test_flagged_variants(typed: str, stored: str) -> None:
    index = ConflictIndex.build([party("x", stored)])
    assert names_found(index.match(typed)) == {stored}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Jim Hill", "Jim Hall"),
        ("Jane Smith", "Jan Smith"),
        ("John Paul Jones", "John Paul Smith"),  # only a middle name in common
        ("J Smithers", "John Smith"),
        ("Jonh Smiht", "John Smith"),  # both names loosely spelt
        ("Ivan Petrov", "Иван Петров"),  # no transliteration
        ("Smith", "John Smith"),  # one word matches only itself
        ("John Smith", "Kohn Smith"),
        ("Mark Kent", "Mark Kant"),  # short surnames one letter apart
        ("Jon Smith", "John Smithers"),
        ("Amy Chan", "Amy Chang"),  # Chan and Chang are different names
        ("Amy Chan", "Amy Shaw"),
        ("Joe Bloggs", "Jan Bloggs"),
        ("Jo Bloggs", "Jim Bloggs"),
        ("Jo Bloggs", "Jo Blake"),
        ("Jan Smith", "Jo Smith"),
        ("Mary Mack", "Mary Mck"),  # Mc/Mac only before a name of three letters or more
    ],
)
def test_not_flagged(typed: str, stored: str) -> None:
    index = ConflictIndex.build([party("x", stored)])
    assert index.match(typed) == []


def test_clashing_middle_names_lower_the_match_to_fuzzy() -> None:
    index = ConflictIndex.build([party("b", "John Brian Smith"), party("p", "John Smith")])
    clash = one(index, "John Adam Smith", "John Brian Smith")
    plain = one(index, "John Adam Smith", "John Smith")
    assert clash.reason is MatchReason.FUZZY
    assert plain.reason is MatchReason.SAME_NAME
    assert clash.score < plain.score


def test_exclusions() -> None:
    index = ConflictIndex.build(
        [
            party("own", "Jo Bloggs", "C-1"),
            party("self", "Jo Bloggs", "C-2"),
            party("other", "Jo Bloggs", "C-3"),
            party("member", "Jo Bloggs", None, role="member"),
        ]
    )
    keys = [m.person.key for m in index.match("Jo Bloggs", exclude_case_ref="C-1")]
    assert sorted(keys) == ["member", "other", "self"]
    keys = [
        m.person.key for m in index.match("Jo Bloggs", exclude_case_ref="C-1", exclude_key="self")
    ]
    assert sorted(keys) == ["member", "other"]
    # Exclusions apply to exact number and email matches too.
    index.add(party("num", "Somebody", "C-1", membership_number="77"))
    assert index.match("Nobody", membership_number="77", exclude_case_ref="C-1") == []


def test_results_are_sorted_best_first_and_stable() -> None:
    index = ConflictIndex.build(
        [
            party("fuzzy", "Jonathon Smyth", "C-3"),
            party("nick", "Jonathan Smith", "C-2"),
            party("same", "Jon Smith", "C-1"),
            party("num", "Zed Zulu", "C-4", membership_number="9"),
        ]
    )
    matches = index.match("Jon Smith", membership_number="9")
    assert [m.person.key for m in matches] == ["num", "same", "nick", "fuzzy"]
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    assert matches == index.match("Jon Smith", membership_number="9")


def test_add_replaces_a_record_with_the_same_key() -> None:
    index = ConflictIndex.build([party("k", "Robert Jones", membership_number="1")])
    index.add(party("k", "Alice Walker", membership_number="2"))
    assert len(index) == 1
    assert index.match("Robert Jones") == []
    assert index.match("X Y", membership_number="1") == []
    assert [m.person.key for m in index.match("Alice Walker")] == ["k"]


def test_remove() -> None:
    index = ConflictIndex.build(
        [party("a", "Robert Jones", email="r@example.org"), party("b", "Bob Jones")]
    )
    assert "a" in index
    index.remove("a")
    assert "a" not in index
    assert len(index) == 1
    assert [m.person.key for m in index.match("Robert Jones", email="r@example.org")] == ["b"]
    with pytest.raises(NotFound):
        index.remove("a")


def test_people_need_a_key_and_a_name() -> None:
    with pytest.raises(InvalidInput):
        ConflictIndex.build([party("", "Ann Lee")])
    index = ConflictIndex()
    with pytest.raises(InvalidInput):
        index.add(party("k", "   "))
    assert len(index) == 0


def test_match_reason_values_are_the_json_words() -> None:
    assert [r.value for r in MatchReason] == [
        "exact-number",
        "exact-email",
        "same-name",
        "nickname",
        "fuzzy",
    ]


def words(text: str) -> list[str]:
    return text.split()


FIRSTS = words(
    "Jon John Jonathan Bob Robert Rob Ann Anna Kate Katie Catherine Katherine Michael Micheal "
    "Mary J Sam Samantha Liz Jo Joe Al Alan Amy Aimee"
)
SURNAMES = words(
    "Smith Smyth Smithers Lee Leigh Law Jones Johns Hill Hall Clark Clarke Brown Browne "
    "Smith-Jones Ng Wu Li Chan Chen Chang McDonald MacDonald Bloggs Blogs"
)


def test_blocking_never_loses_a_match_the_rules_allow() -> None:
    """The index returns exactly what comparing the query with everyone one by one returns."""
    from vault.casework.conflict_matcher import _compare, _first_relation, _Profile

    rng = random.Random(7)
    people = []
    for i in range(1500):
        middle = f" {rng.choice(['Adam', 'A', 'Brian'])}" if rng.random() < 0.15 else ""
        name = f"{rng.choice(FIRSTS)}{middle} {rng.choice(SURNAMES)}"
        if rng.random() < 0.2:
            first, _, rest = name.partition(" ")
            name = f"{rest}, {first}"
        people.append(party(f"p{i}", name, f"C-{i % 40}"))
    index = ConflictIndex.build(people)
    profiles = {p.key: _Profile.of(p.name) for p in people}
    for _ in range(150):
        query = f"{rng.choice(FIRSTS)} {rng.choice(SURNAMES)}"
        q = _Profile.of(query)
        expected = {}
        for key, other in profiles.items():
            verdict = _compare(q, other, _first_relation(q.name.given, other.name.given))
            if verdict is not None:
                expected[key] = verdict
        got = {m.person.key: (m.reason, m.score) for m in index.match(query)}
        assert got == expected, query


def test_near_misses_read_in_plain_words() -> None:
    index = ConflictIndex.build([
        party("chen", "Amy Chen", "C-1"), party("jo", "Jo Bloggs", "C-2"),
        party("jon", "Jonathan Smith", "C-3"), party("same", "Priya Patel", "C-4"),
        party("num", "Zed Zulu", None, role="member", membership_number="42"),
        party("mail", "Yan Yu", None, role="member", email="y@example.org"),
        party("leigh", "Anna Leigh", "C-5"),
    ])
    assert one(index, "Amy Chan", "Amy Chen").wording == "very similar name"
    assert one(index, "Joe Bloggs", "Jo Bloggs").wording == "very similar name"
    assert one(index, "John Bloggs", "Jo Bloggs").wording == "very similar name"
    assert one(index, "Jon Smith", "Jonathan Smith").wording == "same name, short form"
    assert one(index, "Patel, Priya", "Priya Patel").wording == "same name"
    assert index.match("X Y", membership_number="42")[0].wording == "same membership number"
    assert index.match("X Y", email="Y@example.org")[0].wording == "same email address"
    assert one(index, "Ann Lee", "Anna Leigh").wording == "similar name"
    assert match_wording(MatchReason.FUZZY, 80) == "very similar name"
    assert match_wording(MatchReason.FUZZY, 79) == "similar name"


def test_the_member_of_the_excluded_case_can_be_kept() -> None:
    """A party added on a member's own case is still compared with that member."""
    index = ConflictIndex.build([
        party("m", "Joe Bloggs", "C-1", role="member"),
        party("w", "Jo Bloggs", "C-1", role="witness"),
    ])
    assert index.match("Jo Bloggs", exclude_case_ref="C-1") == []
    kept = index.match("Jo Bloggs", exclude_case_ref="C-1",
                       keep_roles_of_excluded_case=frozenset({"member"}))
    assert [m.person.key for m in kept] == ["m"]
