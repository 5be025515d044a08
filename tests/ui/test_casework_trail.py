"""The Paper trail tab: the off-the-record gate, corrections shown as a pair, verifying the
chain, overdue follow-ups, filtering by kind, consent to share in the trail, and lock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import add_member_and_case, loaded_home, visible_texts
from vault.casework.trail_log import OFF_RECORD_NEEDS_CONSENT, OFF_RECORD_NEEDS_MANAGER
from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.domain import EntryKind
from vault.session import VaultManager
from vault.ui.case_tabs.paper_trail_tab import PaperTrailTab
from vault.ui.dialogs.follow_up_draft_dialog import SAVE_PDF_TITLE
from vault.ui.message_boxes import Answer
from vault.ui.models.trail_table_model import OVERDUE_BACKGROUND, TrailTableModel

MEMBER = "Zebedee Canary-Trail"
ADVICE = "Canary advice about the grievance deadline"


@pytest.fixture
def ui_manager(ui_dirs: Path, ui_clock: FixedClock):  # type: ignore[no-untyped-def]
    manager = VaultManager(root=ui_dirs / "vault", clock=ui_clock,
                           kdf_params=Argon2Params(1, 8, 1), is_accredited=lambda: True)
    yield manager
    manager.lock_all()


@pytest.fixture
def trail_tab(unlocked) -> PaperTrailTab:  # type: ignore[no-untyped-def]
    _member, case = add_member_and_case(unlocked.session, name=MEMBER)
    unlocked.main_window.open_case(case.ref, "paper-trail")
    tab = unlocked.main_window.case_page.tab_by_key["paper-trail"]
    assert isinstance(tab, PaperTrailTab)
    return tab


def _statuses(tab: PaperTrailTab) -> list[str]:
    return [tab.model.index(r, TrailTableModel.STATUS).data()
            for r in range(tab.model.rowCount())]


def test_off_the_record_is_refused_until_the_members_agreement_is_recorded(trail_tab, unlocked):
    trail_tab.log_button.click()
    dialog = trail_tab.log_dialog
    dialog.select_kind(EntryKind.OFF_THE_RECORD)
    assert dialog.off_record.isVisibleTo(dialog)
    assert "not on record yet" in dialog.consent_status.text()
    dialog.summary.setText("Manager asked for an off-the-record chat")
    dialog.log_button.click()
    assert dialog.error.text() == OFF_RECORD_NEEDS_MANAGER  # the service's own words
    dialog.manager_told.setChecked(True)
    dialog.log_button.click()
    assert dialog.isVisible() and dialog.error.text() == OFF_RECORD_NEEDS_CONSENT
    assert not any(r.entry.kind == "off-the-record" for r in trail_tab.model.rows)

    consent = dialog.record_consent()
    assert consent is not None and not consent.record_button.isEnabled()
    consent.told_at.set_moment(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC))
    consent.how.setText("In person before the meeting")
    consent.agreed.setChecked(True)
    consent.record_button.click()
    assert not consent.isVisible()
    assert "In person before the meeting" in dialog.consent_status.text()
    dialog.log_button.click()
    assert not dialog.isVisible()
    [row] = [r for r in trail_tab.model.rows if r.entry.kind == "off-the-record"]
    assert "Off the record" in trail_tab.model.index(
        trail_tab.model.row_of(row.seq), TrailTableModel.STATUS).data()
    assert any(r.entry.kind == "off-record-consent" for r in trail_tab.model.rows)


def test_a_correction_is_a_new_entry_shown_under_the_one_it_corrects(trail_tab, unlocked):
    ref = trail_tab.case.ref
    first = unlocked.session.trail_log.log(ref, EntryKind.PHONE_CALL, "Called HR on Monday")
    unlocked.session.trail_log.log(ref, EntryKind.NOTE, "A later note")
    trail_tab.load(trail_tab.case)
    trail_tab.select_entry(first.seq)
    assert trail_tab.correct_button.isEnabled()
    trail_tab.correct_button.click()
    dialog = trail_tab.log_dialog
    assert dialog.windowTitle() == f"Correct entry #{first.seq}"
    assert not dialog.kind.isEnabled() and dialog.summary.text() == "Called HR on Monday"
    dialog.summary.setText("Called HR on Tuesday")
    dialog.log_button.click()
    model = trail_tab.model
    original = model.row_of(first.seq)
    correction = model.row_at(original + 1)
    assert correction is not None and correction.entry.corrects == first.seq
    assert model.index(original, TrailTableModel.STATUS).data() == \
        f"Corrected by #{correction.seq}"
    assert model.index(original + 1, TrailTableModel.STATUS).data() == \
        f"Correction of #{first.seq}"
    assert model.index(original + 1, TrailTableModel.SUMMARY).data() == "↳ Called HR on Tuesday"
    assert model.index(original, TrailTableModel.SUMMARY).data(Qt.ItemDataRole.FontRole) \
        .strikeOut()
    assert model.index(original, TrailTableModel.SUMMARY).data() == "Called HR on Monday"
    # The old entry is kept as it was and can no longer be corrected: correct the correction.
    trail_tab.select_entry(first.seq)
    assert not trail_tab.correct_button.isEnabled()
    trail_tab.select_entry(correction.seq)
    assert trail_tab.correct_button.isEnabled()


def test_verify_trail_shows_the_head_to_note_down(trail_tab, unlocked, qtbot):
    unlocked.session.trail_log.log(trail_tab.case.ref, EntryKind.NOTE, "Something to chain")
    seq, mac = unlocked.session.trail.head()
    trail_tab.verify_button.click()
    assert not trail_tab.verify_button.isEnabled()
    qtbot.waitUntil(lambda: trail_tab.last_report is not None, timeout=20_000)
    text = trail_tab.verify_result.text()
    assert text.startswith("✓ The paper trail is intact")
    assert f"Head: #{seq} · {mac[:12]}" in text
    assert trail_tab.copy_head_button.isVisible()
    trail_tab.copy_head_button.click()
    assert QApplication.clipboard().text() == f"#{seq} · {mac[:12]}"
    assert unlocked.clipboard.holds_ours


def test_overdue_follow_up_is_highlighted_in_the_tab_and_urgent_on_home(trail_tab, unlocked,
                                                                        qtbot):
    trail_tab.log_button.click()
    dialog = trail_tab.log_dialog
    dialog.select_kind(EntryKind.ORAL_ADVICE)
    dialog.when.set_moment(dt.datetime(2026, 11, 12, 15, 0, tzinfo=dt.UTC))
    assert "owed by 16 Nov 2026" in dialog.due_hint.text()
    dialog.summary.setText(ADVICE)
    dialog.log_button.click()
    [owed] = trail_tab.owed()
    assert owed.overdue
    row = trail_tab.model.row_of(owed.advice_seq)
    index = trail_tab.model.index(row, TrailTableModel.STATUS)
    assert index.data().startswith("Written follow-up OVERDUE by 7 days")
    assert index.data(Qt.ItemDataRole.BackgroundRole) == OVERDUE_BACKGROUND
    assert "OVERDUE" in trail_tab.owed_banner.text()
    window = unlocked.main_window
    window.show_page("home")
    card = next(c for c in loaded_home(window).cards if c.section.key == "follow-ups-owed")
    assert card.buttons[0].text().startswith("⚠ ")
    assert "overdue by 7 days" in card.buttons[0].text()
    card.buttons[0].click()
    assert window.case_page.tabs.currentWidget() is trail_tab


def test_filter_by_kind_and_consent_to_share_shows_in_the_trail(trail_tab, unlocked, qtbot):
    ref = trail_tab.case.ref
    window = unlocked.main_window
    window.open_case(ref, "overview")
    window.case_page.tab_by_key["overview"].consent.setChecked(True)
    qtbot.waitUntil(lambda: any(r.entry.kind == "consent-to-share"
                                for r in trail_tab.model.rows))
    unlocked.session.trail_log.log(ref, EntryKind.LETTER, "Letter to HR")
    trail_tab.load(trail_tab.case)
    total = trail_tab.proxy.rowCount()
    trail_tab.kind_filter.setCurrentIndex(trail_tab.kind_filter.findData("letter"))
    assert trail_tab.proxy.rowCount() == 1
    trail_tab.kind_filter.setCurrentIndex(trail_tab.kind_filter.findData("system"))
    kinds = {trail_tab.proxy.index(r, TrailTableModel.KIND).data()
             for r in range(trail_tab.proxy.rowCount())}
    assert "Consent to share" in kinds and "Letter" not in kinds
    trail_tab.kind_filter.setCurrentIndex(0)
    assert trail_tab.proxy.rowCount() == total


def test_saving_the_pdf_defaults_to_cancel_and_writes_nothing(trail_tab, unlocked, tmp_path):
    done = unlocked.session.trail_log.log(trail_tab.case.ref, EntryKind.ORAL_ADVICE, ADVICE)
    trail_tab.load(trail_tab.case)
    trail_tab.select_entry(done.seq)
    dialog = trail_tab.open_draft_dialog()
    assert dialog is not None
    unlocked.message_boxes.set_next_answer(Answer.DEFAULT)  # the rep just presses Enter
    assert dialog.save_pdf() is None
    record = unlocked.message_boxes.last_confirm
    assert record.title == SAVE_PDF_TITLE and record.default_is_cancel and not record.answered
    assert dialog.status.text() == "No PDF was saved."
    assert list(tmp_path.rglob("*.pdf")) == []


def test_a_refused_entry_keeps_the_dialog_open_with_the_reason(trail_tab):
    trail_tab.log_button.click()
    dialog = trail_tab.log_dialog
    dialog.when.set_moment(dt.datetime(2026, 12, 25, 9, 0, tzinfo=dt.UTC))
    dialog.summary.setText("From the future")
    dialog.log_button.click()
    assert dialog.isVisible()
    assert dialog.error.text() == "The time it happened cannot be in the future."
    dialog.summary.clear()
    dialog.when.set_moment(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC))
    dialog.log_button.click()
    assert dialog.error.text().startswith("The summary")


def test_lock_empties_the_casework_tabs_and_closes_their_dialogs(trail_tab, unlocked, qtbot):
    session = unlocked.session
    ref = trail_tab.case.ref
    advice = session.trail_log.log(ref, EntryKind.ORAL_ADVICE, ADVICE)
    session.first_meeting.add_issue(ref, "Canary issue text")
    session.parties.add(ref, "Canary Party-Person", "witness")
    window = unlocked.main_window
    tabs = {key: window.case_page.tab_by_key[key]
            for key in ("first-meeting", "paper-trail", "parties")}
    window.open_case(ref, "paper-trail")
    trail_tab.select_entry(advice.seq)
    draft = trail_tab.open_draft_dialog()
    assert draft is not None and MEMBER in draft.text.toPlainText()
    trail_tab.open_log_dialog().summary.setText("Canary typed summary")
    models = [tabs["first-meeting"].issue_model, tabs["paper-trail"].model,
              tabs["parties"].model]
    assert all(m.rowCount() > 0 for m in models)
    unlocked.lock()
    assert all(m.rowCount() == 0 for m in models)
    assert tabs["paper-trail"].detail.toPlainText() == ""
    assert draft.text.toPlainText() == ""
    for widget in QApplication.topLevelWidgets():
        for text in visible_texts(widget):
            for secret in (MEMBER, ADVICE, "Canary issue text", "Canary Party-Person",
                           "Canary typed summary"):
                assert secret not in text


def test_verify_trail_shows_the_first_broken_link(trail_tab, unlocked, qtbot):
    # Someone with the database key, editing underneath the app (the triggers dropped first).
    with unlocked.session.vault.db.transaction() as conn:
        conn.execute("DROP TRIGGER trail_no_update")
        conn.execute("UPDATE trail SET kind = 'note' WHERE seq = 2")
    trail_tab.verify_button.click()
    qtbot.waitUntil(lambda: trail_tab.last_report is not None, timeout=20_000)
    assert not trail_tab.last_report.ok
    assert trail_tab.verify_result.text().startswith(
        "✗ The paper trail is broken at entry #2: entry #2 was changed after it was written.")
    assert not trail_tab.copy_head_button.isVisible()
