"""Opening a case loads the tab shown at once and the other tabs after the page shows (their
badges a moment later), or at once when one is shown; lock drops whatever was pending."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.ui.helpers import add_member_and_case
from vault.domain import EntryKind


def _raw_tab(page, key):  # type: ignore[no-untyped-def]
    return dict.__getitem__(page.tab_by_key, key)  # without loading it


def test_only_the_shown_tab_loads_with_the_page_the_rest_follow(unlocked, qtbot):  # type: ignore[no-untyped-def]
    session = unlocked.session
    _m, case = add_member_and_case(session)
    session.trail_log.log(case.ref, EntryKind.ORAL_ADVICE, "Advised to ask for a companion")
    session.parties.add(case.ref, "Prudence Witness-Example", "witness")
    window = unlocked.main_window
    window.open_case(case.ref, "overview")
    page = window.case_page
    trail, parties = _raw_tab(page, "paper-trail"), _raw_tab(page, "parties")
    assert trail.model.rowCount() == 0 and parties.model.rowCount() == 0  # not loaded yet
    qtbot.waitUntil(lambda: trail.model.rowCount() > 0 and parties.model.rowCount() > 0)
    assert "(" in page.tabs.tabText(page.tabs.indexOf(trail))  # its badge: a follow-up owed


def test_a_tab_shown_or_asked_for_loads_at_once(unlocked):  # type: ignore[no-untyped-def]
    session = unlocked.session
    _m, case = add_member_and_case(session)
    session.parties.add(case.ref, "Prudence Witness-Example", "witness")
    window = unlocked.main_window
    window.open_case(case.ref, "overview")
    page = window.case_page
    assert page.tab_by_key["parties"].model.rowCount() == 1  # asked for: loaded now
    window.open_case(case.ref, "paper-trail")
    assert _raw_tab(page, "paper-trail").model.rowCount() > 0  # shown: loaded now


def test_lock_drops_the_pending_tab_loads(unlocked, qtbot):  # type: ignore[no-untyped-def]
    _m, case = add_member_and_case(unlocked.session)
    unlocked.main_window.open_case(case.ref, "overview")
    unlocked.lock()
    QApplication.processEvents()  # the deferred loads run (and must find nothing to do)
    assert unlocked.session is None and unlocked.main_window.case_page is None
