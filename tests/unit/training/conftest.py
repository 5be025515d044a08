"""Fixtures for the training tests: the built-in profiles, an in-memory database, a service."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from vault.clock import FixedClock
from vault.training.profile import UnionProfile, load_builtin_profiles
from vault.training.repository import TrainingRepository
from vault.training.service import TrainingService

ROOT = Path(__file__).parents[3]
UNIONS_DIR = ROOT / "resources" / "unions"
MIGRATION = ROOT / "vault" / "store" / "migrations" / "0003_training.sql"


@pytest.fixture(scope="session")
def profiles() -> dict[str, UnionProfile]:
    loaded = load_builtin_profiles(UNIONS_DIR)
    assert loaded.errors == []
    return loaded.profiles


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(":memory:")
    connection.row_factory = sqlite3.Row
    connection.executescript(MIGRATION.read_text("utf-8"))
    yield connection
    connection.close()


@pytest.fixture
def training_clock() -> FixedClock:
    return FixedClock(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC))


@pytest.fixture
def service(conn: sqlite3.Connection, profiles: dict[str, UnionProfile],
            training_clock: FixedClock) -> TrainingService:
    return TrainingService(TrainingRepository(conn), profiles, training_clock)

