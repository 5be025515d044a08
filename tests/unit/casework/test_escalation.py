"""Escalation: which cases need a decision, outstanding until recorded, and why."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import make_accredited
from vault.casework.escalation import DecisionKind, EscalationRule, EscalationService
from vault.domain import CaseFlags, Category
from vault.errors import InvalidInput


def _open(session, category: Category, flags: CaseFlags = CaseFlags()) -> str:  # type: ignore[no-untyped-def]
    m = session.members.add("Sam Member")
    return session.cases.open(m.id, "A case", category, flags=flags).ref


def test_dismissal_case_outstanding_until_decided(accredited_session) -> None:  # type: ignore[no-untyped-def]
    ref = _open(accredited_session, Category.DISMISSAL)
    quiet = _open(accredited_session, Category.GRIEVANCE)
    status = accredited_session.escalation.status(ref)
    assert status.required and status.outstanding
    assert status.rules == (EscalationRule.DISMISSAL_OR_DISCRIMINATION,)
    assert "regional office" in status.reasons[0]
    assert [s.ref for s in accredited_session.escalation.outstanding()] == [ref]
    assert not accredited_session.escalation.status(quiet).required
    after = accredited_session.escalation.record_escalated(ref, to="Branch caseworker Jo",
                                                on=dt.date(2026, 11, 20),
                                                regional_notified_on=dt.date(2026, 11, 21))
    assert not after.outstanding and after.decision is not None
    assert after.decision.kind is DecisionKind.ESCALATED
    assert accredited_session.escalation.outstanding() == []
    entry = accredited_session.trail_log.entries(ref)[-1]
    assert entry.kind == "escalation-decision" and "Branch caseworker Jo" in entry.summary


def test_flags_trigger_too_and_regional_office_must_be_notified(accredited_session) -> None:  # type: ignore[no-untyped-def]
    ref = _open(accredited_session, Category.GRIEVANCE, CaseFlags(discrimination_alleged=True))
    assert accredited_session.escalation.status(ref).outstanding
    status = accredited_session.escalation.record_escalated(ref, to="Regional official",
                                                 on=dt.date(2026, 11, 23))
    assert status.outstanding and "regional office" in status.outstanding_reason.lower()
    status = accredited_session.escalation.record_escalated(ref, to="Regional official",
                                                 on=dt.date(2026, 11, 23),
                                                 regional_notified_on=dt.date(2026, 11, 23))
    assert not status.outstanding


def test_not_escalating_needs_a_reason(accredited_session) -> None:  # type: ignore[no-untyped-def]
    ref = _open(accredited_session, Category.DISCRIMINATION)
    with pytest.raises(InvalidInput):
        accredited_session.escalation.record_not_escalating(ref, "  ")
    assert accredited_session.escalation.status(ref).outstanding
    status = accredited_session.escalation.record_not_escalating(
        ref, "Member asked to handle it locally")
    assert not status.outstanding and status.decision.reason.startswith("Member")


def test_future_dates_and_empty_names_refused(session) -> None:  # type: ignore[no-untyped-def]
    ref = _open(session, Category.DISMISSAL)
    head = session.trail.head()[0]
    with pytest.raises(InvalidInput, match="future"):
        session.escalation.record_escalated(ref, to="Jo", on=dt.date(2026, 11, 24))
    with pytest.raises(InvalidInput, match="future"):
        session.escalation.record_escalated(ref, to="Jo", on=dt.date(2026, 11, 23),
                                            regional_notified_on=dt.date(2027, 1, 1))
    with pytest.raises(InvalidInput):
        session.escalation.record_escalated(ref, to=" ", on=dt.date(2026, 11, 23))
    assert session.trail.head()[0] == head


def test_a_new_reason_after_a_decision_makes_it_outstanding_again(session) -> None:  # type: ignore[no-untyped-def]
    accredited = [True]
    service = EscalationService(session.vault.uow, session.clock, session.trail,
                                lambda: accredited[0])
    ref = _open(session, Category.DISMISSAL)
    service.record_not_escalating(ref, "Experienced rep already on it")
    assert not service.status(ref).outstanding
    accredited[0] = False
    status = service.status(ref)
    assert status.outstanding and "new reason" in status.outstanding_reason
    assert EscalationRule.NOT_ACCREDITED in status.rules


def test_not_accredited_rep_is_prompted_for_any_personal_case(session) -> None:  # type: ignore[no-untyped-def]
    service = EscalationService(session.vault.uow, session.clock, session.trail, lambda: False)
    personal = _open(session, Category.SICKNESS_ABSENCE)
    collective = _open(session, Category.HEALTH_AND_SAFETY)
    status = service.status(personal)
    assert status.rules == (EscalationRule.NOT_ACCREDITED,) and status.outstanding
    assert "not yet an accredited case handler" in status.reasons[0]
    assert not service.status(collective).required
    assert [s.ref for s in service.outstanding()] == [personal]
    # the session's own rule reads the rep's training record: none recorded, so prompted
    assert session.escalation.status(personal).rules == (EscalationRule.NOT_ACCREDITED,)
    make_accredited(session)
    assert not session.escalation.status(personal).required


def test_both_rules_reported(session) -> None:  # type: ignore[no-untyped-def]
    service = EscalationService(session.vault.uow, session.clock, session.trail, lambda: False)
    ref = _open(session, Category.DISMISSAL)
    assert service.status(ref).rules == (EscalationRule.DISMISSAL_OR_DISCRIMINATION,
                                         EscalationRule.NOT_ACCREDITED)
    assert len(service.status(ref).reasons) == 2


def test_closed_case_needs_no_decision(session) -> None:  # type: ignore[no-untyped-def]
    ref = _open(session, Category.DISMISSAL)
    with session.vault.db.transaction() as conn:
        conn.execute("UPDATE cases SET status = 'closed', closed = '2026-11-23' WHERE ref = ?",
                     (ref,))
    assert not session.escalation.status(ref).outstanding
    assert session.escalation.outstanding() == []
