"""Small-blob authenticated encryption, key wrapping, HKDF subkeys and HMAC.

The sealed-blob format (``docs/crypto-format.md``)::

    version 0x01 (1) | nonce (12, random) | AES-256-GCM ciphertext ‖ tag (16)

There are no nonce parameters in this API: every ``seal`` draws a fresh random 96-bit nonce, so
each key must seal well under 2**32 blobs (it seals thousands). Associated data is required and
must be non-empty: it binds a blob to where it belongs (a slot, a case, an epoch), so a blob
moved elsewhere fails to open. Every failure to open a blob is one ``IntegrityError``.
"""

from __future__ import annotations

import hmac as _std_hmac
import logging
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as _crypto_hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vault.crypto.secret import KEY_LEN, SecretKey
from vault.errors import CryptoUnavailable, IntegrityError

log = logging.getLogger(__name__)

SEALED_VERSION = 0x01
NONCE_LEN = 12
TAG_LEN = 16
SEALED_OVERHEAD = 1 + NONCE_LEN + TAG_LEN
WRAPPED_KEY_LEN = SEALED_OVERHEAD + KEY_LEN  # 61


def _require_aad(aad: bytes) -> None:
    if not isinstance(aad, bytes | bytearray | memoryview) or len(aad) == 0:
        raise ValueError("associated data is required")


