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


ACCREDITATION_ROUTE = ("reps2-listed", "cohort-formed", "letter1", "dates-accepted",
                       "resources-received", "attended", "homework1-marked", "homework2-marked",
                       "action-plan", "tutor-feedback", "officer-follow-up",
                       "officer-signed-off", "records-updated", "letters-received")


def make_accredited(session):  # type: ignore[no-untyped-def]
    """Record a Prospect rep's whole route, so the rep is an accredited case handler."""
    import datetime as dt

    session.training.choose_union("prospect")
    session.training.record("reps1", dt.date(2026, 1, 10))
    for step in ACCREDITATION_ROUTE:
        session.training.record(step, dt.date(2026, 6, 1))
    assert session.training.is_accredited_case_handler()
    return session


@pytest.fixture
def accredited_session(session):  # type: ignore[no-untyped-def]
    """A vault whose rep is an accredited case handler (no prompt for every personal case)."""
    return make_accredited(session)
