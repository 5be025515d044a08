"""Stores the training record in the vault database (tables ``training_*``, migration 0003).

The repository works on a DB-API connection (sqlcipher3 in the product, sqlite3 in tests)
whose rows support ``row["column"]``. It never begins or commits a transaction: the caller
wraps each service call in one, so a change is saved whole or not at all.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Protocol

from vault.errors import StorageError
from vault.training.record import CourseCompletion, StepTick, TrainingRecord

log = logging.getLogger(__name__)


class DbConnection(Protocol):
    """The part of a DB-API connection the repository uses."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any: ...


class TrainingRepository:
    """Loads and saves the one training record of this vault."""

    def __init__(self, connection: DbConnection) -> None:
        self._conn = connection

    def load(self) -> TrainingRecord:
        """The stored record; an empty one when nothing was recorded yet.

        Raises:
            StorageError: a stored date is unreadable (the database was altered outside the app).
        """
        try:
            union = self._conn.execute(
                "SELECT union_key FROM training_union WHERE id = 1").fetchone()
            courses = tuple(
                CourseCompletion(
                    course_id=row["course_id"],
                    name=row["name"],
                    completed_on=_date(row["completed_on"]),
                    education_updated_on=(_date(row["education_updated_on"])
                                          if row["education_updated_on"] else None),
                )
                for row in self._conn.execute(
                    "SELECT course_id, name, completed_on, education_updated_on "
                    "FROM training_courses ORDER BY completed_on, id").fetchall()
            )
            ticks = tuple(
                StepTick(row["step_id"], _date(row["done_on"]))
                for row in self._conn.execute(
                    "SELECT step_id, done_on FROM training_steps ORDER BY done_on, step_id"
                ).fetchall()
            )
            dates = tuple(
                _date(row["session_on"])
                for row in self._conn.execute(
                    "SELECT session_on FROM training_course_dates ORDER BY session_on"
                ).fetchall()
            )
        except ValueError as exc:
            log.error("training record holds an unreadable date")
            raise StorageError("The training record in this vault is damaged.") from exc
        return TrainingRecord(
            union_key=union["union_key"] if union is not None else None,
            courses=courses,
            ticks=ticks,
            course_dates=dates,
        )

    def save(self, record: TrainingRecord) -> None:
        """Replace the stored record with ``record`` (it is a few rows; replacing keeps the
        stored copy exactly equal to the validated one). Does not commit."""
        conn = self._conn
        if record.union_key is None:
            conn.execute("DELETE FROM training_union")
        else:
            conn.execute(
                "INSERT INTO training_union (id, union_key) VALUES (1, ?) "
                "ON CONFLICT (id) DO UPDATE SET union_key = excluded.union_key",
                (record.union_key,))
        conn.execute("DELETE FROM training_courses")
        for course in record.courses:
            conn.execute(
                "INSERT INTO training_courses (course_id, name, completed_on, "
                "education_updated_on) VALUES (?, ?, ?, ?)",
                (course.course_id, course.name, course.completed_on.isoformat(),
                 course.education_updated_on.isoformat()
                 if course.education_updated_on else None))
        conn.execute("DELETE FROM training_steps")
        for tick in record.ticks:
            conn.execute("INSERT INTO training_steps (step_id, done_on) VALUES (?, ?)",
                         (tick.step_id, tick.done_on.isoformat()))
        conn.execute("DELETE FROM training_course_dates")
        for day in record.course_dates:
            conn.execute("INSERT INTO training_course_dates (session_on) VALUES (?)",
                         (day.isoformat(),))
        log.debug("training record saved: %d courses, %d steps, %d course dates",
                  len(record.courses), len(record.ticks), len(record.course_dates))


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
