"""Checking back against the first meeting (UCU guide point 8): "As the casework progresses it is
usually worthwhile checking back against what was agreed at the first meeting. Have you covered
all the issues and have any new ones been raised?"

The rep records a check-back (a paper-trail entry, with the open issues counted); Home prompts
for any open case with no check-back for a number of weeks (Settings, default 4), counting from
the case's opening when there has been none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from vault.casework.validation import clean_text
from vault.clock import Clock
from vault.store.unit_of_work import UnitOfWork
from vault.trail.kinds import TrailEvent
from vault.trail.lookup import load_case
from vault.trail.service import PaperTrail


@dataclass(frozen=True)
class CheckBackDue:
    case_ref: str
    since: dt.date  # the last check-back, or the opening of the case
    weeks: int
    open_issues: int


class CheckBackService:
    def __init__(self, uow: UnitOfWork, clock: Clock, trail: PaperTrail,
                 weeks: Callable[[], int]) -> None:
        self._uow = uow
        self._clock = clock
        self._trail = trail
        self._weeks = weeks

    def record(self, ref: str, note: str | None = None) -> int:
        """Record that the rep checked the case against the first meeting; returns the entry."""
        clean = clean_text(note, "The note", required=False, max_len=2000)
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            issues = tx.first_meeting.issues(case.id)
            open_issues = sum(1 for i in issues if not i.addressed)
            seq = self._trail.record(tx, kind=TrailEvent.CHECKED_BACK.value, case=case, payload={
                "summary": f"Checked back against the first meeting ({open_issues} issue"
                           f"{'' if open_issues == 1 else 's'} still open)",
                "open_issues": open_issues, **({"detail": clean} if clean else {})})
            tx.cases.touch(case.id, self._clock.now())
        return seq

    def due(self) -> list[CheckBackDue]:
        """Open cases with no check-back for ``weeks`` or more, longest first."""
        return self.due_first(None)[0]

    def due_first(self, limit: int | None) -> tuple[list[CheckBackDue], int]:
        """The first ``limit`` (None: all) of ``due()`` and how many are due in all; only
        those ``limit`` cases have their first-meeting issues counted."""
        weeks = self._weeks()
        today = self._clock.today()
        cutoff = today - dt.timedelta(weeks=weeks)
        with self._uow.read() as tx:
            last = tx.trail.latest_by_kind(TrailEvent.CHECKED_BACK.value)
            waiting = []
            for case_id, ref, opened in tx.cases.open_brief():
                since = last[case_id].date() if case_id in last else opened
                if since <= cutoff:
                    waiting.append((since, ref, case_id))
            waiting.sort(key=lambda w: (w[0], w[1]))
            chosen = waiting if limit is None else waiting[:limit]
            out = [CheckBackDue(ref, since, weeks,
                                sum(1 for i in tx.first_meeting.issues(case_id)
                                    if not i.addressed))
                   for since, ref, case_id in chosen]
        return out, len(waiting)
