"""Issue 12: the Paper trail tab reads the trail in windows. Opening it reads one window (the
newest groups); scrolling to the end reads the next; selecting an entry beyond the rows read
reads up to it; a sort on another column reads every entry off the GUI thread and orders them
as if all had been there; a lock during that read ends it and empties the tab."""

from __future__ import annotations

import threading
import time

import pytest
import shiboken6
from PySide6.QtCore import Qt

from tests.ui.helpers import add_member_and_case
from vault.domain import EntryKind
from vault.ui.case_tabs import paper_trail_tab
from vault.ui.models.trail_table_model import TrailTableModel, build_trail_rows

WINDOW = 4  # groups per window in these tests


@pytest.fixture
def long_case(unlocked, monkeypatch):  # type: ignore[no-untyped-def]
    """A case of some 30 entries, with corrections (one of an old entry, written late), oral
    advice owed and a letter as the oldest logged entry; windows of four groups."""
    monkeypatch.setattr(paper_trail_tab, "TRAIL_WINDOW", WINDOW)
    session = unlocked.session
    _m, case = add_member_and_case(session)
    log = session.trail_log
    letter = log.log(case.ref, EntryKind.LETTER, "Letter to HR")
    advice = log.log(case.ref, EntryKind.ORAL_ADVICE, "Advised to ask for the notes")
    for n in range(20):
        log.log(case.ref, EntryKind.NOTE if n % 3 else EntryKind.PHONE_CALL, f"Entry {n:02d}")
    first = log.log(case.ref, EntryKind.MEETING, "Met HR on Monday")
    log.correct(case.ref, first.seq, "Met HR on Tuesday")
    for n in range(5):
        log.log(case.ref, EntryKind.NOTE, f"Later {n}")
    log.correct(case.ref, letter.seq, "Letter to HR, sent by hand")  # the newest entry
    return case, letter, advice


def _full_rows(session, ref):  # type: ignore[no-untyped-def]
    return build_trail_rows(session.trail_log.entries(ref), session.followups.for_case(ref))


def _open(unlocked, ref):  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    window.open_case(ref, "paper-trail")
    return window.case_page.tab_by_key["paper-trail"]


def _seqs(tab) -> list[int]:  # type: ignore[no-untyped-def]
    return [int(tab.proxy.index(r, TrailTableModel.SEQ).data())
            for r in range(tab.proxy.rowCount())]


