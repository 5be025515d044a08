"""Brute force: a thousand wrong passphrases and a thousand wrong recovery codes open nothing,
and a wrong passphrase costs a whole Argon2id derivation at the real parameters."""

from __future__ import annotations

import random
import statistics
import time

import pytest

from tests.conftest import STRONG
from vault.crypto import kdf, keyfile, recovery_code
from vault.crypto.kdf import Argon2Params
from vault.errors import InvalidInput, WrongPassphrase

TRIES = 1000
FAST = Argon2Params(1, 8, 1)  # tests only: the product never goes below kdf.ARGON2_FLOOR


def _near_misses(real: str, rng: random.Random) -> list[str]:
    out = {real.upper(), real + " ", " " + real, real[:-1], real.replace(" ", ""),
           real.title(), real + "\n", ""}
    while len(out) < TRIES:
        chars = list(real)
        at = rng.randrange(len(chars))
        chars[at] = rng.choice("abcdefghijklmnopqrstuvwxyz0123456789 !")
        candidate = "".join(chars)
        if candidate != real:
            out.add(candidate)
    return sorted(out)[:TRIES]


def test_a_thousand_wrong_passphrases_open_nothing() -> None:
    kf, vmk, db_key = keyfile.create_keyfile(STRONG, FAST)
    db_key.wipe()
    rng = random.Random(11)
    wrong = _near_misses(STRONG, rng)
    assert len(wrong) == TRIES and STRONG not in wrong
    for guess in wrong:
        with pytest.raises(WrongPassphrase):
            keyfile.unlock_vmk(kf, guess)
    assert keyfile.unlock_vmk(kf, STRONG).raw() == vmk.raw()


def test_a_thousand_wrong_recovery_codes_open_nothing() -> None:
    kf, vmk, db_key = keyfile.create_keyfile(STRONG, FAST)
    db_key.wipe()
    code = keyfile.generate_recovery_code()
    kf = keyfile.add_recovery_slot(kf, vmk, code)
    # Codes with a valid checksum: each reaches the HKDF slot and is refused there.
    for _ in range(TRIES):
        other = recovery_code.generate()
        assert other != code
        with pytest.raises(WrongPassphrase):
            keyfile.unlock_vmk_with_recovery(kf, other)
    # One word of the real code changed: a bad checksum or a wrong code, never an unlock.
    rng = random.Random(12)
    words = code.split()
    refused_by_checksum = 0
    for _ in range(TRIES):
        changed = list(words)
        at = rng.randrange(len(changed))
        changed[at] = rng.choice([w for w in recovery_code._bip39().wordlist if w != words[at]])
        try:
            keyfile.unlock_vmk_with_recovery(kf, " ".join(changed))
        except InvalidInput:
            refused_by_checksum += 1
        except WrongPassphrase:
            pass
        else:
            pytest.fail("a changed recovery code unlocked the vault")
    # The 5-bit checksum catches about 31 in 32 single-word changes before any key work.
    assert refused_by_checksum > TRIES * 0.9
    assert keyfile.unlock_vmk_with_recovery(kf, code).raw() == vmk.raw()


def test_a_wrong_passphrase_costs_a_full_derivation_at_real_parameters() -> None:
    params = kdf.ARGON2_FLOOR
    kf, vmk, db_key = keyfile.create_keyfile(STRONG, params)
    vmk.wipe()
    db_key.wipe()
    salt = kf.slots[0].salt
    derive, wrong = [], []
    for n in range(3):
        start = time.perf_counter()
        kdf.derive_key(STRONG, salt, params).wipe()
        derive.append(time.perf_counter() - start)
        start = time.perf_counter()
        with pytest.raises(WrongPassphrase):
            keyfile.unlock_vmk(kf, f"not the passphrase {n}")
        wrong.append(time.perf_counter() - start)
    # A wrong try is never cheaper than the KDF (nothing is checked before the derivation).
    assert min(wrong) >= 0.7 * statistics.median(derive), (derive, wrong)
    print(f"Argon2id floor t={params.time_cost} m={params.memory_kib} KiB p={params.lanes}: "
          f"derivation {statistics.median(derive) * 1000:.0f} ms, wrong passphrase "
          f"{statistics.median(wrong) * 1000:.0f} ms")
