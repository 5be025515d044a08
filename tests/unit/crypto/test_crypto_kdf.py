"""Argon2id: parameters, derivation, calibration (never below the floor) and the self-test."""

from __future__ import annotations

import unicodedata

import pytest
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from vault.crypto import aead, kdf
from vault.crypto.kdf import ARGON2_FLOOR, Argon2Params
from vault.errors import CryptoUnavailable

FAST = Argon2Params(1, 8, 1)  # tests only; the product never goes below ARGON2_FLOOR
SALT = bytes(range(16))

# RFC 9106 §5.3, written out here as well so a change to the module's copy cannot go unseen.
RFC9106_TAG_HEX = "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"


def test_rfc9106_vector_through_cryptography() -> None:
    tag = Argon2id(
        salt=b"\x02" * 16, length=32, iterations=3, lanes=4, memory_cost=32,
        ad=b"\x04" * 12, secret=b"\x03" * 8,
    ).derive(b"\x01" * 32)
    assert tag.hex() == RFC9106_TAG_HEX
    assert kdf.RFC9106_TAG.hex() == RFC9106_TAG_HEX


def test_self_test_passes() -> None:
    kdf.self_test()


def test_self_test_fails_closed_without_argon2(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kdf, "_Argon2id", None)
    with pytest.raises(CryptoUnavailable):
        kdf.self_test()
    with pytest.raises(CryptoUnavailable):
        kdf.derive_key("anything at all", SALT, FAST)


def test_self_test_fails_closed_on_a_wrong_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kdf, "RFC9106_TAG", bytes(32))
    with pytest.raises(CryptoUnavailable):
        kdf.self_test()


def test_self_test_fails_closed_when_argon2_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(**_kwargs: object) -> None:
        raise RuntimeError("backend exploded")

    monkeypatch.setattr(kdf, "_Argon2id", broken)
    with pytest.raises(CryptoUnavailable):
        kdf.self_test()


