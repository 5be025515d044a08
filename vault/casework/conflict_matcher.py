"""The in-memory conflict-of-interest index: who already appears in the rep's casework.

Owns matching one name (plus an optional membership number and email) against every member and
every party the vault knows, as DOMAIN.md "Conflicts of interest" asks: exact membership number,
exact email, the same normalised name, a known nickname ("Jon"/"Jonathan", "Bob"/"Robert") and
fuzzy similarity ("Smyth"/"Smith", "Jonh"/"John", "Leigh"/"Lee"). The index is built from plain
:class:`Person` records by the casework service (which owns the database) and answers from memory.

The matching rules, in order:

- Exact membership number or exact email (email and number case-folded and stripped): always
  a match, whatever the names say.
- Names are compared in their normalised form (vault.casework.names). The same compact form is
  ``same-name``; the same words in another order ("Smith Jonathan") is ``same-name`` too.
- Otherwise both names need a first name and a surname (two words or more). The first names must
  be related: equal, nicknames of each other (``nickname``; see names.first_names_related), an
  initial ("J"), or a near spelling ("Katherine"/"Catherine", "Micheal"; names under five
  letters only with two letters swapped, "Jonh", since "Jon"/"Joan" are different people).
- A first name of two letters ("Jo", "Al") is a short form of any longer first name it starts
  ("Jo Bloggs" may be "Joe Bloggs" or "John Bloggs"); it counts like an initial. Three letters
  and more do not ("Jan"/"Jane" stay different people).
- The surname must be the same word (a shared last word counts: "Mary Smith-Jones"), a known
  variant of the same name (names.surname_variant_key: "Chan"/"Chen", "Lee"/"Li",
  "McDonald"/"MacDonald"), a sound-alike (names.sounds_alike, Jaro-Winkler >= 0.65: "Smyth",
  "Leigh"/"Lee") or a typo (optimal-string-alignment similarity >= 0.75, Jaro-Winkler >= 0.85,
  same first letter; under five letters only two swapped letters, since "Hill"/"Hall" are
  different names). When the first names are only an initial, a two-letter short form or a
  near spelling, a typo surname is not enough. A surname
  that differs in more than spelling is not a match, whatever the first name: "John Smith" and
  "John Smithers" are different people, and so are "John Smith" and "John Jones".
- "Ann Lee" and "Anna Leigh" ARE flagged (fuzzy, score about 75): Ann is a short form of Anna
  and Lee/Leigh sound the same. A rep often writes down a name heard in a meeting; one click to
  dismiss a false alarm is cheaper than a missed conflict.
- Names in one word (one-word names, or CJK names typed without a space) match only their own
  normalised form. Names in different scripts ("Ivan Petrov"/"Иван Петров") are not
  transliterated and do not match by name.

Speed: a query never scans everyone. Each person is filed under blocking keys (compact name,
sorted words, each surname word, the surname's phonetic key, its variant key, and each
canonical first name with the surname's initial); a query gathers only the people sharing a
key with it, and every rule above is covered by at least one shared key. 50,000 people answer
in well under 100 ms.

Not thread-safe: the owner serialises add/remove/match. Nothing here logs names.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum, StrEnum

from rapidfuzz.distance import OSA, JaroWinkler

from vault.casework.names import (
    NormalisedName,
    canonical_first_names,
    first_names_related,
    normalise_name,
    phonetic_key,
    sounds_alike,
    surname_variant_key,
)
from vault.errors import InvalidInput, NotFound

__all__ = ["ConflictIndex", "ConflictMatch", "MatchReason", "Person", "match_wording"]

logger = logging.getLogger(__name__)

# Similarity thresholds, tuned on the cases in tests/unit/casework/test_conflict_matcher.py.
_TYPO_MIN_OSA = 0.75  # at most one edit (a transposition counts as one) per four letters
_TYPO_MIN_JW = 0.85
_SOUND_MIN_JW = 0.65  # a shared sound also needs this much spelling in common
_TYPO_MIN_LEN = 5  # shorter words one letter apart are usually different names

_NICKNAME_WEIGHT = 0.9
_SHORT_FORM_WEIGHT = 0.8
_SHORT_FORM_LEN = 2  # "Jo", "Al": a first name this short is a short form, not a name of its own
_INITIAL_WEIGHT = 0.7
_VARIANT_WEIGHT = 0.9
_MIDDLE_CLASH_WEIGHT = 0.85
_FUZZY_CEILING = 89


class MatchReason(StrEnum):
    """Why a person was flagged; the value is what the CLI's JSON shows."""

    EXACT_NUMBER = "exact-number"
    EXACT_EMAIL = "exact-email"
    SAME_NAME = "same-name"
    NICKNAME = "nickname"
    FUZZY = "fuzzy"


