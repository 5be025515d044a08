"""Rows of ``first_meetings``, ``case_issues`` and ``action_points``: the first meeting."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import sqlcipher3

from vault.errors import NotFound


class ActionOwner(StrEnum):
    """Who agreed to do an action point. Values are the command-line names."""

    REP = "rep"
    MEMBER = "member"
    UNION = "union"


@dataclass(frozen=True)
class MeetingDetails:
    held_on: dt.date | None
    place: str | None
    narrative: str | None
    updated: dt.datetime
    # The agreed narrative submitted to the relevant bodies (UCU guide): to whom and when, or
    # why it was not; all None until the rep records it.
    narrative_submitted_to: str | None = None
    narrative_submitted_on: dt.date | None = None
    narrative_not_submitted: str | None = None


@dataclass(frozen=True)
class Issue:
    """An issue of the case. ``raised_later`` marks one raised after the first meeting (new)."""

    id: int
    case_id: str
    text: str
    raised_later: bool
    raised_on: dt.date
    addressed_on: dt.date | None
    addressed_note: str | None

    @property
    def addressed(self) -> bool:
        return self.addressed_on is not None


@dataclass(frozen=True)
class ActionPoint:
    id: int
    case_id: str
    text: str
    owner: ActionOwner
    due: dt.date | None
    done_on: dt.date | None
    created: dt.datetime

    @property
    def done(self) -> bool:
        return self.done_on is not None

    def overdue(self, today: dt.date) -> bool:
        return not self.done and self.due is not None and self.due < today


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _issue(r: sqlcipher3.Row) -> Issue:
    raised_on = dt.date.fromisoformat(r["raised_on"])
    return Issue(int(r["id"]), r["case_id"], r["text"], bool(r["raised_later"]), raised_on,
                 _date(r["addressed_on"]), r["addressed_note"])


def _action(r: sqlcipher3.Row) -> ActionPoint:
    return ActionPoint(int(r["id"]), r["case_id"], r["text"], ActionOwner(r["owner"]),
                       _date(r["due"]), _date(r["done_on"]),
                       dt.datetime.fromisoformat(r["created"]))


class FirstMeetingRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    # -- details -------------------------------------------------------------------------------

    def details(self, case_id: str) -> MeetingDetails | None:
        r = self._conn.execute("SELECT * FROM first_meetings WHERE case_id = ?",
                               (case_id,)).fetchone()
        if r is None:
            return None
        return MeetingDetails(_date(r["held_on"]), r["place"], r["narrative"],
                              dt.datetime.fromisoformat(r["updated"]),
                              r["narrative_submitted_to"], _date(r["narrative_submitted_on"]),
                              r["narrative_not_submitted"])

    def save_details(self, case_id: str, details: MeetingDetails) -> None:
        self._conn.execute(
            "INSERT INTO first_meetings (case_id, held_on, place, narrative, updated,"
            " narrative_submitted_to, narrative_submitted_on, narrative_not_submitted)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET"
            " held_on = excluded.held_on, place = excluded.place,"
            " narrative = excluded.narrative, updated = excluded.updated,"
            " narrative_submitted_to = excluded.narrative_submitted_to,"
            " narrative_submitted_on = excluded.narrative_submitted_on,"
            " narrative_not_submitted = excluded.narrative_not_submitted",
            (case_id, _iso(details.held_on), details.place, details.narrative,
             details.updated.isoformat(), details.narrative_submitted_to,
             _iso(details.narrative_submitted_on), details.narrative_not_submitted),
        )

    # -- issues --------------------------------------------------------------------------------

    def add_issue(self, case_id: str, text: str, raised_later: bool, raised_on: dt.date) -> int:
        cur = self._conn.execute(
            "INSERT INTO case_issues (case_id, text, raised_later, raised_on) VALUES (?, ?, ?, ?)",
            (case_id, text, int(raised_later), raised_on.isoformat()),
        )
        return int(cur.lastrowid)

    def issue(self, case_id: str, issue_id: int) -> Issue:
        r = self._conn.execute("SELECT * FROM case_issues WHERE id = ? AND case_id = ?",
                               (issue_id, case_id)).fetchone()
        if r is None:
            raise NotFound(f"This case has no issue {issue_id}.")
        return _issue(r)

    def set_issue_addressed(self, issue_id: int, on: dt.date | None, note: str | None) -> None:
        self._conn.execute(
            "UPDATE case_issues SET addressed_on = ?, addressed_note = ? WHERE id = ?",
            (_iso(on), note, issue_id),
        )

    def issues(self, case_id: str) -> list[Issue]:
        rows = self._conn.execute("SELECT * FROM case_issues WHERE case_id = ? ORDER BY id",
                                  (case_id,)).fetchall()
        return [_issue(r) for r in rows]

    # -- action points -------------------------------------------------------------------------

    def add_action(self, case_id: str, text: str, owner: ActionOwner, due: dt.date | None,
                   created: dt.datetime) -> int:
        cur = self._conn.execute(
            "INSERT INTO action_points (case_id, text, owner, due, created) VALUES (?, ?, ?, ?, ?)",
            (case_id, text, owner.value, _iso(due), created.isoformat()),
        )
        return int(cur.lastrowid)

    def action(self, case_id: str, action_id: int) -> ActionPoint:
        r = self._conn.execute("SELECT * FROM action_points WHERE id = ? AND case_id = ?",
                               (action_id, case_id)).fetchone()
        if r is None:
            raise NotFound(f"This case has no action point {action_id}.")
        return _action(r)

    def set_action_done(self, action_id: int, on: dt.date | None) -> None:
        self._conn.execute("UPDATE action_points SET done_on = ? WHERE id = ?",
                           (_iso(on), action_id))

    def actions(self, case_id: str) -> list[ActionPoint]:
        rows = self._conn.execute("SELECT * FROM action_points WHERE case_id = ? ORDER BY id",
                                  (case_id,)).fetchall()
        return [_action(r) for r in rows]

    _DUE_BY = (" FROM action_points a JOIN cases c ON c.id = a.case_id"
               " WHERE a.done_on IS NULL AND a.due IS NOT NULL AND a.due <= ?"
               " AND c.status = 'open'")

    def open_actions_due_by(self, until: dt.date,
                            limit: int = -1) -> list[tuple[str, ActionPoint]]:
        """(case ref, action) for open cases' undone actions due on or before ``until``,
        earliest first (the first ``limit``; -1: all)."""
        rows = self._conn.execute(
            "SELECT a.*, c.ref" + self._DUE_BY + " ORDER BY a.due, c.ref, a.id LIMIT ?",
            (until.isoformat(), limit)).fetchall()
        return [(r["ref"], _action(r)) for r in rows]

    def count_open_actions_due_by(self, until: dt.date) -> int:
        return int(self._conn.execute("SELECT count(*)" + self._DUE_BY,
                                      (until.isoformat(),)).fetchone()[0])

    def delete_case(self, case_id: str) -> int:
        """Secure deletion: remove the case's meeting, issues and action points."""
        n = 0
        for table in ("action_points", "case_issues", "first_meetings"):
            n += int(self._conn.execute(f"DELETE FROM {table} WHERE case_id = ?",  # noqa: S608
                                        (case_id,)).rowcount)
        return n
