"""Test-wide isolation: never the real keychain, config, logs or vault; fast KDF only in tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STRONG = "correct horse battery staple orbit"
OTHER_STRONG = "violet lantern across frozen harbour"


@pytest.fixture(autouse=True)
def _isolate(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    base = tmp_path_factory.mktemp("env")
    monkeypatch.setenv("CASEVAULT_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("CASEVAULT_LOG_DIR", str(base / "logs"))
    monkeypatch.setenv("CASEVAULT_DIR", str(base / "default-vault-must-not-be-used"))


@pytest.fixture
def fast_params():  # type: ignore[no-untyped-def]
    from vault.crypto.kdf import Argon2Params

    return Argon2Params(1, 8, 1)


@pytest.fixture
def clock():  # type: ignore[no-untyped-def]
    import datetime as dt

    from vault.clock import FixedClock

    return FixedClock(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC))


@pytest.fixture
def manager(tmp_path: Path, fast_params, clock):  # type: ignore[no-untyped-def]
    from vault.session import VaultManager

    m = VaultManager(root=tmp_path / "vault", clock=clock, kdf_params=fast_params)
    yield m
    m.lock_all()


@pytest.fixture
def session(manager):  # type: ignore[no-untyped-def]
    return manager.create(STRONG)