_REASON_RANK = {reason: rank for rank, reason in enumerate(MatchReason)}

# A fuzzy match at or above this score reads "very similar name"; below it, "similar name".
_VERY_SIMILAR_SCORE = 80


def match_wording(reason: MatchReason, score: int) -> str:
    """How a match reads to a rep, in plain words instead of a score.

    "same membership number", "same email address", "same name", "same name, short form"
    (Jon / Jonathan), "very similar name" (a fuzzy match scoring 80 or more: "Amy Chan" /
    "Amy Chen", "Jo Bloggs" / "Joe Bloggs") or "similar name". Never raises.
    """
    if reason is MatchReason.EXACT_NUMBER:
        return "same membership number"
    if reason is MatchReason.EXACT_EMAIL:
        return "same email address"
    if reason is MatchReason.SAME_NAME:
        return "same name"
    if reason is MatchReason.NICKNAME:
        return "same name, short form"
    return "very similar name" if score >= _VERY_SIMILAR_SCORE else "similar name"


@dataclass(frozen=True, slots=True)
class Person:
    """A member or a party as the conflict check sees them.

    ``key`` is an opaque id chosen by the caller (unique in one index). ``case_ref`` is the case a
    party belongs to (None for a member record). ``role`` is the caller's label ("member",
    "manager", "witness", ...), carried through untouched.
    """

    key: str
    name: str
    case_ref: str | None
    role: str
    membership_number: str | None = None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class ConflictMatch:
    """One flagged person, with the strongest reason found and a 0-100 confidence score."""

    person: Person
    reason: MatchReason
    score: int

    @property
    def wording(self) -> str:
        """The match in plain words ("same name", "very similar name"); see match_wording."""
        return match_wording(self.reason, self.score)


class _FirstKind(Enum):
    EXACT = "exact"
    NICKNAME = "nickname"
    SHORT = "short"
    INITIAL = "initial"
    SPELLING = "spelling"


_LOOSE_FIRST = frozenset({_FirstKind.SHORT, _FirstKind.INITIAL, _FirstKind.SPELLING})
_FirstRelation = tuple[_FirstKind, float]


class _Spelling(Enum):
    SAME = "same"
    VARIANT = "variant"
    TYPO = "typo"
    SOUND = "sound"


@dataclass(frozen=True, slots=True)
class _Profile:
    """A name with everything the comparisons need computed once."""

    name: NormalisedName
    sorted_words: str
    first_keys: frozenset[str]
    surname_sound: str
    surname_variant: str

    @classmethod
    def of(cls, raw: str) -> _Profile:
        name = normalise_name(raw)
        return cls(
            name=name,
            sorted_words=" ".join(sorted(name.tokens)),
            first_keys=canonical_first_names(name.given),
            surname_sound=phonetic_key(name.surname) if len(name.tokens) > 1 else "",
            surname_variant=surname_variant_key(name.surname) if len(name.tokens) > 1 else "",
        )

    def whole_name_blocks(self) -> Iterator[str]:
        """Keys for the whole name: its compact form and its words in sorted order."""
        yield "c:" + self.name.compact
        if len(self.name.tokens) > 1:
            yield "s:" + self.sorted_words

    def surname_blocks(self) -> Iterator[str]:
        """Keys for the surname rules: each surname word, the surname's sound, and each
        surname's variant key, and each canonical first name with the surname's initial. None
        for a one-word name."""
        name = self.name
        if len(name.tokens) < 2:
            return
        for word in name.other_names:
            yield "e:" + word
        if self.surname_sound:
            yield "p:" + self.surname_sound
        if self.surname_variant:
            yield "v:" + self.surname_variant
        initial = name.surname[0]
        for first in self.first_keys:
            yield f"f:{first}:{initial}"


