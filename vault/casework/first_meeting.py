"""The first meeting of a case: date and place, agreed issues, action points, agreed narrative.

The UCU guide: by the end of the first meeting, "identify and agree the issues so that specific
action points can be also agreed", and "agree a narrative"; as the case goes on, check back
against what was agreed: "Have you covered all the issues and have any new ones been raised?"

- Issues are either agreed at the first meeting or raised later ("new"). When the caller does
  not say which, an issue added after the day of the recorded first meeting is new; one added
  before a meeting is recorded, or on its day, is agreed at it. Each issue can be marked
  addressed (with an optional note) and unmarked.
- Action points have an owner (rep, member or union), an optional due date and a done date.
  ``upcoming`` lists undone action points of open cases due within a few days (overdue ones
  included), for the home page.
- The meeting date cannot be in the future. Every change is one transaction and one
  paper-trail entry. What happened at the meeting is dated with the meeting's date, not the
  day it was typed: the meeting's entry, and each issue agreed at it (its date and its entry).
- The guide's "agree a narrative and submit it to the relevant bodies": the rep records whether
  and to whom the agreed narrative was submitted, and when (or why it was not).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace

from vault.casework.validation import clean_text
from vault.clock import Clock
from vault.domain import Case, format_uk_date
from vault.errors import InvalidInput
from vault.store.first_meeting_repo import (
    ActionOwner,
    ActionPoint,
    Issue,
    MeetingDetails,
)
from vault.store.unit_of_work import Tx, UnitOfWork
from vault.trail.service import CaseworkEvent, PaperTrail, load_case

log = logging.getLogger(__name__)

__all__ = ["ActionOwner", "ActionPoint", "FirstMeeting", "FirstMeetingService", "Issue",
           "UpcomingAction"]

MAX_PLACE = 300
MAX_ITEM = 2_000
MAX_NARRATIVE_BYTES = 100 * 1024


@dataclass(frozen=True)
class FirstMeeting:
    """Everything recorded about a case's first meeting (empty fields until recorded)."""

    case_ref: str
    held_on: dt.date | None
    place: str | None
    narrative: str | None
    issues: list[Issue]
    actions: list[ActionPoint]
    narrative_submitted_to: str | None = None
    narrative_submitted_on: dt.date | None = None
    narrative_not_submitted: str | None = None

    @property
    def narrative_submitted(self) -> bool | None:
        """True once submitted, False when the rep recorded it was not, None if not recorded."""
        if self.narrative_submitted_to:
            return True
        return False if self.narrative_not_submitted else None

    @property
    def recorded(self) -> bool:
        return self.held_on is not None

    @property
    def agreed_issues(self) -> list[Issue]:
        return [i for i in self.issues if not i.raised_later]

    @property
    def new_issues(self) -> list[Issue]:
        """Issues raised after the first meeting."""
        return [i for i in self.issues if i.raised_later]

    @property
    def unaddressed_issues(self) -> list[Issue]:
        return [i for i in self.issues if not i.addressed]


@dataclass(frozen=True)
class UpcomingAction:
    """An undone action point due soon (or overdue) on an open case."""

    case_ref: str
    action: ActionPoint
    overdue: bool


def _owner(owner: ActionOwner | str) -> ActionOwner:
    if isinstance(owner, ActionOwner):
        return owner
    try:
        return ActionOwner(str(owner).strip().casefold())
    except ValueError:
        raise InvalidInput("The owner must be one of: "
                           + ", ".join(o.value for o in ActionOwner)) from None


