"""Key dates and time limits of a case: hearings, meetings, appeal and response deadlines, and
the employment tribunal limitation date — shown with countdowns, on Home for the next 14 days,
and exportable as an ``.ics`` calendar.

The tribunal date is worked out the way most claims count it: **three months less one day from
the act complained of** (an act on 15 January → 14 April; when the month three months on is
shorter, its last day stands in, so 30 November → 28 February → 27 February). ACAS early
conciliation pauses the clock, which this date does not include. It is shown as "check with the
regional office", never as legal advice.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from vault.casework.validation import clean_text
from vault.clock import Clock
from vault.domain import format_uk_date
from vault.errors import InvalidInput
from vault.store.case_dates_repo import CaseDate
from vault.store.unit_of_work import UnitOfWork
from vault.trail.kinds import TrailEvent
from vault.trail.lookup import load_case
from vault.trail.service import PaperTrail

log = logging.getLogger(__name__)

HOME_DAYS = 14
TRIBUNAL_ADVICE = (
    "Worked out as three months less one day from the act complained of. ACAS early "
    "conciliation pauses the clock and other claims have other limits: check the date with "
    "your regional office. This is not legal advice."
)


class KeyDateKind(StrEnum):
    HEARING = "hearing"
    MEETING = "meeting"
    APPEAL = "appeal"
    RESPONSE = "response"
    TRIBUNAL = "tribunal"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {"hearing": "Hearing", "meeting": "Meeting", "appeal": "Appeal deadline",
                "response": "Response deadline", "tribunal": "Tribunal time limit",
                "other": "Date"}[self.value]


def tribunal_limitation(act: dt.date) -> dt.date:
    """Three months less one day from ``act`` (see the module docstring)."""
    return act + relativedelta(months=3) - dt.timedelta(days=1)


@dataclass(frozen=True)
class KeyDate:
    """A key date as the case page, Home and the command line show it."""

    id: int
    case_ref: str
    kind: KeyDateKind
    on: dt.date
    act_date: dt.date | None
    note: str | None
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def countdown(self) -> str:
        if self.days_left == 0:
            return "today"
        if self.days_left == 1:
            return "tomorrow"
        if self.days_left > 0:
            return f"in {self.days_left} days"
        return f"{-self.days_left} day{'s' if self.days_left != -1 else ''} ago"

    @property
    def advice(self) -> str | None:
        return TRIBUNAL_ADVICE if self.kind is KeyDateKind.TRIBUNAL else None

    def describe(self) -> str:
        text = f"{self.kind.label}: {format_uk_date(self.on)} ({self.countdown})"
        if self.kind is KeyDateKind.TRIBUNAL:
            text += " — check with the regional office"
        return text

    def to_json(self) -> dict[str, object]:
        return {"id": self.id, "ref": self.case_ref, "kind": self.kind.value,
                "date": self.on.isoformat(),
                "act_date": self.act_date.isoformat() if self.act_date else None,
                "note": self.note, "days_left": self.days_left, "overdue": self.overdue,
                "advice": self.advice}


def _kind(value: KeyDateKind | str) -> KeyDateKind:
    try:
        return KeyDateKind(str(value).strip().casefold())
    except ValueError:
        raise InvalidInput("Unknown kind of date; choose one of: "
                           + ", ".join(k.value for k in KeyDateKind)) from None


class KeyDateService:
    def __init__(self, uow: UnitOfWork, clock: Clock, trail: PaperTrail) -> None:
        self._uow = uow
        self._clock = clock
        self._trail = trail

    def add(self, ref: str, kind: KeyDateKind | str, on: dt.date | None = None, *,
            act_date: dt.date | None = None, note: str | None = None) -> KeyDate:
        """Add a date to a case. A tribunal time limit is worked out from ``act_date``.

        Raises:
            InvalidInput: unknown kind; no date; a tribunal date without the act's date; the
                act in the future; a deadline before the case was opened.
            NotFound / RefusedAction: no such case, or it has been destroyed.
        """
        date_kind = _kind(kind)
        clean_note = clean_text(note, "The note", required=False, max_len=500)
        today = self._clock.today()
        if date_kind is KeyDateKind.TRIBUNAL:
            if act_date is None:
                raise InvalidInput("A tribunal time limit needs the date of the act complained "
                                   "of (--act-date).")
            if act_date > today:
                raise InvalidInput("The act complained of cannot be in the future.")
            on = on or tribunal_limitation(act_date)
        elif act_date is not None:
            raise InvalidInput("The date of the act applies to a tribunal time limit only.")
        if on is None:
            raise InvalidInput("Give the date (--date).")
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            if on < case.opened and date_kind is not KeyDateKind.TRIBUNAL:
                raise InvalidInput(f"That date is before case {case.ref} was opened "
                                   f"({format_uk_date(case.opened)}).")
            date_id = tx.case_dates.insert(case.id, date_kind.value, on, act_date, clean_note,
                                           self._clock.now())
            self._trail.record(tx, kind=TrailEvent.KEY_DATE_ADDED.value, case=case, payload={
                "summary": f"{date_kind.label} added: {format_uk_date(on)}",
                "date_id": date_id, "kind": date_kind.value, "date": on.isoformat(),
                **({"act_date": act_date.isoformat()} if act_date else {}),
                **({"detail": clean_note} if clean_note else {})})
            tx.cases.touch(case.id, self._clock.now())
            stored = tx.case_dates.get(date_id)
        log.info("key date added on %s", stored.case_ref)
        return self._view(stored, today)

    def remove(self, date_id: int, reason: str) -> None:
        """Remove a date entered by mistake; the removal is logged with the reason."""
        why = clean_text(reason, "The reason", max_len=500)
        with self._uow.write() as tx:
            stored = tx.case_dates.get(date_id)
            case = load_case(tx, stored.case_id)
            tx.case_dates.delete(date_id)
            self._trail.record(tx, kind=TrailEvent.KEY_DATE_REMOVED.value, case=case, payload={
                "summary": f"{KeyDateKind(stored.kind).label} removed: "
                           f"{format_uk_date(stored.on)}",
                "date_id": date_id, "detail": why})

    def for_case(self, ref: str) -> list[KeyDate]:
        today = self._clock.today()
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            return [self._view(d, today) for d in tx.case_dates.for_case(case.id)]

    def upcoming(self, days: int = HOME_DAYS) -> list[KeyDate]:
        """Dates of open cases from the last 30 days (overdue) to ``days`` ahead."""
        today = self._clock.today()
        with self._uow.read() as tx:
            rows = tx.case_dates.between(today - dt.timedelta(days=30),
                                         today + dt.timedelta(days=days))
        return [self._view(d, today) for d in rows]

    def ics(self, ref: str, *, member_name: bool = False) -> str:
        """The case's dates as an iCalendar file (RFC 5545). No member name unless asked."""
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            dates = tx.case_dates.for_case(case.id)
            name = tx.members.get(case.member_id).name if member_name else None
        stamp = self._clock.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Casework Vault//Key dates//EN",
                 "CALSCALE:GREGORIAN"]
        for d in dates:
            kind = KeyDateKind(d.kind)
            summary = f"{case.ref}: {kind.label}" + (f" ({name})" if name else "")
            lines += [
                "BEGIN:VEVENT",
                f"UID:{uuid.uuid5(uuid.NAMESPACE_URL, f'casevault:{case.id}:{d.id}')}",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{d.on.strftime('%Y%m%d')}",
                f"DTEND;VALUE=DATE:{(d.on + dt.timedelta(days=1)).strftime('%Y%m%d')}",
                f"SUMMARY:{_ics_text(summary)}",
            ]
            if kind is KeyDateKind.TRIBUNAL:
                lines.append(f"DESCRIPTION:{_ics_text(TRIBUNAL_ADVICE)}")
            lines.append("END:VEVENT")
        lines.append("END:VCALENDAR")
        return "".join(_fold(line) + "\r\n" for line in lines)

    @staticmethod
    def _view(d: CaseDate, today: dt.date) -> KeyDate:
        return KeyDate(d.id, d.case_ref, KeyDateKind(d.kind), d.on, d.act_date, d.note,
                       (d.on - today).days)


def _ics_text(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold at 75 octets as RFC 5545 §3.1 asks (continuation lines start with a space)."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for ch in line:
        enc = ch.encode("utf-8")
        if len(current) + len(enc) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += enc
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)
