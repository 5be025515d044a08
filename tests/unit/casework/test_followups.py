"""Written follow-ups of oral advice: due dates in working days, discharge, waiver, drafting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from vault.casework.followups import FollowUpState
from vault.domain import Category, EntryKind
from vault.errors import InvalidInput, NotFound, RefusedAction
from vault.settings import AppSettings


def _case(session, name: str = "Priya Patel", title: str = "Capability process") -> str:  # type: ignore[no-untyped-def]
    m = session.members.add(name)
    return session.cases.open(m.id, title, Category.CAPABILITY).ref


@pytest.fixture
def ref(session) -> str:  # type: ignore[no-untyped-def]
    return _case(session)


def test_default_due_is_two_working_days(session, ref) -> None:  # type: ignore[no-untyped-def]
    # The fixed clock stands on Monday 23 Nov 2026.
    done = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "Advised to ask for a meeting")
    assert done.followup_due == dt.date(2026, 11, 25)
    owed = session.followups.owed()
    assert [(f.case_ref, f.advice_seq, f.due, f.state) for f in owed] == [
        (ref, done.seq, dt.date(2026, 11, 25), FollowUpState.OWED)]
    assert owed[0].summary == "Advised to ask for a meeting" and not owed[0].overdue


def test_due_skips_christmas_bank_holidays_and_the_weekend(session, ref, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(dt.datetime(2026, 12, 24, 16, 0, tzinfo=dt.UTC))  # Thursday, Christmas Eve
    done = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "Advice before Christmas")
    # Fri 25 Dec, the weekend and the Boxing Day substitute (Mon 28 Dec) are skipped.
    assert done.followup_due == dt.date(2026, 12, 30)
    clock.set(dt.datetime(2026, 12, 30, 9, 0, tzinfo=dt.UTC))
    assert not session.followups.owed()[0].overdue
    clock.set(dt.datetime(2026, 12, 31, 9, 0, tzinfo=dt.UTC))
    item = session.followups.owed()[0]
    assert item.overdue and item.days_overdue == 1


def test_advice_date_in_the_past_and_settings_days_and_region(manager, clock) -> None:  # type: ignore[no-untyped-def]
    manager.settings = AppSettings(follow_up_working_days=5, bank_holiday_region="SCT")
    session = manager.create("correct horse battery staple orbit")
    ref = _case(session)
    done = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "Advice in August",
                                 occurred=dt.date(2026, 8, 27))
    # Scotland has no late-August bank holiday: Fri 28, Mon 31, Tue 1, Wed 2, Thu 3 Sep.
    assert done.followup_due == dt.date(2026, 9, 3)
    session.settings = AppSettings(follow_up_working_days=2, bank_holiday_region="ENG")
    again = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "More advice",
                                  occurred=dt.date(2026, 8, 27))
    assert again.followup_due == dt.date(2026, 9, 1)  # England: Mon 31 Aug is a bank holiday
    per_call = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "Advice", follow_up_days=1)
    assert per_call.followup_due == dt.date(2026, 11, 24)
    owed = session.followups.owed()  # overdue first, then by due date
    assert [(f.advice_seq, f.overdue) for f in owed] == [
        (again.seq, True), (done.seq, True), (per_call.seq, False)]


@pytest.mark.parametrize("kind", [EntryKind.WRITTEN_ADVICE, EntryKind.EMAIL_SENT,
                                  EntryKind.LETTER])
def test_linked_written_entry_discharges(session, ref, kind) -> None:  # type: ignore[no-untyped-def]
    oral = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "Advice")
    written = session.trail_log.log(ref, kind, "Confirmed in writing", follows_up=oral.seq)
    assert written.discharged == oral.seq
    assert session.followups.owed() == []
    f = session.followups.get(oral.seq)
    assert f.state is FollowUpState.DISCHARGED and f.discharged_by == written.seq
    entry = {e.seq: e for e in session.trail_log.entries(ref)}
    assert entry[written.seq].follows_up == oral.seq
    assert entry[oral.seq].followed_up_by == written.seq


def test_follow_up_link_refusals(session, ref) -> None:  # type: ignore[no-untyped-def]
    other = _case(session, "Tom Jones", "Other")
    theirs = session.trail_log.log(other, EntryKind.ORAL_ADVICE, "Their advice")
    mine = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "My advice")
    call = session.trail_log.log(ref, EntryKind.PHONE_CALL, "A call")
    head = session.trail.head()[0]
    with pytest.raises(RefusedAction, match="another case"):
        session.trail_log.log(ref, EntryKind.LETTER, "Letter", follows_up=theirs.seq)
    with pytest.raises(RefusedAction, match="not oral advice"):
        session.trail_log.log(ref, EntryKind.LETTER, "Letter", follows_up=call.seq)
    with pytest.raises(InvalidInput, match="written follow-up"):
        session.trail_log.log(ref, EntryKind.NOTE, "Note", follows_up=mine.seq)
    with pytest.raises(NotFound):
        session.trail_log.log(ref, EntryKind.LETTER, "Letter", follows_up=9999)
    assert session.trail.head()[0] == head  # nothing half-written
    session.trail_log.log(ref, EntryKind.EMAIL_SENT, "Email", follows_up=mine.seq)
    with pytest.raises(RefusedAction, match="already followed up"):
        session.trail_log.log(ref, EntryKind.LETTER, "Letter too", follows_up=mine.seq)
    assert [f.advice_seq for f in session.followups.owed()] == [theirs.seq]


def test_corrected_oral_advice_keeps_one_follow_up(session, ref) -> None:  # type: ignore[no-untyped-def]
    oral = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "Advice, first version")
    fix = session.trail_log.correct(ref, oral.seq, "Advice, corrected")
    owed = session.followups.owed()
    assert len(owed) == 1 and owed[0].summary == "Advice, corrected"
    session.trail_log.log(ref, EntryKind.LETTER, "Letter", follows_up=fix.seq)
    assert session.followups.get(oral.seq).state is FollowUpState.DISCHARGED


def test_waive_with_reason(session, ref) -> None:  # type: ignore[no-untyped-def]
    oral = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "Advice")
    with pytest.raises(InvalidInput):
        session.followups.waive(oral.seq, "   ")
    waived = session.followups.waive(oral.seq, "Member withdrew the case the same day")
    assert waived.state is FollowUpState.WAIVED and waived.waive_reason.startswith("Member")
    assert session.followups.owed() == []
    with pytest.raises(RefusedAction, match="already waived"):
        session.followups.waive(oral.seq, "again")
    kinds = [e.kind for e in session.trail_log.entries(ref)]
    assert kinds[-1] == "follow-up-waived"
    other = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "Other advice")
    session.trail_log.log(ref, EntryKind.LETTER, "Letter", follows_up=other.seq)
    with pytest.raises(RefusedAction, match="already sent"):
        session.followups.waive(other.seq, "too late")
    call = session.trail_log.log(ref, EntryKind.PHONE_CALL, "Call")
    with pytest.raises(NotFound):
        session.followups.waive(call.seq, "not advice")


def test_for_case_lists_every_state(session, ref) -> None:  # type: ignore[no-untyped-def]
    a = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "A")
    b = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "B")
    c = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "C")
    session.trail_log.log(ref, EntryKind.LETTER, "Letter", follows_up=a.seq)
    session.followups.waive(b.seq, "Not needed")
    states = {f.advice_seq: f.state for f in session.followups.for_case(ref)}
    assert states == {a.seq: FollowUpState.DISCHARGED, b.seq: FollowUpState.WAIVED,
                      c.seq: FollowUpState.OWED}


def test_draft_text_and_pdf(session, ref, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    oral = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "Ask for the policy in writing",
                                 detail="And bring a companion to the hearing.",
                                 channel="phone call", occurred=dt.date(2026, 11, 20))
    session.trail_log.record_not_followed(ref, oral.seq, "Member prefers to go alone")
    text = session.followups.draft_text(oral.seq, rep_name="Alex Rep", union_name="UCU")
    assert text.startswith("Dear Priya Patel,")
    assert "phone call on 20 Nov 2026" in text
    assert "Ask for the policy in writing" in text and "bring a companion" in text
    assert "decided not to follow" in text and "Member prefers to go alone" in text
    assert "Alex Rep" in text and ref in text
    head = session.trail.head()[0]
    out = tmp_path / "note.pdf"
    session.followups.render_pdf(oral.seq, out, rep_name="Alex Rep", union_name="UCU")
    pdf_text = "".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert "Ask for the policy in writing" in pdf_text
    assert (out.stat().st_mode & 0o777) == 0o600
    assert session.trail.head()[0] == head + 1
    assert session.trail_log.entries(ref)[-1].kind == "follow-up-drafted"
    with pytest.raises(InvalidInput):
        session.followups.draft_text(oral.seq, rep_name=" ", union_name="UCU")