class FirstMeetingService:
    def __init__(self, uow: UnitOfWork, clock: Clock, trail: PaperTrail) -> None:
        self._uow = uow
        self._clock = clock
        self._trail = trail

    # -- reading -------------------------------------------------------------------------------

    def get(self, ref: str) -> FirstMeeting:
        """The first meeting of a case, with its issues and action points.

        Raises:
            NotFound: no such case.
        """
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            repo = tx.first_meeting
            details = repo.details(case.id)
            issues = repo.issues(case.id)
            actions = repo.actions(case.id)
        return FirstMeeting(
            case_ref=case.ref, held_on=details.held_on if details else None,
            place=details.place if details else None,
            narrative=details.narrative if details else None, issues=issues, actions=actions,
            narrative_submitted_to=details.narrative_submitted_to if details else None,
            narrative_submitted_on=details.narrative_submitted_on if details else None,
            narrative_not_submitted=details.narrative_not_submitted if details else None,
        )

    def upcoming(self, *, within_days: int = 7,
                 as_of: dt.date | None = None) -> list[UpcomingAction]:
        """Undone action points of open cases due by ``as_of + within_days`` (overdue first)."""
        if within_days < 0:
            raise InvalidInput("The number of days ahead cannot be negative.")
        today = as_of or self._clock.today()
        with self._uow.read() as tx:
            rows = tx.first_meeting.open_actions_due_by(
                today + dt.timedelta(days=within_days))
        return [UpcomingAction(ref, a, a.overdue(today)) for ref, a in rows]

    def upcoming_first(self, limit: int, *, within_days: int = 7
                       ) -> tuple[list[UpcomingAction], int]:
        """The first ``limit`` of ``upcoming()`` and how many there are in all."""
        if within_days < 0:
            raise InvalidInput("The number of days ahead cannot be negative.")
        today = self._clock.today()
        until = today + dt.timedelta(days=within_days)
        with self._uow.read() as tx:
            rows = tx.first_meeting.open_actions_due_by(until, limit)
            total = tx.first_meeting.count_open_actions_due_by(until)
        return [UpcomingAction(ref, a, a.overdue(today)) for ref, a in rows], total

    # -- the meeting ---------------------------------------------------------------------------

    def record(self, ref: str, *, held_on: dt.date | None = None,
               place: str | None = None) -> FirstMeeting:
        """Set the date and/or place of the first meeting (what is not given is kept).

        Raises:
            InvalidInput: neither given; the date in the future; the place too long.
            NotFound / RefusedAction: no such case; the case is destroyed.
        """
        if held_on is None and place is None:
            raise InvalidInput("Give the date or the place of the first meeting.")
        if held_on is not None and held_on > self._clock.today():
            raise InvalidInput("The meeting date cannot be in the future.")
        clean_place = clean_text(place, "The place", max_len=MAX_PLACE) if place is not None \
            else None
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            repo = tx.first_meeting
            old = repo.details(case.id)
            base = old or MeetingDetails(None, None, None, self._clock.now())
            details = replace(
                base,
                held_on=held_on if held_on is not None else base.held_on,
                place=clean_place if clean_place is not None else base.place,
                updated=self._clock.now(),
            )
            repo.save_details(case.id, details)
            parts = []
            if details.held_on:
                parts.append(f"on {format_uk_date(details.held_on)}")
            if details.place:
                parts.append(f"at {details.place}")
            dated = {"occurred": details.held_on.isoformat()} if details.held_on else {}
            self._write(tx, case, CaseworkEvent.FIRST_MEETING,
                        "First meeting recorded " + " ".join(parts), **dated)
        return self.get(ref)

    def set_narrative(self, ref: str, text: str) -> FirstMeeting:
        """Record the narrative agreed with the member (replacing any earlier version).

        Every version is kept in the paper trail.

        Raises:
            InvalidInput: empty, or over 100 KB.
            NotFound / RefusedAction: no such case; the case is destroyed.
        """
        clean = clean_text(text, "The narrative", max_len=MAX_NARRATIVE_BYTES)
        assert clean is not None
        if len(clean.encode("utf-8")) > MAX_NARRATIVE_BYTES:
            raise InvalidInput("The narrative is too long (at most 100 KB).")
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            repo = tx.first_meeting
            old = repo.details(case.id)
            base = old or MeetingDetails(None, None, None, self._clock.now())
            repo.save_details(case.id, replace(base, narrative=clean, updated=self._clock.now()))
            # The narrative text goes in the payload (kept with the trail), not in "detail":
            # the search index already has it from the first_meetings row.
            self._write(tx, case, CaseworkEvent.NARRATIVE_AGREED, "Agreed narrative recorded",
                        narrative=clean)
        return self.get(ref)

    def record_narrative_submission(self, ref: str, *, submitted_to: str | None = None,
                                    on: dt.date | None = None,
                                    not_submitted: str | None = None) -> FirstMeeting:
        """Record that the agreed narrative was submitted (to whom, when: default today), or
        that it was not (``not_submitted``: why).

        Raises:
            InvalidInput: neither or both given; no narrative agreed yet; a date in the
                future or before the meeting; text too long.
            NotFound / RefusedAction: no such case; the case is destroyed.
        """
        if (submitted_to is None) == (not_submitted is None):
            raise InvalidInput("Say who the narrative was submitted to, or why it was not.")
        to = clean_text(submitted_to, "Who the narrative was submitted to",
                        required=False, max_len=MAX_PLACE)
        why = clean_text(not_submitted, "Why the narrative was not submitted",
                         required=False, max_len=MAX_ITEM)
        if submitted_to is not None and not to:
            raise InvalidInput("Who the narrative was submitted to is required.")
        if not_submitted is not None and not why:
            raise InvalidInput("Why the narrative was not submitted is required.")
        day = (on or self._clock.today()) if to else None
        if day is not None and day > self._clock.today():
            raise InvalidInput("The date the narrative was submitted cannot be in the future.")
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            repo = tx.first_meeting
            old = repo.details(case.id)
            if old is None or not old.narrative:
                raise InvalidInput("Record the agreed narrative first.")
            if day is not None and old.held_on is not None and day < old.held_on:
                raise InvalidInput("The narrative cannot be submitted before the first "
                                   f"meeting ({format_uk_date(old.held_on)}).")
            repo.save_details(case.id, replace(
                old, narrative_submitted_to=to, narrative_submitted_on=day,
                narrative_not_submitted=why, updated=self._clock.now()))
            if to and day:
                self._write(tx, case, CaseworkEvent.NARRATIVE_SUBMITTED,
                            f"Agreed narrative submitted to {to} on {format_uk_date(day)}",
                            occurred=day.isoformat(), submitted_to=to)
            else:
                self._write(tx, case, CaseworkEvent.NARRATIVE_SUBMITTED,
                            "Agreed narrative not submitted", detail=why, submitted=False)
        return self.get(ref)

    # -- issues --------------------------------------------------------------------------------

    def add_issue(self, ref: str, text: str, *, raised_later: bool | None = None) -> Issue:
        """Add an issue. ``raised_later`` None decides from the meeting date (module docstring).

        Raises:
            InvalidInput: empty or too long.
            NotFound / RefusedAction: no such case; the case is destroyed.
        """
        clean = clean_text(text, "The issue", max_len=MAX_ITEM)
        assert clean is not None
        today = self._clock.today()
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            repo = tx.first_meeting
            details = repo.details(case.id)
            held = details.held_on if details else None
            if raised_later is None:
                raised_later = held is not None and today > held
            # An issue agreed at the meeting dates from the meeting, not from the typing.
            on = held if (not raised_later and held is not None) else today
            issue_id = repo.add_issue(case.id, clean, raised_later, on)
            label = "New issue raised" if raised_later else "Issue agreed at the first meeting"
            self._write(tx, case, CaseworkEvent.ISSUE_ADDED, f"{label}: {clean}",
                        issue_id=issue_id, occurred=on.isoformat())
            return repo.issue(case.id, issue_id)

    def set_issue_addressed(self, ref: str, issue_id: int, addressed: bool = True, *,
                            note: str | None = None) -> Issue:
        """Mark an issue addressed (today, with an optional note) or not addressed again.

        Raises:
            InvalidInput: note too long.
            NotFound / RefusedAction: no such case or issue; the case is destroyed.
        """
        clean_note = clean_text(note, "The note", required=False, max_len=MAX_ITEM)
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            repo = tx.first_meeting
            issue = repo.issue(case.id, issue_id)
            repo.set_issue_addressed(issue.id, self._clock.today() if addressed else None,
                                     clean_note if addressed else None)
            summary = (f"Issue {issue.id} addressed" if addressed
                       else f"Issue {issue.id} marked as not addressed")
            self._write(tx, case, CaseworkEvent.ISSUE_UPDATED, summary, detail=clean_note,
                        issue_id=issue.id)
            return repo.issue(case.id, issue.id)

    # -- action points -------------------------------------------------------------------------

    def add_action(self, ref: str, text: str, owner: ActionOwner | str,
                   due: dt.date | None = None) -> ActionPoint:
        """Add an agreed action point.

        Raises:
            InvalidInput: empty or too long; unknown owner.
            NotFound / RefusedAction: no such case; the case is destroyed.
        """
        clean = clean_text(text, "The action", max_len=MAX_ITEM)
        assert clean is not None
        who = _owner(owner)
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            repo = tx.first_meeting
            action_id = repo.add_action(case.id, clean, who, due, self._clock.now())
            when = f", due {format_uk_date(due)}" if due else ""
            self._write(tx, case, CaseworkEvent.ACTION_ADDED,
                        f"Action point ({who.value}{when}): {clean}", action_id=action_id)
            return repo.action(case.id, action_id)

    def set_action_done(self, ref: str, action_id: int, done: bool = True) -> ActionPoint:
        """Mark an action point done (today) or not done again.

        Raises:
            NotFound / RefusedAction: no such case or action point; the case is destroyed.
        """
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            repo = tx.first_meeting
            action = repo.action(case.id, action_id)
            repo.set_action_done(action.id, self._clock.today() if done else None)
            summary = (f"Action point {action.id} done" if done
                       else f"Action point {action.id} reopened")
            self._write(tx, case, CaseworkEvent.ACTION_UPDATED, summary, action_id=action.id)
            return repo.action(case.id, action.id)

    # -- internals -----------------------------------------------------------------------------

    def _write(self, tx: Tx, case: Case, event: CaseworkEvent,
               summary: str, *, detail: str | None = None, **extra: object) -> None:
        payload: dict[str, object] = {"summary": summary, **extra}
        if detail:
            payload["detail"] = detail
        self._trail.record(tx, kind=event.value, case=case, payload=payload)
        tx.cases.touch(case.id, self._clock.now())