def _scroll_to_the_end(tab, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Scroll the view to its last row until the model has nothing more to read."""
    deadline = time.monotonic() + 20
    while tab.proxy.canFetchMore(tab.proxy.index(0, 0).parent()):
        assert time.monotonic() < deadline, "the view never read the rest"
        tab.table.scrollToBottom()
        qtbot.wait(10)


def test_opening_reads_one_window_and_scrolling_reads_the_rest(unlocked, long_case, qtbot):
    case, _letter, _advice = long_case
    full = _full_rows(unlocked.session, case.ref)
    tab = _open(unlocked, case.ref)
    first = tab.model.rowCount()
    assert 0 < first < len(full)  # one window, not the whole trail
    assert not tab.model.complete and tab.model.canFetchMore()
    assert _seqs(tab) == [r.seq for r in full[:first]]  # the full list, cut at the window
    groups = {r.group for r in tab.model.rows}
    assert len(groups) == WINDOW
    tab.table.scrollToBottom()
    qtbot.waitUntil(lambda: tab.model.rowCount() > first, timeout=5_000)  # the view asked
    _scroll_to_the_end(tab, qtbot)
    assert tab.model.complete
    assert [r.seq for r in tab.model.rows] == [r.seq for r in full]
    assert tab.model.rows == full  # the same rows: entries, follow-ups, corrections


def test_the_owed_banner_and_badge_do_not_wait_for_the_window(unlocked, long_case):
    case, _letter, advice = long_case
    tab = _open(unlocked, case.ref)
    assert tab.model.row_of(advice.seq) < 0  # the advice is old: not in the first window
    [owed] = tab.owed()
    assert owed.advice_seq == advice.seq
    assert "1 written follow-up owed" in tab.owed_banner.text()
    page = unlocked.main_window.case_page
    assert page.tabs.tabText(page.tabs.indexOf(tab)) == "Paper trail (1 owed)"
    assert tab.draft_button.isEnabled()  # the only one owed: drafted without selecting it


def test_selecting_an_entry_beyond_the_first_window_reads_up_to_it(unlocked, long_case):
    case, letter, advice = long_case
    full = _full_rows(unlocked.session, case.ref)
    tab = _open(unlocked, case.ref)
    assert tab.model.row_of(advice.seq) < 0
    assert tab.show_entry(advice.seq)
    row = tab.selected_row()
    assert row is not None and row.seq == advice.seq and row.owed
    assert "Advised to ask for the notes" in tab.detail.toPlainText()
    read = [r.seq for r in tab.model.rows]
    assert read == [r.seq for r in full[:len(read)]]  # contiguous: nothing skipped
    assert not tab.select_entry(10_000)  # no such entry
    other = unlocked.session.cases.open(case.member_id, "Another matter", case.category)
    elsewhere = unlocked.session.trail_log.log(other.ref, EntryKind.NOTE, "Elsewhere")
    assert not tab.select_entry(elsewhere.seq)  # an entry of another case
    # The correction of the oldest entry sits under it, beyond the window, and reads with it.
    assert tab.select_entry(letter.seq)
    original = tab.model.row_of(letter.seq)
    assert tab.model.row_at(original + 1).entry.corrects == letter.seq


def test_follow_up_from_home_selects_advice_beyond_the_first_window(unlocked, long_case,
                                                                    qtbot):
    case, _letter, advice = long_case
    window = unlocked.main_window
    window.open_case(case.ref, "paper-trail", entry=advice.seq)  # what Home's card does
    tab = window.case_page.tab_by_key["paper-trail"]
    row = tab.selected_row()
    assert row is not None and row.seq == advice.seq


@pytest.mark.parametrize("column", [TrailTableModel.KIND, TrailTableModel.SUMMARY,
                                    TrailTableModel.WHEN, TrailTableModel.STATUS])
def test_sorting_a_partly_read_trail_orders_it_as_the_whole(unlocked, long_case, qtbot,
                                                            column):
    case, _letter, _advice = long_case
    full = _full_rows(unlocked.session, case.ref)
    tab = _open(unlocked, case.ref)
    assert not tab.model.complete
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        tab.table.sortByColumn(column, order)
        qtbot.waitUntil(lambda: tab.model.complete and not tab.loading, timeout=10_000)
        expected = TrailTableModel().order_rows(list(full), column, order)
        assert [r.seq for r in tab.model.rows] == [r.seq for r in expected]
        assert _seqs(tab)[:tab.proxy.rowCount()] == [r.seq for r in expected][
            :tab.proxy.rowCount()]
        tab.table.sortByColumn(TrailTableModel.SEQ, Qt.SortOrder.DescendingOrder)
        assert _seqs(tab)[:5] == [r.seq for r in full[:5]]


def test_sorting_on_the_number_reads_windows_from_either_end(unlocked, long_case, qtbot):
    case, _letter, _advice = long_case
    full = _full_rows(unlocked.session, case.ref)
    oldest = TrailTableModel().order_rows(list(full), TrailTableModel.SEQ,
                                          Qt.SortOrder.AscendingOrder)
    tab = _open(unlocked, case.ref)
    tab.table.sortByColumn(TrailTableModel.SEQ, Qt.SortOrder.AscendingOrder)
    assert not tab.model.complete and not tab.loading  # windows again, from the oldest
    assert _seqs(tab) == [r.seq for r in oldest[:tab.proxy.rowCount()]]
    _scroll_to_the_end(tab, qtbot)
    assert [r.seq for r in tab.model.rows] == [r.seq for r in oldest]
    seqs = _seqs(tab)
    correction = next(r for r in full if r.is_correction)
    assert seqs.index(correction.seq) == seqs.index(correction.entry.corrects) + 1


def test_a_remembered_sort_reads_every_entry_and_selects_one_asked_for(unlocked, long_case,
                                                                       qtbot):
    case, _letter, advice = long_case
    full = _full_rows(unlocked.session, case.ref)
    tab = _open(unlocked, case.ref)
    tab.table.sortByColumn(TrailTableModel.KIND, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: tab.model.complete and not tab.loading, timeout=10_000)
    unlocked.main_window.show_page("home")
    unlocked.main_window.open_case(case.ref, "paper-trail", entry=advice.seq)
    assert tab.loading and "Reading the whole paper trail" in tab.status.text()
    qtbot.waitUntil(lambda: not tab.loading and tab.selected_row() is not None,
                    timeout=10_000)
    assert tab.selected_row().seq == advice.seq
    assert len(tab.model.rows) == len(full)
    assert tab.status.text() == ""


def test_the_kind_filter_reads_on_until_it_finds_matching_entries(unlocked, long_case,
                                                                  qtbot):
    case, letter, _advice = long_case
    tab = _open(unlocked, case.ref)
    tab.kind_filter.setCurrentIndex(tab.kind_filter.findData("letter"))
    # The letter and its correction are one group: the newest (the correction is the newest
    # entry) but read with the oldest root; the view reads windows until it sees them.
    qtbot.waitUntil(lambda: tab.proxy.rowCount() == 2, timeout=10_000)
    assert {int(tab.proxy.index(r, 0).data()) for r in range(2)} >= {letter.seq}
    tab.kind_filter.setCurrentIndex(tab.kind_filter.findData("system"))
    qtbot.waitUntil(lambda: tab.proxy.rowCount() > 0, timeout=10_000)
    kinds = {tab.proxy.index(r, TrailTableModel.KIND).data()
             for r in range(tab.proxy.rowCount())}
    assert kinds and not kinds & {k.label for k in EntryKind}


def test_a_lock_while_every_entry_is_read_ends_the_read_and_empties_the_tab(
        unlocked, long_case, qtbot, monkeypatch):
    case, _letter, _advice = long_case
    service = type(unlocked.session.trail_log)
    original = service.every_window
    reading, outcome = threading.Event(), []
    db = unlocked.session.vault.db

    def held(self, ref, *, limit, between=None):  # type: ignore[no-untyped-def]
        calls = []

        def slow_between() -> None:
            calls.append(1)
            if len(calls) == 2:  # one window read: wait for the lock to begin
                reading.set()
                deadline = time.monotonic() + 10
                while not db.closing and time.monotonic() < deadline:
                    time.sleep(0.005)
            if between is not None:
                between()

        try:
            return original(self, ref, limit=limit, between=slow_between)
        except BaseException as exc:
            outcome.append(type(exc).__name__)
            raise

    monkeypatch.setattr(service, "every_window", held)
    tab = _open(unlocked, case.ref)
    tab.table.sortByColumn(TrailTableModel.SUMMARY, Qt.SortOrder.AscendingOrder)
    assert tab.loading
    assert reading.wait(10)
    model = tab.model
    unlocked.lock()
    assert model.rowCount() == 0 and not tab.loading and tab.case is None
    assert tab.detail.toPlainText() == "" and tab.owed_banner.text() == ""
    qtbot.waitUntil(lambda: bool(outcome), timeout=10_000)  # the worker ended
    assert outcome[0] in ("Cancelled", "VaultLocked")
    qtbot.wait(50)  # a result would have been delivered by now
    if shiboken6.isValid(model):
        assert model.rowCount() == 0
