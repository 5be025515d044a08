"""Issue 13 in the app: correct a member (conflict re-check), correct a case (escalation
prompt), add a hearing (Overview and Home), correct and remove a document, set the profile."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tests.ui.helpers import add_member_and_case, loaded_home, loaded_page, make_text
from vault.domain import CaseStage
from vault.ui.case_tabs.documents_tab import DocumentsTab
from vault.ui.case_tabs.overview_tab import OverviewTab
from vault.ui.message_boxes import Answer


def test_correct_a_member_and_see_the_conflict_recheck(unlocked) -> None:  # type: ignore[no-untyped-def]
    session = unlocked.session
    _m, case = add_member_and_case(session)
    session.parties.add(case.ref, "Priya Patel", "subject")
    newcomer = session.members.add("Pria Patle")
    window = unlocked.main_window
    window.show_page("members")
    page = loaded_page(window, "members")
    page.select_member(newcomer.id)
    assert page.detail.edit_button.isVisibleTo(page.detail)
    dialog = page.edit_member(newcomer.id)
    dialog.edits["name"].setText("Priya Patel")
    dialog.submit()
    assert dialog.error.isVisible()  # no reason given
    dialog.reason.setText("misspelt at the first meeting")
    dialog.submit()
    assert not dialog.isVisible()
    assert session.members.get(newcomer.id).name == "Priya Patel"
    assert dialog.conflict_dialog is not None and dialog.conflict_dialog.isVisible()


def test_correct_a_case_to_dismissal_and_add_a_hearing(unlocked, ui_clock, qtbot) -> None:  # type: ignore[no-untyped-def]
    session = unlocked.session
    _m, case = add_member_and_case(session)
    window = unlocked.main_window
    window.open_case(case.ref, "overview")
    overview = window.case_page.tab_by_key["overview"]
    assert isinstance(overview, OverviewTab)
    dialog = overview.open_edit_dialog()
    assert dialog is not None
    dialog.category.setCurrentIndex(dialog.category.findData(
        __import__("vault.domain", fromlist=["Category"]).Category.DISMISSAL))
    dialog.stage.setCurrentIndex(dialog.stage.findData(CaseStage.FORMAL))
    dialog.reason.setText("the letter says dismissal")
    dialog.submit()
    assert not dialog.isVisible()
    assert overview.summary["stage"].text() == "Formal procedure"
    assert overview.escalation_dialog is not None and overview.escalation_dialog.isVisible()
    overview.escalation_dialog.later_button.click()

    date_dialog = overview.open_date_dialog()
    assert date_dialog is not None
    date_dialog.on.set_day(ui_clock.today() + dt.timedelta(days=4))
    date_dialog.note.setText("Room 3")
    date_dialog.submit()
    assert not date_dialog.isVisible()
    texts = [overview.dates_list.item(i).text() for i in range(overview.dates_list.count())]
    assert any("Hearing" in t and "in 4 days" in t for t in texts)
    window.show_page("home")
    card = next(c for c in loaded_home(window).cards if c.section.key == "key-dates")
    qtbot.waitUntil(lambda: any(case.ref in b.text() for b in card.buttons))


def test_correct_then_remove_a_document(unlocked, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    session = unlocked.session
    _m, case = add_member_and_case(session)
    doc = session.documents.import_file(case.ref, make_text(tmp_path / "wrong.txt"))
    window = unlocked.main_window
    window.open_case(case.ref, "documents")
    tab = window.case_page.tab_by_key["documents"]
    assert isinstance(tab, DocumentsTab)
    tab.select_document(doc.id)
    dialog = tab.correct_document()
    assert dialog is not None
    dialog.name.setText("Rota letter.txt")
    dialog.reason.setText("clearer name")
    dialog.submit()
    assert session.documents.list(case.ref)[0].name == "Rota letter.txt"
    tab.select_document(doc.id)
    dialog = tab.correct_document()
    assert dialog is not None
    dialog.reason.setText("imported by mistake")
    unlocked.message_boxes.set_next_answer(Answer.ACCEPT)
    dialog.remove()
    assert unlocked.message_boxes.last_confirm.default_is_cancel
    assert session.documents.list(case.ref) == []


def test_profile_in_settings_is_used_for_follow_up_notes(unlocked) -> None:  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    window.show_page("settings")
    box = window.pages["settings"].profile_box
    box.edits["name"].setText("Sam Rep")
    box.edits["branch"].setText("Northfield UCU")
    box.save()
    assert unlocked.session.profile.get().name == "Sam Rep"
    assert "Saved" in box.status.text()


def test_correct_then_remove_a_party(unlocked) -> None:  # type: ignore[no-untyped-def]
    from vault.ui.case_tabs.parties_tab import PartiesTab

    session = unlocked.session
    _m, case = add_member_and_case(session)
    session.parties.add(case.ref, "Pat Boss", "manager")
    window = unlocked.main_window
    window.open_case(case.ref, "parties")
    tab = window.case_page.tab_by_key["parties"]
    assert isinstance(tab, PartiesTab)
    assert not tab.correct_button.isEnabled()
    tab.table.selectRow(0)
    assert tab.correct_button.isEnabled()
    dialog = tab.correct_party()
    assert dialog is not None
    dialog.role.setCurrentIndex(dialog.role.findData("witness"))
    dialog.reason.setText("wrong role")
    dialog.submit()
    assert session.parties.list(case.ref)[0].role.value == "witness"
    tab.table.selectRow(0)
    dialog = tab.correct_party()
    dialog.reason.setText("added by mistake")
    unlocked.message_boxes.set_next_answer(Answer.ACCEPT)
    dialog.remove()
    assert unlocked.message_boxes.last_confirm.default_is_cancel
    assert session.parties.list(case.ref) == []
    assert tab.model.rowCount() == 0


def test_policies_page_adds_links_and_removes(unlocked, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from vault.ui.pages.policies_page import PoliciesPage

    session = unlocked.session
    _m, case = add_member_and_case(session)
    window = unlocked.main_window
    window.show_page("policies")
    page = window.pages["policies"]
    assert isinstance(page, PoliciesPage)
    unlocked.file_dialogs.set_next_open_paths([make_text(tmp_path / "Grievance procedure.txt")])
    page.pick_and_add()
    assert page.list.count() == 1
    page.list.setCurrentRow(0)
    assert page.link_selected(case.ref)
    window.open_case(case.ref, "overview")
    overview = window.case_page.tab_by_key["overview"]
    assert "Grievance procedure" in overview.summary["policies"].text()
    window.show_page("policies")
    page.list.setCurrentRow(0)
    unlocked.message_boxes.set_next_answer(Answer.ACCEPT)
    page.remove_selected(reason="superseded")
    assert page.list.count() == 0 and session.policies.list() == []
