"""The recovery code: BIP-39 words with a checksum, forgiving to type, and its printed sheet."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from mnemonic import Mnemonic
from pypdf import PdfReader

from vault.crypto import recovery_code
from vault.errors import InvalidInput
from vault.reports import recovery_sheet

# The BIP-39 test vector for 20 bytes of 0x7f (trezor/python-mnemonic vectors.json).
VECTOR_ENTROPY = bytes.fromhex("7f" * 20)
VECTOR_WORDS = ("legal winner thank year wave sausage worth useful legal winner thank year "
                "wave sausage worth title")


def test_a_code_is_fifteen_words_holding_160_bits() -> None:
    code = recovery_code.generate()
    assert len(code.split()) == recovery_code.WORD_COUNT == 15
    assert len(recovery_code.decode(code)) == 20
    assert Mnemonic("english").check(code)
    assert len({recovery_code.generate() for _ in range(50)}) == 50


def test_known_answer_vector() -> None:
    words = Mnemonic("english").to_mnemonic(VECTOR_ENTROPY)
    assert len(words.split()) == 15
    assert bytes(recovery_code.decode(words)) == VECTOR_ENTROPY
    # More words than 15 are refused: only 15-word (160-bit) codes are ours.
    with pytest.raises(InvalidInput, match="15 words"):
        recovery_code.decode(VECTOR_WORDS + " a b c d e f g h")


def test_typing_is_forgiving() -> None:
    code = recovery_code.generate()
    words = code.split()
    entropy = recovery_code.decode(code)
    variants = [
        code.upper(),
        "  ".join(words),
        ", ".join(words),
        "\n".join(f"{n}. {w}" for n, w in enumerate(words, start=1)),
        " ".join(w[:4] for w in words),
        "-".join(words),
    ]
    for typed in variants:
        assert recovery_code.decode(typed) == entropy, typed


def test_mistakes_are_named_without_echoing_the_code() -> None:
    words = recovery_code.generate().split()
    with pytest.raises(InvalidInput, match="15 words"):
        recovery_code.decode(" ".join(words[:14]))
    with pytest.raises(InvalidInput, match="word 3"):
        recovery_code.decode(" ".join([*words[:2], "xylophonic", *words[3:]]))
    # A valid word in the wrong place breaks the checksum (almost always): "mistyped".
    bad = 0
    for replacement in Mnemonic("english").wordlist[:64]:
        if replacement == words[5]:
            continue
        try:
            recovery_code.decode(" ".join([*words[:5], replacement, *words[6:]]))
        except InvalidInput as exc:
            assert "mistyped" in str(exc)
            assert words[0] not in str(exc)
            bad += 1
    assert bad > 50


def test_recovery_sheet_pdf_holds_the_words_and_nothing_else(tmp_path: Path) -> None:
    code = recovery_code.generate()
    path = tmp_path / "sheet.pdf"
    recovery_sheet.write_pdf(path, code, vault_id="ab" * 16, created=dt.date(2026, 11, 23))
    assert path.stat().st_mode & 0o777 == 0o600
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    for n, word in enumerate(code.split(), start=1):
        assert word in text and f"{n}." in text
    assert "23 Nov 2026" in text and "abababab" in text
    assert "no member or case information" in text
    meta = reader.metadata or {}
    assert not meta.get("/Author")
    with pytest.raises(InvalidInput):
        recovery_sheet.render_pdf_bytes("not a code", vault_id="ab" * 16,
                                        created=dt.date(2026, 11, 23))
