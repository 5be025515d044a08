"""Argon2id: parameters, passphrase-to-key derivation, calibration and the start-up self-test.

The floor is RFC 9106's second recommendation (t=3, m=64 MiB, p=4). Vault creation calibrates
upward (more memory) towards about a second per derivation; the chosen parameters are stored in
the key slot, and a slot below the floor is re-wrapped at unlock. Tests may pass small explicit
parameters; the product never ships them (``calibrate`` never returns less than the floor).
"""

from __future__ import annotations

import logging
import os
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, cast

from cryptography.exceptions import UnsupportedAlgorithm

from vault.crypto import aead
from vault.crypto.secret import KEY_LEN, SecretKey
from vault.errors import CryptoUnavailable

try:
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id as _Argon2id
except ImportError:  # cryptography older than 44: fail closed at first use
    _Argon2id = None  # type: ignore[assignment,misc]

log = logging.getLogger(__name__)

ALGORITHM = "argon2id"
MIN_SALT_LEN = 16
# Upper bounds refuse parameters from a damaged or hostile key file that would exhaust the
# machine (an Argon2 call with m = 2**40 would try to allocate a terabyte).
MAX_TIME_COST = 64
MAX_MEMORY_KIB = 4 * 1024 * 1024  # 4 GiB
MAX_LANES = 64


