"""The retention service over a real vault: close, reopen, holds, due lists, destroy refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vault.clock import FixedClock
from vault.domain import CaseFlags, Category
from vault.errors import InvalidInput, NotFound, RefusedAction
from vault.retention.policy import RetentionStatus


def _case_with_original(session, tmp_path: Path):  # type: ignore[no-untyped-def]
    member = session.members.add("Rita Closewell")
    case = session.cases.open(member.id, "Rota grievance", Category.GRIEVANCE)
    src = tmp_path / "payslip.txt"
    src.write_text("original payslip")
    doc = session.documents.import_file(case.ref, src, is_original=True)
    session.escalation.record_not_escalating(case.ref, "Handled locally")
    return case, doc


def test_close_is_blocked_until_the_original_is_returned(session, tmp_path: Path,
                                                         clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    case, doc = _case_with_original(session, tmp_path)
    with pytest.raises(RefusedAction) as refused:
        session.retention.close(case.ref, outcome="Resolved informally",
                                paper_copies_shredded=True)
    assert "original not returned" in str(refused.value)
    with pytest.raises(RefusedAction) as refused:
        session.retention.close(case.ref, outcome="Resolved", paper_copies_shredded=False)
    assert "shredded" in str(refused.value)
    session.documents.mark_returned(case.ref, doc.id)
    row = session.retention.close(case.ref, outcome="Resolved informally",
                                  paper_copies_shredded=True)
    assert row.closed == clock.today()
    assert row.retain_until == dt.date(2032, 11, 23)
    assert row.status is RetentionStatus.KEPT
    assert row.rule == "6 years after closure (union profile)"
    with pytest.raises(RefusedAction):
        session.retention.close(case.ref, outcome="again", paper_copies_shredded=True)


def test_escalation_decision_blocks_where_required(session) -> None:  # type: ignore[no-untyped-def]
    member = session.members.add("Dana Escalate")
    case = session.cases.open(member.id, "Dismissal threat", Category.DISCIPLINARY,
                              flags=CaseFlags(dismissal_threatened=True))
    with pytest.raises(RefusedAction) as refused:
        session.retention.close(case.ref, outcome="x", paper_copies_shredded=True)
    assert "escalation" in str(refused.value)


def test_per_case_zero_days_hold_release_and_due(session, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    member = session.members.add("Zero Days")
    case = session.cases.open(member.id, "Quick one", Category.PAY_CONTRACT)
    with pytest.raises(InvalidInput):
        session.retention.close(case.ref, outcome="Done", paper_copies_shredded=True,
                                retain_days=0, reason="  ")
    row = session.retention.close(case.ref, outcome="Done", paper_copies_shredded=True,
                                  retain_days=0, reason="Member asked; rep agreed")
    assert row.status is RetentionStatus.DUE
    assert [r.ref for r in session.retention.due()] == [case.ref]
    assert session.retention.reminder_counts().due == 1
    held = session.retention.hold(case.ref, reason="Tribunal claim lodged")
    assert held.status is RetentionStatus.HELD
    assert session.retention.due() == []
    with pytest.raises(RefusedAction) as refused:
        session.retention.destroy(case.ref)
    assert "hold" in str(refused.value)
    with pytest.raises(RefusedAction):
        session.retention.hold(case.ref, reason="again")
    session.retention.release(case.ref)
    clock.advance(days=30)
    assert session.retention.reminder_counts().overdue == 1


def test_reopen_clears_the_date_and_destroy_refusals(session, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    member = session.members.add("Reo Pen")
    case = session.cases.open(member.id, "Reopened", Category.HEALTH_AND_SAFETY)
    with pytest.raises(RefusedAction) as refused:
        session.retention.destroy(case.ref)
    assert "still open" in str(refused.value)
    session.retention.close(case.ref, outcome="Done", paper_copies_shredded=True)
    with pytest.raises(RefusedAction) as refused:
        session.retention.destroy(case.ref)
    assert "not due for destruction until 23 Nov 2032" in str(refused.value)
    with pytest.raises(InvalidInput):
        session.retention.reopen(case.ref, reason="")
    session.retention.reopen(case.ref, reason="New evidence from the member")
    assert session.retention.rows() == []
    with pytest.raises(NotFound):
        session.retention.destroy("C-1999-0001")


def test_certificate_lists_copies_outside_and_names_no_one(session, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           clock: FixedClock) -> None:
    case, doc = _case_with_original(session, tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    session.documents.save_copy(case.ref, doc.id, out / "copy.txt")
    session.documents.mark_returned(case.ref, doc.id)
    session.retention.close(case.ref, outcome="Settled", paper_copies_shredded=True,
                            retain_days=0, reason="Member asked")
    cert = session.retention.destroy(case.ref)
    assert [c.kind for c in cert.external_copies] == ["document-saved-out"]
    assert cert.verified and cert.counts.documents == 1 and cert.counts.members == 1
    assert cert.certificate_id == "CERT-2026-0001"
    view, body = session.retention.certificate(case.ref)
    assert view == cert
    for secret in (b"Rita", b"Closewell", b"Rota grievance", b"payslip"):
        assert secret not in body
    import io

    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(session.retention.certificate_pdf(case.ref)))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert case.ref in text and "document saved out" in text
    assert "Rita" not in text and "Closewell" not in text
    listed = session.retention.certificates()
    assert [(c.certificate_id, c.ref) for c in listed] == [("CERT-2026-0001", case.ref)]
    with pytest.raises(RefusedAction):
        session.retention.destroy(case.ref)
    assert session.retention.rows()[0].status is RetentionStatus.DESTROYED


def test_a_case_opened_by_mistake_is_deleted_at_once_but_only_while_empty(
        manager, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: records added by mistake can be deleted while nothing else refers to them."""
    from tests.conftest import STRONG
    from vault.domain import Category, EntryKind
    from vault.errors import RefusedAction

    s = manager.create(STRONG)
    member = s.members.add("Wrong Member")
    mistaken = s.cases.open(member.id, "Opened for the wrong member", Category.GRIEVANCE)
    worked = s.cases.open(member.id, "A real case", Category.GRIEVANCE)
    s.trail_log.log(worked.ref, EntryKind.NOTE, "Spoke to the member")
    with pytest.raises(RefusedAction, match="paper-trail entries"):
        s.retention.delete_opened_by_mistake(worked.ref, reason="x")
    certificate = s.retention.delete_opened_by_mistake(mistaken.ref, reason="wrong member")
    assert certificate.case_ref == mistaken.ref
    assert s.cases.get(mistaken.ref).status.value == "destroyed"
    assert s.members.get(member.id).name == "Wrong Member"  # the member stays
    assert s.verify().ok


