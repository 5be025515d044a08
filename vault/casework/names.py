"""Personal-name normalisation for conflict checks: one comparable form for any way a name is typed.

Owns the rules that turn a name as a rep typed it ("Smith, Dr José-Luis", "ИВАН ПЕТРОВ",
"王 小明") into a :class:`NormalisedName`: case folded, accents stripped from Latin, Greek,
Cyrillic, Arabic and Hebrew letters, apostrophes joined ("O'Brien" -> "obrien"), hyphens and
other punctuation turned into spaces, "Surname, First" turned round, leading titles (Mr, Dr,
Prof, ...) and trailing suffixes (Jr, III, ...) dropped, whitespace collapsed. Names in any other
script keep every letter and mark (a Devanagari vowel sign is part of the letter, not an accent),
so no name is ever reduced to an empty string.

Also owns the first-name knowledge used by the matcher: the canonical names a first name may
stand for (from the curated ``nicknames`` data set: "Jon" -> John, Jonathan; "Bob" -> Robert),
a small phonetic key for English spellings of the same sound ("Smith"/"Smyth",
"Lee"/"Leigh"), and the surname spellings that are one name written another way: the usual
romanisations of one Chinese, Arabic or South Asian surname ("Chan"/"Chen", "Lee"/"Li",
"Mohammed"/"Muhammad") and "Mc"/"Mac". A spelling rule cannot tell those apart from different
names ("Chan"/"Chen" are as far apart as "Hill"/"Hall"), so they are listed, like nicknames.

Nothing here logs: every input is personal data.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from nicknames import NickNamer
from rapidfuzz.distance import JaroWinkler

from vault.errors import InvalidInput

__all__ = [
    "NormalisedName",
    "canonical_first_names",
    "first_names_related",
    "normalise_name",
    "phonetic_key",
    "sounds_alike",
    "surname_variant_key",
]

# Scripts whose combining marks are accents or optional vowel points: dropping them is how
# people spell these names without the marks anyway (Núñez -> Nunez, Ёлкин -> Елкин).
_ACCENT_SCRIPTS = frozenset({"LATIN", "GREEK", "CYRILLIC", "ARABIC", "HEBREW"})

# Letters that are not decomposed by NFKD but have a plain Latin spelling in common use.
_LETTER_FOLDS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "ŀ": "l",
        "ħ": "h",
        "ı": "i",
        "ŧ": "t",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
    }
)

# Apostrophe-like characters are removed (not spaced) so O'Brien, O’Brien and OBrien agree.
_APOSTROPHES = re.compile("['’‘ʼ`´′ʹ]")

_TITLES = frozenset(
    {
        "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "sir", "dame",
        "lord", "lady", "rev", "revd", "reverend", "cllr", "councillor", "hon", "rt", "capt",
        "captain", "col", "maj", "lt", "sgt", "cpl",
    }
)  # fmt: skip

_SUFFIXES = frozenset(
    {"jr", "jnr", "junior", "sr", "snr", "senior", "ii", "iii", "iv", "esq", "phd", "obe",
     "mbe", "cbe", "kc", "qc"}
)  # fmt: skip

_ASCII_WORD = re.compile(r"[a-z]+")
_ASCII_NOT_WORD = re.compile(r"[^a-zA-Z0-9]+")
_VOWELS = frozenset("aeiou")
_SHARED_FORM_MIN_JW = 0.75


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A name reduced to comparable tokens.

    ``tokens`` is never empty and no token is empty. ``full`` is the tokens joined by single
    spaces; ``compact`` the tokens joined with nothing between them (so "王 小明" and "王小明",
    or "Mary Ann" and "Maryann", compare equal). ``is_ascii`` is True when every token is plain
    a-z, the names nicknames and phonetic keys apply to.
    """

    tokens: tuple[str, ...]
    full: str
    compact: str
    is_ascii: bool

    @property
    def given(self) -> str:
        """The first token: the first name, once "Surname, First" has been turned round."""
        return self.tokens[0]

    @property
    def surname(self) -> str:
        """The last token (the whole name for a one-token name)."""
        return self.tokens[-1]

    @property
    def other_names(self) -> tuple[str, ...]:
        """Every token after the first: middle names and surname parts. Empty for one token."""
        return self.tokens[1:]


def normalise_name(raw: str) -> NormalisedName:
    """Normalise a person's name as typed into its comparable form.

    The same person typed two ordinary ways gives the same result: "Smith, Jonathan",
    "JONATHAN SMITH" and "Mr Jonathan Smith" all give tokens ``("jonathan", "smith")``;
    "José Núñez" gives ``("jose", "nunez")``. Names in scripts without accents to strip keep
    every character that is a letter, mark or digit.

    Raises:
        InvalidInput: ``raw`` is not a string, or is empty or only whitespace.
    """
    if not isinstance(raw, str) or not raw.strip():
        raise InvalidInput("A name is required.")
    text = _APOSTROPHES.sub("", raw)
    tokens = _clean_tokens(text)
    head, comma, tail = text.partition(",")
    if comma:
        head_tokens, tail_tokens = _clean_tokens(head), _clean_tokens(tail)
        if head_tokens and tail_tokens and not set(tail_tokens) <= _SUFFIXES:
            # "Surname, First [Middle]" (any further commas are just separators).
            tokens = tail_tokens + head_tokens
    if not tokens:
        # Only punctuation or symbols were typed: keep them (folded) rather than lose the name.
        tokens = _fold(raw).split() or [raw.strip()]
    return NormalisedName(
        tokens=tuple(tokens),
        full=" ".join(tokens),
        compact="".join(tokens),
        is_ascii=all(_ASCII_WORD.fullmatch(t) is not None for t in tokens),
    )


