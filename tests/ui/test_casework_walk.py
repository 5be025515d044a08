"""Issue 3's "done when", walked through the GUI: a dismissal case prompts for escalation, the
first meeting is recorded, oral advice owes a written follow-up that is drafted (text and PDF)
and discharged, the manager added as a party is also a member with a case of their own (the
conflict dialog records a decision into the trail), and search finds the case."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import loaded_home
from vault.casework.conflicts import ConflictDecision
from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.domain import Category, EntryKind
from vault.session import VaultManager
from vault.ui.case_tabs.first_meeting_tab import FirstMeetingTab
from vault.ui.case_tabs.overview_tab import OverviewTab
from vault.ui.case_tabs.paper_trail_tab import PaperTrailTab
from vault.ui.case_tabs.parties_tab import PartiesTab
from vault.ui.message_boxes import Answer
from vault.ui.pages.search_results_page import SearchResultsPage
from vault.ui.sensitive_clipboard import KDE_HINT


@pytest.fixture
def ui_manager(ui_dirs: Path, ui_clock: FixedClock):  # type: ignore[no-untyped-def]
    """An accredited rep: only dismissal and discrimination prompt for escalation."""
    manager = VaultManager(root=ui_dirs / "vault", clock=ui_clock,
                           kdf_params=Argon2Params(1, 8, 1), is_accredited=lambda: True)
    yield manager
    manager.lock_all()


def _home_texts(window, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    window.show_page("home")
    card = next(c for c in loaded_home(window).cards if c.section.key == key)
    return [b.text() for b in card.buttons]


def _tab_title(window, key: str) -> str:  # type: ignore[no-untyped-def]
    page = window.case_page
    return page.tabs.tabText(page.tabs.indexOf(page.tab_by_key[key]))


def test_the_casework_walk(unlocked, qtbot, tmp_path):
    window = unlocked.main_window
    session = unlocked.session

    # -- a member, then a dismissal case: the escalation prompt ------------------------------
    add = window.new_member()
    add.name.setText("Priya Canary-Patel")
    add.number.setText("UCU-5512")
    add.save_button.click()
    member_id = session.members.list()[0].member.id
    dialog = window.new_case(member_id)
    dialog.title.setText("Threatened with dismissal after restructure")
    dialog.set_category(Category.DISMISSAL)
    assert dialog.escalation.isVisibleTo(dialog)
    dialog.open_button.click()
    ref = session.cases.list()[0].case.ref
    assert window.case_page.current_ref == ref
    prompt = dialog.escalation_dialog
    assert prompt is not None and prompt.isVisible()
    assert "Dismissal is threatened" in prompt.reasons.text()
    qtbot.waitUntil(lambda: any(ref in t for t in _home_texts(window, "escalations")))
    prompt.to.setText("Sam Adeyemi, branch caseworker")
    prompt.regional.setChecked(True)
    prompt.record_button.click()
    assert not prompt.isVisible()
    assert not session.escalation.status(ref).outstanding
    assert _home_texts(window, "escalations") == []
    window.open_case(ref, "overview")
    overview = window.case_page.tab_by_key["overview"]
    assert isinstance(overview, OverviewTab)
    assert "Escalated to Sam Adeyemi" in overview.escalation_decision.text()
    assert "told your union's regional office or officer on 23 Nov 2026" in \
        overview.escalation_decision.text()
    assert not overview.escalation.isVisibleTo(overview)

    # -- the first meeting: an issue and an action point -----------------------------------
    window.open_case(ref, "first-meeting")
    meeting = window.case_page.tab_by_key["first-meeting"]
    assert isinstance(meeting, FirstMeetingTab)
    meeting.place.setText("Union office")
    meeting.save_meeting_button.click()
    assert meeting.meeting_status.text() == "Held on 23 Nov 2026 at Union office."
    meeting.issue_text.setText("No consultation before the restructure")
    meeting.add_issue_button.click()
    meeting.action_text.setText("Ask HR for the restructure proposal")
    meeting.add_action_button.click()
    assert meeting.issue_model.rowCount() == 1 and meeting.action_model.rowCount() == 1
    assert meeting.issue_model.index(0, 1).data() == "At first meeting"
    assert meeting.action_model.index(0, 2).data() == "30 Nov 2026"
    qtbot.waitUntil(lambda: any(ref in t and "30 Nov 2026" in t
                                for t in _home_texts(window, "action-points")))
    card = next(c for c in loaded_home(window).cards if c.section.key == "action-points")
    card.buttons[0].click()
    assert window.case_page.tabs.currentWidget() is meeting

    # -- oral advice: a written follow-up owed, with a badge --------------------------------
    window.open_case(ref, "paper-trail")
    trail = window.case_page.tab_by_key["paper-trail"]
    assert isinstance(trail, PaperTrailTab)
    trail.log_button.click()
    log_dialog = trail.log_dialog
    assert log_dialog is not None
    log_dialog.select_kind(EntryKind.ORAL_ADVICE)
    assert "owed by 25 Nov 2026" in log_dialog.due_hint.text()
    log_dialog.summary.setText("Advised not to sign the settlement agreement yet")
    log_dialog.detail.setPlainText("Wait until the regional office has read it.")
    log_dialog.channel.setCurrentText("meeting")
    log_dialog.log_button.click()
    assert not log_dialog.isVisible()
    assert "A written follow-up is owed by 25 Nov 2026." in trail.status.text()
    assert _tab_title(window, "paper-trail") == "Paper trail (1 owed)"
    [owed] = trail.owed()
    advice_row = trail.model.row_of(owed.advice_seq)
    assert trail.model.index(advice_row, 4).data() == "Written follow-up owed by 25 Nov 2026"
    qtbot.waitUntil(lambda: any("written follow-up due 25 Nov 2026" in t
                                for t in _home_texts(window, "follow-ups-owed")))

    # -- draft the follow-up: text (sensitive clipboard) and PDF (off the GUI thread) -------
    window.open_case(ref, "paper-trail")
    trail.select_entry(owed.advice_seq)
    trail.draft_button.click()
    draft = trail.draft_dialog
    assert draft is not None and draft.isVisible()
    qtbot.keyClicks(draft.rep_name, "Jordan Ellis")
    text = draft.text.toPlainText()
    assert "Dear Priya Canary-Patel," in text and "Jordan Ellis" in text
    assert "Advised not to sign the settlement agreement yet" in text
    draft.copy_button.click()
    clipboard = QApplication.clipboard()
    assert clipboard.text() == text
    assert clipboard.mimeData().hasFormat(KDE_HINT)
    out = tmp_path / "follow-up.pdf"
    unlocked.message_boxes.set_next_answer(Answer.ACCEPT)
    unlocked.file_dialogs.set_next_save_path(out)
    with qtbot.waitSignal(draft.pdf_saved, timeout=20_000):
        draft.pdf_button.click()
    assert unlocked.message_boxes.last_confirm.default_is_cancel
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(str(out)).pages)
    assert "Advised not to sign the settlement agreement yet" in pdf_text
    assert "Jordan Ellis" in pdf_text and ref in pdf_text
    draft.reject()
    qtbot.waitUntil(lambda: any(r.entry.kind == "follow-up-drafted" for r in trail.model.rows))

    # -- an email sent, linked to the advice: discharged ------------------------------------
    trail.select_entry(owed.advice_seq)
    trail.discharge_button.click()
    email = trail.log_dialog
    assert email is not None and email.selected_kind() is EntryKind.EMAIL_SENT
    assert email.follows_up.currentData() == owed.advice_seq
    email.summary.setText("Sent the written advice about the settlement agreement")
    email.log_button.click()
    assert f"The written follow-up of oral advice #{owed.advice_seq} is done." \
        in trail.status.text()
    assert trail.owed() == []
    assert _tab_title(window, "paper-trail") == "Paper trail"
    advice_row = trail.model.row_of(owed.advice_seq)
    assert trail.model.index(advice_row, 4).data().startswith("Followed up in writing (#")
    assert _home_texts(window, "follow-ups-owed") == []

    # -- the manager is a member with a case of their own: the conflict dialog ---------------
    manager = session.members.add("Dana Whitlock", membership_number="UCU-7781")
    other = session.cases.open(manager.id, "Flexible working request",
                               Category.FLEXIBLE_WORKING)
    window.open_case(ref, "parties")
    parties = window.case_page.tab_by_key["parties"]
    assert isinstance(parties, PartiesTab)
    parties.name.setText("Dana Whitlock")
    parties.role.setCurrentIndex(parties.role.findData("manager"))
    parties.add_button.click()
    conflict = parties.conflict_dialog
    assert conflict is not None and conflict.isVisible()
    [card] = conflict.cards
    assert card.finding.match.ref == other.ref
    texts = [label.text() for label in card.labels]
    assert texts[0] == f"Dana Whitlock, the member in case {other.ref}"
    assert "same name" in texts[1]
    assert _tab_title(window, "parties") == "Parties (1 to decide)"
    card.choose(ConflictDecision.PROCEED, "Different department; no line management")
    conflict.record_button.click()
    assert not conflict.isVisible()
    assert _tab_title(window, "parties") == "Parties"
    assert parties.finding_model.index(0, 4).data().startswith("Proceed")
    window.open_case(ref, "paper-trail")
    decided = [r for r in trail.model.rows if r.entry.kind == "conflict-decision"]
    assert len(decided) == 1 and "proceed" in decided[0].entry.summary.casefold()

    # -- search finds the case, and opens it where the words are ----------------------------
    window.show_page("home")
    assert window.search_action.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    window.search_action.trigger()  # Ctrl+F
    qtbot.keyClicks(window.search_box, "settlement")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    page = window.pages["search"]
    assert isinstance(page, SearchResultsPage)
    assert window.current_page_key() == "search"
    top = page.model.item(0)
    assert top is not None and top.text().startswith(f"{ref} · Threatened with dismissal")
    trail_hit = next(top.child(i) for i in range(top.rowCount())
                     if top.child(i).text().startswith("Paper trail"))
    page.open_result(trail_hit.index())
    assert window.case_page.current_ref == ref
    assert window.case_page.tabs.currentWidget() is trail
    assert trail.selected_row() is not None
    assert "settlement" in trail.selected_row().entry.summary
