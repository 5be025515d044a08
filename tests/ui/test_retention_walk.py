"""Issue 9's "done when", through the GUI: close a case from its Overview (blocked until the
original is returned), see it due on Home and the Retention page, put it on hold and release
it, destroy it through the typed-reference confirmation (Cancel the default) with progress in
the page, save its certificate, and produce the branch audit."""

from __future__ import annotations

import json
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt

from tests.ui.helpers import loaded_home
from vault.domain import Category
from vault.retention.policy import RetentionStatus
from vault.ui.case_tabs.overview_tab import OverviewTab
from vault.ui.dialogs.confirm_destroy_dialog import ConfirmDestroyDialog
from vault.ui.pages.retention_page import RetentionPage


def _home_texts(window, key: str) -> list[str]:  # type: ignore[no-untyped-def]
    window.show_page("home")
    card = next(c for c in loaded_home(window).cards if c.section.key == key)
    return [b.text() for b in card.buttons]


def _seed(session, tmp_path: Path) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    member = session.members.add("Nadia Walkthrough", email="nadia@example.org")
    case = session.cases.open(member.id, "Walkthrough grievance", Category.GRIEVANCE)
    src = tmp_path / "original-letter.txt"
    src.write_text("the member's original letter")
    doc = session.documents.import_file(case.ref, src, is_original=True)
    session.escalation.record_not_escalating(case.ref, "Handled locally")
    return case.ref, doc.id


def test_the_retention_walk(unlocked, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    session = unlocked.session
    ref, doc_id = _seed(session, tmp_path)

    # -- close from the Overview: blocked until the original is returned -------------------
    window.open_case(ref, "overview")
    overview = window.case_page.tab_by_key["overview"]
    assert isinstance(overview, OverviewTab)
    assert overview.close_button.isVisibleTo(overview)
    dialog = overview.open_close_dialog()
    assert dialog is not None
    dialog.outcome.setPlainText("Grievance upheld; rota changed.")
    dialog.shredded.setChecked(True)
    texts = [dialog.checklist.item(i).text() for i in range(dialog.checklist.count())]
    assert any("original-letter.txt" in t for t in texts), texts
    assert not dialog.close_button.isEnabled()
    session.documents.mark_returned(ref, doc_id)
    dialog.refresh_checklist()
    assert dialog.outstanding_count == 0 and dialog.close_button.isEnabled()
    dialog.per_case.setChecked(True)
    dialog.days.setValue(0)
    dialog.reason.setText("The member asked for early destruction")
    assert "23 Nov 2026" in dialog.rule_hint.text()
    dialog.close_button.click()
    assert not dialog.isVisible()
    assert "Closed on 23 Nov 2026" in overview.closing_text.text()
    assert not overview.close_button.isVisibleTo(overview)

    # -- due on Home (a count, never a name) and on the Retention page ---------------------
    qtbot.waitUntil(lambda: "1 case due for destruction" in _home_texts(window, "retention"))
    assert not any("Nadia" in t or ref in t for t in _home_texts(window, "retention"))
    card = next(c for c in loaded_home(window).cards if c.section.key == "retention")
    card.buttons[0].click()
    page = window.pages["retention"]
    assert isinstance(page, RetentionPage)
    assert window.stack.currentWidget() is page
    page.refresh()
    assert page.model.rowCount() == 1
    assert page.model.index(0, page.model.STATUS).data() == "Due for destruction"
    page.select_ref(ref)
    assert page.destroy_button.isEnabled() and page.hold_button.isEnabled()

    # -- hold blocks, release unblocks ------------------------------------------------------
    session.retention.hold(ref, reason="Subject access request pending")
    page.refresh()
    page.select_ref(ref)
    assert page.model.rows[0].status is RetentionStatus.HELD
    assert not page.destroy_button.isEnabled() and page.release_button.isEnabled()
    page.show_status(RetentionStatus.DUE)
    assert page.proxy.rowCount() == 0
    page.show_status(None)
    session.retention.release(ref)
    page.refresh()
    page.select_ref(ref)
    assert page.destroy_button.isEnabled()

    # -- the confirmation: Cancel is the default, the reference must be typed --------------
    row = page.selected()
    assert row is not None
    confirm = page.confirm_destroy_dialog(row)
    assert isinstance(confirm, ConfirmDestroyDialog)
    confirm.show()
    qtbot.waitExposed(confirm)
    assert confirm.cancel_button.isDefault()
    assert not confirm.destroy_button.isEnabled()
    qtbot.keyClicks(confirm.typed, ref.lower())
    assert not confirm.destroy_button.isEnabled()  # exact reference only
    confirm.typed.clear()
    qtbot.keyClicks(confirm.typed, ref)
    assert confirm.destroy_button.isEnabled()
    qtbot.keyClick(confirm.typed, Qt.Key.Key_Return)  # Enter presses Cancel
    assert confirm.result() == ConfirmDestroyDialog.DialogCode.Rejected
    assert session.retention.row(ref).status is RetentionStatus.DUE  # nothing happened

    # -- destroy, with its steps shown in the page -----------------------------------------
    steps: list[object] = []
    task = page.start_destroy(ref)
    task.signals.progress.connect(steps.append)
    assert page.progress.isVisibleTo(page)
    assert not page.destroy_button.isEnabled()
    with qtbot.waitSignal(task.signals.done, timeout=60_000):
        pass
    assert not page.progress.isVisibleTo(page)
    assert page.model.rows[0].status is RetentionStatus.DESTROYED
    assert page.certificate_button.isEnabled()
    assert session.members.list() == []

    # -- the certificate and the branch audit ----------------------------------------------
    cert = tmp_path / "certificate.pdf"
    unlocked.file_dialogs.set_next_save_path(cert)
    page.save_certificate()
    text = "".join(p.extract_text() for p in PdfReader(cert).pages)
    assert ref in text and "Nadia" not in text and "Walkthrough" not in text
    audit = page.branch_audit()
    audit.form.setCurrentIndex(audit.form.findData("json"))
    out = tmp_path / "audit.json"
    unlocked.file_dialogs.set_next_save_path(out)
    audit.submit()
    assert audit.saved_to == out
    assert json.loads(out.read_text())["report"]["counts"]["destroyed"] == 1
    assert session.retention.check_audit(out.read_bytes()).form == "json"
    assert _home_texts(window, "retention") == []