def canonical_first_names(first: str) -> frozenset[str]:
    """The normalised names a first name may stand for, the name itself included.

    From the ``nicknames`` data set: ``canonical_first_names("Jon")`` contains "jon", "john"
    and "jonathan"; ``canonical_first_names("Bob")`` contains "bob" and "robert". A name the
    data set does not know (or one in a non-Latin script) gives just its own normalised form.
    See :func:`first_names_related` for when two first names count as one person's.

    Raises:
        InvalidInput: ``first`` is empty or only whitespace.
    """
    return _canonicals(_given_token(first))


def first_names_related(a: str, b: str) -> bool:
    """True when two first names may be the same person's: equal, or related as nicknames.

    Related as nicknames means one is listed as a short form of the other ("Jon" ~ "Jonathan",
    "Bob" ~ "Robert"), or both are short forms of one name and also spelt alike (Jaro-Winkler
    >= 0.75: "Kate" ~ "Katie"). The spelling condition keeps out pairs that share only a rare
    long form ("Ann" and "Chris" are both listed for "Christiana"; "Liz" and "Beth" for
    "Elizabeth"). Symmetric.

    Raises:
        InvalidInput: either name is empty or only whitespace.
    """
    ga, gb = _given_token(a), _given_token(b)
    if ga == gb:
        return True
    keys_a, keys_b = _canonicals(ga), _canonicals(gb)
    if gb in keys_a or ga in keys_b:
        return True
    return not keys_a.isdisjoint(keys_b) and JaroWinkler.similarity(ga, gb) >= _SHARED_FORM_MIN_JW


def phonetic_key(token: str) -> str:
    """A rough key for how an English-spelt name token sounds, or "" if it is not plain a-z.

    Consonant sounds only (a leading vowel is kept as "A"), silent letters dropped, doubled
    letters collapsed: "smith", "smyth" and "smythe" give "SM0"; "lee" and "leigh" give "L";
    "jones" and "johns" give "JNS"; "smithers" gives "SM0RS". Short keys are coarse ("lee" and
    "law" agree), so callers pair the key with a string-similarity check. Never raises.
    """
    word = token.casefold()
    if _ASCII_WORD.fullmatch(word) is None:
        return ""
    for prefix, replacement in (
        ("kn", "n"), ("gn", "n"), ("pn", "n"), ("wr", "r"), ("ps", "s"), ("wh", "w"), ("x", "s"),
    ):  # fmt: skip
        if word.startswith(prefix):
            word = replacement + word[len(prefix) :]
            break
    return _encode_sounds(word)


def sounds_alike(a: str, b: str) -> bool:
    """True when two name tokens have the same :func:`phonetic_key` and the same first vowel.

    The vowel check (y counted as i) keeps apart short names whose consonants agree but whose
    sound does not: "Hill"/"Hall", "Lee"/"Law"; while "Smith"/"Smyth", "Lee"/"Leigh",
    "Jones"/"Johns" and "Catherine"/"Katherine" still agree. False for tokens that are not plain
    a-z. Never raises.
    """
    key_a = phonetic_key(a)
    return bool(key_a) and key_a == phonetic_key(b) and _first_vowel(a) == _first_vowel(b)


# Surname spellings that are the same name: common romanisations of one Chinese surname
# (Cantonese / Mandarin / Hokkien spellings), and of one Arabic or South Asian name. Kept short on
# purpose: each group is a known equivalence, not a similarity, and a group that joined names
# people do not see as one would flag strangers.
_SURNAME_VARIANT_GROUPS: tuple[tuple[str, ...], ...] = (
    ("chan", "chen"),
    ("lee", "li"),
    ("wong", "wang"),
    ("cheung", "chang", "zhang"),
    ("lau", "liu"),
    ("chow", "chou", "zhou"),
    ("tsang", "zeng"),
    ("kwok", "guo"),
    ("ng", "wu"),
    ("yip", "ye"),
    ("mohammed", "mohammad", "mohamed", "mohamad", "muhammad", "muhammed", "mohammod"),
    ("ahmed", "ahmad"),
    ("hussain", "hussein", "husain", "hossain"),
    ("choudhury", "chowdhury", "choudhary", "chaudhry", "chaudhary"),
    ("rahman", "rehman"),
)
_SURNAME_VARIANTS = {name: group[0] for group in _SURNAME_VARIANT_GROUPS for name in group}
_MAC_PREFIX = re.compile(r"ma?c(?=[a-z]{3})")


