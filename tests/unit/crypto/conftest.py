"""Fixtures for the crypto tests: fast Argon2 parameters (tests only) and a fixed key."""

from __future__ import annotations

import pytest

from vault.crypto.kdf import Argon2Params
from vault.crypto.secret import SecretKey


@pytest.fixture
def fast() -> Argon2Params:
    """Deliberately tiny Argon2 parameters so key-slot tests run in milliseconds.

    The product never uses these: kdf.calibrate() never returns less than ARGON2_FLOOR.
    """
    return Argon2Params(time_cost=1, memory_kib=8, lanes=1)


@pytest.fixture
def dek() -> SecretKey:
    return SecretKey(bytes(range(32)))
