"""The retention service: close, reopen, hold, release, due lists, the erase, certificates, audit.

Owns the workflow of DOMAIN.md "Closing, retention and secure deletion" over the vault:

* **close** runs the closing checklist (``vault.retention.checklist``) over the case's real
  documents, follow-ups and escalation decision, refuses naming every outstanding item, and
  sets the retention date from the union profile's archive period or a per-case period with a
  reason (``vault.retention.policy``); **reopen** (with a reason) clears it. Each is a
  paper-trail entry of the case.
* **hold** / **release** a legal hold with a reason; a held case is never due.
* **rows**, **due** and **reminder_counts** for the Retention page, ``retention due`` and Home.
* **destroy** — the cryptographic erase, one resumable job recorded as an intent before it
  starts (see :class:`EraseJob` in ``vault.retention.erase``); its certificate is made exactly
  once, stored in the vault and listed.
* the **branch audit** for a period, and **check_audit** of a file it produced.

Every refusal is one user-safe line (``RefusedAction``/``NotFound``/``InvalidInput``) and
changes nothing. Logs carry case ids and counts, never names or text.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from vault import __version__
from vault.casework.escalation import EscalationService
from vault.casework.validation import clean_text
from vault.clock import Clock
from vault.crypto.report_mac import report_mac_key
from vault.crypto.secret import SecretKey
from vault.domain import CaseStatus, Category
from vault.errors import InvalidInput, NotFound, RefusedAction
from vault.reports import audit_report, destruction_certificate
from vault.reports.audit_report import AuditCertificateLine, AuditCheck, AuditReportView
from vault.reports.destruction_certificate import CertificateView, TrailHead
from vault.retention.audit import RetentionCase, build_audit
from vault.retention.checklist import ChecklistDocument, ChecklistFollowUp, ClosingChecklist
from vault.retention.erase import EraseJob, EraseStore, ProgressFn, StepHook
from vault.retention.policy import OVERDUE_AFTER_DAYS, RetentionRule, RetentionStatus, RuleKind
from vault.retention.views import CertificateListing, ReminderCounts, RetentionRow
from vault.store.retention_repo import RetentionRecord, RetentionRepository
from vault.store.unit_of_work import Tx, UnitOfWork
from vault.trail.kinds import TrailEvent
from vault.trail.service import PaperTrail

log = logging.getLogger(__name__)

# Entries the product writes when a case is opened or its flags/consent set: a case holding only
# these was never worked on, and may be deleted as opened by mistake.
_MISTAKE_OK_KINDS = frozenset({TrailEvent.CASE_OPENED.value, TrailEvent.CASE_UPDATED.value,
                               TrailEvent.CONSENT_TO_SHARE.value,
                               TrailEvent.ESCALATION_DECISION.value,
                               TrailEvent.CONFLICT_CHECK.value})

MAX_OUTCOME = 4_000
MAX_REASON = 500


class RetentionService:
    """Retention over one unlocked vault.

    ``archive_years`` answers the union profile's archive period (None: the default 6).
    ``store`` gives the erase what lies outside the database's rows (the document folder, the
    key file, WAL/VACUUM, the key rotation); ``report_key`` the key the audit MAC key is
    derived from. ``escalation`` says whether a case needed an escalation decision and has one (the
    dismissal/discrimination rule and, for a rep not yet accredited, every personal case);
    without it only the dismissal/discrimination rule is checked. ``on_people_changed`` is
    called after an erase removed people (the conflict matcher refreshes its index).
    """

    def __init__(self, uow: UnitOfWork, clock: Clock, trail: PaperTrail, store: EraseStore, *,
                 report_key: Callable[[], SecretKey],
                 archive_years: Callable[[], int | None] = lambda: None,
                 union_name: Callable[[], str] = lambda: "",
                 escalation: EscalationService | None = None,
                 on_people_changed: Callable[[], None] = lambda: None) -> None:
        self._uow = uow
        self._clock = clock
        self._trail = trail
        self._store = store
        self._report_key = report_key
        self._archive_years = archive_years
        self._union_name = union_name
        self._escalation = escalation
        self._erase = EraseJob(uow, clock, trail, store, product_version=__version__,
                               on_people_changed=on_people_changed)

    @property
    def erase_job(self) -> EraseJob:
        """The erase (its ``resume`` is the intent-journal handler of ``ERASE_INTENT``)."""
        return self._erase

    # -- closing -------------------------------------------------------------------------------

    def checklist(self, ref: str, *, paper_copies_shredded: bool) -> ClosingChecklist:
        """The closing checklist of an open case as it stands now.

        Raises:
            NotFound: no such case.
            RefusedAction: the case is not open.
        """
        with self._uow.read() as tx:
            repo = tx.retention
            record = repo.record(ref)
            _require_status(record, "open", "closed")
            return self._checklist(tx, record, paper_copies_shredded)

    def _checklist(self, tx: Tx, record: RetentionRecord, shredded: bool) -> ClosingChecklist:
        repo = tx.retention
        case = tx.cases.get(record.case_id)
        if self._escalation is not None:
            status = self._escalation.status(case.ref)
            required, decided = status.required, not status.outstanding
        else:
            required = case.needs_escalation_prompt
            decided = repo.escalation_decided(record.case_id)
        return ClosingChecklist(
            documents=tuple(ChecklistDocument(d.id, d.name, d.is_original, d.returned)
                            for d in repo.closing_documents(record.case_id)),
            paper_copies_shredded=shredded,
            follow_ups=tuple(ChecklistFollowUp(f.advice_seq, f.advice_date, f.discharged,
                                               f.waived, f.waive_reason)
                             for f in repo.closing_follow_ups(record.case_id)),
            escalation_required=required,
            escalation_decided=decided,
        )

    def default_rule(self) -> RetentionRule:
        return RetentionRule.profile(self._archive_years())

    def close(self, ref: str, *, outcome: str, paper_copies_shredded: bool,
              retain_days: int | None = None, reason: str | None = None) -> RetentionRow:
        """Close an open case: the checklist must be complete; sets the retention date.

        ``retain_days`` (with ``reason``) is a per-case period; otherwise the union profile's
        archive period applies.

        Raises:
            NotFound: no such case.
            RefusedAction: the case is not open, or the checklist has outstanding items (the
                message names each).
            InvalidInput: no outcome, a per-case period without a reason or out of range.
        """
        text = clean_text(outcome, "The outcome", max_len=MAX_OUTCOME)
        assert text is not None
        if retain_days is None:
            if reason is not None and reason.strip():
                raise InvalidInput("A reason is only needed with a per-case period.")
            rule = self.default_rule()
        else:
            rule = RetentionRule.per_case(retain_days, reason or "")
        today = self._clock.today()
        now = self._clock.now()
        with self._uow.write() as tx:
            repo = tx.retention
            record = repo.record(ref)
            _require_status(record, "open", "closed")
            self._checklist(tx, record, paper_copies_shredded).require_complete()
            until = rule.retention_date(today)
            repo.set_closed(record.case_id, closed=today, outcome=text, shredded=today,
                            retain_until=until, rule=rule.kind.value, years=rule.years,
                            days=rule.days, reason=rule.reason, when=now)
            self._trail.record(tx, kind=TrailEvent.CASE_CLOSED.value,
                               case=tx.cases.get(record.case_id), payload={
                                   "summary": "Case closed",
                                   "detail": f"Outcome: {text}",
                                   "retention_date": until.isoformat(),
                                   "rule": rule.describe(),
                                   "reason": rule.reason or "",
                               })
            log.info("case %s closed (rule %s)", record.case_id[:8], rule.code)
            return self._row(repo.record(record.case_id), today, repo)

    def delete_opened_by_mistake(self, ref: str, *, reason: str,
                                 progress: ProgressFn | None = None) -> CertificateView:
        """Destroy an open case that was opened by mistake (issue 16), at once.

        Allowed only while nothing but the product's own opening entries refers to it — no
        document, party, first meeting, key date, follow-up or logged entry. The case is closed
        with a 0-day period and the reason, then crypto-erased like any due case, so its
        destruction is on the paper trail with a certificate (its opening entry stays hashed).

        Raises:
            NotFound: no such case.
            RefusedAction: the case is not open, or something refers to it (named).
            InvalidInput: no reason.
        """
        why = clean_text(reason, "The reason", max_len=MAX_REASON)
        assert why is not None
        today = self._clock.today()
        now = self._clock.now()
        rule = RetentionRule.per_case(0, f"Opened by mistake: {why}")
        with self._uow.write() as tx:
            repo = tx.retention
            record = repo.record(ref)
            _require_status(record, "open", "deleted as opened by mistake")
            case = tx.cases.get(record.case_id)
            held = [what for what, n in (
                ("documents", len(tx.documents.list(case.id))),
                ("parties", len(tx.parties.list(case.id))),
                ("key dates", len(tx.case_dates.for_case(case.id))),
                ("first-meeting records", len(tx.first_meeting.issues(case.id))
                 + len(tx.first_meeting.actions(case.id))
                 + (1 if tx.first_meeting.details(case.id) else 0)),
                ("paper-trail entries logged by you", sum(
                    1 for r in tx.trail.rows_for_case(case.id)
                    if r["kind"] not in _MISTAKE_OK_KINDS)),
            ) if n]
            if held:
                raise RefusedAction(f"Case {case.ref} already holds " + ", ".join(held)
                                    + "; close it in the usual way instead.")
            repo.set_closed(record.case_id, closed=today, outcome="Opened by mistake",
                            shredded=today, retain_until=today, rule=rule.kind.value,
                            years=rule.years, days=rule.days, reason=rule.reason, when=now)
            self._trail.record(tx, kind=TrailEvent.CASE_CLOSED.value, case=case, payload={
                "summary": "Case closed: opened by mistake", "detail": why,
                "retention_date": today.isoformat(), "rule": rule.describe(),
                "reason": rule.reason or ""})
        log.info("case %s to be deleted as opened by mistake", record.case_id[:8])
        return self.destroy(ref, progress=progress, keep_member=True)

    def reopen(self, ref: str, *, reason: str) -> None:
        """Reopen a closed case before destruction; clears its retention date.

        Raises:
            NotFound, RefusedAction (not closed, or destroyed), InvalidInput (no reason).
        """
        why = clean_text(reason, "The reason for reopening", max_len=MAX_REASON)
        now = self._clock.now()
        with self._uow.write() as tx:
            repo = tx.retention
            record = repo.record(ref)
            _require_status(record, "closed", "reopened")
            case = tx.cases.get(record.case_id)
            repo.set_reopened(record.case_id, now)
            repo.release_hold(record.case_id)
            self._trail.record(tx, kind=TrailEvent.CASE_REOPENED.value, case=case, payload={
                "summary": "Case reopened", "detail": f"Reason: {why}"})
            log.info("case %s reopened", record.case_id[:8])

    # -- holds ---------------------------------------------------------------------------------

    def hold(self, ref: str, *, reason: str) -> RetentionRow:
        """Put a closed case on legal hold: it is never due while held.

        Raises:
            NotFound, RefusedAction (open, destroyed, already held), InvalidInput (no reason).
        """
        why = clean_text(reason, "The reason for the hold", max_len=MAX_REASON)
        assert why is not None
        now = self._clock.now()
        with self._uow.write() as tx:
            repo = tx.retention
            record = repo.record(ref)
            _require_status(record, "closed", "put on hold")
            if record.held:
                raise RefusedAction(f"Case {record.ref} is already on hold.")
            seq = self._trail.record(tx, kind=TrailEvent.RETENTION_HOLD.value,
                                     case=tx.cases.get(record.case_id),
                                     payload={"summary": "Legal hold set",
                                              "detail": f"Reason: {why}"})
            repo.set_hold(record.case_id, why, now, seq)
            return self._row(repo.record(record.case_id), self._clock.today(), repo)

    def release(self, ref: str, *, reason: str | None = None) -> RetentionRow:
        """Lift the legal hold of a case.

        Raises:
            NotFound, RefusedAction (not on hold).
        """
        why = clean_text(reason, "The reason", required=False, max_len=MAX_REASON)
        with self._uow.write() as tx:
            repo = tx.retention
            record = repo.record(ref)
            if not record.held:
                raise RefusedAction(f"Case {record.ref} is not on hold.")
            repo.release_hold(record.case_id)
            self._trail.record(tx, kind=TrailEvent.RETENTION_HOLD_RELEASED.value,
                               case=tx.cases.get(record.case_id),
                               payload={"summary": "Legal hold released",
                                        "detail": f"Reason: {why}" if why else ""})
            return self._row(repo.record(record.case_id), self._clock.today(), repo)

    # -- lists ---------------------------------------------------------------------------------

    def rows(self, *, as_of: dt.date | None = None,
             status: RetentionStatus | None = None) -> list[RetentionRow]:
        """Every closed or destroyed case with its status on ``as_of`` (default today)."""
        day = as_of or self._clock.today()
        with self._uow.read() as tx:
            repo = tx.retention
            rows = [self._row(r, day, repo) for r in repo.records() if r.status != "open"]
        if status is not None:
            rows = [r for r in rows if r.status is status]
        return rows

    def row(self, ref: str, *, as_of: dt.date | None = None) -> RetentionRow | None:
        """One case's retention row; None while it is open.

        Raises:
            NotFound: no such case.
        """
        with self._uow.read() as tx:
            repo = tx.retention
            record = repo.record(ref)
            if record.status == "open":
                return None
            return self._row(record, as_of or self._clock.today(), repo)

    def due(self, *, as_of: dt.date | None = None) -> list[RetentionRow]:
        """Cases due or overdue for destruction on ``as_of``, oldest retention date first."""
        rows = [r for r in self.rows(as_of=as_of)
                if r.status in (RetentionStatus.DUE, RetentionStatus.OVERDUE)]
        return sorted(rows, key=lambda r: (r.retain_until or dt.date.min, r.ref))

    def reminder_counts(self, *, as_of: dt.date | None = None) -> ReminderCounts:
        """How many cases ``due()`` lists, due and overdue: counted in the database (Home
        shows only the counts; 50,000 rows built to count them took 0.6 s)."""
        day = as_of or self._clock.today()
        with self._uow.read() as tx:
            due, overdue = tx.retention.due_counts(
                day, day - dt.timedelta(days=OVERDUE_AFTER_DAYS))
        return ReminderCounts(due=due, overdue=overdue)

    def _row(self, r: RetentionRecord, day: dt.date, repo: RetentionRepository) -> RetentionRow:
        cert = repo.certificate_for(r.case_id) if r.status == "destroyed" else None
        status = RetentionCase(r.ref, r.category, r.opened, r.closed, r.retain_until, "",
                               r.held, r.destroyed_at.date() if r.destroyed_at else
                               (day if r.status == "destroyed" else None)).status(day)
        return RetentionRow(
            ref=r.ref, category=Category(r.category).label, opened=r.opened, closed=r.closed,
            retain_until=r.retain_until, rule=_rule_text(r), held=r.held,
            hold_reason=r.hold_reason, status=status or RetentionStatus.KEPT,
            destroyed=r.destroyed_at.date() if r.destroyed_at else None,
            certificate_id=cert.id if cert else None,
        )

    # -- destruction ---------------------------------------------------------------------------

    def destroy(self, ref: str, *, progress: ProgressFn | None = None,
                cancelled: Callable[[], bool] | None = None,
                step_hook: StepHook | None = None,
                keep_member: bool = False) -> CertificateView:
        """Destroy a due case by cryptographic erase and return its certificate.

        Refused (nothing changed) for an unknown, open, held, not-yet-due or already destroyed
        case. ``progress(done, total, step)`` is called before each step; ``cancelled`` is
        honoured only before the first irreversible step. ``step_hook(step)`` is called before
        each step (the crash harness kills the process there).

        Raises:
            NotFound, RefusedAction, Cancelled, StorageError, IntegrityError.
        """
        today = self._clock.today()
        with self._uow.read() as tx:
            repo = tx.retention
            record = repo.record(ref)
            if record.status == "destroyed":
                raise RefusedAction(f"Case {record.ref} has already been destroyed.")
            if record.status == "open":
                raise RefusedAction(f"Case {record.ref} is still open; close it first.")
            row = self._row(record, today, repo)
        if row.status is RetentionStatus.HELD:
            raise RefusedAction(f"Case {record.ref} is on legal hold; release the hold first.")
        if row.status not in (RetentionStatus.DUE, RetentionStatus.OVERDUE):
            raise RefusedAction(
                f"Case {record.ref} is not due for destruction until "
                f"{_uk(row.retain_until)}.")
        return self._erase.run(record, rule=row.rule, progress=progress, cancelled=cancelled,
                               step_hook=step_hook, keep_member=keep_member)

    def certificates(self) -> list[CertificateListing]:
        with self._uow.read() as tx:
            stored = tx.retention.certificates()
        return [CertificateListing(c.id, c.case_ref, c.destroyed, c.digest) for c in stored]

    def certificate(self, ref: str) -> tuple[CertificateView, bytes]:
        """The certificate of a destroyed case: its view and its canonical JSON bytes.

        Raises:
            NotFound: no certificate for that reference (not destroyed, or unknown).
        """
        with self._uow.read() as tx:
            stored = tx.retention.certificate_for(ref)
        if stored is None:
            raise NotFound(f"There is no destruction certificate for {ref.strip()[:20]}.")
        return destruction_certificate.parse_certificate(stored.body), stored.body

    def certificate_pdf(self, ref: str) -> bytes:
        view, _ = self.certificate(ref)
        return destruction_certificate.render_pdf_bytes(view)

    # -- branch audit --------------------------------------------------------------------------

    def audit(self, *, period_from: dt.date | None = None,
              period_to: dt.date | None = None) -> AuditReportView:
        """The branch audit of a period (default: the twelve months to today).

        Raises:
            InvalidInput: the period ends before it starts or ends in the future.
        """
        today = self._clock.today()
        end = period_to or today
        start = period_from or end.replace(year=end.year - 1) + dt.timedelta(days=1)
        if end > today:
            raise InvalidInput("The audit period cannot end in the future.")
        with self._uow.read() as tx:
            repo = tx.retention
            records = repo.records()
            stored = repo.certificates()
        cases = [RetentionCase(r.ref, Category(r.category).label, r.opened, r.closed,
                               r.retain_until, _rule_text(r), r.held,
                               r.destroyed_at.date() if r.destroyed_at else None)
                 for r in records]
        lines = []
        for c in stored:
            view = destruction_certificate.parse_certificate(c.body)
            lines.append(AuditCertificateLine(view.certificate_id, view.case_ref, view.category,
                                              view.closed, view.destroyed.date(), view.rule,
                                              view.verified, c.digest))
        seq, mac = self._trail.head()
        return build_audit(cases, lines, period_from=start, period_to=end,
                           generated=self._clock.now(), vault_id=self._store.vault_id,
                           union=self._union_name() or "Union not chosen",
                           trail_head=TrailHead(seq, mac), product_version=__version__)

    def audit_bytes(self, view: AuditReportView, form: str) -> bytes:
        """The audit as ``pdf``, ``csv`` or ``json`` bytes (CSV/JSON carry the MAC).

        Raises:
            InvalidInput: an unknown form.
        """
        with report_mac_key(self._report_master()) as key:
            if form == "json":
                return audit_report.render_json(view, key)
            if form == "csv":
                return audit_report.render_csv(view, key)
            if form == "pdf":
                return audit_report.render_pdf_bytes(
                    view, mac_hex=audit_report.report_mac_hex(view, key))
        raise InvalidInput("The audit report can be written as .pdf, .csv or .json.")

    def check_audit(self, data: bytes) -> AuditCheck:
        """Confirm a JSON or CSV audit file is exactly what this vault produced.

        Raises:
            IntegrityError: altered, not an audit, or made by another vault.
        """
        with report_mac_key(self._report_master()) as key:
            return audit_report.check_report(data, key)

    # -- helpers -------------------------------------------------------------------------------

    def _report_master(self) -> SecretKey:
        """The key the report MAC key is derived from: the trail key (HKDF of the VMK, then
        stored wrapped), which survives a passphrase change that replaces the VMK, so a report
        stays checkable afterwards."""
        return self._report_key()


def _require_status(record: RetentionRecord, wanted: str, action: str) -> None:
    if record.status == wanted:
        return
    if record.status == CaseStatus.DESTROYED.value:
        raise RefusedAction(f"Case {record.ref} has been destroyed.")
    raise RefusedAction(f"Case {record.ref} is {record.status}, so it cannot be {action}.")


def _rule_text(r: RetentionRecord) -> str:
    if r.rule == RuleKind.PROFILE.value and r.years:
        return RetentionRule.profile(r.years).describe()
    if r.rule == RuleKind.PER_CASE.value and r.days is not None:
        unit = "day" if r.days == 1 else "days"
        return f"{r.days} {unit} after closure (per-case period, reason recorded)"
    return ""


def _uk(day: dt.date | None) -> str:
    return f"{day.day} {day.strftime('%b %Y')}" if day else "a later date"


__all__ = ["RetentionService"]
