"""Parties and conflicts (adding a party or a member runs the check; decisions now or later,
refusals shown per finding) and the Search page (grouped by case, keyboard, opens the right
tab)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.ui.helpers import add_member_and_case, loaded_page
from vault.casework.conflicts import ConflictDecision
from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.domain import Category, EntryKind
from vault.session import VaultManager
from vault.ui.case_tabs.parties_tab import PartiesTab
from vault.ui.models.party_table_model import ConflictFindingTableModel, PartyTableModel
from vault.ui.pages.search_results_page import SearchResultsPage


@pytest.fixture
def ui_manager(ui_dirs: Path, ui_clock: FixedClock):  # type: ignore[no-untyped-def]
    manager = VaultManager(root=ui_dirs / "vault", clock=ui_clock,
                           kdf_params=Argon2Params(1, 8, 1), is_accredited=lambda: True)
    yield manager
    manager.lock_all()


def _parties(unlocked, ref: str) -> PartiesTab:  # type: ignore[no-untyped-def]
    unlocked.main_window.open_case(ref, "parties")
    tab = unlocked.main_window.case_page.tab_by_key["parties"]
    assert isinstance(tab, PartiesTab)
    return tab


def _badge(unlocked) -> str:  # type: ignore[no-untyped-def]
    page = unlocked.main_window.case_page
    return page.tabs.tabText(page.tabs.indexOf(page.tab_by_key["parties"]))


def test_adding_a_party_lists_it_and_a_clean_check_says_so(unlocked):
    _m, case = add_member_and_case(unlocked.session)
    tab = _parties(unlocked, case.ref)
    tab.name.setText("Morgan Witness")
    tab.role.setCurrentIndex(tab.role.findData("subject"))
    tab.union_member.setCurrentIndex(tab.union_member.findData("no"))
    assert tab.add_party() is None
    assert tab.model.index(0, PartyTableModel.NAME).data() == "Morgan Witness"
    assert tab.model.index(0, PartyTableModel.ROLE).data() == "Subject of the complaint"
    assert tab.model.index(0, PartyTableModel.UNION).data() == "No"
    assert tab.status.text().endswith("The conflict check found no possible conflicts.")
    assert tab.conflicts_status.text() == "No possible conflicts found for this case."
    tab.name.setText("   ")
    tab.add_button.click()
    assert tab.error.isVisibleTo(tab) and tab.error.text()


def test_decide_later_leaves_a_badge_and_the_decision_can_be_made_from_the_tab(unlocked):
    session = unlocked.session
    _m, case = add_member_and_case(session)
    witness = session.members.add("Robert Fairweather")
    other = session.cases.open(witness.id, "Capability review", Category.CAPABILITY)
    tab = _parties(unlocked, case.ref)
    tab.name.setText("Bob Fairweather")
    tab.role.setCurrentIndex(tab.role.findData("witness"))
    dialog = tab.add_party()
    assert dialog is not None
    [card] = dialog.cards
    # Plain words, never a score (issue 17.6).
    assert card.labels[1].text() == "How alike: same name, short form."
    assert "score" not in card.labels[1].text()
    dialog.record_button.click()  # every card still on "Decide later"
    assert dialog.isVisible() and "Choose a decision" in dialog.error.text()
    dialog.reject()
    assert _badge(unlocked) == "Parties (1 to decide)"
    assert tab.finding_model.index(0, ConflictFindingTableModel.OTHER_CASE).data() == other.ref
    assert tab.finding_model.index(0, ConflictFindingTableModel.DECISION).data() == \
        "Decision needed"
    # The other case shows the same finding, from its side.
    other_tab = _parties(unlocked, other.ref)
    assert other_tab.finding_model.index(0, ConflictFindingTableModel.OTHER_CASE).data() == \
        case.ref
    assert _badge(unlocked) == "Parties (1 to decide)"

    tab = _parties(unlocked, case.ref)
    tab.finding_table.selectRow(0)
    tab.decide_button.click()
    again = tab.conflict_dialog
    assert again is not None
    card = again.cards[0]
    card.choose(ConflictDecision.PROCEED)
    again.record_button.click()
    assert again.isVisible()
    assert card.error.text().startswith("The reason")  # proceeding needs a reason
    card.choose(ConflictDecision.STEP_ASIDE)
    assert card.handover.isVisibleTo(card)
    again.record_button.click()
    assert again.isVisible()  # stepping aside needs the hand-over (issue 16)
    assert "handed over to" in card.error.text()
    card.choose(ConflictDecision.STEP_ASIDE, handover_to="Kim, branch secretary")
    again.record_button.click()
    assert not again.isVisible()
    assert _badge(unlocked) == "Parties"
    assert tab.finding_model.index(0, ConflictFindingTableModel.DECISION).data() \
        .startswith("Step aside")
    assert not tab.decide_button.isEnabled()


def test_adding_a_member_runs_the_conflict_check(unlocked):
    session = unlocked.session
    _m, case = add_member_and_case(session)
    session.parties.add(case.ref, "Jon Smithers", "complainant")
    window = unlocked.main_window
    dialog = window.new_member()
    dialog.name.setText("John Smithers")
    dialog.save_button.click()
    conflict = dialog.conflict_dialog
    assert conflict is not None and conflict.isVisible()
    [card] = conflict.cards
    assert card.labels[0].text() == f"Jon Smithers, the complainant in case {case.ref}"
    card.choose(ConflictDecision.REFER)
    conflict.record_button.click()
    assert not conflict.isVisible()
    [finding] = session.conflicts.findings(case.ref)
    assert finding.decision is ConflictDecision.REFER and finding.case_ref is None


def test_search_groups_results_by_case_and_opens_the_right_tab(unlocked, qtbot):
    session = unlocked.session
    _m, case = add_member_and_case(session, title="Grievance about the rota")
    session.parties.add(case.ref, "Quentin Rota-Manager", "manager")
    session.first_meeting.add_issue(case.ref, "Rota published too late")
    note = session.trail_log.log(case.ref, EntryKind.NOTE, "Asked HR for the rota history")
    window = unlocked.main_window
    window.search_box.setText("rota")
    window.search_everything("rota")
    page = window.pages["search"]
    assert isinstance(page, SearchResultsPage)
    assert page.model.rowCount() == 1
    group = page.model.item(0)
    assert group.text().startswith(f"{case.ref} · Grievance about the rota")
    hits = [group.child(i).text() for i in range(group.rowCount())]
    assert any(h.startswith("Party · manager: Quentin") for h in hits)
    assert any(h.startswith("Issue: ") for h in hits)
    assert any(h.startswith(f"Paper trail · Note #{note.seq}") for h in hits)
    assert "matches in 1 case." in page.message.text()

    # Keyboard: the results take focus; Down then Enter opens the first hit.
    party_row = next(i for i, h in enumerate(hits) if h.startswith("Party"))
    page.tree.setCurrentIndex(group.child(party_row).index())
    qtbot.keyClick(page.tree, Qt.Key.Key_Return)
    assert window.case_page.current_ref == case.ref
    assert window.case_page.tabs.currentWidget() is window.case_page.tab_by_key["parties"]

    issue_row = next(i for i, h in enumerate(hits) if h.startswith("Issue"))
    window.show_page("search")  # searches again: the tree is rebuilt
    page.open_result(page.model.item(0).child(issue_row).index())
    assert window.case_page.tabs.currentWidget() is \
        window.case_page.tab_by_key["first-meeting"]


def test_search_says_plainly_when_nothing_can_be_searched(unlocked):
    window = unlocked.main_window
    window.search_everything("!!!")
    page = window.pages["search"]
    assert page.message.text() == "Type at least one word to search for."
    assert page.model.rowCount() == 0
    window.search_everything("nobodyknowsthisword")
    assert page.message.text().startswith("Nothing matches.")
    # Typing while the Search page is shown searches again, live.
    add_member_and_case(unlocked.session, name="Wilhelmina Example")
    window.show_page("search")
    window.search_box.setText("")
    window._search("Wilhelmina")
    assert window.current_page_key() == "search" and page.model.rowCount() == 1


def test_a_member_without_a_case_opens_the_member(unlocked):
    member = unlocked.session.members.add("Yusuf Nocase")
    window = unlocked.main_window
    window.search_everything("Yusuf")
    page = window.pages["search"]
    group = page.model.item(0)
    assert group.text() == "Yusuf Nocase (member with no case yet)"
    page.open_result(group.index())
    assert window.current_page_key() == "members"
    assert loaded_page(window, "members").selected().member.id == member.id


def test_opening_a_case_prompts_escalation_then_shows_the_members_conflicts(unlocked):
    session = unlocked.session
    _m, first = add_member_and_case(session)
    session.parties.add(first.ref, "Harriet Quill", "subject")
    harriet = session.members.add("Harriet Quill")
    window = unlocked.main_window
    dialog = window.new_case(harriet.id)
    dialog.title.setText("Threatened with dismissal")
    dialog.set_category(Category.DISMISSAL)
    dialog.open_button.click()
    prompt = dialog.escalation_dialog
    assert prompt is not None and prompt.isVisible()
    assert dialog.conflict_dialog is None  # one question at a time
    prompt.later_button.click()
    conflict = dialog.conflict_dialog
    assert conflict is not None and conflict.isVisible()
    assert conflict.cards[0].labels[0].text() == \
        f"Harriet Quill, the subject of the complaint in case {first.ref}"
    conflict.reject()


def test_every_casework_control_has_an_accessible_name(unlocked):
    from tests.ui.test_accessibility_and_app import _unnamed

    session = unlocked.session
    _m, case = add_member_and_case(session, category=Category.DISMISSAL)
    advice = session.trail_log.log(case.ref, EntryKind.ORAL_ADVICE, "Advice")
    other = session.members.add("Sam Otherside")
    session.cases.open(other.id, "Another case", Category.GRIEVANCE)
    session.parties.add(case.ref, "Sam Otherside", "witness")
    window = unlocked.main_window
    window.open_case(case.ref, "paper-trail")
    page = window.case_page
    trail = page.tab_by_key["paper-trail"]
    trail.select_entry(advice.seq)
    dialogs = [trail.open_log_dialog(), trail.open_draft_dialog()]
    dialogs.append(dialogs[0].record_consent())
    dialogs.append(page.tab_by_key["overview"].open_escalation_dialog())
    parties = page.tab_by_key["parties"]
    dialogs.append(parties.decide_pending())
    for dialog in dialogs:
        assert dialog is not None and _unnamed(dialog) == [], dialog.windowTitle()
    window.show_page("search")
    assert _unnamed(window) == []
