"""Documents: import through the file-dialog seam and by drop, cancel, view from memory,
copy the SHA-256, and the save-a-copy warning that defaults to Cancel."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QObject, QPoint, QPointF, Qt, QUrl, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import add_member_and_case, make_pdf, make_png, make_text
from vault.ui.case_tabs.document_viewer import ViewKind
from vault.ui.case_tabs.documents_tab import SAVE_COPY_TITLE, DocumentsTab
from vault.ui.message_boxes import Answer
from vault.ui.models.document_table_model import DocumentTableModel
from vault.ui.sensitive_clipboard import KDE_HINT, WINDOWS_HINT


@pytest.fixture
def docs_tab(unlocked, qtbot) -> DocumentsTab:  # type: ignore[no-untyped-def]
    _member, case = add_member_and_case(unlocked.session)
    unlocked.main_window.open_case(case.ref, "documents")
    tab = unlocked.main_window.case_page.tab_by_key["documents"]
    assert isinstance(tab, DocumentsTab)
    assert unlocked.main_window.case_page.tabs.currentWidget() is tab
    return tab


def _import_via_dialog(unlocked, tab: DocumentsTab, qtbot, paths: list[Path]) -> None:  # type: ignore[no-untyped-def]
    unlocked.file_dialogs.set_next_open_paths(paths)
    with qtbot.waitSignal(tab.imported, timeout=20_000):
        qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)


def _encrypted_files(root: Path) -> list[Path]:
    return [p for p in (root / "documents").rglob("*") if p.is_file()]


def test_import_through_the_file_dialog_lists_the_document(unlocked, docs_tab, qtbot, tmp_path):
    pdf = make_pdf(tmp_path / "invite.pdf")
    docs_tab.original_box.setChecked(True)
    _import_via_dialog(unlocked, docs_tab, qtbot, [pdf])
    model = docs_tab.model
    assert model.rowCount() == 1
    doc = model.row_at(0)
    assert doc is not None
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    assert row[DocumentTableModel.NAME] == "invite.pdf"
    assert row[DocumentTableModel.TYPE] == "PDF"
    assert row[DocumentTableModel.SIZE].endswith(("bytes", "KB"))
    assert row[DocumentTableModel.ADDED] == "23 Nov 2026"
    assert doc.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    assert row[DocumentTableModel.SHA256].startswith(doc.sha256[:12])
    assert row[DocumentTableModel.ORIGINAL] == "Original, to return"
    # Encrypted on disk, named by id only.
    [stored] = _encrypted_files(unlocked.manager.root)
    assert "invite" not in str(stored) and stored.read_bytes()[:4] == b"CVLT"


def test_import_several_files_by_drop(unlocked, docs_tab, qtbot, tmp_path):
    files = [make_text(tmp_path / "notes.txt"), make_png(tmp_path / "photo.png")]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in files])
    enter = QDragEnterEvent(QPoint(20, 20), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(docs_tab, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(docs_tab.imported, timeout=20_000) as blocker:
        QApplication.sendEvent(docs_tab, drop)
    assert len(blocker.args[0]) == 2
    names = sorted(d.name for d in unlocked.session.documents.list(docs_tab.case.ref))
    assert names == ["notes.txt", "photo.png"]
    assert docs_tab.model.rowCount() == 2
    assert "Added 2 documents" in docs_tab.status.text()


def test_drop_of_non_files_is_refused(docs_tab):
    mime = QMimeData()
    mime.setText("just some text")
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(docs_tab, enter)
    assert not enter.isAccepted()


class _CancelOnFirstProgress(QObject):
    """Runs on the GUI thread while the worker waits (blocking queued connection)."""

    def __init__(self, tab: DocumentsTab, qtbot) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.tab = tab
        self.qtbot = qtbot
        self.pressed = False

    @Slot(object)
    def on_progress(self, _value: object) -> None:
        if not self.pressed:
            self.pressed = True
            assert self.tab.import_progress.isVisibleTo(self.tab)
            self.qtbot.mouseClick(self.tab.import_progress.cancel_button,
                                  Qt.MouseButton.LeftButton)


def test_cancel_a_large_import_leaves_nothing(unlocked, docs_tab, qtbot, tmp_path):
    big = tmp_path / "recording.bin"
    with big.open("wb") as fh:
        fh.write(os.urandom(16 * 1024 * 1024))
    gate = _CancelOnFirstProgress(docs_tab, qtbot)
    unlocked.tasks.about_to_start.connect(
        lambda task: task.bridge.progress.connect(gate.on_progress,
                                                  Qt.ConnectionType.BlockingQueuedConnection))
    unlocked.file_dialogs.set_next_open_paths([big])
    with qtbot.waitSignal(docs_tab.import_progress.cancel_button.clicked, timeout=20_000):
        qtbot.mouseClick(docs_tab.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not docs_tab.import_progress.isVisibleTo(docs_tab), timeout=20_000)
    assert gate.pressed
    assert "cancelled" in docs_tab.status.text()
    assert unlocked.session.documents.list(docs_tab.case.ref) == []
    assert docs_tab.model.rowCount() == 0
    assert _encrypted_files(unlocked.manager.root) == []  # no .cvf, no .part
    row = unlocked.session.vault.db.query_one("SELECT count(*) AS n FROM intents")
    assert row is None or row["n"] == 0
    assert docs_tab.add_button.isEnabled()


def test_pdf_image_and_text_open_in_the_viewer_from_memory(unlocked, docs_tab, qtbot, tmp_path):
    files = [make_pdf(tmp_path / "letter.pdf", pages=3), make_png(tmp_path / "photo.png"),
             make_text(tmp_path / "notes.txt", "Agreed with the member: write to HR.\n")]
    _import_via_dialog(unlocked, docs_tab, qtbot, files)
    before = {p for p in tmp_path.rglob("*")}
    viewer = docs_tab.viewer
    for name, kind in (("letter.pdf", ViewKind.PDF), ("photo.png", ViewKind.IMAGE),
                       ("notes.txt", ViewKind.TEXT)):
        doc = next(d for d in docs_tab.model.rows if d.name == name)
        docs_tab.select_document(doc.id)  # decrypted on a worker
        qtbot.waitUntil(lambda kind=kind: viewer.kind is kind, timeout=10_000)
        assert viewer.title.text() == name
        if kind is ViewKind.PDF:
            qtbot.waitUntil(lambda: viewer.pdf.pageCount() == 3, timeout=10_000)
            assert viewer.stack.currentWidget() is viewer.pdf_view
        elif kind is ViewKind.IMAGE:
            assert viewer.image_label.pixmap() is not None
            assert not viewer.image_label.pixmap().isNull()
        else:
            assert "write to HR" in viewer.text.toPlainText()
    # Viewing wrote nothing anywhere we can see (the vault dir included).
    assert {p for p in tmp_path.rglob("*")} == before


def test_copy_sha256_carries_sensitive_hints(unlocked, docs_tab, qtbot, tmp_path):
    _import_via_dialog(unlocked, docs_tab, qtbot, [make_text(tmp_path / "a.txt")])
    doc = docs_tab.model.row_at(0)
    docs_tab.select_document(doc.id)
    qtbot.mouseClick(docs_tab.copy_hash_button, Qt.MouseButton.LeftButton)
    mime = QApplication.clipboard().mimeData()
    assert mime.text() == doc.sha256
    assert bytes(mime.data(KDE_HINT)) == b"secret"
    assert bytes(mime.data(WINDOWS_HINT)) == b"1"


def test_save_copy_warning_defaults_to_cancel(unlocked, docs_tab, qtbot, tmp_path):
    _import_via_dialog(unlocked, docs_tab, qtbot, [make_text(tmp_path / "a.txt", "secret\n")])
    docs_tab.select_document(docs_tab.model.row_at(0).id)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    unlocked.message_boxes.set_next_answer(Answer.DEFAULT)  # the rep just presses Enter
    unlocked.file_dialogs.set_next_save_path(out_dir / "copy.txt")
    assert docs_tab.save_copy() is False
    record = unlocked.message_boxes.last_confirm
    assert record is not None and record.title == SAVE_COPY_TITLE
    assert record.default_is_cancel and not record.answered
    assert list(out_dir.iterdir()) == []
    assert "No copy was saved" in docs_tab.status.text()

    # The box itself: Cancel is the default and the Escape button.
    box = unlocked.message_boxes.build_confirm(None, "t", "x", accept_text="Go", dangerous=True)
    assert box.defaultButton() is box.escapeButton()
    assert box.defaultButton().text().replace("&", "") == "Cancel"
    box.deleteLater()


def test_save_copy_after_accepting_the_warning(unlocked, docs_tab, qtbot, tmp_path):
    source = make_text(tmp_path / "a.txt", "the member's statement\n")
    _import_via_dialog(unlocked, docs_tab, qtbot, [source])
    docs_tab.select_document(docs_tab.model.row_at(0).id)
    out = tmp_path / "out.txt"
    unlocked.message_boxes.set_next_answer(Answer.ACCEPT)
    unlocked.file_dialogs.set_next_save_path(out)
    assert docs_tab.save_copy() is True
    qtbot.waitUntil(lambda: out.exists() and docs_tab._save_task is None, timeout=20_000)
    assert out.read_bytes() == source.read_bytes()
    assert "Decrypted copy saved" in docs_tab.status.text()


def test_mark_original_returned(unlocked, docs_tab, qtbot, tmp_path):
    docs_tab.original_box.setChecked(True)
    _import_via_dialog(unlocked, docs_tab, qtbot, [make_text(tmp_path / "payslip.txt")])
    doc = docs_tab.model.row_at(0)
    docs_tab.select_document(doc.id)
    assert docs_tab.returned_button.isEnabled()
    unlocked.message_boxes.set_next_answer(Answer.ACCEPT)
    qtbot.mouseClick(docs_tab.returned_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "returned 23 Nov 2026" in
                    (docs_tab.model.index(0, DocumentTableModel.ORIGINAL).data() or ""))
