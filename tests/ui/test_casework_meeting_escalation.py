"""The First meeting tab (issues agreed or new, addressed; action points done and overdue) and
the escalation prompt (flags on Overview, "Decide later" keeps it outstanding, not escalating
needs a reason, a rep who is not accredited is prompted for any personal case)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.helpers import add_member_and_case, loaded_home
from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.domain import Category
from vault.session import VaultManager
from vault.ui.case_tabs.first_meeting_tab import RAISED_LATER, FirstMeetingTab
from vault.ui.case_tabs.overview_tab import OverviewTab
from vault.ui.models.first_meeting_table_models import ActionPointTableModel, IssueTableModel
from vault.ui.models.trail_table_model import OVERDUE_BACKGROUND


def _manager(ui_dirs: Path, clock: FixedClock, accredited: bool) -> VaultManager:
    return VaultManager(root=ui_dirs / "vault", clock=clock, kdf_params=Argon2Params(1, 8, 1),
                        is_accredited=lambda: accredited)


@pytest.fixture
def ui_manager(ui_dirs: Path, ui_clock: FixedClock):  # type: ignore[no-untyped-def]
    manager = _manager(ui_dirs, ui_clock, accredited=True)
    yield manager
    manager.lock_all()


@pytest.fixture
def meeting_tab(unlocked) -> FirstMeetingTab:  # type: ignore[no-untyped-def]
    _member, case = add_member_and_case(unlocked.session)
    unlocked.main_window.open_case(case.ref, "first-meeting")
    tab = unlocked.main_window.case_page.tab_by_key["first-meeting"]
    assert isinstance(tab, FirstMeetingTab)
    return tab


def test_issues_are_agreed_or_new_and_marked_addressed(meeting_tab, unlocked, ui_clock):
    tab = meeting_tab
    assert tab.meeting_status.text().startswith("Not recorded yet")
    tab.held_on.set_day(dt.date(2026, 11, 20))
    tab.place.setText("Library meeting room")
    tab.save_meeting_button.click()
    assert tab.meeting_status.text() == "Held on 20 Nov 2026 at Library meeting room."
    # The meeting was three days ago: a new issue defaults to "raised later", but the rep can
    # say it was agreed at the meeting (recorded afterwards).
    assert tab.issue_when.currentData() == RAISED_LATER
    tab.issue_when.setCurrentIndex(0)
    tab.issue_text.setText("Shift pattern changed without consultation")
    tab.add_issue_button.click()
    tab.issue_text.setText("Overtime not paid")
    tab.add_issue_button.click()
    model = tab.issue_model
    assert model.index(0, IssueTableModel.RAISED).data() == "At first meeting"
    assert model.index(1, IssueTableModel.RAISED).data() == "New, 23 Nov 2026"
    assert model.index(1, IssueTableModel.RAISED).data(Qt.ItemDataRole.FontRole).bold()
    assert tab.issues_summary.text() == ("1 issue agreed at the first meeting, 0 addressed. "
                                         "1 new issue raised later, 0 addressed.")
    tab.issue_table.selectRow(0)
    assert tab.addressed_button.text() == "Mark addressed"
    tab.addressed_note.setText("HR agreed to consult")
    tab.addressed_button.click()
    assert model.index(0, IssueTableModel.ADDRESSED).data() == "Yes, 23 Nov 2026"
    assert "HR agreed to consult" in model.index(0, IssueTableModel.ADDRESSED).data(
        Qt.ItemDataRole.ToolTipRole)
    tab.issue_table.selectRow(0)
    assert tab.addressed_button.text() == "Mark not addressed"
    assert "1 addressed" in tab.issues_summary.text()


def test_action_points_done_and_overdue_with_a_badge(meeting_tab, unlocked, ui_clock):
    tab = meeting_tab
    window = unlocked.main_window
    tab.action_text.setText("Send the grievance letter")
    tab.action_owner.setCurrentIndex(tab.action_owner.findData("member"))
    tab.action_due.set_day(dt.date(2026, 11, 24))
    tab.add_action_button.click()
    tab.action_text.setText("No date for this one")
    tab.action_has_due.setChecked(False)
    tab.add_action_button.click()
    model = tab.action_model
    assert model.index(0, ActionPointTableModel.OWNER).data() == "Member"
    assert model.index(1, ActionPointTableModel.DUE).data() == "—"
    ui_clock.advance(days=3)
    window.open_case(tab.case.ref, "first-meeting")
    assert model.index(0, ActionPointTableModel.DUE).data() == "24 Nov 2026 (overdue)"
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    page = window.case_page
    assert page.tabs.tabText(page.tabs.indexOf(tab)) == "First meeting (1 overdue)"
    tab.action_table.selectRow(0)
    tab.done_button.click()
    assert model.index(0, ActionPointTableModel.DONE).data() == "26 Nov 2026"
    assert page.tabs.tabText(page.tabs.indexOf(tab)) == "First meeting"


def test_a_refusal_is_shown_next_to_the_meeting(meeting_tab):
    meeting_tab.held_on.set_day(dt.date(2026, 12, 1))
    meeting_tab.save_meeting_button.click()
    assert meeting_tab.meeting_error.isVisibleTo(meeting_tab)
    assert meeting_tab.meeting_error.text() == "The meeting date cannot be in the future."
    meeting_tab.narrative.setPlainText("   ")
    meeting_tab.save_narrative_button.click()
    assert meeting_tab.narrative_error.text().startswith("The narrative")


def test_setting_a_flag_prompts_and_decide_later_keeps_it_outstanding(unlocked, qtbot):
    _m, case = add_member_and_case(unlocked.session)
    window = unlocked.main_window
    window.open_case(case.ref, "overview")
    overview = window.case_page.tab_by_key["overview"]
    assert isinstance(overview, OverviewTab)
    assert not overview.escalation_box.isVisibleTo(overview)
    overview.flag_boxes["discrimination_alleged"].setChecked(True)
    prompt = overview.escalation_dialog
    assert prompt is not None and prompt.isVisible()
    prompt.later_button.click()
    assert not prompt.isVisible()
    assert overview.escalation.isVisibleTo(overview)
    # Said once, naming only the reason that applies and no union before one is chosen.
    text = overview.escalation.text()
    assert text.startswith("Discrimination is alleged: escalate this case")
    assert "dismissal" not in text.casefold() and "UCU" not in text
    assert text.count("escalate") == 1
    assert overview.escalation_decision.text() == "No decision recorded yet."
    page = window.case_page
    assert page.tabs.tabText(page.tabs.indexOf(overview)) == "Overview (escalation due)"
    window.show_page("home")
    card = next(c for c in loaded_home(window).cards if c.section.key == "escalations")
    assert [b.text() for b in card.buttons] == [
        f"⚠ {case.ref}: escalation decision outstanding"]
    card.buttons[0].click()
    assert window.case_page.tabs.currentWidget() is overview

    overview.escalation_button.click()
    prompt = overview.escalation_dialog
    prompt.not_escalating.setChecked(True)
    prompt.record_button.click()
    assert prompt.isVisible()
    assert prompt.error.text().startswith("The reason for not escalating")
    prompt.reason.setPlainText("The member withdrew the complaint of discrimination")
    prompt.record_button.click()
    assert not prompt.isVisible()
    window.open_case(case.ref, "overview")
    assert not overview.escalation.isVisibleTo(overview)
    assert overview.escalation_decision.text() == (
        "Decided not to escalate: The member withdrew the complaint of discrimination")
    qtbot.waitUntil(lambda: not any(case.ref in b.text() for b in card.buttons))


def test_escalated_without_the_regional_office_stays_outstanding(unlocked):
    member = unlocked.session.members.add("Ola Example")
    window = unlocked.main_window
    dialog = window.new_case(member.id)
    dialog.title.setText("Race discrimination complaint")
    dialog.set_category(Category.DISCRIMINATION)
    dialog.open_button.click()
    prompt = dialog.escalation_dialog
    prompt.to.setText("Branch caseworker")
    prompt.record_button.click()
    ref = window.case_page.current_ref
    window.open_case(ref, "overview")
    overview = window.case_page.tab_by_key["overview"]
    assert "has not been told yet" in overview.escalation_decision.text()
    # Recorded later from the Overview, without redoing the dialog.
    assert overview.notified_row.isVisibleTo(overview)
    assert not overview.escalation_button.isVisibleTo(overview)
    overview.notified_button.click()
    window.open_case(ref, "overview")
    assert not overview.escalation.isVisibleTo(overview)
    assert not overview.notified_row.isVisibleTo(overview)
    decision = unlocked.session.escalation.status(ref).decision
    assert decision.escalated_to == "Branch caseworker"
    assert decision.regional_notified_on == dt.date(2026, 11, 23)


def test_a_rep_not_yet_accredited_is_prompted_for_any_personal_case(controller, ui_dirs,
                                                                     ui_clock, qtbot):
    manager = _manager(ui_dirs / "second", ui_clock, accredited=False)
    try:
        session = manager.create("correct horse battery staple orbit")
        controller.open_session(session)
        member = session.members.add("Kim Example")
        window = controller.main_window
        dialog = window.new_case(member.id)
        dialog.title.setText("Grievance about workload")
        dialog.set_category(Category.GRIEVANCE)
        dialog.open_button.click()
        # A banner on the case, not a modal prompt on every new personal case.
        assert dialog.escalation_dialog is None
        overview = window.case_page.tab_by_key["overview"]
        assert overview.escalation.isVisibleTo(overview)
        assert "involve an accredited case handler" in overview.escalation.text()
        overview.escalation_button.click()  # asked for: the dialog opens
        prompt = overview.escalation_dialog
        assert prompt is not None and prompt.isVisible()
        assert "involve an accredited case handler" in prompt.reasons.text()
        prompt.reject()
        # A collective issue (pay) is not a personal case: no prompt.
        dialog = window.new_case(member.id)
        dialog.title.setText("Pay grading review")
        dialog.set_category(Category.PAY_CONTRACT)
        dialog.open_button.click()
        assert dialog.escalation_dialog is None
    finally:
        controller.lock()
        manager.lock_all()