def surname_variant_key(token: str) -> str:
    """A key shared by the spellings of a surname that are one name, or "" if it has none.

    "chan" and "chen" give "chan"; "li" and "lee" give "lee"; "mcdonald" and "macdonald" give
    "mc:donald". Only listed romanisations and the Mc/Mac prefix: ordinary spelling
    differences are the matcher's job (``sounds_alike`` and its typo rule). Never raises.
    """
    word = token.casefold()
    listed = _SURNAME_VARIANTS.get(word)
    if listed is not None:
        return listed
    prefix = _MAC_PREFIX.match(word)
    if prefix is not None:
        return "mc:" + word[prefix.end():]
    return ""


def _first_vowel(token: str) -> str:
    for ch in token.casefold():
        if ch in _VOWELS:
            return ch
        if ch == "y":
            return "i"
    return ""


def _encode_sounds(word: str) -> str:
    vowels = _VOWELS
    out: list[str] = []
    after_vowel = True  # a repeated sound only collapses when no vowel came between
    n = len(word)

    def at(i: int) -> str:
        return word[i] if 0 <= i < n else ""

    def emit(code: str) -> None:
        nonlocal after_vowel
        if after_vowel or out[-1] != code:
            out.append(code)
        after_vowel = False

    i = 0
    while i < n:
        ch = word[i]
        nxt = at(i + 1)
        if ch == at(i - 1) and ch != "c":
            i += 1
            continue
        if ch in vowels or (ch == "y" and nxt not in vowels):
            if i == 0:
                emit("A")
            after_vowel = True
            i += 1
            continue
        step = 1
        code = ch.upper()
        if ch == "b":
            code = "" if at(i - 1) == "m" and i == n - 1 else "B"
        elif ch == "c":
            if nxt == "h":
                code, step = ("K", 2) if at(i - 1) == "s" else ("X", 2)
            elif nxt in ("i", "e", "y"):
                code = "X" if word[i + 1 : i + 3] in ("ia", "io") else "S"
            elif nxt in ("k", "q"):
                code, step = "K", 2
            else:
                code = "K"
        elif ch == "d":
            code, step = ("J", 2) if nxt == "g" and at(i + 2) in ("e", "i", "y") else ("T", 1)
        elif ch == "g":
            if nxt == "h":
                code, step = ("K", 2) if at(i + 2) in vowels else ("", 2)
            elif nxt == "n" and (i + 2 == n or word[i + 2 :] == "ed"):
                code = ""
            elif nxt in ("e", "i", "y"):
                code = "J"
            else:
                code = "K"
        elif ch == "h":
            code = "H" if nxt in vowels and at(i - 1) not in vowels else ""
        elif ch == "k":
            code = "K"
        elif ch == "p":
            code, step = ("F", 2) if nxt == "h" else ("P", 1)
        elif ch == "q":
            code = "K"
        elif ch == "s":
            if nxt == "h":
                code, step = "X", 2
            elif word[i + 1 : i + 3] in ("io", "ia"):
                code = "X"
            else:
                code = "S"
        elif ch == "t":
            if nxt == "h":
                code, step = "0", 2
            elif word[i + 1 : i + 3] in ("io", "ia"):
                code = "X"
            elif nxt == "c" and at(i + 2) == "h":
                code = ""
            else:
                code = "T"
        elif ch == "v":
            code = "F"
        elif ch in ("w", "y"):
            code = ch.upper() if nxt in vowels else ""
        elif ch == "x":
            code = "KS"
        elif ch == "z":
            code = "S"
        for c in code:
            emit(c)
        i += step
    return "".join(out)


def _clean_tokens(text: str) -> list[str]:
    """Fold, split on anything not a letter, mark or digit, drop leading titles and suffixes."""
    tokens = _to_spaces(_fold(text)).split()
    while len(tokens) > 1 and tokens[0] in _TITLES:
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1] in _SUFFIXES:
        tokens.pop()
    return tokens


def _fold(text: str) -> str:
    """Case-fold and strip accents where the script treats them as accents, then recompose."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept: list[str] = []
    base_strips_marks = False
    for ch in decomposed:
        if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn":
            if base_strips_marks:
                continue
        else:
            base_strips_marks = _script_of(ch) in _ACCENT_SCRIPTS
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept).translate(_LETTER_FOLDS))


def _to_spaces(text: str) -> str:
    """Every character that is not a letter, mark or digit becomes a space."""
    if text.isascii():
        return _ASCII_NOT_WORD.sub(" ", text)
    return "".join(ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in text)


@lru_cache(maxsize=4096)
def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else ""


def _given_token(first: str) -> str:
    """The normalised first token; a token that is already plain a-z is taken as it is."""
    return first if _ASCII_WORD.fullmatch(first) else normalise_name(first).given


@lru_cache(maxsize=16384)
def _canonicals(given: str) -> frozenset[str]:
    return frozenset({given}) | _canonical_lookup().get(given, frozenset())


@lru_cache(maxsize=1)
def _canonical_lookup() -> dict[str, frozenset[str]]:
    """Nickname -> the canonical names it is short for, loaded once from the data set."""
    lookup = NickNamer().canonical_lookup
    return {nick: frozenset(canonicals) for nick, canonicals in lookup.items()}
