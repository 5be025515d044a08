"""Name normalisation, nickname knowledge and phonetic keys (vault.casework.names)."""

from __future__ import annotations

import pytest

from vault.casework.names import (
    canonical_first_names,
    first_names_related,
    normalise_name,
    phonetic_key,
    sounds_alike,
)
from vault.errors import InvalidInput


@pytest.mark.parametrize(
    "typed",
    [
        "Jonathan Smith",
        "Smith, Jonathan",
        "JONATHAN SMITH",
        "  jonathan \t  smith  ",
        "Mr Jonathan Smith",
        "Dr. Jonathan Smith",
        "Prof Jonathan Smith",
        "Smith, Dr Jonathan",
        "Jonathan Smith, Jr",
        "Jonathan Smith III",
    ],
)
def test_ordinary_spellings_of_one_name_agree(typed: str) -> None:
    assert normalise_name(typed).tokens == ("jonathan", "smith")


def test_accents_are_stripped_from_latin_names() -> None:
    assert normalise_name("José Núñez").full == "jose nunez"
    assert normalise_name("Søren Kierkegaard").full == "soren kierkegaard"
    assert normalise_name("Łucja Wałęsa").full == "lucja walesa"
    assert normalise_name("Straße").full == "strasse"
    assert normalise_name("Siobhán Ó Briain").full == "siobhan o briain"


def test_apostrophes_join_and_hyphens_split() -> None:
    assert normalise_name("O'Brien").full == "obrien"
    assert normalise_name("O’Brien").full == "obrien"
    assert normalise_name("Jean-Luc Smith-Jones").tokens == ("jean", "luc", "smith", "jones")
    assert normalise_name("J. R. R. Tolkien").tokens == ("j", "r", "r", "tolkien")


@pytest.mark.parametrize("title", ["Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Dame"])
def test_titles_are_dropped(title: str) -> None:
    assert normalise_name(f"{title} Ann Lee").tokens == ("ann", "lee")
    assert normalise_name(f"{title.upper()}. Ann Lee").tokens == ("ann", "lee")


def test_a_title_word_is_kept_when_it_is_the_whole_name_or_not_leading() -> None:
    assert normalise_name("Mr").tokens == ("mr",)
    assert normalise_name("John Lord").tokens == ("john", "lord")
    assert normalise_name("Mr Smith").tokens == ("smith",)


def test_normalised_name_parts() -> None:
    name = normalise_name("Mary Anne Smith-Jones")
    assert name.given == "mary"
    assert name.surname == "jones"
    assert name.other_names == ("anne", "smith", "jones")
    assert name.compact == "maryannesmithjones"
    assert name.is_ascii
    assert not normalise_name("Иван Петров").is_ascii


@pytest.mark.parametrize(
    "typed",
    [
        "Иван Петров",  # Cyrillic
        "Γιώργος Παπαδόπουλος",  # Greek
        "محمد علي",  # Arabic
        "王小明",  # Chinese
        "田中 太郎",  # Japanese
        "김민준",  # Korean
        "राहुल शर्मा",  # Devanagari
        "สมชาย ใจดี",  # Thai
        "דוד כהן",  # Hebrew
    ],
)
def test_non_latin_names_are_never_emptied_and_normalising_is_stable(typed: str) -> None:
    first = normalise_name(typed)
    assert first.full.strip()
    assert all(first.tokens)
    assert normalise_name(first.full) == first


def test_non_latin_case_and_accents_fold() -> None:
    assert normalise_name("ИВАН ПЕТРОВ") == normalise_name("иван петров")
    assert normalise_name("Ёлкин").full == normalise_name("Елкин").full
    greek = normalise_name("ΓΙΏΡΓΟΣ")
    assert greek == normalise_name("Γιώργος") == normalise_name("γιωργοσ")
    assert normalise_name("مُحَمَّد") == normalise_name("محمد")


def test_marks_that_are_letters_in_their_script_are_kept() -> None:
    # Devanagari vowel signs change the name: stripping them would merge different people.
    assert normalise_name("राहुल").full != normalise_name("रहल").full
    assert normalise_name("राहुल").full == "राहुल"


def test_cjk_spacing_does_not_change_the_compact_form() -> None:
    assert normalise_name("王 小明").compact == normalise_name("王小明").compact


def test_punctuation_only_names_keep_their_characters() -> None:
    assert normalise_name("!!!").full == "!!!"
    assert normalise_name("☺").full == "☺"


@pytest.mark.parametrize("blank", ["", "   ", "\t\n"])
def test_blank_names_are_refused(blank: str) -> None:
    with pytest.raises(InvalidInput):
        normalise_name(blank)


def test_a_non_string_is_refused() -> None:
    with pytest.raises(InvalidInput):
        normalise_name(None)  # type: ignore[arg-type]


def test_canonical_first_names_from_the_nickname_data() -> None:
    assert {"jon", "john", "jonathan"} <= canonical_first_names("Jon")
    assert {"bob", "robert"} <= canonical_first_names("BOB")
    assert canonical_first_names("Zebedeeqx") == frozenset({"zebedeeqx"})
    assert canonical_first_names("Иван") == frozenset({"иван"})
    with pytest.raises(InvalidInput):
        canonical_first_names(" ")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jon", "Jonathan"),
        ("Jon", "John"),
        ("Bob", "Robert"),
        ("Bob", "Rob"),
        ("Bill", "William"),
        ("Kate", "Katie"),
        ("Liz", "Elizabeth"),
        ("Sam", "Samantha"),
        ("Ann", "Anna"),
        ("Jonathan", "jonathan"),
    ],
)
def test_related_first_names(a: str, b: str) -> None:
    assert first_names_related(a, b)
    assert first_names_related(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("John", "Mary"),
        ("Jon", "Joan"),
        ("Ann", "Chris"),  # both listed for "Christiana" only
        ("Liz", "Beth"),
        ("Robert", "William"),
        ("Иван", "Jon"),
    ],
)
def test_unrelated_first_names(a: str, b: str) -> None:
    assert not first_names_related(a, b)
    assert not first_names_related(b, a)


@pytest.mark.parametrize(
    ("word", "key"),
    [
        ("smith", "SM0"),
        ("smyth", "SM0"),
        ("smythe", "SM0"),
        ("smithers", "SM0RS"),
        ("lee", "L"),
        ("leigh", "L"),
        ("jones", "JNS"),
        ("johns", "JNS"),
        ("knight", "NT"),
        ("catherine", "K0RN"),
        ("katherine", "K0RN"),
        ("stephen", "STFN"),
        ("steven", "STFN"),
        ("philips", "FLPS"),
        ("fillips", "FLPS"),
        ("anna", "AN"),
    ],
)
def test_phonetic_keys(word: str, key: str) -> None:
    assert phonetic_key(word) == key


def test_phonetic_key_is_empty_outside_plain_latin() -> None:
    assert phonetic_key("петров") == ""
    assert phonetic_key("o brien") == ""
    assert phonetic_key("") == ""


def test_sounds_alike_needs_the_same_first_vowel() -> None:
    assert sounds_alike("smith", "smyth")
    assert sounds_alike("lee", "leigh")
    assert sounds_alike("jones", "johns")
    assert not sounds_alike("hill", "hall")
    assert not sounds_alike("lee", "law")
    assert not sounds_alike("smith", "smithers")
    assert not sounds_alike("петров", "петров")
