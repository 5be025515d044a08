"""The paper trail by kind: logging, corrections, advice not followed, the off-the-record gate."""

from __future__ import annotations

import datetime as dt

import pytest

from vault.casework.trail_log import MAX_DETAIL_BYTES, parse_when
from vault.domain import Category, EntryKind
from vault.errors import InvalidInput, NotFound, RefusedAction


@pytest.fixture
def ref(session) -> str:  # type: ignore[no-untyped-def]
    m = session.members.add("Priya Patel")
    return session.cases.open(m.id, "Grievance about workload", Category.GRIEVANCE).ref


@pytest.fixture
def other_ref(session) -> str:  # type: ignore[no-untyped-def]
    m = session.members.add("Tom Jones")
    return session.cases.open(m.id, "Sickness absence", Category.SICKNESS_ABSENCE).ref


def _head(session) -> int:  # type: ignore[no-untyped-def]
    return session.trail.head()[0]


def test_every_kind_is_logged_and_filterable(session, ref) -> None:  # type: ignore[no-untyped-def]
    for kind in EntryKind:
        extra = {"manager_told": True} if kind is EntryKind.OFF_THE_RECORD else {}
        if kind is EntryKind.OFF_THE_RECORD:
            session.trail_log.record_off_record_consent(ref, told_at=dt.date(2026, 11, 20),
                                                        how="by phone")
        session.trail_log.log(ref, kind, f"{kind.label} summary", **extra)
    logged = [e for e in session.trail_log.entries(ref) if e.is_logged_kind]
    assert [e.kind for e in logged] == [k.value for k in EntryKind]
    only = session.trail_log.entries(ref, kinds=[EntryKind.LETTER, "phone-call"])
    assert {e.kind for e in only} == {"letter", "phone-call"}
    with pytest.raises(InvalidInput, match="Unknown kind"):
        session.trail_log.entries(ref, kinds=["gossip"])
    with pytest.raises(InvalidInput, match="Unknown kind"):
        session.trail_log.log(ref, "gossip", "x")


def test_entry_has_time_summary_and_detail(session, ref, clock) -> None:  # type: ignore[no-untyped-def]
    done = session.trail_log.log(ref, EntryKind.PHONE_CALL, "Called the member",
                                 detail="Long notes\nsecond line",
                                 occurred=dt.datetime(2026, 11, 22, 15, 30, tzinfo=dt.UTC))
    e = session.trail_log.entry(done.seq)
    assert e.summary == "Called the member" and e.detail == "Long notes\nsecond line"
    assert e.occurred == dt.datetime(2026, 11, 22, 15, 30, tzinfo=dt.UTC)
    assert e.ts == clock.now() and e.case_ref == ref and e.label == "Phone call"
    dated = session.trail_log.log(ref, EntryKind.NOTE, "A dated note",
                                  occurred=dt.date(2026, 11, 1))
    assert session.trail_log.entry(dated.seq).occurred == dt.date(2026, 11, 1)


@pytest.mark.parametrize("summary", ["", "   ", "\n\t "])
def test_empty_summary_refused_and_nothing_written(session, ref, summary) -> None:  # type: ignore[no-untyped-def]
    before = _head(session)
    with pytest.raises(InvalidInput, match="summary"):
        session.trail_log.log(ref, EntryKind.NOTE, summary)
    assert _head(session) == before


def test_detail_up_to_100_kb(session, ref) -> None:  # type: ignore[no-untyped-def]
    big = ("x" * 1023 + "\n") * 100
    assert len(big.encode()) == MAX_DETAIL_BYTES
    done = session.trail_log.log(ref, EntryKind.NOTE, "Long note", detail=big)
    assert session.trail_log.entry(done.seq).detail == big.strip()
    before = _head(session)
    with pytest.raises(InvalidInput, match="too long"):
        session.trail_log.log(ref, EntryKind.NOTE, "Too long",
                              detail="é" * (MAX_DETAIL_BYTES // 2 + 1))
    assert _head(session) == before


def test_times_in_the_future_refused(session, ref, clock) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="future"):
        session.trail_log.log(ref, EntryKind.MEETING, "Tomorrow", occurred=dt.date(2026, 11, 24))
    with pytest.raises(InvalidInput, match="future"):
        session.trail_log.log(ref, EntryKind.MEETING, "Later today",
                              occurred=clock.now() + dt.timedelta(hours=2))
    with pytest.raises(InvalidInput, match="future"):
        session.trail_log.record_off_record_consent(ref, told_at=dt.date(2026, 12, 1), how="x")


def test_destroyed_or_unknown_case_refused(session, ref) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotFound):
        session.trail_log.log("C-2026-9999", EntryKind.NOTE, "x")
    with session.vault.db.transaction() as conn:
        conn.execute("UPDATE cases SET status = 'destroyed' WHERE ref = ?", (ref,))
    with pytest.raises(RefusedAction, match="destroyed"):
        session.trail_log.log(ref, EntryKind.NOTE, "x")


