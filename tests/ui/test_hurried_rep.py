"""Issue 17: the desktop app as a hurried rep uses it. One test (or more) per numbered point."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox

from tests.ui.helpers import loaded_page
from vault.domain import Category
from vault.ui.dialogs.open_case_dialog import CHOOSE_MEMBER, OpenCaseDialog
from vault.ui.widgets.uk_date_edit import UkDateEdit
from vault.ui.widgets.uk_datetime_edit import UkDateTimeEdit

# -- 1. New case opens under the right member ---------------------------------------------------


def _two_members(unlocked):  # type: ignore[no-untyped-def]
    session = unlocked.session
    return session.members.add("Alice Aardvark"), session.members.add("Zoe Zebra")


def test_new_case_prefills_the_member_selected_on_members(unlocked, qtbot):
    _alice, zoe = _two_members(unlocked)
    window = unlocked.main_window
    window.open_member(zoe.id)
    page = window.pages["members"]
    qtbot.waitUntil(lambda: page.selected() is not None)
    assert page.selected().member.id == zoe.id
    window.new_case_action.trigger()  # Ctrl+N and the toolbar's New case
    dialog = next(d for d in window.findChildren(OpenCaseDialog) if d.isVisible())
    assert dialog.member.currentData() == zoe.id


def test_new_case_prefills_the_member_of_the_open_case(unlocked, qtbot):
    _alice, zoe = _two_members(unlocked)
    case = unlocked.session.cases.open(zoe.id, "Pay", Category.PAY_CONTRACT)
    window = unlocked.main_window
    window.open_case(case.ref)
    dialog = window.new_case()
    assert isinstance(dialog, OpenCaseDialog)
    assert dialog.member.currentData() == zoe.id


def test_new_case_with_nobody_in_view_asks_and_refuses_to_guess(unlocked, qtbot):
    _two_members(unlocked)
    window = unlocked.main_window
    window.show_page("home")
    dialog = window.new_case()
    assert isinstance(dialog, OpenCaseDialog)
    assert dialog.member.currentText() == CHOOSE_MEMBER
    assert dialog.member.currentData() is None
    dialog.title.setText("Grievance")
    dialog.submit()
    assert dialog.isVisible()
    assert "Choose the member" in dialog.error.text()
    assert unlocked.session.cases.list() == []


# -- 2. Tab leaves a date field in one step -----------------------------------------------------


def _focus(qtbot, dialog, widget) -> None:  # type: ignore[no-untyped-def]
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus)


def test_tab_then_space_in_new_case_ticks_dismissal_threatened(unlocked, qtbot):
    alice, _zoe = _two_members(unlocked)
    dialog = unlocked.main_window.new_case(alice.id)
    assert isinstance(dialog.opened, UkDateEdit) and dialog.opened.calendarPopup()
    _focus(qtbot, dialog, dialog.opened)
    before = dialog.opened.day()
    qtbot.keyClick(dialog.opened, Qt.Key.Key_Tab)
    box = dialog.flag_boxes["dismissal_threatened"]
    assert QApplication.focusWidget() is box
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked()
    assert dialog.opened.day() == before  # nothing typed into the date
    # Shift+Tab goes back out in one step too.
    _focus(qtbot, dialog, dialog.opened)
    qtbot.keyClick(dialog.opened, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is dialog.category


def test_every_date_field_leaves_in_one_step(qtbot):
    import datetime as dt

    from PySide6.QtWidgets import QDialog, QVBoxLayout

    host = QDialog()
    qtbot.addWidget(host)
    layout = QVBoxLayout(host)
    day = UkDateEdit(dt.date(2026, 11, 23), "A day", host)
    moment = UkDateTimeEdit(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), "A time", host)
    after = QCheckBox("After", host)
    for widget in (day, moment, after):
        layout.addWidget(widget)
    _focus(qtbot, host, day)
    qtbot.keyClick(day, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is moment
    qtbot.keyClick(moment, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is after


# -- 3. Escalation wording from the chosen union's profile --------------------------------------


def _dismissal_case(unlocked, union: str | None):  # type: ignore[no-untyped-def]
    from tests.conftest import make_accredited

    session = unlocked.session
    if union is not None:
        make_accredited(session)  # a Prospect route, so no not-accredited prompt
        session.training.choose_union(union)
    member = session.members.add("Ola Example")
    window = unlocked.main_window
    dialog = window.new_case(member.id)
    dialog.title.setText("Hearing")
    dialog.set_category(Category.DISCIPLINARY)
    dialog.flag_boxes["dismissal_threatened"].setChecked(True)
    return window, dialog


def test_a_bectu_rep_is_told_to_tell_their_dedicated_officer(unlocked, qtbot):
    _window, dialog = _dismissal_case(unlocked, "bectu")
    assert dialog.escalation.text() == (
        "Dismissal is threatened: escalate this case to a more experienced branch caseworker "
        "and tell your Bectu dedicated officer.")
    dialog.open_button.click()
    prompt = dialog.escalation_dialog
    assert prompt is not None
    assert "tell your Bectu dedicated officer" in prompt.reasons.text()
    assert "UCU" not in prompt.reasons.text() and "regional office" not in prompt.reasons.text()
    assert prompt.regional.text() == "Your Bectu dedicated officer has been told"
    assert "acas.org.uk" in prompt.links.text() and prompt.links.openExternalLinks()
    # The "To" label is not clipped: it gets the width its text needs.
    prompt.show()
    label = prompt.to_label
    assert label.width() >= label.fontMetrics().horizontalAdvance("Escalated to:")


def test_a_prospect_rep_is_told_to_tell_their_officer(unlocked, qtbot):
    _window, dialog = _dismissal_case(unlocked, "prospect")
    assert dialog.escalation.text().endswith("and tell your Prospect officer.")


def test_before_a_union_is_chosen_no_union_is_cited(unlocked, qtbot):
    _window, dialog = _dismissal_case(unlocked, None)
    text = dialog.escalation.text()
    assert "UCU" not in text and "your union's regional office or officer" in text


# -- 6. Conflict dialog wording ------------------------------------------------------------------


def test_conflict_card_says_very_similar_name_and_the_role_plainly(unlocked, qtbot):
    from vault.ui.dialogs.conflict_dialog import ConflictDialog

    session = unlocked.session
    amy = session.members.add("Amy Chen")
    first = session.cases.open(amy.id, "Pay", Category.PAY_CONTRACT)
    other = session.members.add("Bo Example")
    second = session.cases.open(other.id, "Grievance", Category.GRIEVANCE)
    added = session.parties.add(second.ref, "Amy Chan", "witness")
    assert added.conflicts, "Amy Chan / Amy Chen is a near-miss the check must find"
    dialog = ConflictDialog(unlocked.main_window.context, added.conflicts,
                            unlocked.main_window, viewing_ref=second.ref)
    qtbot.addWidget(dialog)
    card = dialog.cards[0]
    assert card.labels[0].text() == f"Amy Chen, the member in case {first.ref}"
    assert card.labels[1].text() == "How alike: very similar name."
    # Seen from the member's own case, the other side names the witness's role.
    window = unlocked.main_window
    window.open_case(first.ref, "parties")
    tab = window.case_page.tab_by_key["parties"]
    model = tab.finding_model
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Their role in that case"
    assert model.index(0, 2).data() == "Witness"
    assert model.index(0, 3).data() == "Very similar name"


# -- 7. Document viewer ---------------------------------------------------------------------------


def test_document_viewer_zoom_pages_fit_and_larger_view(unlocked, qtbot, tmp_path):
    from PySide6.QtPdfWidgets import QPdfView

    from tests.ui.helpers import add_member_and_case, make_pdf
    from vault.ui.case_tabs.document_viewer import ViewKind

    session = unlocked.session
    _member, case = add_member_and_case(session)
    doc = session.documents.import_file(case.ref, make_pdf(tmp_path / "letter.pdf", pages=3))
    window = unlocked.main_window
    window.open_case(case.ref, "documents")
    tab = window.case_page.tab_by_key["documents"]
    tab.select_document(doc.id)
    viewer = tab.viewer
    qtbot.waitUntil(lambda: viewer.kind is ViewKind.PDF)
    assert viewer.pages.text() == "3 pages"
    assert viewer.fit_button.isChecked()
    assert viewer.pdf_view.zoomMode() is QPdfView.ZoomMode.FitToWidth
    viewer.zoom_in_button.click()
    assert viewer.pdf_view.zoomMode() is QPdfView.ZoomMode.Custom
    assert not viewer.fit_button.isChecked()
    zoomed = viewer.pdf_view.zoomFactor()
    viewer.zoom_in_button.click()
    assert viewer.pdf_view.zoomFactor() > zoomed
    assert viewer.zoom_label.text().endswith("%")
    viewer.fit_button.click()
    assert viewer.pdf_view.zoomMode() is QPdfView.ZoomMode.FitToWidth
    larger = tab.show_larger()
    assert larger is not None and larger.isVisible()
    assert larger.width() > tab.viewer.width()
    # The fingerprint is explained, not just named.
    assert tab.copy_hash_button.text() == "Copy fingerprint"
    assert "fingerprint" in tab.copy_hash_button.toolTip().casefold()
    tab.copy_hash()
    assert "fingerprint" in tab.status.text()
    # Locking closes the larger view too.
    unlocked.lock()
    assert not larger.isVisible()


# -- Help: useful links of the union profile, and only what the app does (issue 16) -----------


def test_help_shows_the_union_links_and_claims_only_what_is_built(unlocked, qtbot):
    session = unlocked.session
    window = unlocked.main_window
    help_page = window.pages["help"]
    window.show_page("help")
    text = help_page.browser.toPlainText()
    assert "Choose your union" in text  # before a choice, no union's links
    assert "ucu.custhelp" not in help_page.browser.toHtml()
    session.training.choose_union("ucu")
    window.show_page("help")
    page_html = help_page.browser.toHtml()
    for url in ("https://ucu.custhelp.com/", "https://www.thompsons.law.co.uk",
                "https://www.acas.org.uk", "https://www.ucu.org.uk/yourcontacts"):
        assert f'href="{url}"' in page_html
    # Web links open in the browser only when clicked (the page follows them itself).
    assert not help_page.browser.openLinks()
    text = help_page.browser.toPlainText()
    # Exports, destruction and backups have landed: the guide describes them as working.
    assert "Coming in a later version" not in text
    assert "bundle" in text.casefold() and "destroy" in text.casefold()
    # Shortcuts for Search, Training and Settings are listed and work.
    assert "Go to Training" in text and "Go to Settings" in text and "Go to Search" in text


# -- 8. Training page: no contradiction, said once, links clickable ----------------------------


def test_training_page_says_things_once_and_links_open(unlocked, qtbot):
    session = unlocked.session
    session.training.choose_union("bectu")
    session.training.record("reps1")
    window = unlocked.main_window
    window.show_page("training")
    page = window.pages["training"]
    card = page.status_card
    assert card.headline.text() == "Eligible for Level 2 courses"
    # The Education team's update is something to confirm, not "still missing".
    assert "Education team" not in card.missing.text()
    assert card.confirm.isVisibleTo(card) and "Education updated my record" in card.confirm.text()
    # The Reps 2 sentence appears once on the whole page.
    sentence = session.training.current_profile().reps2_wording
    texts = [w.text() for w in page.findChildren(type(card.headline)) if w.isVisibleTo(page)]
    assert sum(sentence in t for t in texts) == 1
    # Web addresses in the profile's explanations are links that open in the browser.
    row = page.stepper.row("reps2-listed")
    assert '<a href="https://bit.ly/Training-superheroes">' in row.explanation.text()
    assert row.explanation.openExternalLinks()


def test_stepping_aside_hands_the_case_over_and_marks_it(unlocked, qtbot):
    from vault.casework.conflicts import ConflictDecision
    from vault.ui.dialogs.conflict_dialog import ConflictDialog

    session = unlocked.session
    dana = session.members.add("Dana Whitlock")
    session.cases.open(dana.id, "Pay", Category.PAY_CONTRACT)
    sam = session.members.add("Sam Example")
    case = session.cases.open(sam.id, "Grievance", Category.GRIEVANCE)
    added = session.parties.add(case.ref, "Dana Whitlock", "subject")
    window = unlocked.main_window
    dialog = ConflictDialog(window.context, added.conflicts, window, viewing_ref=case.ref)
    qtbot.addWidget(dialog)
    dialog.cards[0].choose(ConflictDecision.STEP_ASIDE, handover_to="Kim, branch secretary")
    dialog.submit()
    assert not dialog.isVisible()
    window.open_case(case.ref, "overview")
    overview = window.case_page.tab_by_key["overview"]
    assert overview.handover.isVisibleTo(overview)
    assert "handed over to Kim, branch secretary on 23 Nov 2026" in overview.handover.text()


# -- 10. Parties: choices do not carry over; a union member not in the vault is said ------------


def test_parties_choices_reset_between_cases_and_unknown_member_is_flagged(unlocked, qtbot):
    from vault.casework.parties import PartyRole, UnionMembership

    session = unlocked.session
    a = session.members.add("Ola Example")
    first = session.cases.open(a.id, "Grievance", Category.GRIEVANCE)
    b = session.members.add("Kim Example")
    second = session.cases.open(b.id, "Pay", Category.PAY_CONTRACT)
    window = unlocked.main_window
    window.open_case(first.ref, "parties")
    tab = window.case_page.tab_by_key["parties"]
    tab.name.setText("Priya Stranger")
    tab.role.setCurrentIndex(tab.role.findData(PartyRole.WITNESS.value))
    tab.union_member.setCurrentIndex(tab.union_member.findData(UnionMembership.YES.value))
    tab.add_party()
    assert "not among your members" in tab.status.text()
    window.open_case(second.ref, "parties")
    assert tab.role.currentIndex() == 0 and tab.role.currentData() != PartyRole.WITNESS.value
    assert tab.union_member.currentData() == UnionMembership.UNKNOWN.value


# -- 5. The search box searches everything as you type ------------------------------------------


def test_typing_finds_a_match_in_a_paper_trail(unlocked, qtbot):
    from tests.ui.helpers import add_member_and_case
    from vault.domain import EntryKind

    session = unlocked.session
    _m, case = add_member_and_case(session, title="Grievance")
    session.trail_log.log(case.ref, EntryKind.NOTE, "HR offered a settlement agreement")
    window = unlocked.main_window
    window.show_page("cases")
    qtbot.keyClicks(window.search_box, "settlement")
    page = window.pages["search"]
    assert window.current_page_key() == "search"
    assert page.model.rowCount() == 1  # found in the paper trail, not "No cases match"
    window.open_case(case.ref)
    assert window.search_box.text() == ""


# -- 10. Unlocking returns to where the rep was ---------------------------------------------------


def test_unlocking_returns_to_the_case_and_tab_the_rep_was_on(unlocked, qtbot):
    from tests.ui.conftest import STRONG_PASSPHRASE
    from tests.ui.helpers import add_member_and_case

    _m, case = add_member_and_case(unlocked.session)
    window = unlocked.main_window
    window.open_case(case.ref, "parties")
    with qtbot.waitSignal(unlocked.locked, timeout=5_000):
        unlocked.lock()
    unlock = unlocked.unlock_window
    unlock.passphrase.setText(STRONG_PASSPHRASE)
    with qtbot.waitSignal(unlocked.unlocked, timeout=20_000):
        unlock.unlock_button.click()
    assert window.case_page.current_ref == case.ref
    assert window.stack.currentWidget() is window.case_page
    assert window.case_page.tabs.currentWidget() is window.case_page.tab_by_key["parties"]


# -- 4. Text gets the room; elided only with a tooltip --------------------------------------------


def test_trail_summary_gets_the_room_and_headers_are_not_clipped(unlocked, qtbot):
    from tests.ui.helpers import add_member_and_case
    from vault.domain import EntryKind
    from vault.ui.models.member_table_model import MemberTableModel
    from vault.ui.models.trail_table_model import TrailTableModel

    session = unlocked.session
    _m, case = add_member_and_case(session)
    session.trail_log.log(case.ref, EntryKind.NOTE, "A long summary " * 12)
    window = unlocked.main_window
    window.resize(1280, 800)
    window.open_case(case.ref, "paper-trail")
    tab = window.case_page.tab_by_key["paper-trail"]
    table = tab.table
    summary = table.columnWidth(TrailTableModel.SUMMARY)
    status = table.columnWidth(TrailTableModel.STATUS)
    assert summary > status  # the empty Status column no longer takes the space
    index = tab.proxy.index(0, TrailTableModel.SUMMARY)
    assert index.data(Qt.ItemDataRole.ToolTipRole)  # elided text keeps a tooltip
    window.show_page("members")
    members = loaded_page(window, "members")
    header = members.table.horizontalHeader()
    needed = header.fontMetrics().horizontalAdvance("Open cases")
    assert members.table.columnWidth(MemberTableModel.OPEN_CASES) >= needed
    name_index = members.proxy.index(0, MemberTableModel.NAME)
    assert name_index.data(Qt.ItemDataRole.ToolTipRole)


def test_first_meeting_records_to_whom_the_narrative_was_submitted(unlocked, qtbot):
    import datetime as dt

    from tests.ui.helpers import add_member_and_case

    session = unlocked.session
    _m, case = add_member_and_case(session)
    session.first_meeting.record(case.ref, held_on=dt.date(2026, 11, 16))
    session.first_meeting.set_narrative(case.ref, "The member was moved to a new team.")
    window = unlocked.main_window
    window.open_case(case.ref, "first-meeting")
    tab = window.case_page.tab_by_key["first-meeting"]
    assert "Not recorded yet" in tab.submitted_state.text()
    tab.submitted_to.setText("HR")
    tab.submitted_on.set_day(dt.date(2026, 11, 18))
    assert tab.record_submission()
    assert tab.submitted_state.text() == "Submitted to HR on 18 Nov 2026."