@dataclass(frozen=True, slots=True)
class _Entry:
    person: Person
    profile: _Profile
    number: str | None
    email: str | None


class ConflictIndex:
    """Every known member and party, indexed for conflict checks.

    ``add`` files a person (replacing any earlier record with the same key), ``remove`` takes one
    out, ``match`` lists who a name may be. See the module docstring for the rules.
    """

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._whole_blocks: dict[str, set[str]] = {}
        # Surname blocks are split by first name, so a query decides once per distinct first
        # name whether anyone under it can match: "Smith" holds thousands, "John Smith" few.
        self._surname_blocks: dict[str, dict[str, set[str]]] = {}
        self._by_number: dict[str, set[str]] = {}
        self._by_email: dict[str, set[str]] = {}

    @classmethod
    def build(cls, people: Iterable[Person]) -> ConflictIndex:
        """An index holding ``people``; a later record with a repeated key replaces the earlier.

        Raises:
            InvalidInput: a person has an empty key or an empty name.
        """
        index = cls()
        for person in people:
            index.add(person)
        logger.debug("conflict index built with %d people", len(index))
        return index

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def add(self, person: Person) -> None:
        """File ``person``; an existing record with the same key is replaced (a rename).

        Raises:
            InvalidInput: the key is empty, or the name is empty or only whitespace.
        """
        if not person.key:
            raise InvalidInput("A person needs an id.")
        profile = _Profile.of(person.name)
        if person.key in self._entries:
            self.remove(person.key)
        entry = _Entry(
            person=person,
            profile=profile,
            number=_clean_number(person.membership_number),
            email=_clean_email(person.email),
        )
        self._entries[person.key] = entry
        for block in profile.whole_name_blocks():
            self._whole_blocks.setdefault(block, set()).add(person.key)
        given = profile.name.given
        for block in profile.surname_blocks():
            self._surname_blocks.setdefault(block, {}).setdefault(given, set()).add(person.key)
        if entry.number:
            self._by_number.setdefault(entry.number, set()).add(person.key)
        if entry.email:
            self._by_email.setdefault(entry.email, set()).add(person.key)

    def remove(self, key: str) -> None:
        """Take the person with ``key`` out of the index.

        Raises:
            NotFound: no person with that key is indexed.
        """
        entry = self._entries.pop(key, None)
        if entry is None:
            raise NotFound("That person is not in the conflict index.")
        for block in entry.profile.whole_name_blocks():
            _discard(self._whole_blocks, block, key)
        given = entry.profile.name.given
        for block in entry.profile.surname_blocks():
            by_first = self._surname_blocks.get(block)
            if by_first is not None:
                _discard(by_first, given, key)
                if not by_first:
                    del self._surname_blocks[block]
        if entry.number:
            _discard(self._by_number, entry.number, key)
        if entry.email:
            _discard(self._by_email, entry.email, key)

    def match(
        self,
        name: str,
        membership_number: str | None = None,
        email: str | None = None,
        exclude_case_ref: str | None = None,
        exclude_key: str | None = None,
        keep_roles_of_excluded_case: frozenset[str] = frozenset(),
    ) -> list[ConflictMatch]:
        """Everyone who may be the person named, best match first.

        One :class:`ConflictMatch` per person, carrying the strongest reason that applies
        (exact number, then exact email, same name, nickname, fuzzy). People whose ``case_ref``
        equals ``exclude_case_ref`` (the case being edited) and the person ``exclude_key`` (the
        record being checked, if already indexed) are left out, except people of that case whose
        role is in ``keep_roles_of_excluded_case`` (a party checked on a member's own case is
        still compared with that member: "Jo Bloggs" as the manager on Joe Bloggs's case is a
        slip or a conflict either way). Sorted by score (high first),
        then reason, then case reference and key, so the order is stable.

        Raises:
            InvalidInput: ``name`` is empty or only whitespace.
        """
        query = _Profile.of(name)
        best: dict[str, tuple[MatchReason, int]] = {}

        def consider(key: str, reason: MatchReason, score: int) -> None:
            entry = self._entries[key]
            if key == exclude_key or (
                exclude_case_ref is not None
                and entry.person.case_ref == exclude_case_ref
                and entry.person.role not in keep_roles_of_excluded_case
            ):
                return
            held = best.get(key)
            if held is None or (_REASON_RANK[reason], -score) < (_REASON_RANK[held[0]], -held[1]):
                best[key] = (reason, score)

        number = _clean_number(membership_number)
        if number:
            for key in self._by_number.get(number, ()):
                consider(key, MatchReason.EXACT_NUMBER, 100)
        mail = _clean_email(email)
        if mail:
            for key in self._by_email.get(mail, ()):
                consider(key, MatchReason.EXACT_EMAIL, 100)

        candidates: set[str] = set()
        for block in query.whole_name_blocks():
            candidates.update(self._whole_blocks.get(block, ()))
        relations: dict[str, _FirstRelation | None] = {}
        for block in query.surname_blocks():
            for given, keys in self._surname_blocks.get(block, {}).items():
                if given not in relations:
                    relations[given] = _first_relation(query.name.given, given)
                if relations[given] is not None:
                    candidates.update(keys)
        for key in candidates:
            other = self._entries[key].profile
            given = other.name.given
            if given not in relations:
                relations[given] = _first_relation(query.name.given, given)
            verdict = _compare(query, other, relations[given])
            if verdict is not None:
                consider(key, *verdict)

        matches = [
            ConflictMatch(person=self._entries[key].person, reason=reason, score=score)
            for key, (reason, score) in best.items()
        ]
        matches.sort(
            key=lambda m: (-m.score, _REASON_RANK[m.reason], m.person.case_ref or "", m.person.key)
        )
        return matches