@dataclass(frozen=True)
class Argon2Params:
    """Argon2id cost parameters, checked at construction.

    time_cost: passes over memory (t). memory_kib: memory in KiB (m). lanes: parallelism (p).

    Raises (on construction):
        ValueError: a value is not an int or is out of range (m must be at least 8·p).
    """

    time_cost: int
    memory_kib: int
    lanes: int

    def __post_init__(self) -> None:
        for name in ("time_cost", "memory_kib", "lanes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValueError(f"Argon2 {name} must be an integer")
        if not 1 <= self.time_cost <= MAX_TIME_COST:
            raise ValueError("Argon2 time_cost out of range")
        if not 1 <= self.lanes <= MAX_LANES:
            raise ValueError("Argon2 lanes out of range")
        if not 8 * self.lanes <= self.memory_kib <= MAX_MEMORY_KIB:
            raise ValueError("Argon2 memory_kib out of range")

    def below_floor(self) -> bool:
        """True when weaker than ``ARGON2_FLOOR`` in passes or memory.

        Lanes are not compared: fewer lanes make each guess no cheaper for an attacker.
        """
        return (
            self.time_cost < ARGON2_FLOOR.time_cost or self.memory_kib < ARGON2_FLOOR.memory_kib
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form stored in a key slot."""
        return {
            "algorithm": ALGORITHM,
            "time_cost": self.time_cost,
            "memory_kib": self.memory_kib,
            "lanes": self.lanes,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Argon2Params:
        """Parse the form written by ``to_dict``.

        Raises:
            ValueError: not a mapping, another algorithm, or a missing/invalid field.
        """
        if not isinstance(data, Mapping):
            raise ValueError("Argon2 parameters must be an object")
        if data.get("algorithm") != ALGORITHM:
            raise ValueError("unknown KDF algorithm")
        try:
            return cls(data["time_cost"], data["memory_kib"], data["lanes"])
        except KeyError as exc:
            raise ValueError("Argon2 parameter missing") from exc


ARGON2_FLOOR = Argon2Params(time_cost=3, memory_kib=65536, lanes=4)


def derive_key(passphrase: str, salt: bytes, params: Argon2Params) -> SecretKey:
    """Argon2id of ``passphrase`` (NFC-normalised, UTF-8) with ``salt``: a 32-byte key.

    NFC normalisation means the same passphrase typed on different systems (composed or
    decomposed accents) gives the same key.

    Raises:
        ValueError: ``salt`` is shorter than 16 bytes.
        CryptoUnavailable: Argon2id is not available in this build of ``cryptography``.
    """
    if len(salt) < MIN_SALT_LEN:
        raise ValueError(f"the salt must be at least {MIN_SALT_LEN} bytes")
    if _Argon2id is None:
        raise CryptoUnavailable()
    secret = bytearray(unicodedata.normalize("NFC", passphrase).encode("utf-8"))
    out = bytearray(KEY_LEN)
    try:
        kdf = _Argon2id(
            salt=bytes(salt),
            length=KEY_LEN,
            iterations=params.time_cost,
            lanes=params.lanes,
            memory_cost=params.memory_kib,
        )
        # derive_into accepts any buffer; a bytearray lets the UTF-8 copy be wiped afterwards.
        kdf.derive_into(cast(bytes, secret), out)
        return SecretKey(out)
    except UnsupportedAlgorithm as exc:
        raise CryptoUnavailable() from exc
    finally:
        secret[:] = bytes(len(secret))
        out[:] = bytes(KEY_LEN)


def calibrate(
    target_seconds: float = 1.0,
    *,
    max_memory_kib: int = 1048576,
    _measure: Callable[[Argon2Params], float] | None = None,
) -> Argon2Params:
    """Parameters for this machine: the floor, with memory doubled while it stays under target.

    Starts at ``ARGON2_FLOOR`` and times one derivation. While doubling the memory is expected
    to keep a derivation under ``target_seconds`` (time grows about linearly with memory) and
    stays within ``max_memory_kib`` and a quarter of physical memory, it doubles and measures
    again; a doubling that turns out slower than the target is undone. The result is never below
    the floor, and the whole calibration costs roughly two to three targets.
    ``_measure`` replaces the timing in tests.

    Raises:
        ValueError: ``target_seconds`` is not positive.
        CryptoUnavailable: Argon2id is not available.
    """
    if not target_seconds > 0:
        raise ValueError("target_seconds must be positive")
    measure = _measure or _time_one_derivation
    cap = max(
        ARGON2_FLOOR.memory_kib, min(max_memory_kib, MAX_MEMORY_KIB, _physical_memory_cap_kib())
    )
    params = ARGON2_FLOOR
    elapsed = measure(params)
    while elapsed * 2 <= target_seconds and params.memory_kib * 2 <= cap:
        candidate = replace(params, memory_kib=params.memory_kib * 2)
        candidate_elapsed = measure(candidate)
        if candidate_elapsed > target_seconds:
            break
        params, elapsed = candidate, candidate_elapsed
    log.info("argon2id calibrated: t=%d m=%dKiB p=%d (%.2fs)",
             params.time_cost, params.memory_kib, params.lanes, elapsed)
    return params


def _time_one_derivation(params: Argon2Params) -> float:
    salt = os.urandom(MIN_SALT_LEN)
    start = time.perf_counter()
    derive_key("calibration passphrase", salt, params).wipe()
    return time.perf_counter() - start


def _physical_memory_cap_kib() -> int:
    """A quarter of physical memory in KiB, or the hard maximum if the OS will not say."""
    try:
        pages = os.sysconf("SC_PHYS_PAGES")
        page_size = os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return MAX_MEMORY_KIB
    if pages <= 0 or page_size <= 0:
        return MAX_MEMORY_KIB
    return int(pages * page_size // 1024 // 4)


# RFC 9106 §5.3, the Argon2id test vector.
RFC9106_PASSWORD = b"\x01" * 32
RFC9106_SALT = b"\x02" * 16
RFC9106_SECRET = b"\x03" * 8
RFC9106_AD = b"\x04" * 12
RFC9106_PARAMS = Argon2Params(time_cost=3, memory_kib=32, lanes=4)
RFC9106_TAG = bytes.fromhex("0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659")


def self_test() -> None:
    """Fail closed unless the primitives give their published answers; run at start-up.

    Checks Argon2id against the RFC 9106 §5.3 vector (with its secret and associated data),
    then AES-256-GCM, HKDF-SHA256 and HMAC-SHA256 (``aead.self_test``).

    Raises:
        CryptoUnavailable: Argon2id is missing, or any primitive gives a wrong answer.
    """
    if _Argon2id is None:
        log.error("Argon2id is missing from this cryptography build")
        raise CryptoUnavailable()
    try:
        tag = _Argon2id(
            salt=RFC9106_SALT,
            length=len(RFC9106_TAG),
            iterations=RFC9106_PARAMS.time_cost,
            lanes=RFC9106_PARAMS.lanes,
            memory_cost=RFC9106_PARAMS.memory_kib,
            ad=RFC9106_AD,
            secret=RFC9106_SECRET,
        ).derive(RFC9106_PASSWORD)
    except Exception as exc:  # UnsupportedAlgorithm or any internal failure
        log.error("Argon2id self-test raised %s", type(exc).__name__)
        raise CryptoUnavailable() from exc
    if tag != RFC9106_TAG:
        log.error("Argon2id self-test gave a wrong answer")
        raise CryptoUnavailable()
    aead.self_test()