# -- corrections ---------------------------------------------------------------------------------

def test_correction_points_at_the_original_and_original_is_unchanged(session, ref) -> None:  # type: ignore[no-untyped-def]
    first = session.trail_log.log(ref, EntryKind.MEETING, "Met HR on Monday",
                                  occurred=dt.date(2026, 11, 16))
    fix = session.trail_log.correct(ref, first.seq, "Met HR on Tuesday")
    entries = {e.seq: e for e in session.trail_log.entries(ref)}
    assert entries[first.seq].summary == "Met HR on Monday"
    assert entries[first.seq].corrected_by == fix.seq and not entries[first.seq].is_current
    assert entries[fix.seq].corrects == first.seq and entries[fix.seq].kind == "meeting"
    assert entries[fix.seq].occurred == dt.date(2026, 11, 16)  # kept from the original
    assert session.trail.verify().ok


def test_correcting_twice_is_refused_correct_the_correction_instead(session, ref) -> None:  # type: ignore[no-untyped-def]
    first = session.trail_log.log(ref, EntryKind.NOTE, "v1")
    second = session.trail_log.correct(ref, first.seq, "v2")
    before = _head(session)
    with pytest.raises(RefusedAction, match=f"correct #{second.seq} instead"):
        session.trail_log.correct(ref, first.seq, "v2 again")
    assert _head(session) == before
    third = session.trail_log.correct(ref, second.seq, "v3")
    chain = {e.seq: e for e in session.trail_log.entries(ref)}
    assert chain[second.seq].corrected_by == third.seq and chain[third.seq].is_current


def test_the_database_refuses_a_second_correction_too(session, ref) -> None:  # type: ignore[no-untyped-def]
    first = session.trail_log.log(ref, EntryKind.NOTE, "v1")
    session.trail_log.correct(ref, first.seq, "v2")
    case = session.cases.get(ref)
    with pytest.raises(RefusedAction, match="already been corrected"), \
            session.vault.uow.write() as tx:
        session.trail.record(tx, kind="note", case=case, payload={"summary": "sneaky"},
                             links={"corrects": first.seq})


def test_correction_refusals(session, ref, other_ref) -> None:  # type: ignore[no-untyped-def]
    theirs = session.trail_log.log(other_ref, EntryKind.NOTE, "Other case")
    with pytest.raises(RefusedAction, match="another case"):
        session.trail_log.correct(ref, theirs.seq, "x")
    opened = session.trail_log.entries(ref)[0]
    assert opened.kind == "case-opened"
    with pytest.raises(RefusedAction, match="written by the product"):
        session.trail_log.correct(ref, opened.seq, "x")
    with pytest.raises(NotFound):
        session.trail_log.correct(ref, 9999, "x")


# -- advice not followed -------------------------------------------------------------------------

def test_advice_not_followed_flag_and_linked_note(session, ref) -> None:  # type: ignore[no-untyped-def]
    flagged = session.trail_log.log(ref, EntryKind.WRITTEN_ADVICE, "Advised to appeal",
                                    not_followed=True)
    assert session.trail_log.entry(flagged.seq).not_followed
    with pytest.raises(InvalidInput, match="advice"):
        session.trail_log.log(ref, EntryKind.PHONE_CALL, "Call", not_followed=True)
    oral = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "Advised to get a GP note")
    assert not session.trail_log.entry(oral.seq).not_followed
    note = session.trail_log.record_not_followed(ref, oral.seq, "Member will not see the GP")
    entries = {e.seq: e for e in session.trail_log.entries(ref)}
    assert entries[oral.seq].not_followed
    assert entries[oral.seq].summary == "Advised to get a GP note"
    assert entries[note.seq].kind == "note"
    assert entries[note.seq].links == {"not_followed": oral.seq}
    call = session.trail_log.log(ref, EntryKind.PHONE_CALL, "Call")
    with pytest.raises(RefusedAction, match="not advice"):
        session.trail_log.record_not_followed(ref, call.seq, "x")