def _compare(
    query: _Profile, other: _Profile, first: _FirstRelation | None
) -> tuple[MatchReason, int] | None:
    """The name rule that applies to two profiles, as (reason, score), or None.

    ``first`` is ``_first_relation`` of the two first names, computed once per first name.
    """
    q, o = query.name, other.name
    if q.compact == o.compact:
        return MatchReason.SAME_NAME, 100
    if len(q.tokens) < 2 or len(o.tokens) < 2:
        return None
    if query.sorted_words == other.sorted_words:
        return MatchReason.SAME_NAME, 95
    if first is None:
        return None
    surname = _surname_relation(q, o)
    if surname is None:
        return None
    first_kind, first_weight = first
    surname_kind, surname_weight = surname
    if first_kind in _LOOSE_FIRST and surname_kind is _Spelling.TYPO:
        # Both names only loosely alike: too weak to flag (and no blocking key would find it).
        return None
    if not _middles_compatible(q, o):
        first_weight *= _MIDDLE_CLASH_WEIGHT
    elif surname_kind is _Spelling.SAME and first_kind is _FirstKind.EXACT:
        return MatchReason.SAME_NAME, 95
    elif surname_kind is _Spelling.SAME and first_kind is _FirstKind.NICKNAME:
        return MatchReason.NICKNAME, 90
    return MatchReason.FUZZY, min(_FUZZY_CEILING, round(100 * first_weight * surname_weight))


