"""Bundle passphrases: generated from the EFF long word list, or typed and checked.

A generated passphrase is eight words drawn uniformly with ``secrets`` from the 7,776-word
EFF long list bundled in ``resources/wordlists`` (CC BY 3.0 US, see the LICENSE there):
log2(7776**8) ≈ 103.4 bits, joined by hyphens so it reads aloud over the phone and types
into 7-Zip, WinZip or Keka without ambiguity. It is never stored or logged. A passphrase the
rep types (one agreed with the recipient) must pass ``vault.crypto.strength`` and be plain
ASCII, which every zip tool turns into the same bytes.
"""

from __future__ import annotations

import logging
import math
import secrets
from functools import lru_cache
from pathlib import Path

from vault.crypto import strength
from vault.errors import InvalidInput, VaultError
from vault.paths import resources_dir

log = logging.getLogger(__name__)

WORDLIST_FILE = "eff_large_wordlist.txt"
WORDLIST_SIZE = 7776
MIN_BITS = 100
SEPARATOR = "-"


def passphrase_words() -> int:
    """How many words reach ``MIN_BITS`` with the bundled list (8)."""
    return math.ceil(MIN_BITS / math.log2(WORDLIST_SIZE))


@lru_cache(maxsize=1)
def load_wordlist(path: Path | None = None) -> tuple[str, ...]:
    """The EFF long list, checked: 7,776 distinct lower-case ASCII words.

    Raises:
        VaultError: the bundled list is missing or not the list it should be.
    """
    source = path or resources_dir() / "wordlists" / WORDLIST_FILE
    try:
        lines = source.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise VaultError("The word list for export passphrases is missing.") from exc
    words = tuple(line.split("\t")[-1].strip() for line in lines if line.strip())
    if (len(words) != WORDLIST_SIZE or len(set(words)) != WORDLIST_SIZE
            or not all(w.replace("-", "").isalpha() and w.islower() for w in words)):
        raise VaultError("The word list for export passphrases is damaged.")
    return words


def generate_passphrase(words: int | None = None) -> str:
    """A fresh passphrase of ``words`` (default: enough for 100 bits) EFF words."""
    count = words or passphrase_words()
    wordlist = load_wordlist()
    if count * math.log2(len(wordlist)) < MIN_BITS:
        raise ValueError("too few words for a 100-bit passphrase")
    return SEPARATOR.join(secrets.choice(wordlist) for _ in range(count))


def entropy_bits(words: int | None = None) -> float:
    """The strength of a generated passphrase in bits."""
    return (words or passphrase_words()) * math.log2(WORDLIST_SIZE)


def check_typed_passphrase(passphrase: str, *, user_inputs: tuple[str, ...] = ()) -> str:
    """Accept a passphrase the rep typed, or say in one line why not.

    Raises:
        InvalidInput: not plain ASCII (zip tools would disagree on its bytes).
        WeakPassphrase: fails the vault's strength rule.
    """
    if passphrase != passphrase.strip():
        raise InvalidInput("A bundle passphrase must not start or end with a space.")
    from vault.crypto import winzip_aes  # numpy: loaded on first export, not at start-up

    winzip_aes.encode_passphrase(passphrase)
    strength.require_strong(passphrase, user_inputs=user_inputs)
    return passphrase