# -- off the record ------------------------------------------------------------------------------

def test_off_the_record_refused_without_prior_consent(session, ref) -> None:  # type: ignore[no-untyped-def]
    before = _head(session)
    with pytest.raises(RefusedAction, match="told beforehand and agreed"):
        session.trail_log.log(ref, EntryKind.OFF_THE_RECORD, "Chat with HR", manager_told=True)
    with pytest.raises(RefusedAction, match="manager"):
        session.trail_log.log(ref, EntryKind.OFF_THE_RECORD, "Chat with HR")
    assert _head(session) == before


def test_off_the_record_after_consent_is_marked_and_uses_the_consent(session, ref) -> None:  # type: ignore[no-untyped-def]
    consent = session.trail_log.record_off_record_consent(
        ref, told_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), how="by phone")
    assert not consent.used
    done = session.trail_log.log(ref, EntryKind.OFF_THE_RECORD, "Without prejudice talk",
                                 manager_told=True,
                                 occurred=dt.datetime(2026, 11, 21, 14, 0, tzinfo=dt.UTC))
    e = session.trail_log.entry(done.seq)
    assert e.off_record and e.payload["manager_told"] is True
    assert e.payload["consent"]["how"] == "by phone"
    assert e.links == {"consent": consent.trail_seq}
    assert session.trail_log.consents(ref)[0].used_by == done.seq
    # one consent, one conversation
    with pytest.raises(RefusedAction, match="told beforehand"):
        session.trail_log.log(ref, EntryKind.OFF_THE_RECORD, "Second talk", manager_told=True)
    # exports leave them out unless included on purpose
    without = session.trail_log.entries(ref, include_off_record=False)
    assert done.seq not in {x.seq for x in without}
    assert done.seq in {x.seq for x in session.trail_log.entries(ref)}
    # a correction stays off the record
    fix = session.trail_log.correct(ref, done.seq, "Without prejudice talk (corrected)")
    assert session.trail_log.entry(fix.seq).off_record


def test_consent_given_after_the_conversation_does_not_count(session, ref) -> None:  # type: ignore[no-untyped-def]
    session.trail_log.record_off_record_consent(ref, told_at=dt.date(2026, 11, 22), how="email")
    with pytest.raises(RefusedAction, match="beforehand"):
        session.trail_log.log(ref, EntryKind.OFF_THE_RECORD, "Talk", manager_told=True,
                              occurred=dt.date(2026, 11, 21))
    session.trail_log.log(ref, EntryKind.OFF_THE_RECORD, "Talk", manager_told=True,
                          occurred=dt.date(2026, 11, 22))


def test_consent_needs_how(session, ref) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput):
        session.trail_log.record_off_record_consent(ref, told_at=dt.date(2026, 11, 20), how="  ")


# -- verification --------------------------------------------------------------------------------

def test_verify_shows_head_and_finds_the_first_broken_link(session, ref) -> None:  # type: ignore[no-untyped-def]
    a = session.trail_log.log(ref, EntryKind.NOTE, "one")
    b = session.trail_log.log(ref, EntryKind.NOTE, "two")
    session.trail_log.correct(ref, a.seq, "one, corrected")
    report = session.trail.verify()
    seq, mac = session.trail.head()
    assert report.ok and report.head_seq == seq and report.head_mac == mac
    assert report.short_head == f"#{seq}·{mac[:12]}"
    conn = session.vault.db.connection
    conn.execute("DROP TRIGGER trail_no_update")
    conn.execute("UPDATE trail SET links = 'corrects=1' WHERE seq = ?", (b.seq,))
    conn.execute("UPDATE trail SET kind = 'letter' WHERE seq = ?", (seq,))
    broken = session.trail.verify()
    assert not broken.ok and broken.broken_at == b.seq
    assert session.verify().trail.broken_at == b.seq


def test_parse_when() -> None:
    assert parse_when("2026-11-23") == dt.date(2026, 11, 23)
    assert parse_when("23/11/2026") == dt.date(2026, 11, 23)
    assert parse_when("23 Nov 2026") == dt.date(2026, 11, 23)
    assert parse_when("2026-11-23 14:30") == dt.datetime(2026, 11, 23, 14, 30)
    assert parse_when("2026-11-23T14:30:00+00:00") == dt.datetime(2026, 11, 23, 14, 30,
                                                                  tzinfo=dt.UTC)
    with pytest.raises(InvalidInput, match="2026-11-23"):
        parse_when("next tuesday")