def _first_relation(a: str, b: str) -> _FirstRelation | None:
    """How two normalised first names relate, with the weight it carries; None if unrelated."""
    if a == b:
        return _FirstKind.EXACT, 1.0
    if len(a) == 1 or len(b) == 1:
        return (_FirstKind.INITIAL, _INITIAL_WEIGHT) if a[0] == b[0] else None
    if first_names_related(a, b):
        return _FirstKind.NICKNAME, _NICKNAME_WEIGHT
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) == _SHORT_FORM_LEN and long.startswith(short):
        # "Jo" for Joe, John, Joanna; "Al" for Alan: a two-letter first name is a short form.
        return _FirstKind.SHORT, _SHORT_FORM_WEIGHT
    if min(len(a), len(b)) < _TYPO_MIN_LEN and sorted(a) != sorted(b):
        # Short first names one letter apart still name different people ("Jon"/"Joan",
        # "Jan"/"Jane"), however they sound; only a swapped pair of letters counts ("Jonh").
        return None
    spelling = _spelling(a, b, surname=False)
    return None if spelling is None else (_FirstKind.SPELLING, spelling[1])


def _surname_relation(q: NormalisedName, o: NormalisedName) -> tuple[_Spelling, float] | None:
    """How the surnames agree: a shared word, a near spelling or a shared sound; or None.

    A shared word counts only when it is one side's last word ("Mary Smith" and "Mary
    Smith-Jones" share "smith"); a shared middle name alone does not make two people one.
    """
    if q.surname in o.other_names or o.surname in q.other_names:
        return _Spelling.SAME, 1.0
    variant = surname_variant_key(q.surname)
    if variant and variant == surname_variant_key(o.surname):
        return _Spelling.VARIANT, _VARIANT_WEIGHT
    return _spelling(q.surname, o.surname, surname=True)


def _spelling(a: str, b: str, *, surname: bool) -> tuple[_Spelling, float] | None:
    """Whether two different words are one word misspelt or spelt another way, and how alike.

    A sound-alike: same phonetic key and first vowel (names.sounds_alike) and Jaro-Winkler
    >= 0.65. A typo: optimal-string-alignment similarity >= 0.75 and Jaro-Winkler >= 0.85; a
    surname typo must keep its first letter; in words under five letters only two swapped
    letters count ("Hill"/"Hall", "Kent"/"Kant" are different names). The weight is 0.75-0.95.
    """
    jw = JaroWinkler.similarity(a, b)
    if jw < _SOUND_MIN_JW:
        return None
    osa = OSA.normalized_similarity(a, b)
    blended = (jw + osa) / 2
    if sounds_alike(a, b):
        return _Spelling.SOUND, min(0.95, max(0.8, blended))
    if (
        osa >= _TYPO_MIN_OSA
        and jw >= _TYPO_MIN_JW
        and (a[0] == b[0] or not surname)
        and (min(len(a), len(b)) >= _TYPO_MIN_LEN or sorted(a) == sorted(b))
    ):
        return _Spelling.TYPO, min(0.95, max(0.75, blended))
    return None


def _middles_compatible(a: NormalisedName, b: NormalisedName) -> bool:
    """False only when both names have middle names and none of them agree (even as initials)."""
    middles_a, middles_b = a.tokens[1:-1], b.tokens[1:-1]
    if not middles_a or not middles_b:
        return True
    return any(
        x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))
        for x in middles_a
        for y in middles_b
    )


def _clean_number(number: str | None) -> str | None:
    if number is None:
        return None
    cleaned = "".join(number.split()).casefold()
    return cleaned or None


def _clean_email(email: str | None) -> str | None:
    if email is None:
        return None
    cleaned = email.strip().casefold()
    return cleaned or None


def _discard(table: dict[str, set[str]], block: str, key: str) -> None:
    keys = table.get(block)
    if keys is None:
        return
    keys.discard(key)
    if not keys:
        del table[block]
