"""Export bundle… and Subject access export…: choices, progress, Cancel, the passphrase shown
once with a 10-second sensitive copy, and 7-Zip opening what the dialog wrote."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import add_member_and_case, loaded_page, make_pdf
from tests.unit.export import sevenzip
from vault.ui.dialogs.bundle_passphrase_dialog import CLEAR_AFTER_MS, BundlePassphraseDialog
from vault.ui.dialogs.export_bundle_dialog import ExportBundleDialog
from vault.ui.dialogs.subject_access_dialog import SubjectAccessDialog
from vault.ui.pages.members_page import MembersPage
from vault.ui.sensitive_clipboard import KDE_HINT


@pytest.fixture
def case_with_docs(unlocked, tmp_path: Path):  # type: ignore[no-untyped-def]
    session = unlocked.session
    member, case = add_member_and_case(session)
    for name in ("Invitation to hearing.pdf", "Witness statement.pdf"):
        session.documents.import_file(case.ref, make_pdf(tmp_path / name, heading=name))
    return member, case


def _open_export(unlocked, case, qtbot) -> ExportBundleDialog:  # type: ignore[no-untyped-def]
    unlocked.main_window.open_case(case.ref)
    page = unlocked.main_window.case_page
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    dialog = page.export_dialog
    assert isinstance(dialog, ExportBundleDialog)
    qtbot.waitExposed(dialog)
    return dialog


def _run(dialog, qtbot) -> BundlePassphraseDialog:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.passphrase_dialog is not None, timeout=5_000)
    assert dialog.passphrase_dialog is not None
    return dialog.passphrase_dialog


def test_export_from_the_case_page_opens_in_seven_zip(unlocked, case_with_docs, qtbot,
                                                      tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _member, case = case_with_docs
    dialog = _open_export(unlocked, case, qtbot)
    assert dialog.documents.count() == 2 and len(dialog.chosen_ids()) == 2
    assert dialog.summary_box.isChecked() and dialog.trail_box.isChecked()
    assert not dialog.off_record_box.isChecked()
    out = tmp_path / "bundle-2026-11-23.zip"
    unlocked.file_dialogs.set_next_save_path(out)
    qtbot.mouseClick(dialog.destination.choose, Qt.MouseButton.LeftButton)
    assert dialog.destination.path == out
    dialog.grab().save(str(tmp_path / "export-bundle-dialog.png"))
    shown = _run(dialog, qtbot)
    phrase = shown.phrase.text()
    assert len(phrase.split("-")) >= 8
    shown.grab().save(str(tmp_path / "export-passphrase-dialog.png"))
    assert sevenzip.test_ok(out, phrase)
    names = [m["Path"] for m in sevenzip.technical_listing(out, phrase)]
    assert names == ["01-document.pdf", "02-document.pdf", "03-case-summary.pdf",
                     "04-paper-trail.pdf", "index.pdf", "MANIFEST.sha256"]
    # Copy is sensitive and clears itself after 10 s.
    qtbot.mouseClick(shown.copy_button, Qt.MouseButton.LeftButton)
    clipboard = QApplication.clipboard()
    assert clipboard.text() == phrase
    assert clipboard.mimeData().hasFormat(KDE_HINT)
    # Qt coarse timers may run up to 5% long.
    assert 0 < unlocked.clipboard.remaining_ms() <= CLEAR_AFTER_MS * 1.06
    assert "clears in" in shown.countdown.text()
    unlocked.clipboard.clear_if_ours()
    assert clipboard.text() == ""
    qtbot.mouseClick(shown.done_button, Qt.MouseButton.LeftButton)
    assert shown.phrase.text() == ""
    entry = unlocked.session.trail.entries(case)[-1]
    assert entry.kind == "case-exported"


def test_off_record_warning_choices_and_refusals(unlocked, case_with_docs, qtbot,
                                                 tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from vault.domain import EntryKind

    _member, case = case_with_docs
    session = unlocked.session
    session.trail_log.record_off_record_consent(case.ref, told_at=dt.date(2026, 11, 20),
                                                how="in person")
    session.trail_log.log(case.ref, EntryKind.OFF_THE_RECORD, "Talk with HR", manager_told=True)
    dialog = _open_export(unlocked, case, qtbot)
    assert dialog.off_record_box.isEnabled() and dialog.off_record_warning.isHidden()
    dialog.off_record_box.setChecked(True)
    assert dialog.off_record_warning.isVisible()
    qtbot.mouseClick(dialog.none_button, Qt.MouseButton.LeftButton)
    dialog.summary_box.setChecked(False)
    dialog.trail_box.setChecked(False)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "Nothing is chosen" in dialog.error.text()
    dialog.summary_box.setChecked(True)
    dialog.passphrase.agreed.setChecked(True)
    dialog.passphrase.field.setText("password1")
    assert dialog.passphrase.hint.text()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible() and dialog.task is None
    dialog.passphrase.field.setText("violet lantern across frozen harbour")
    dialog.eml_box.setChecked(True)
    dialog.to_edit.setText("alex@northfield.ac.uk")
    assert dialog.to_warning.isVisible()
    dialog.sender_edit.setText("not an address")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "not an email address" in dialog.error.text()
    dialog.sender_edit.setText("rep@branch.example.org")
    out = tmp_path / "agreed.zip"
    dialog.destination.path_edit.setText(str(out))
    shown = _run(dialog, qtbot)
    assert not shown.copy_button.isEnabled()  # the rep already knows an agreed passphrase
    assert sevenzip.test_ok(out, "violet lantern across frozen harbour")
    assert out.with_suffix(".eml").exists()
    shown.accept()


def test_cancel_during_export_leaves_no_file(unlocked, case_with_docs, qtbot,
                                             tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _member, case = case_with_docs
    big = tmp_path / "big.pdf"
    big.write_bytes(b"%PDF-1.4\n" + os.urandom(48 << 20))
    unlocked.session.documents.import_file(case.ref, big)
    dialog = _open_export(unlocked, case, qtbot)
    out = tmp_path / "out" / "cancelled.zip"
    out.parent.mkdir()
    dialog.destination.path_edit.setText(str(out))
    # Cancel before the worker runs: the job stops at its first check.
    started = []
    unlocked.tasks.about_to_start.connect(lambda task: (started.append(task), task.cancel()))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert started and dialog.task is not None
    qtbot.waitUntil(lambda: dialog.task is None, timeout=60_000)
    assert "cancelled" in dialog.status.text().lower()
    assert list(out.parent.iterdir()) == []
    assert dialog.export_button.isEnabled()


def test_subject_access_from_the_members_page(unlocked, case_with_docs, qtbot,
                                              tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    member, _case = case_with_docs
    window = unlocked.main_window
    window.open_member(member.id)
    members_page = loaded_page(window, "members")
    assert isinstance(members_page, MembersPage)
    members_page.detail.sar_button.click()
    dialog = members_page.subject_access_dialog
    assert isinstance(dialog, SubjectAccessDialog)
    assert "Documents: 2" in dialog.contents.text()
    out = tmp_path / "sar.zip"
    dialog.destination.path_edit.setText(str(out))
    dialog.grab().save(str(tmp_path / "subject-access-dialog.png"))
    with qtbot.waitSignal(dialog.exported, timeout=60_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.passphrase_dialog is not None, timeout=5_000)
    phrase = dialog.passphrase_dialog.phrase.text()
    assert sevenzip.test_ok(out, phrase)
    dialog.passphrase_dialog.accept()
