"""Logging paper-trail entries by kind: corrections, advice not followed, the off-the-record gate.

The rules (DOMAIN.md "The paper trail"; where the domain is silent the choice is stated here):

- A rep logs eleven kinds of entry (``EntryKind``). Each has the time it happened (``occurred``:
  a date or a date-time, default now, never in the future), a summary (required, at most
  2,000 characters) and optional detail text of at most 100 KB (UTF-8). The trail itself
  stamps when the entry was written.
- Entries are never edited or deleted. ``correct`` writes a new entry of the same kind linked
  ``corrects=N``. **An entry is corrected at most once**: to correct it again, correct the
  correction, so the versions form one chain and the newest is current (a unique index on
  ``trail_links`` backs this up). Entries the product wrote itself (case opened, party added,
  ...) are not corrected.
- Oral advice opens a written follow-up owed (``vault.casework.followups``). A written-advice,
  email-sent or letter entry logged with ``follows_up=N`` discharges it. Refused: linking to an
  entry of another case, to an entry that is not oral advice, or to advice already followed
  up. ``N`` may be the oral advice or any correction of it. Correcting oral advice does not open
  a second follow-up; the note is drafted from the newest version.
- Advice the member chose not to follow: an oral- or written-advice entry can carry the flag
  when logged (``not_followed=True``), or a note linked ``not_followed=N`` can be added later
  (``record_not_followed``); either way the advice stays on the trail as given.
- Off the record / without prejudice: refused (``RefusedAction``) until a consent is recorded
  for the case (the member was told beforehand and agreed: when and how), dated no later than
  the conversation. Each consent allows one such entry, which links to the consent's trail
  entry. The rep must also confirm that the manager was told anything said will be reported
  back to the member. These entries are marked ``off_record`` so exports leave them out unless
  included on purpose (``entries(..., include_off_record=False)``).

Every public call that writes is one database transaction: nothing is half-written.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from vault.casework.followups import FollowUpService
from vault.casework.validation import clean_text
from vault.clock import Clock
from vault.domain import Case, EntryKind
from vault.errors import InvalidInput, NotFound, RefusedAction
from vault.store.followups_repo import FollowUpRecord
from vault.store.off_record_repo import OffRecordConsent
from vault.store.trail_links_repo import (
    CONSENT,
    CORRECTS,
    FOLLOWS_UP,
    NOT_FOLLOWED,
)
from vault.store.unit_of_work import Tx, UnitOfWork
from vault.trail.entries import TrailEntry
from vault.trail.service import (
    WINDOW_GROUPS,
    CaseworkEvent,
    EntryMeta,
    PaperTrail,
    TrailWindow,
    entry_meta,
    load_case,
    root_of,
)

log = logging.getLogger(__name__)

__all__ = ["ADVICE_KINDS", "DISCHARGING_KINDS", "MAX_DETAIL_BYTES", "WINDOW_GROUPS", "LogEntry",
           "LoggedEntry", "OffRecordConsent", "TrailLogService", "TrailWindow", "parse_when"]

MAX_SUMMARY = 2_000
MAX_DETAIL_BYTES = 100 * 1024
MAX_HOW = 1_000
MAX_CHANNEL = 60

ADVICE_KINDS = frozenset({EntryKind.ORAL_ADVICE, EntryKind.WRITTEN_ADVICE,
                          EntryKind.TECHNICAL_ADVICE})
MAX_SOURCE = 300
# UCU guide point 9: "take your time and look it up, or contact the regional office".
TECHNICAL_ADVICE_PROMPT = (
    "Technical advice with no source: take your time and look it up (a policy, the law, ACAS), "
    "or contact the regional office for guidance, rather than rely on memory."
)
DISCHARGING_KINDS = frozenset({EntryKind.WRITTEN_ADVICE, EntryKind.EMAIL_SENT, EntryKind.LETTER})
_LOG_KINDS = frozenset(k.value for k in EntryKind)

Moment = dt.date | dt.datetime

OFF_RECORD_NEEDS_CONSENT = (
    "An off-the-record or without-prejudice conversation can only be logged after recording "
    "that the member was told beforehand and agreed (when and how)."
)
OFF_RECORD_NEEDS_MANAGER = (
    "Confirm that the manager was told anything said would be reported back to the member "
    "before logging an off-the-record conversation."
)


LogEntry = TrailEntry  # the one entry view (vault.trail.entries); the old name stays


@dataclass(frozen=True)
class LoggedEntry:
    """What logging did: the new entry, and any follow-up it opened or discharged."""

    seq: int
    kind: EntryKind
    case_ref: str
    followup_due: dt.date | None = None
    discharged: int | None = None
    prompt: str | None = None


def parse_when(text: str, field: str = "The date") -> Moment:
    """A date ("2026-11-23", "23/11/2026", "23 Nov 2026") or a date-time ("2026-11-23 14:30",
    ISO 8601 with or without an offset, "23/11/2026 14:30"). Date-times without an offset are
    local time.

    Raises:
        InvalidInput: naming the field, with the formats accepted.
    """
    value = " ".join(text.split())
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d %b %Y", "%d %B %Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    try:
        return dt.datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return dt.datetime.strptime(value, "%d/%m/%Y %H:%M")
    except ValueError:
        raise InvalidInput(f"{field}: give a date like 2026-11-23 or a time like "
                           "2026-11-23 14:30.") from None


class TrailLogService:
    """Logs entries a rep writes, with their rules. See the module docstring."""

    def __init__(self, uow: UnitOfWork, clock: Clock, trail: PaperTrail,
                 followups: FollowUpService) -> None:
        self._uow = uow
        self._clock = clock
        self._trail = trail
        self._followups = followups

    # -- logging -------------------------------------------------------------------------------

    def log(
        self,
        ref: str,
        kind: EntryKind | str,
        summary: str,
        *,
        detail: str | None = None,
        occurred: Moment | None = None,
        follows_up: int | None = None,
        not_followed: bool = False,
        manager_told: bool = False,
        channel: str | None = None,
        follow_up_days: int | None = None,
        source: str | None = None,
    ) -> LoggedEntry:
        """Log one entry on case ``ref``.

        ``channel`` (oral advice only): how the advice was given, as it reads after "our" in the
        follow-up note ("meeting", "phone call"). ``follow_up_days`` overrides the settings'
        working days for this oral advice. ``manager_told`` is required for off-the-record.

        Raises:
            InvalidInput: unknown kind; empty summary; text too long; a date in the future;
                ``not_followed`` on an entry that is not advice; ``follows_up`` on a kind that
                cannot discharge a follow-up.
            NotFound: no such case, or no such entry to follow up.
            RefusedAction: the case is destroyed; the follow-up link is to another case, to an
                entry that is not oral advice, or to advice already followed up; off the record
                without a prior consent or without ``manager_told``.
        """
        entry_kind = _kind(kind)
        clean_summary = _summary(summary)
        clean_detail = _detail(detail)
        when = self._occurred(occurred, "The time it happened")
        if not_followed and entry_kind not in ADVICE_KINDS:
            raise InvalidInput("Only advice (oral or written) can be marked as not followed.")
        if follows_up is not None and entry_kind not in DISCHARGING_KINDS:
            raise InvalidInput("Only written advice, an email sent or a letter can be the "
                               "written follow-up of oral advice.")
        if channel is not None and entry_kind is not EntryKind.ORAL_ADVICE:
            raise InvalidInput("How advice was given applies to oral advice only.")
        if follow_up_days is not None and entry_kind is not EntryKind.ORAL_ADVICE:
            raise InvalidInput("Follow-up working days apply to oral advice only.")
        if entry_kind is EntryKind.OFF_THE_RECORD and not manager_told:
            raise RefusedAction(OFF_RECORD_NEEDS_MANAGER)
        clean_channel = clean_text(channel, "How the advice was given", required=False,
                                   max_len=MAX_CHANNEL)
        payload: dict[str, Any] = {"summary": clean_summary, "occurred": when.isoformat()}
        if clean_detail:
            payload["detail"] = clean_detail
        if not_followed:
            payload["not_followed"] = True
        if clean_channel:
            payload["channel"] = clean_channel
        if source is not None and entry_kind is not EntryKind.TECHNICAL_ADVICE:
            raise InvalidInput("A source applies to technical advice only.")
        clean_source = clean_text(source, "The source", required=False, max_len=MAX_SOURCE)
        prompt = None
        if entry_kind is EntryKind.TECHNICAL_ADVICE:
            if clean_source:
                payload["source"] = clean_source
            else:
                prompt = TECHNICAL_ADVICE_PROMPT
        links: dict[str, int] = {}
        result_due: dt.date | None = None
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            consent: OffRecordConsent | None = None
            if entry_kind is EntryKind.OFF_THE_RECORD:
                consent = self._consent_for(tx, case, when)
                payload.update(off_record=True, manager_told=True, consent={
                    "told_at": consent.told_at.isoformat(), "how": consent.how})
                links[CONSENT] = consent.trail_seq
            target: FollowUpRecord | None = None
            if follows_up is not None:
                target = self._followup_target(tx, case, follows_up)
                links[FOLLOWS_UP] = target.advice_seq
            seq = self._trail.record(tx, kind=entry_kind.value, case=case, payload=payload,
                                     links=links or None)
            if consent is not None:
                tx.off_record.mark_used(consent.id, seq)
            if target is not None:
                tx.followups.discharge(target.advice_seq, seq)
            if entry_kind is EntryKind.ORAL_ADVICE:
                result_due = self._followups.open_in(tx, case, seq, _date_of(when),
                                                     follow_up_days)
            tx.cases.touch(case.id, self._clock.now())
        log.info("logged entry %d (%s) on %s", seq, entry_kind.value, case.ref)
        return LoggedEntry(seq, entry_kind, case.ref, result_due,
                           target.advice_seq if target else None, prompt)

    def correct(
        self,
        ref: str,
        seq: int,
        summary: str,
        *,
        detail: str | None = None,
        occurred: Moment | None = None,
        not_followed: bool | None = None,
    ) -> LoggedEntry:
        """Correct entry ``seq`` of case ``ref`` with a new entry of the same kind.

        The correction keeps the original's time unless ``occurred`` is given, and its
        off-the-record marking, consent and channel. ``not_followed`` None keeps the flag.

        Raises:
            InvalidInput: empty summary, text too long, a time in the future, or
                ``not_followed`` on an entry that is not advice.
            NotFound: no such case or entry.
            RefusedAction: the entry belongs to another case, was written by the product, or
                has already been corrected (correct the correction instead).
        """
        clean_summary = _summary(summary)
        clean_detail = _detail(detail)
        when = self._occurred(occurred, "The time it happened") if occurred is not None else None
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            meta = self._entry_of_case(tx, case, seq)
            if meta.kind not in _LOG_KINDS:
                raise RefusedAction(f"Entry #{seq} was written by the product; only entries a "
                                    "rep logged can be corrected.")
            existing = tx.trail_links.corrected_by(seq)
            if existing is not None:
                raise RefusedAction(f"Entry #{seq} has already been corrected by entry "
                                    f"#{existing}; correct #{existing} instead.")
            entry_kind = EntryKind(meta.kind)
            if not_followed and entry_kind not in ADVICE_KINDS:
                raise InvalidInput("Only advice (oral or written) can be marked as not followed.")
            original, _ = self._trail.entry(seq)
            old = original.payload
            payload: dict[str, Any] = {
                "summary": clean_summary,
                "occurred": when.isoformat() if when else old.get("occurred",
                                                                  original.ts.isoformat()),
            }
            if clean_detail:
                payload["detail"] = clean_detail
            for carried in ("off_record", "manager_told", "consent", "channel"):
                if carried in old:
                    payload[carried] = old[carried]
            flag = bool(old.get("not_followed")) if not_followed is None else not_followed
            if flag:
                payload["not_followed"] = True
            links = {CORRECTS: seq}
            if CONSENT in meta.links:
                links[CONSENT] = meta.links[CONSENT]
            new_seq = self._trail.record(tx, kind=entry_kind.value, case=case,
                                         payload=payload, links=links)
            tx.cases.touch(case.id, self._clock.now())
        log.info("entry %d corrected by %d on %s", seq, new_seq, case.ref)
        return LoggedEntry(new_seq, entry_kind, case.ref)

    def record_not_followed(self, ref: str, advice_seq: int, summary: str, *,
                            detail: str | None = None) -> LoggedEntry:
        """Add a note that the member chose not to follow advice entry ``advice_seq``.

        Raises:
            InvalidInput: empty summary or text too long.
            NotFound: no such case or entry.
            RefusedAction: the entry belongs to another case or is not advice.
        """
        clean_summary = _summary(summary)
        clean_detail = _detail(detail)
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            meta = self._entry_of_case(tx, case, advice_seq)
            if meta.kind not in {k.value for k in ADVICE_KINDS}:
                raise RefusedAction(f"Entry #{advice_seq} is not advice; only advice can be "
                                    "recorded as not followed.")
            payload: dict[str, Any] = {"summary": clean_summary,
                                       "occurred": self._clock.now().isoformat(),
                                       "not_followed_of": advice_seq}
            if clean_detail:
                payload["detail"] = clean_detail
            seq = self._trail.record(tx, kind=EntryKind.NOTE.value, case=case,
                                     payload=payload, links={NOT_FOLLOWED: advice_seq})
            tx.cases.touch(case.id, self._clock.now())
        return LoggedEntry(seq, EntryKind.NOTE, case.ref)

    # -- off the record ------------------------------------------------------------------------

    def record_off_record_consent(self, ref: str, *, told_at: Moment, how: str) -> OffRecordConsent:
        """Record that the member was told beforehand and agreed to an off-the-record talk.

        Raises:
            InvalidInput: ``how`` empty or too long; ``told_at`` in the future.
            NotFound / RefusedAction: no such case; the case is destroyed.
        """
        clean_how = clean_text(how, "How the member was told", max_len=MAX_HOW)
        assert clean_how is not None
        when = self._occurred(told_at, "When the member was told")
        now = self._clock.now()
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            seq = self._trail.record(tx, kind=CaseworkEvent.OFF_RECORD_CONSENT.value, case=case,
                payload={"summary": "Member told beforehand and agreed to an off-the-record / "
                                    "without-prejudice conversation",
                         "detail": clean_how, "told_at": when.isoformat()},
            )
            repo = tx.off_record
            consent = repo.get(repo.insert(case.id, when, clean_how, now, seq))
        log.info("off-the-record consent recorded on %s", case.ref)
        return consent

    def consents(self, ref: str) -> list[OffRecordConsent]:
        """Every off-the-record consent of a case (used ones have ``used_by``)."""
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            return tx.off_record.for_case(case.id)

    # -- reading -------------------------------------------------------------------------------

    def entries(
        self,
        ref: str,
        *,
        kinds: Iterable[EntryKind | str] | None = None,
        include_off_record: bool = True,
    ) -> list[LogEntry]:
        """The case's entries, oldest first, optionally only some kinds.

        Raises:
            NotFound: no such case.
            InvalidInput: an unknown kind in ``kinds``.
        """
        wanted = {_kind(k).value for k in kinds} if kinds is not None else None
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
        return [e for e in self._trail.entries(case)
                if (wanted is None or e.kind in wanted)
                and (include_off_record or not e.off_record)]

    def window(self, ref: str, *, after: int | None = None, limit: int = WINDOW_GROUPS,
               oldest_first: bool = False, through: int | None = None) -> TrailWindow:
        """One window of the case's timeline, as the case page reads it (``vault.trail.window``):
        the next ``limit`` groups (an entry and the corrections under it) after root ``after``,
        newest first unless ``oldest_first``; with ``through``, every group up to that root.
        Only the window's payloads are decrypted. Every kind, off-the-record entries included.

        Raises:
            NotFound: no such case.
        """
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            return self._trail.window(case, after=after, limit=limit, oldest_first=oldest_first,
                                      through=through)

    def every_window(self, ref: str, *, limit: int = WINDOW_GROUPS,
                     between: Callable[[], None] | None = None) -> list[TrailWindow]:
        """Every window of the case's timeline in turn, newest first, in one read snapshot
        (so a correction written meanwhile cannot fall between two windows). ``between`` is
        called before each window: a worker passes its cancel check, which raises to stop.

        Raises:
            NotFound: no such case.
        """
        windows: list[TrailWindow] = []
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            after: int | None = None
            while True:
                if between is not None:
                    between()
                window = self._trail.window(case, after=after, limit=limit)
                windows.append(window)
                if window.next_after is None:
                    return windows
                after = window.next_after

    def group_of(self, ref: str, seq: int) -> int | None:
        """The root of the group entry ``seq`` reads in (the entry it corrects, at the start
        of the chain), or None if ``seq`` is not an entry of case ``ref``. No decryption.

        Raises:
            NotFound: no such case.
        """
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            meta = entry_meta(tx, seq)
            if meta is None or meta.case_id != case.id:
                return None
            return root_of(tx, seq)

    def entry(self, seq: int) -> LogEntry:
        """One entry by number (any case).

        Raises:
            IntegrityError: there is no such entry.
        """
        return self._trail.entry(seq)[0]

    # -- internals -----------------------------------------------------------------------------

    def _occurred(self, value: Moment | None, field: str) -> Moment:
        """The moment given (naive date-times are local), refused when in the future."""
        if value is None:
            return self._clock.now()
        if isinstance(value, dt.datetime):
            aware = value if value.tzinfo is not None else value.astimezone()
            if aware > self._clock.now() + dt.timedelta(minutes=1):
                raise InvalidInput(f"{field} cannot be in the future.")
            return aware
        if not isinstance(value, dt.date):
            raise InvalidInput(f"{field} must be a date or a time.")
        if value > self._clock.today():
            raise InvalidInput(f"{field} cannot be in the future.")
        return value

    @staticmethod
    def _entry_of_case(tx: Tx, case: Case, seq: int) -> EntryMeta:
        meta = entry_meta(tx, seq)
        if meta is None:
            raise NotFound(f"There is no trail entry #{seq}.")
        if meta.case_id != case.id:
            raise RefusedAction(f"Entry #{seq} belongs to another case, not {case.ref}.")
        return meta

    def _followup_target(self, tx: Tx, case: Case,
                         seq: int) -> FollowUpRecord:
        meta = entry_meta(tx, seq)
        if meta is None:
            raise NotFound(f"There is no trail entry #{seq}.")
        if meta.case_id != case.id:
            raise RefusedAction(f"Entry #{seq} belongs to another case; a written follow-up "
                                f"must answer oral advice in {case.ref}.")
        if meta.kind != EntryKind.ORAL_ADVICE.value:
            raise RefusedAction(f"Entry #{seq} is not oral advice; only oral advice is followed "
                                "up in writing.")
        root = root_of(tx, seq)
        record = tx.followups.get(root)
        if record.discharged_seq is not None:
            raise RefusedAction(f"The oral advice #{root} was already followed up in writing "
                                f"(entry #{record.discharged_seq}).")
        return record

    @staticmethod
    def _consent_for(tx: Tx, case: Case, when: Moment) -> OffRecordConsent:
        unused = tx.off_record.unused(case.id)
        if not unused:
            raise RefusedAction(OFF_RECORD_NEEDS_CONSENT)
        before = [c for c in unused if _not_after(c.told_at, when)]
        if not before:
            raise RefusedAction("The member's agreement was recorded as given after this "
                                "conversation; it must be given beforehand.")
        return before[0]


def _kind(kind: EntryKind | str) -> EntryKind:
    if isinstance(kind, EntryKind):
        return kind
    try:
        return EntryKind(str(kind).strip().casefold())
    except ValueError:
        raise InvalidInput("Unknown kind of entry; choose one of: "
                           + ", ".join(k.value for k in EntryKind)) from None


def _summary(summary: str) -> str:
    text = clean_text(summary, "The summary", max_len=MAX_SUMMARY)
    assert text is not None
    return text


def _detail(detail: str | None) -> str | None:
    text = clean_text(detail, "The detail", required=False, max_len=MAX_DETAIL_BYTES)
    if text is not None and len(text.encode("utf-8")) > MAX_DETAIL_BYTES:
        raise InvalidInput("The detail is too long (at most 100 KB).")
    return text


def _date_of(moment: Moment) -> dt.date:
    return moment.date() if isinstance(moment, dt.datetime) else moment


def _not_after(a: Moment, b: Moment) -> bool:
    """True when ``a`` is no later than ``b`` (compared as dates when either is a date)."""
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):
        return a <= b
    return _date_of(a) <= _date_of(b)