def seal(key: SecretKey, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt and authenticate ``plaintext`` bound to ``aad`` under ``key``.

    Returns ``0x01 | nonce(12) | ciphertext ‖ tag(16)`` (29 bytes longer than the plaintext).

    Raises:
        ValueError: ``aad`` is empty.
        VaultLocked: ``key`` has been wiped.
    """
    _require_aad(aad)
    nonce = os.urandom(NONCE_LEN)
    with key.view() as material:
        body = AESGCM(material).encrypt(nonce, plaintext, aad)
    return bytes((SEALED_VERSION,)) + nonce + body


def _open_into(key: SecretKey, blob: bytes, aad: bytes) -> bytearray:
    """Open ``blob`` into a fresh bytearray the caller owns (and should wipe)."""
    _require_aad(aad)
    if len(blob) < SEALED_OVERHEAD or blob[0] != SEALED_VERSION:
        raise IntegrityError()
    view = memoryview(blob)
    out = bytearray(len(blob) - SEALED_OVERHEAD)
    try:
        with key.view() as material:
            AESGCM(material).decrypt_into(view[1:1 + NONCE_LEN], view[1 + NONCE_LEN:], aad, out)
    except InvalidTag:
        # decrypt_into may have written unverified plaintext before the tag check failed.
        out[:] = bytes(len(out))
        raise IntegrityError() from None
    return out


def open_sealed(key: SecretKey, blob: bytes, aad: bytes) -> bytes:
    """Verify and decrypt a blob made by ``seal`` with the same key and ``aad``.

    Raises:
        IntegrityError: for any failure of the blob: too short, unknown version, wrong key,
            wrong ``aad``, or any altered byte.
        ValueError: ``aad`` is empty.
        VaultLocked: ``key`` has been wiped.
    """
    out = _open_into(key, blob, aad)
    try:
        return bytes(out)
    finally:
        out[:] = bytes(len(out))


def wrap_key(kek: SecretKey, key: SecretKey, aad: bytes) -> bytes:
    """Seal ``key``'s material under ``kek`` bound to ``aad`` (61 bytes).

    Raises:
        ValueError: ``aad`` is empty.
        VaultLocked: either key has been wiped.
    """
    _require_aad(aad)
    nonce = os.urandom(NONCE_LEN)
    with kek.view() as kek_material, key.view() as key_material:
        body = AESGCM(kek_material).encrypt(nonce, key_material, aad)
    return bytes((SEALED_VERSION,)) + nonce + body


def unwrap_key(kek: SecretKey, blob: bytes, aad: bytes) -> SecretKey:
    """Open a blob made by ``wrap_key`` and return the key it holds.

    Raises:
        IntegrityError: the blob does not open under ``kek`` with ``aad``, or does not hold
            exactly 32 bytes.
        ValueError: ``aad`` is empty.
        VaultLocked: ``kek`` has been wiped.
    """
    if len(blob) != WRAPPED_KEY_LEN:
        raise IntegrityError()
    out = _open_into(kek, blob, aad)
    try:
        return SecretKey(out)
    finally:
        out[:] = bytes(len(out))


def derive_subkey(master: SecretKey, info: bytes, salt: bytes | None = None) -> SecretKey:
    """HKDF-SHA256 (RFC 5869) of ``master`` with ``info`` and optional ``salt``; 32 bytes.

    ``info`` names the purpose (for example ``b"casevault/v1/trail"``) so keys for different
    purposes are independent.

    Raises:
        ValueError: ``info`` is empty.
        VaultLocked: ``master`` has been wiped.
    """
    with master.view() as material:
        return hkdf_sha256(material, info, salt)


def hkdf_sha256(
    ikm: bytes | bytearray | memoryview, info: bytes, salt: bytes | None = None
) -> SecretKey:
    """HKDF-SHA256 of raw input key material (for secrets that are not 32-byte keys, such as
    a decoded recovery code); 32 bytes out. The caller wipes ``ikm`` if it is a bytearray.

    Raises:
        ValueError: ``info`` or ``ikm`` is empty.
    """
    if not info:
        raise ValueError("HKDF info is required")
    if len(ikm) == 0:
        raise ValueError("HKDF input key material is empty")
    out = bytearray(KEY_LEN)
    try:
        HKDF(hashes.SHA256(), KEY_LEN, salt, info).derive_into(ikm, out)
        return SecretKey(out)
    finally:
        out[:] = bytes(KEY_LEN)


def hmac_sha256(key: SecretKey, data: bytes) -> bytes:
    """HMAC-SHA256 of ``data`` under ``key`` (32 bytes).

    Raises:
        VaultLocked: ``key`` has been wiped.
    """
    with key.view() as material:
        mac = _crypto_hmac.HMAC(material, hashes.SHA256())
    mac.update(data)
    return mac.finalize()


class KeyedHmac:
    """HMAC-SHA256 under one key for many short messages (the paper-trail chain).

    The key is set up once and the keyed state copied per message, which is several times
    faster than keying each time. The OpenSSL state holds the key until this object is
    collected, so keep it short-lived (one verification).

    Raises:
        VaultLocked: at construction, when ``key`` has been wiped.
    """

    def __init__(self, key: SecretKey) -> None:
        with key.view() as material:
            self._base = _crypto_hmac.HMAC(material, hashes.SHA256())

    def digest(self, data: bytes) -> bytes:
        mac = self._base.copy()
        mac.update(data)
        return mac.finalize()


def constant_time_equal(a: bytes, b: bytes) -> bool:
    """Compare two byte strings in time independent of where they differ."""
    return _std_hmac.compare_digest(a, b)


# Known answers, checked at start-up by kdf.self_test().
# AES-256-GCM: McGrew & Viega, "The Galois/Counter Mode of Operation", test case 14.
_GCM_KEY = bytes(32)
_GCM_NONCE = bytes(12)
_GCM_PLAIN = bytes(16)
_GCM_EXPECTED = bytes.fromhex(
    "cea7403d4d606b6e074ec5d3baf39d18" "d0d1c8a799996bf0265b98b5d48ab919"
)
# HKDF-SHA256: RFC 5869 appendix A.1.
_HKDF_IKM = b"\x0b" * 22
_HKDF_SALT = bytes(range(0x00, 0x0D))
_HKDF_INFO = bytes(range(0xF0, 0xFA))
_HKDF_EXPECTED = bytes.fromhex(
    "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
)
# HMAC-SHA256: RFC 4231 test case 1.
_HMAC_KEY = b"\x0b" * 20
_HMAC_DATA = b"Hi There"
_HMAC_EXPECTED = bytes.fromhex(
    "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
)


def self_test() -> None:
    """Check AES-256-GCM, HKDF-SHA256 and HMAC-SHA256 against published known answers.

    Raises:
        CryptoUnavailable: any primitive is missing or gives a wrong answer.
    """
    try:
        gcm = AESGCM(_GCM_KEY)
        ok = gcm.encrypt(_GCM_NONCE, _GCM_PLAIN, None) == _GCM_EXPECTED
        ok = ok and gcm.decrypt(_GCM_NONCE, _GCM_EXPECTED, None) == _GCM_PLAIN
        okm = HKDF(hashes.SHA256(), len(_HKDF_EXPECTED), _HKDF_SALT, _HKDF_INFO).derive(_HKDF_IKM)
        ok = ok and okm == _HKDF_EXPECTED
        mac = _crypto_hmac.HMAC(_HMAC_KEY, hashes.SHA256())
        mac.update(_HMAC_DATA)
        ok = ok and mac.finalize() == _HMAC_EXPECTED
    except Exception as exc:  # any failure inside the library means we cannot trust it
        log.error("AEAD self-test raised %s", type(exc).__name__)
        raise CryptoUnavailable() from exc
    if not ok:
        log.error("AEAD self-test gave a wrong answer")
        raise CryptoUnavailable()