@pytest.mark.parametrize("name", ["_GCM_EXPECTED", "_HKDF_EXPECTED", "_HMAC_EXPECTED"])
def test_self_test_covers_the_aead_primitives(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setattr(aead, name, b"\x00" * len(getattr(aead, name)))
    with pytest.raises(CryptoUnavailable):
        kdf.self_test()


def test_derive_key_is_plain_argon2id_of_the_utf8_passphrase() -> None:
    passphrase = "grève générale à Lyon"
    expected = Argon2id(
        salt=SALT, length=32, iterations=FAST.time_cost, lanes=FAST.lanes,
        memory_cost=FAST.memory_kib,
    ).derive(unicodedata.normalize("NFC", passphrase).encode("utf-8"))
    assert kdf.derive_key(passphrase, SALT, FAST).raw() == expected


def test_derive_key_normalises_to_nfc() -> None:
    composed = unicodedata.normalize("NFC", "café solidarité")
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    key_composed = kdf.derive_key(composed, SALT, FAST).raw()
    assert key_composed == kdf.derive_key(decomposed, SALT, FAST).raw()


def test_derive_key_depends_on_passphrase_salt_and_params() -> None:
    base = kdf.derive_key("passphrase one", SALT, FAST).raw()
    assert kdf.derive_key("passphrase two", SALT, FAST).raw() != base
    assert kdf.derive_key("passphrase one", bytes(16), FAST).raw() != base
    assert kdf.derive_key("passphrase one", SALT, Argon2Params(2, 8, 1)).raw() != base
    assert kdf.derive_key("passphrase one", SALT, FAST).raw() == base


def test_derive_key_refuses_a_short_salt() -> None:
    with pytest.raises(ValueError):
        kdf.derive_key("passphrase", bytes(15), FAST)


def test_floor_is_rfc9106_second_recommendation() -> None:
    assert Argon2Params(time_cost=3, memory_kib=65536, lanes=4) == ARGON2_FLOOR
    assert not ARGON2_FLOOR.below_floor()


@pytest.mark.parametrize(
    ("params", "below"),
    [
        (Argon2Params(2, 65536, 4), True),
        (Argon2Params(3, 32768, 4), True),
        (FAST, True),
        (Argon2Params(3, 65536, 1), False),  # fewer lanes is no cheaper for an attacker
        (Argon2Params(4, 131072, 4), False),
    ],
)
def test_below_floor(params: Argon2Params, below: bool) -> None:
    assert params.below_floor() is below


@pytest.mark.parametrize(
    "args",
    [(0, 8, 1), (1, 7, 1), (1, 8, 2), (1, 8, 0), (65, 8, 1), (1, 8 * 1024 * 1024, 1),
     (True, 8, 1), (1, 8.0, 1), ("1", 8, 1)],
)
def test_params_are_checked_at_construction(args: tuple[object, object, object]) -> None:
    with pytest.raises(ValueError):
        Argon2Params(*args)  # type: ignore[arg-type]


def test_params_dict_round_trip() -> None:
    params = Argon2Params(4, 131072, 4)
    data = params.to_dict()
    assert data == {"algorithm": "argon2id", "time_cost": 4, "memory_kib": 131072, "lanes": 4}
    assert Argon2Params.from_dict(data) == params


@pytest.mark.parametrize(
    "data",
    [
        {"algorithm": "argon2i", "time_cost": 3, "memory_kib": 65536, "lanes": 4},
        {"time_cost": 3, "memory_kib": 65536, "lanes": 4},
        {"algorithm": "argon2id", "time_cost": 3, "memory_kib": 65536},
        {"algorithm": "argon2id", "time_cost": "3", "memory_kib": 65536, "lanes": 4},
        {"algorithm": "argon2id", "time_cost": 3, "memory_kib": 2**40, "lanes": 4},
        ["argon2id", 3, 65536, 4],
        None,
    ],
)
def test_params_from_bad_dict_is_refused(data: object) -> None:
    with pytest.raises(ValueError):
        Argon2Params.from_dict(data)  # type: ignore[arg-type]


def _linear_machine(seconds_at_floor: float, calls: list[Argon2Params]):  # type: ignore[no-untyped-def]
    def measure(params: Argon2Params) -> float:
        calls.append(params)
        return seconds_at_floor * params.memory_kib / ARGON2_FLOOR.memory_kib

    return measure


def test_calibrate_doubles_memory_while_it_stays_under_target() -> None:
    calls: list[Argon2Params] = []
    params = kdf.calibrate(1.0, _measure=_linear_machine(0.2, calls))
    # 64 MiB: 0.2 s, 128 MiB: 0.4 s, 256 MiB: 0.8 s; 512 MiB would be 1.6 s, so stop.
    assert params == Argon2Params(3, 262144, 4)
    assert [p.memory_kib for p in calls] == [65536, 131072, 262144]


def test_calibrate_respects_the_memory_cap() -> None:
    params = kdf.calibrate(1.0, max_memory_kib=131072, _measure=_linear_machine(0.01, []))
    assert params.memory_kib == 131072


def test_calibrate_on_a_slow_machine_returns_the_floor() -> None:
    assert kdf.calibrate(1.0, _measure=_linear_machine(3.0, [])) == ARGON2_FLOOR


def test_calibrate_never_goes_below_the_floor_even_with_a_tiny_cap() -> None:
    params = kdf.calibrate(1.0, max_memory_kib=1024, _measure=_linear_machine(0.01, []))
    assert params == ARGON2_FLOOR


def test_calibrate_undoes_a_doubling_that_overshoots() -> None:
    def measure(params: Argon2Params) -> float:
        return 0.4 if params == ARGON2_FLOOR else 1.7  # cache effects: far worse than linear

    assert kdf.calibrate(1.0, _measure=measure) == ARGON2_FLOOR


def test_calibrate_refuses_a_non_positive_target() -> None:
    with pytest.raises(ValueError):
        kdf.calibrate(0)


def test_real_calibration_is_never_below_the_floor() -> None:
    # One real derivation at the floor (the only slow Argon2 call in the crypto tests).
    params = kdf.calibrate(target_seconds=0.001)
    assert params == ARGON2_FLOOR
    assert not params.below_floor()
