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
    # The accredited rep's union is Prospect: its words, not UCU's (issue 16).
    assert status.reasons == ["Dismissal is threatened: escalate to a more experienced branch "
                              "caseworker and tell your Prospect officer."]
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
    assert status.outstanding
    assert status.outstanding_reason == "Your Prospect officer has not been told yet."
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


@pytest.mark.parametrize(("union", "said"), [
    ("ucu", "notify your UCU regional office"),
    ("bectu", "tell your Bectu dedicated officer"),
    ("prospect", "tell your Prospect officer"),
])
def test_prompts_name_the_body_of_the_reps_union(accredited_session, union, said) -> None:  # type: ignore[no-untyped-def]
    accredited_session.training.choose_union(union)
    ref = _open(accredited_session, Category.GRIEVANCE, CaseFlags(discrimination_alleged=True))
    [reason] = accredited_session.escalation.status(ref).reasons
    assert reason.startswith("Discrimination is alleged: ")  # only the reason that applies
    assert reason.endswith(f"{said}.")
    accredited_session.escalation.record_escalated(ref, to="Jo", on=dt.date(2026, 11, 20),
                                                   regional_notified_on=dt.date(2026, 11, 21))
    entry = accredited_session.trail_log.entries(ref)[-1]
    body = said.split(" ", 1)[1]
    assert body in entry.summary and "UCU" not in entry.summary.replace("your UCU", "")


@pytest.mark.parametrize("accredited_now", [True, False])
def test_homes_first_outstanding_are_the_whole_lists_first(session, accredited_now) -> None:  # type: ignore[no-untyped-def]
    """``outstanding_first`` (Home: brief rows, only the shown cases decoded) must give the
    first of ``outstanding()`` (every case decoded) and its length, whatever the mix: no
    decision, escalated with and without the regional office told, not escalating, a decision
    that answered only the rule of its day, closed cases and quiet ones."""
    make_accredited(session)  # the checklist that closes a case asks the session's service
    accredited = [True]
    service = EscalationService(session.vault.uow, session.clock, session.trail,
                                lambda: accredited[0])
    day = session.clock.today()
    refs = [_open(session, category, flags) for category, flags in (
        (Category.DISMISSAL, CaseFlags()),
        (Category.GRIEVANCE, CaseFlags(discrimination_alleged=True)),
        (Category.GRIEVANCE, CaseFlags()),
        (Category.DISCRIMINATION, CaseFlags()),
        (Category.PAY_CONTRACT, CaseFlags(dismissal_threatened=True)),
        (Category.HEALTH_AND_SAFETY, CaseFlags()),
        (Category.DISCIPLINARY, CaseFlags(dismissal_threatened=True)),
        (Category.DISMISSAL, CaseFlags()),
    )]
    service.record_escalated(refs[0], to="Regional official", on=day)  # office not told
    service.record_escalated(refs[1], to="Regional official", on=day, regional_notified_on=day)
    service.record_not_escalating(refs[3], "Experienced rep already on it")
    service.record_not_escalating(refs[6], "Handled at branch level")
    # closed: no rule applies any more (were it counted, the rep not accredited would make it
    # outstanding again with a new reason)
    service.record_escalated(refs[7], to="Regional official", on=day, regional_notified_on=day)
    session.retention.close(refs[7], outcome="Settled", paper_copies_shredded=True)
    accredited[0] = accredited_now
    whole = service.outstanding()
    assert whole, "the mix must leave some outstanding"
    for limit in (0, 1, 2, 3, len(whole), len(whole) + 5):
        first, total = service.outstanding_first(limit)
        assert total == len(whole)
        assert first == whole[:limit]
