"""Written follow-ups of oral advice: what is owed, when it is due, discharging, waiving, drafting.

The UCU guide: "If you give any advice orally, follow it up with an email or written note."
Logging oral advice (``vault.casework.trail_log``) opens a follow-up owed, due a set number of
working days after the advice date (default 2, from the settings; weekends and the UK bank
holidays of the rep's region skipped, ``vault.casework.working_days``). A written-advice,
email-sent or letter entry linked with ``follows_up`` discharges it; the rep may instead waive it
with a reason (case closing needs every follow-up discharged or waived).

The follow-up note is drafted from the oral-advice entry (its latest correction, if corrected)
by ``vault.reports.followup_note``, as plain text for an email body or as a PDF. Writing a PDF
puts a decrypted copy outside the vault, so it is recorded in the paper trail.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vault.casework.validation import clean_name, clean_text
from vault.casework.working_days import add_working_days
from vault.clock import Clock
from vault.domain import Case
from vault.errors import RefusedAction
from vault.store.followups_repo import FollowUpRecord
from vault.store.trail_links_repo import NOT_FOLLOWED
from vault.store.unit_of_work import Tx, UnitOfWork
from vault.trail.service import (
    CaseworkEvent,
    PaperTrail,
    latest_version,
    load_case,
    root_of,
)

if TYPE_CHECKING:  # reportlab loads only when a draft is made (it costs start-up time)
    from vault.reports.followup_note import FollowUpDraft

log = logging.getLogger(__name__)

DEFAULT_WORKING_DAYS = 2
MAX_REASON = 2_000


class FollowUpState(StrEnum):
    OWED = "owed"
    DISCHARGED = "discharged"
    WAIVED = "waived"


@dataclass(frozen=True)
class FollowUp:
    """A written follow-up of one oral-advice entry.

    ``summary`` is the advice's summary (from its latest correction). ``overdue`` and
    ``days_overdue`` are as of the clock when the object was made.
    """

    advice_seq: int
    case_ref: str
    advice_date: dt.date
    due: dt.date
    state: FollowUpState
    overdue: bool
    days_overdue: int
    summary: str
    discharged_by: int | None
    waived_on: dt.date | None
    waive_reason: str | None


# Views built per read snapshot: fewer BEGINs than one per entry, yet a lock never waits for
# more than one batch (Home reads these on a worker thread).
_VIEW_BATCH = 256


class FollowUpService:
    def __init__(
        self,
        uow: UnitOfWork,
        clock: Clock,
        trail: PaperTrail,
        *,
        working_days: Callable[[], int] = lambda: DEFAULT_WORKING_DAYS,
        region: Callable[[], str] = lambda: "ENG",
        vault_root: Path | None = None,
    ) -> None:
        """``working_days`` and ``region`` are read each time (the settings can change).

        ``vault_root`` is the vault folder, refused as a place to write a PDF (plaintext).
        """
        self._vault_root = vault_root
        self._uow = uow
        self._clock = clock
        self._trail = trail
        self._working_days = working_days
        self._region = region

    # -- opening (called by the trail log inside its transaction) -------------------------------

    def due_date(self, advice_date: dt.date, days: int | None = None) -> dt.date:
        """The date a follow-up of advice given on ``advice_date`` is due.

        Raises:
            InvalidInput: ``days`` negative or absurd; unknown region.
        """
        n = self._working_days() if days is None else days
        return add_working_days(advice_date, n, region=self._region())

    def open_in(self, tx: Tx, case: Case, advice_seq: int,
                advice_date: dt.date, days: int | None = None) -> dt.date:
        """Open the follow-up owed for oral-advice entry ``advice_seq``; returns its due date."""
        due = self.due_date(advice_date, days)
        tx.followups.open(advice_seq, case.id, advice_date, due)
        log.info("follow-up opened for entry %d of %s", advice_seq, case.ref)
        return due

    # -- reading -------------------------------------------------------------------------------

    def owed(self) -> list[FollowUp]:
        """Every follow-up still owed (cases not destroyed): overdue first, then by due date."""
        with self._uow.read() as tx:
            records = tx.followups.owed()
        items: list[FollowUp] = []
        for start in range(0, len(records), _VIEW_BATCH):
            with self._uow.read():  # a batch per snapshot: each view's reads join it
                items.extend(self._view(r) for r in records[start:start + _VIEW_BATCH])
        items.sort(key=lambda f: (not f.overdue, f.due, f.advice_seq))
        return items

    def owed_first(self, limit: int) -> tuple[list[FollowUp], int]:
        """The ``limit`` most urgent follow-ups still owed, and how many are owed in all.

        Only those ``limit`` entries are decrypted (Home shows ten, whatever the vault's size);
        the order is ``owed()``'s: earliest due first, so the overdue ones lead.
        """
        with self._uow.read() as tx:
            records = tx.followups.owed()  # earliest due first: overdue ones lead
            items = [self._view(r) for r in records[:limit]]
        items.sort(key=lambda f: (not f.overdue, f.due, f.advice_seq))
        return items, len(records)

    def for_case(self, ref: str) -> list[FollowUp]:
        """Every follow-up of one case, in the order the advice was logged."""
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            records = tx.followups.for_case(case.id)
        return [self._view(r) for r in records]

    def owed_for_case(self, ref: str) -> list[FollowUp]:
        """The follow-ups of one case still owed (the case page's banner and badge), in the
        order the advice was logged: one decryption each, however long the trail."""
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            records = tx.followups.owed_for_case(case.id)
        return [self._view(r) for r in records]

    def for_advice(self, ref: str, advice_seqs: Iterable[int]) -> list[FollowUp]:
        """The follow-ups of some oral-advice entries of one case (the roots of a window of
        its trail), in the order the advice was logged; entries that are not oral advice
        have none."""
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            records = tx.followups.for_advice(case.id, advice_seqs)
        return [self._view(r) for r in records]

    def get(self, advice_seq: int) -> FollowUp:
        """The follow-up of oral-advice entry ``advice_seq`` (or of a correction of it).

        Raises:
            NotFound: the entry has no follow-up (it is not oral advice).
        """
        with self._uow.read() as tx:
            root = root_of(tx, advice_seq)
            record = tx.followups.get(root)
        return self._view(record)

    # -- waiving -------------------------------------------------------------------------------

    def waive(self, advice_seq: int, reason: str) -> FollowUp:
        """Record that no written follow-up will be sent, and why.

        Raises:
            InvalidInput: empty reason.
            NotFound: the entry has no follow-up.
            RefusedAction: already discharged or already waived; the case is destroyed.
        """
        clean = clean_text(reason, "The reason", max_len=MAX_REASON)
        assert clean is not None
        today = self._clock.today()
        with self._uow.write() as tx:
            root = root_of(tx, advice_seq)
            repo = tx.followups
            record = repo.get(root)
            case = load_case(tx, record.case_id)
            if record.discharged_seq is not None:
                raise RefusedAction(f"The follow-up of entry #{root} was already sent "
                                    f"(entry #{record.discharged_seq}).")
            if record.waived_on is not None:
                raise RefusedAction(f"The follow-up of entry #{root} was already waived.")
            repo.waive(root, today, clean)
            self._trail.record(tx, kind=CaseworkEvent.FOLLOW_UP_WAIVED.value, case=case,
                               payload={"summary": f"Written follow-up of entry #{root} waived",
                                        "detail": clean},
                               links={"waives": root})
            record = repo.get(root)
        log.info("follow-up of entry %d waived", root)
        return self._view(record)

    # -- drafting ------------------------------------------------------------------------------

    def draft(self, advice_seq: int, *, rep_name: str, union_name: str) -> FollowUpDraft:
        """The follow-up note's content, from the oral advice (its latest correction).

        Raises:
            NotFound: no such entry, or it has no follow-up.
            IntegrityError: the entry's payload does not open (tampered, or case destroyed).
        """
        rep = clean_name(rep_name, "Your name")
        union = clean_name(union_name, "The union's name")
        with self._uow.read() as tx:
            root = root_of(tx, advice_seq)
            record = tx.followups.get(root)
            case = tx.cases.get(record.case_id)
            member = tx.members.get(case.member_id)
            latest = latest_version(tx, root)
            not_followed_notes = tx.trail_links.linking(NOT_FOLLOWED, root)
            if latest != root:
                not_followed_notes += tx.trail_links.linking(NOT_FOLLOWED, latest)
        entry, _ = self._trail.entry(latest)
        payload: dict[str, Any] = entry.payload
        text = entry.summary
        if payload.get("detail"):
            text += "\n\n" + str(payload["detail"])
        note = None
        if payload.get("not_followed") or not_followed_notes:
            # The letter words the decision itself; the note is the rep's own record of it.
            note = ""
            if not_followed_notes:
                later, _ = self._trail.entry(max(not_followed_notes))
                note = later.summary
        from vault.reports.followup_note import FollowUpDraft

        return FollowUpDraft(
            member_name=member.name, case_ref=case.ref, advice_date=record.advice_date,
            advice_channel=str(payload.get("channel") or ""), advice_text=text,
            rep_name=rep, union_name=union, not_followed_note=note,
            note_date=self._clock.today(), trail_head=self._short_head(),
        )

    def _short_head(self) -> str:
        seq, mac = self._trail.head()
        return f"#{seq}·{mac[:12]}" if seq else ""

    def draft_text(self, advice_seq: int, *, rep_name: str, union_name: str) -> str:
        """The follow-up note as plain text, for an email body. Nothing is written anywhere."""
        from vault.reports import followup_note

        return followup_note.draft_text(self.draft(advice_seq, rep_name=rep_name,
                                                   union_name=union_name))

    def render_pdf(self, advice_seq: int, out: Path, *, rep_name: str, union_name: str,
                   allow_shared_folder: bool = False) -> Path:
        """Write the follow-up note as a PDF at ``out`` (a decrypted copy outside the vault).

        The copy is recorded in the case's paper trail (the path is not recorded).

        Raises:
            NotFound / IntegrityError: as ``draft``.
            StorageError: the file could not be written.
            RefusedAction / SharedOutputFolder / InvalidInput: as
                ``vault.store.safe_output.private_output`` (inside the vault, a shared folder).
        """
        from vault.reports import followup_note

        draft = self.draft(advice_seq, rep_name=rep_name, union_name=union_name)
        followup_note.render_pdf(draft, out, vault_root=self._vault_root,
                                 allow_shared_folder=allow_shared_folder)
        with self._uow.write() as tx:
            root = root_of(tx, advice_seq)
            case = load_case(tx, tx.followups.get(root).case_id)
            self._trail.record(tx, kind=CaseworkEvent.FOLLOW_UP_DRAFTED.value, case=case,
                               payload={"summary": f"Follow-up note of entry #{root} saved "
                                                   "as a PDF outside the vault"},
                               links={"drafts": root})
        log.info("follow-up note of entry %d written as PDF", root)
        return out

    # -- internals -----------------------------------------------------------------------------

    def _view(self, r: FollowUpRecord) -> FollowUp:
        today = self._clock.today()
        if r.discharged_seq is not None:
            state = FollowUpState.DISCHARGED
        elif r.waived_on is not None:
            state = FollowUpState.WAIVED
        else:
            state = FollowUpState.OWED
        overdue = state is FollowUpState.OWED and r.due < today
        summary = ""
        if r.case_status != "destroyed":
            with self._uow.read() as tx:
                latest = latest_version(tx, r.advice_seq)
            summary = self._trail.entry(latest)[0].summary
        return FollowUp(
            advice_seq=r.advice_seq, case_ref=r.case_ref, advice_date=r.advice_date, due=r.due,
            state=state, overdue=overdue, days_overdue=(today - r.due).days if overdue else 0,
            summary=summary, discharged_by=r.discharged_seq, waived_on=r.waived_on,
            waive_reason=r.waive_reason,
        )


__all__ = [
    "DEFAULT_WORKING_DAYS",
    "FollowUp",
    "FollowUpService",
    "FollowUpState",
]
