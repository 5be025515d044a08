"""Adding a member and opening a case through the dialogs; the tables, filters and detail."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.helpers import loaded_page
from vault.domain import CaseFlags, CaseStatus, Category
from vault.ui.dialogs.add_member_dialog import AddMemberDialog
from vault.ui.dialogs.open_case_dialog import OpenCaseDialog
from vault.ui.models.case_table_model import CaseTableModel
from vault.ui.pages.cases_page import CasesPage
from vault.ui.pages.members_page import MembersPage


def test_add_member_through_the_dialog(unlocked, qtbot):
    window = unlocked.main_window
    dialog = window.new_member()
    assert isinstance(dialog, AddMemberDialog) and dialog.isVisible()
    dialog.name.setText("Priya Example")
    dialog.number.setText("UCU-1001")
    dialog.employer.setText("Northfield University")
    dialog.email.setText("p.example@northfield.ac.uk")
    assert dialog.email_warning.isVisibleTo(dialog)  # work address warned as typed
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    members = unlocked.session.members.list()
    assert [m.member.name for m in members] == ["Priya Example"]
    page = window.pages["members"]
    assert isinstance(page, MembersPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert window.stack.currentWidget() is page
    assert page.detail.member_id == members[0].member.id
    assert page.detail.badge.isVisibleTo(page.detail)  # the work-email badge


def test_add_member_refusal_keeps_the_dialog_open(unlocked, qtbot):
    dialog = unlocked.main_window.new_member()
    dialog.name.setText("   ")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.error.isVisibleTo(dialog) and dialog.error.text()
    assert unlocked.session.members.list() == []


def test_new_case_without_members_asks_for_the_member_first(unlocked, qtbot):
    dialog = unlocked.main_window.new_case()
    assert isinstance(dialog, AddMemberDialog)
    assert unlocked.message_boxes.last_box is not None
    assert "member first" in unlocked.message_boxes.last_box.text()


def test_open_case_through_the_dialog(unlocked, qtbot):
    session = unlocked.session
    member = session.members.add("Sam Example")
    window = unlocked.main_window
    dialog = window.new_case()
    assert isinstance(dialog, OpenCaseDialog)
    assert dialog.member.currentData() is None  # nobody in view: the dialog asks
    dialog.member.setCurrentIndex(dialog.member.findData(member.id))
    dialog.title.setText("Disciplinary hearing, lateness")
    dialog.set_category(Category.DISCIPLINARY)
    assert not dialog.escalation.isVisibleTo(dialog)
    dialog.flag_boxes["dismissal_threatened"].setChecked(True)
    assert dialog.escalation.isVisibleTo(dialog)  # the UCU escalation prompt
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()

    [summary] = session.cases.list()
    assert summary.case.title == "Disciplinary hearing, lateness"
    assert summary.case.category is Category.DISCIPLINARY
    assert summary.case.flags == CaseFlags(dismissal_threatened=True)
    # The new case is shown on its page, Overview first.
    assert window.stack.currentWidget() is window.case_page
    assert window.case_page.current_ref == summary.case.ref
    overview = window.case_page.tab_by_key["overview"]
    assert overview.flag_boxes["dismissal_threatened"].isChecked()
    assert overview.escalation.isVisibleTo(overview)
    cases_page = window.pages["cases"]
    qtbot.waitUntil(lambda: cases_page.model.rowCount() == 1)


def test_cases_table_filters_and_opens(unlocked, qtbot):
    session = unlocked.session
    alex = session.members.add("Alex Example")
    jo = session.members.add("Jo Sample")
    c1 = session.cases.open(alex.id, "Grievance about rota", Category.GRIEVANCE)
    session.cases.open(jo.id, "Sickness review", Category.SICKNESS_ABSENCE,
                       flags=CaseFlags(legal_action_contemplated=True))
    window = unlocked.main_window
    window.show_page("cases")
    page = window.pages["cases"]
    assert isinstance(page, CasesPage)
    assert loaded_page(window, "cases").proxy.rowCount() == 2
    flags_col = [page.proxy.index(r, CaseTableModel.FLAGS).data() for r in range(2)]
    assert "Legal action" in flags_col

    page.category_filter.setCurrentIndex(page.category_filter.findData("grievance"))
    assert page.proxy.rowCount() == 1
    page.category_filter.setCurrentIndex(0)
    page.filter_box.setText("no such words")
    assert page.proxy.rowCount() == 0
    page.filter_box.setText("sample")
    assert page.proxy.rowCount() == 1
    page.filter_box.clear()
    page.status_filter.setCurrentIndex(page.status_filter.findData(CaseStatus.CLOSED.value))
    assert page.proxy.rowCount() == 0
    assert page.empty_hint.isVisibleTo(page)
    page.status_filter.setCurrentIndex(page.status_filter.findData(CaseStatus.OPEN.value))
    assert loaded_page(window, "cases").proxy.rowCount() == 2

    # Sorting by reference, then Enter on the first row opens that case.
    page.table.sortByColumn(CaseTableModel.REF, Qt.SortOrder.AscendingOrder)
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(0, 0))
    page.table.activated.emit(page.proxy.index(0, 0))
    assert window.case_page.current_ref == c1.ref


def test_member_detail_lists_their_cases_and_opens_one(unlocked, qtbot):
    session = unlocked.session
    alex = session.members.add("Alex Example", email="alex@northfield.ac.uk",
                               employer="Northfield University")
    case = session.cases.open(alex.id, "Grievance about rota", Category.GRIEVANCE)
    window = unlocked.main_window
    window.open_member(alex.id)
    page = loaded_page(window, "members")
    assert page.detail.cases.count() == 1
    assert case.ref in page.detail.cases.item(0).text()
    page.detail.cases.itemActivated.emit(page.detail.cases.item(0))
    assert window.case_page.current_ref == case.ref


def test_toolbar_search_filters_the_current_table(unlocked, qtbot):
    session = unlocked.session
    alex = session.members.add("Alex Example")
    session.members.add("Jo Sample")
    session.cases.open(alex.id, "Grievance about rota", Category.GRIEVANCE)
    window = unlocked.main_window
    window.show_page("home")
    # Issue 17.5: typing searches everything search covers, as you type, on the Search page.
    qtbot.keyClicks(window.search_box, "rota")
    assert window.current_page_key() == "search"
    assert window.search_box.hasFocus() or not window.isActiveWindow()
    search = window.pages["search"]
    assert search.model.rowCount() == 1
    # The text does not linger on other pages.
    window.show_page("members")
    assert window.search_box.text() == ""
    qtbot.keyClicks(window.search_box, "sample")
    assert window.current_page_key() == "search" and search.model.rowCount() == 1


def test_overview_flags_and_consent_are_saved(unlocked, qtbot):
    session = unlocked.session
    alex = session.members.add("Alex Example")
    case = session.cases.open(alex.id, "Grievance about rota", Category.GRIEVANCE)
    window = unlocked.main_window
    window.open_case(case.ref)
    overview = window.case_page.tab_by_key["overview"]
    assert not overview.consent.isChecked()  # default no
    overview.consent.setChecked(True)
    overview.flag_boxes["discrimination_alleged"].setChecked(True)
    stored = session.cases.get(case.ref)
    assert stored.consent_to_share
    assert stored.flags.discrimination_alleged
    qtbot.waitUntil(lambda: overview.escalation.isVisibleTo(overview))
