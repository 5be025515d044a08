"""The recovery code: 160 random bits written as 15 BIP-39 English words with a checksum.

DESIGN §3: the code is the input key material of KEK_rc (HKDF in ``keyfile``), so it must be
uniformly random and long enough that offline guessing is hopeless without key stretching
(160 bits). BIP-39 (through the maintained ``mnemonic`` library, the reference
implementation's Python port) turns those bits into words a rep can write down and type back,
and its 5-bit checksum catches almost every typo before any key is derived, so a mistyped word
is told apart from a wrong code.

Only the 20 bytes of entropy are used as key material — never BIP-39's PBKDF2 "seed", which
adds nothing to a uniformly random secret. Typing is forgiving: case, extra spaces, commas,
numbering ("1. abandon") and the first four letters of a word (unique in the BIP-39 list) are
all accepted.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from mnemonic import Mnemonic

from vault.errors import InvalidInput

ENTROPY_BYTES = 20  # 160 bits
WORD_COUNT = 15  # BIP-39: (160 + 5 checksum bits) / 11 bits per word
PREFIX_LEN = 4  # every BIP-39 English word is unique in its first four letters

_SEPARATORS = re.compile(r"[\s,;.\-]+")
_NUMBERING = re.compile(r"^\d+$")

_WRONG_COUNT = f"That is not a recovery code (it should be {WORD_COUNT} words)."
_UNKNOWN_WORD = "That is not a recovery code (word {n} is not one a code ever uses)."
_BAD_CHECKSUM = "One of the words is mistyped (the recovery code's check does not match)."


@lru_cache(maxsize=1)
def _bip39() -> Mnemonic:
    return Mnemonic("english")


@lru_cache(maxsize=1)
def _by_prefix() -> dict[str, str]:
    words = _bip39().wordlist
    table = {w[:PREFIX_LEN]: w for w in words}
    if len(table) != len(words):  # the BIP-39 list promises this; refuse to guess otherwise
        raise RuntimeError("BIP-39 word list is not unique in its first four letters")
    return table


def generate() -> str:
    """A new random recovery code: 15 lowercase words separated by single spaces."""
    entropy = os.urandom(ENTROPY_BYTES)
    return str(_bip39().to_mnemonic(entropy))


def normalise(code: str) -> list[str]:
    """The code's words, lowercased and expanded from four-letter prefixes.

    Raises:
        InvalidInput: not 15 words, or a word that is not in the BIP-39 English list.
    """
    table = _by_prefix()
    words: list[str] = []
    for token in _SEPARATORS.split(code.strip().lower()):
        if not token or _NUMBERING.match(token):
            continue  # "1." "2." numbering copied from the recovery sheet
        word = table.get(token[:PREFIX_LEN])
        if word is None or not word.startswith(token):
            # Either an unknown word, or a longer token that is not the word it starts like.
            if len(words) < WORD_COUNT:
                raise InvalidInput(_UNKNOWN_WORD.format(n=len(words) + 1))
            raise InvalidInput(_WRONG_COUNT)
        words.append(word)
    if len(words) != WORD_COUNT:
        raise InvalidInput(_WRONG_COUNT)
    return words


def decode(code: str) -> bytearray:
    """The 20 bytes of key material in ``code`` (the caller wipes the bytearray).

    Raises:
        InvalidInput: malformed (see ``normalise``) or the BIP-39 checksum does not match.
    """
    words = normalise(code)
    phrase = " ".join(words)
    bip = _bip39()
    if not bip.check(phrase):
        raise InvalidInput(_BAD_CHECKSUM)
    entropy = bytearray(bip.to_entropy(phrase))
    if len(entropy) != ENTROPY_BYTES:  # impossible after the count check; fail closed anyway
        entropy[:] = bytes(len(entropy))
        raise InvalidInput(_WRONG_COUNT)
    return entropy


def groups(code: str, per_line: int = 5) -> list[list[str]]:
    """The words in numbered lines for display and print: ``[[w1..w5], [w6..w10], ...]``.

    Raises:
        InvalidInput: ``code`` is not a well-formed code.
    """
    words = normalise(code)
    return [words[i:i + per_line] for i in range(0, len(words), per_line)]
