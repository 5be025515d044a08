"""Windows of a case's trail (issue 12): the case page reads the newest groups first (an entry
with the corrections under it) and the next window as the rep scrolls. Read in turn, the
windows must give exactly the full list regrouped — same entries, same order, same links."""

from __future__ import annotations

import datetime as dt

import pytest

from vault.casework.trail_log import TrailWindow
from vault.domain import Category, EntryKind
from vault.errors import Cancelled, NotFound
from vault.trail.entries import TrailEntry


def timeline(entries: list[TrailEntry], *, oldest_first: bool = False) -> list[TrailEntry]:
    """The reference grouping (what ``build_trail_rows`` does, without Qt): groups by the
    entry a chain of corrections starts from, newest first; within a group, by number."""
    by_seq = {e.seq: e for e in entries}

    def root(e: TrailEntry) -> int:
        while e.corrects is not None and e.corrects in by_seq:
            e = by_seq[e.corrects]
        return e.seq

    groups: dict[int, list[TrailEntry]] = {}
    for e in sorted(entries, key=lambda e: e.seq):
        groups.setdefault(root(e), []).append(e)
    return [e for r in sorted(groups, reverse=not oldest_first) for e in groups[r]]


def every_window(session, ref: str, limit: int, *, oldest_first: bool = False  # type: ignore[no-untyped-def]
                 ) -> list[TrailWindow]:
    windows, after = [], None
    while True:
        window = session.trail_log.window(ref, after=after, limit=limit,
                                          oldest_first=oldest_first)
        windows.append(window)
        if window.next_after is None:
            return windows
        after = window.next_after


@pytest.fixture
def busy_case(session):  # type: ignore[no-untyped-def]
    """A case with corrections (chains of two), oral advice with follow-ups (one discharged),
    advice not followed, an off-the-record entry, and another case's entries in between."""
    member = session.members.add("Priya Patel")
    case = session.cases.open(member.id, "Grievance about workload", Category.GRIEVANCE)
    other = session.cases.open(member.id, "Another matter", Category.GRIEVANCE)
    log = session.trail_log
    advice = log.log(case.ref, EntryKind.ORAL_ADVICE, "Advised to raise it in writing")
    for n in range(9):
        log.log(case.ref, EntryKind.NOTE, f"Note {n}")
        log.log(other.ref, EntryKind.NOTE, f"Other case note {n}")
    first = log.log(case.ref, EntryKind.PHONE_CALL, "Called HR on Monday")
    fixed = log.correct(case.ref, first.seq, "Called HR on Tuesday")
    log.correct(case.ref, fixed.seq, "Called HR on Wednesday")
    log.correct(case.ref, advice.seq, "Advised to raise it in writing, by Friday")
    log.log(case.ref, EntryKind.EMAIL_SENT, "Email confirming the advice",
            follows_up=advice.seq)
    second = log.log(case.ref, EntryKind.ORAL_ADVICE, "Advised to keep a diary")
    log.record_not_followed(case.ref, second.seq, "Member chose not to keep a diary")
    log.record_off_record_consent(case.ref, told_at=dt.date(2026, 11, 20), how="by phone")
    log.log(case.ref, EntryKind.OFF_THE_RECORD, "Without prejudice chat", manager_told=True)
    for n in range(5):
        log.log(case.ref, EntryKind.MEETING, f"Meeting {n}")
    old_note = next(e for e in log.entries(case.ref) if e.summary == "Note 2")
    log.correct(case.ref, old_note.seq, "Note 2, corrected late")
    return case


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 50])
def test_windows_read_in_turn_are_the_full_list_regrouped(session, busy_case, limit) -> None:  # type: ignore[no-untyped-def]
    full = timeline(session.trail_log.entries(busy_case.ref))
    windows = every_window(session, busy_case.ref, limit)
    assert [e for w in windows for e in w.entries] == full  # the same TrailEntry values
    assert all(len(w.roots) == limit for w in windows[:-1])
    assert windows[-1].next_after is None
    first = windows[0]
    assert first.entries == full[:len(first.entries)]  # the full list cut at the window
    if len(full) > len(first.entries):  # cut between groups: the next entry is a root
        assert full[len(first.entries)].corrects is None
    assert any(e.corrected_by for e in full) and any(e.off_record for e in full)
    assert any(e.not_followed for e in full) and any(e.followed_up_by for e in full)


@pytest.mark.parametrize("limit", [1, 4, 50])
def test_oldest_first_windows_are_the_full_list_in_the_other_direction(session, busy_case,  # type: ignore[no-untyped-def]
                                                                        limit) -> None:
    full = timeline(session.trail_log.entries(busy_case.ref), oldest_first=True)
    windows = every_window(session, busy_case.ref, limit, oldest_first=True)
    assert [e for w in windows for e in w.entries] == full


