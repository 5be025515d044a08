"""Persistence of the training record (migration 0003) on a DB-API connection."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
import sqlcipher3

from vault.errors import StorageError
from vault.training.record import CourseCompletion, StepTick, TrainingRecord
from vault.training.repository import TrainingRepository

MIGRATION = Path(__file__).parents[3] / "vault" / "store" / "migrations" / "0003_training.sql"

FULL = TrainingRecord(
    union_key="prospect",
    courses=(
        CourseCompletion("reps1", "Reps 1", dt.date(2025, 1, 10), dt.date(2025, 2, 1)),
        CourseCompletion("level2-other", "Pensions", dt.date(2025, 6, 1)),
        CourseCompletion("level2-other", "Equality", dt.date(2025, 7, 1)),
    ),
    ticks=(StepTick("reps2-listed", dt.date(2026, 2, 1)),
           StepTick("letter1", dt.date(2026, 2, 8))),
    course_dates=(dt.date(2027, 3, 1), dt.date(2027, 3, 8)),
)


def test_empty_database_gives_an_empty_record(conn: sqlite3.Connection) -> None:
    assert TrainingRepository(conn).load() == TrainingRecord()


def test_round_trip(conn: sqlite3.Connection) -> None:
    repo = TrainingRepository(conn)
    repo.save(FULL)
    assert repo.load() == FULL
    smaller = TrainingRecord(union_key="bectu", courses=FULL.courses[:1])
    repo.save(smaller)
    assert repo.load() == smaller
    repo.save(TrainingRecord())
    assert repo.load() == TrainingRecord()


def test_save_does_not_commit(conn: sqlite3.Connection) -> None:
    repo = TrainingRepository(conn)
    repo.save(FULL)
    assert conn.in_transaction
    conn.rollback()
    assert repo.load() == TrainingRecord()
    repo.save(FULL)
    conn.commit()
    assert repo.load() == FULL


def test_schema_refuses_malformed_dates(conn: sqlite3.Connection) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO training_steps (step_id, done_on) VALUES ('attended', '1/3/26')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO training_union (id, union_key) VALUES (2, 'bectu')")


def test_unreadable_stored_date_is_a_storage_error(conn: sqlite3.Connection) -> None:
    conn.execute("INSERT INTO training_steps (step_id, done_on) VALUES ('attended', '2026-13-45')")
    with pytest.raises(StorageError, match="damaged"):
        TrainingRepository(conn).load()


def test_migration_applies_on_sqlcipher_statement_by_statement() -> None:
    """The store applies migrations one statement at a time inside its own transaction."""
    connection = sqlcipher3.connect(":memory:", isolation_level=None)
    connection.row_factory = sqlcipher3.Row
    text = MIGRATION.read_text("utf-8")
    assert "BEGIN" not in text.upper().split("--")[0] and "COMMIT" not in text.upper()
    connection.execute("BEGIN")
    buf = ""
    for line in text.splitlines(keepends=True):
        buf += line
        if sqlcipher3.complete_statement(buf):
            connection.execute(buf)
            buf = ""
    assert not buf.strip()
    repo = TrainingRepository(connection)
    repo.save(FULL)
    connection.execute("COMMIT")
    assert repo.load() == FULL
    tables = {r["name"] for r in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == {"training_union", "training_courses", "training_steps",
                      "training_course_dates"}
    connection.close()
