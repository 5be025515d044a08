"""Small-blob AEAD, key wrapping, HKDF and HMAC."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from vault.crypto import aead
from vault.crypto.secret import SecretKey
from vault.errors import IntegrityError, VaultLocked

KEY = SecretKey(bytes(range(32)))
OTHER = SecretKey(bytes(range(1, 33)))
AAD = b"trail" + b"case-1" + (7).to_bytes(8, "big")


def test_seal_round_trip_and_layout() -> None:
    plaintext = b"follow-up note: meeting moved to Thursday"
    blob = aead.seal(KEY, plaintext, AAD)
    assert blob[0] == 0x01
    assert len(blob) == 1 + 12 + len(plaintext) + 16
    assert plaintext not in blob
    assert aead.open_sealed(KEY, blob, AAD) == plaintext


def test_seal_uses_a_fresh_nonce_each_time() -> None:
    a, b = aead.seal(KEY, b"same", AAD), aead.seal(KEY, b"same", AAD)
    assert a[1:13] != b[1:13]
    assert a != b


def test_empty_plaintext_round_trips() -> None:
    assert aead.open_sealed(KEY, aead.seal(KEY, b"", AAD), AAD) == b""


def test_every_flipped_bit_is_an_integrity_error() -> None:
    blob = aead.seal(KEY, b"short note", AAD)
    for position in range(len(blob)):
        for bit in (0x01, 0x80):
            damaged = bytearray(blob)
            damaged[position] ^= bit
            with pytest.raises(IntegrityError):
                aead.open_sealed(KEY, bytes(damaged), AAD)


@pytest.mark.parametrize("cut", [0, 1, 13, 28, 29])
def test_truncated_blob_is_an_integrity_error(cut: int) -> None:
    blob = aead.seal(KEY, b"x" * 20, AAD)
    with pytest.raises(IntegrityError):
        aead.open_sealed(KEY, blob[:cut], AAD)


def test_wrong_key_or_aad_is_an_integrity_error() -> None:
    blob = aead.seal(KEY, b"note", AAD)
    with pytest.raises(IntegrityError):
        aead.open_sealed(OTHER, blob, AAD)
    with pytest.raises(IntegrityError):
        aead.open_sealed(KEY, blob, AAD + b"x")
    with pytest.raises(IntegrityError):
        aead.open_sealed(KEY, blob + b"\x00", AAD)


def test_aad_is_required() -> None:
    with pytest.raises(ValueError):
        aead.seal(KEY, b"note", b"")
    blob = aead.seal(KEY, b"note", AAD)
    with pytest.raises(ValueError):
        aead.open_sealed(KEY, blob, b"")
    with pytest.raises(ValueError):
        aead.wrap_key(KEY, OTHER, b"")


def test_wrap_unwrap_round_trip() -> None:
    inner = SecretKey.generate()
    blob = aead.wrap_key(KEY, inner, b"case" + b"abc")
    assert len(blob) == aead.WRAPPED_KEY_LEN == 61
    assert inner.raw() not in blob
    assert aead.unwrap_key(KEY, blob, b"case" + b"abc").raw() == inner.raw()


def test_unwrap_failures_are_integrity_errors() -> None:
    blob = aead.wrap_key(KEY, OTHER, b"caseabc")
    with pytest.raises(IntegrityError):
        aead.unwrap_key(KEY, blob, b"caseabd")
    with pytest.raises(IntegrityError):
        aead.unwrap_key(OTHER, blob, b"caseabc")
    with pytest.raises(IntegrityError):
        aead.unwrap_key(KEY, blob[:-1], b"caseabc")
    # A sealed blob that does not hold exactly 32 bytes is not a wrapped key.
    with pytest.raises(IntegrityError):
        aead.unwrap_key(KEY, aead.seal(KEY, b"x" * 31, b"caseabc"), b"caseabc")
    with pytest.raises(IntegrityError):
        aead.unwrap_key(KEY, aead.seal(KEY, b"x" * 33, b"caseabc"), b"caseabc")


def test_hkdf_matches_rfc5869_case_1() -> None:
    okm = aead.hkdf_sha256(b"\x0b" * 22, bytes(range(0xF0, 0xFA)), bytes(range(0x0D)))
    # RFC 5869 A.1 OKM (42 bytes); HKDF output of 32 bytes is its prefix.
    assert okm.raw().hex() == "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"


def test_derive_subkey_separates_purposes() -> None:
    a = aead.derive_subkey(KEY, b"casevault/v1/trail").raw()
    b = aead.derive_subkey(KEY, b"casevault/v1/vault-payload").raw()
    c = aead.derive_subkey(KEY, b"casevault/v1/trail", salt=b"s" * 32).raw()
    assert len({a, b, c, KEY.raw()}) == 4
    assert aead.derive_subkey(KEY, b"casevault/v1/trail").raw() == a
    with pytest.raises(ValueError):
        aead.derive_subkey(KEY, b"")


def test_hmac_sha256_is_standard_hmac() -> None:
    data = b"seq|ts|kind|ref|hash|prev"
    expected = hmac.new(KEY.raw(), data, hashlib.sha256).digest()
    assert aead.hmac_sha256(KEY, data) == expected


def test_constant_time_equal() -> None:
    assert aead.constant_time_equal(b"abc", b"abc")
    assert not aead.constant_time_equal(b"abc", b"abd")
    assert not aead.constant_time_equal(b"abc", b"ab")


def test_wiped_keys_are_refused() -> None:
    key = SecretKey.generate()
    blob = aead.seal(key, b"note", AAD)
    key.wipe()
    for call in (
        lambda: aead.seal(key, b"note", AAD),
        lambda: aead.open_sealed(key, blob, AAD),
        lambda: aead.derive_subkey(key, b"info"),
        lambda: aead.hmac_sha256(key, b"data"),
        lambda: aead.wrap_key(KEY, key, AAD),
    ):
        with pytest.raises(VaultLocked):
            call()


def test_aead_self_test_passes() -> None:
    aead.self_test()