def test_a_window_keeps_a_late_correction_under_an_old_entry(session, busy_case) -> None:  # type: ignore[no-untyped-def]
    full = session.trail_log.entries(busy_case.ref)
    late = max(full, key=lambda e: e.seq)
    assert late.corrects is not None  # the newest entry corrects an old note
    first = session.trail_log.window(busy_case.ref, limit=3)
    assert late.seq not in [e.seq for e in first.entries]  # not among the newest groups
    windows = every_window(session, busy_case.ref, 3)
    holding = next(w for w in windows if late.corrects in w.roots)
    seqs = [e.seq for e in holding.entries]
    assert seqs[seqs.index(late.corrects) + 1] == late.seq


def test_through_reads_every_group_up_to_a_root_and_goes_on_from_there(session, busy_case) -> None:  # type: ignore[no-untyped-def]
    ref = busy_case.ref
    full = timeline(session.trail_log.entries(ref))
    target = full[-3].seq  # an old entry
    root = session.trail_log.group_of(ref, target)
    assert root is not None
    first = session.trail_log.window(ref, limit=2)
    upto = session.trail_log.window(ref, after=first.next_after, limit=2, through=root)
    got = first.entries + upto.entries
    assert got == full[:len(got)] and target in [e.seq for e in got]
    assert upto.roots[-1] == root and upto.next_after == root
    rest = session.trail_log.window(ref, after=upto.next_after, limit=100)
    assert got + rest.entries == full and rest.next_after is None


def test_group_of_names_the_entry_a_correction_chain_starts_from(session, busy_case) -> None:  # type: ignore[no-untyped-def]
    ref = busy_case.ref
    entries = session.trail_log.entries(ref)
    wednesday = next(e for e in entries if e.summary == "Called HR on Wednesday")
    monday = next(e for e in entries if e.summary == "Called HR on Monday")
    assert session.trail_log.group_of(ref, wednesday.seq) == monday.seq
    assert session.trail_log.group_of(ref, monday.seq) == monday.seq
    other = session.cases.list()[0].case
    other_ref = other.ref if other.id != busy_case.id else session.cases.list()[1].case.ref
    other_entry = session.trail_log.entries(other_ref)[0]
    assert session.trail_log.group_of(ref, other_entry.seq) is None
    assert session.trail_log.group_of(ref, 10_000) is None
    with pytest.raises(NotFound):
        session.trail_log.window("C-1999-0001")


def test_every_window_stops_when_asked_between_windows(session, busy_case) -> None:  # type: ignore[no-untyped-def]
    calls = []

    def between() -> None:
        calls.append(1)
        if len(calls) == 3:
            raise Cancelled()

    with pytest.raises(Cancelled):
        session.trail_log.every_window(busy_case.ref, limit=2, between=between)
    assert len(calls) == 3
    whole = session.trail_log.every_window(busy_case.ref, limit=4)
    assert [e for w in whole for e in w.entries] == timeline(
        session.trail_log.entries(busy_case.ref))


def test_an_empty_window_and_an_erased_case(accredited_session) -> None:  # type: ignore[no-untyped-def]
    session = accredited_session
    member = session.members.add("Ann Other")
    case = session.cases.open(member.id, "Short matter", Category.GRIEVANCE)
    for n in range(4):
        session.trail_log.log(case.ref, EntryKind.NOTE, f"Note {n}")
    beyond = session.trail_log.window(case.ref, after=1, limit=5)  # nothing older than #1
    assert beyond.entries == [] and beyond.next_after is None
    session.retention.close(case.ref, outcome="Done", paper_copies_shredded=True,
                            retain_days=0, reason="Member asked; rep agreed")
    session.retention.destroy(case.ref)
    full = timeline(session.trail_log.entries(case.ref))
    assert full and all(e.erased for e in full if e.case_ref == case.ref)
    assert [e for w in every_window(session, case.ref, 2) for e in w.entries] == full


def test_follow_ups_of_a_window_and_those_owed(session, busy_case) -> None:  # type: ignore[no-untyped-def]
    ref = busy_case.ref
    every = session.followups.for_case(ref)
    assert len(every) == 2
    owed = session.followups.owed_for_case(ref)
    assert owed == [f for f in every if f.state.value == "owed"] and len(owed) == 1
    roots = [r for w in every_window(session, ref, 3) for r in w.roots]
    assert session.followups.for_advice(ref, roots) == every
    assert session.followups.for_advice(ref, roots[:2]) == [
        f for f in every if f.advice_seq in roots[:2]]