def test_reminder_counts_agree_with_the_due_list_on_every_day(session, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    """Home's counts come from one SQL aggregate; ``due()`` applies ``retention_status`` row by
    row. They must agree on every day around each boundary (due on the date, overdue 30 days
    after), for held, destroyed and open cases too."""
    member = session.members.add("Counts Member")
    refs = []
    for days in (0, 1, 29, 30, 31, 45, 400):
        case = session.cases.open(member.id, f"Closed {days}", Category.PAY_CONTRACT)
        session.retention.close(case.ref, outcome="Done", paper_copies_shredded=True,
                                retain_days=days, reason="Agreed with the member")
        refs.append(case.ref)
    session.cases.open(member.id, "Still open", Category.PAY_CONTRACT)
    session.retention.hold(refs[3], reason="Tribunal claim lodged")
    session.retention.destroy(refs[0])
    today = clock.today()
    for offset in range(0, 90):
        day = today + dt.timedelta(days=offset)
        rows = session.retention.due(as_of=day)
        overdue = sum(1 for r in rows if r.status is RetentionStatus.OVERDUE)
        counts = session.retention.reminder_counts(as_of=day)
        assert (counts.due, counts.overdue) == (len(rows) - overdue, overdue), day
    assert session.retention.reminder_counts(as_of=today + dt.timedelta(days=89)).overdue == 4
