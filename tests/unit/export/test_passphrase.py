"""Generated bundle passphrases and typed ones."""

from __future__ import annotations

import hashlib
import math

import pytest

from vault.crypto import strength
from vault.errors import InvalidInput, WeakPassphrase
from vault.export import passphrase
from vault.paths import resources_dir


def test_the_bundled_list_is_the_eff_long_list_with_its_licence() -> None:
    folder = resources_dir() / "wordlists"
    data = (folder / passphrase.WORDLIST_FILE).read_bytes()
    assert hashlib.sha256(data).hexdigest() == (
        "addd35536511597a02fa0a9ff1e5284677b8883b83e986e43f15a3db996b903e")
    licence = (folder / "LICENSE").read_text()
    assert "CC BY 3.0 US" in licence and "Electronic Frontier Foundation" in licence
    assert len(passphrase.load_wordlist()) == 7776


def test_generated_passphrases_have_at_least_100_bits_and_pass_the_strength_rule() -> None:
    assert passphrase.entropy_bits() >= 100
    words = passphrase.load_wordlist()
    seen = set()
    for _ in range(20):
        phrase = passphrase.generate_passphrase()
        parts = phrase.split("-")
        assert len(parts) >= 8
        assert strength.check_passphrase(phrase).acceptable
        seen.add(phrase)
    assert len(seen) == 20
    assert passphrase.passphrase_words() == math.ceil(100 / math.log2(7776))
    assert set(words) >= {"abacus", "zoom"}


def test_too_few_words_refused() -> None:
    with pytest.raises(ValueError):
        passphrase.generate_passphrase(5)


def test_typed_passphrases_are_checked() -> None:
    assert passphrase.check_typed_passphrase("violet lantern across frozen harbour")
    with pytest.raises(WeakPassphrase):
        passphrase.check_typed_passphrase("password123")
    with pytest.raises(InvalidInput):
        passphrase.check_typed_passphrase("violet lantern über frozen harbour")
    with pytest.raises(InvalidInput):
        passphrase.check_typed_passphrase(" violet lantern across frozen harbour")
