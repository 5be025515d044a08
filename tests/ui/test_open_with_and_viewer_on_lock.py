"""The in-app viewer decrypts on a worker (progress, Cancel); "Open with…" warns (default
Cancel), decrypts into the private runtime folder, opens through the seam, is recorded in the
paper trail, and the folder is scrubbed on lock, quit and every start."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, Slot

from tests.ui.helpers import add_member_and_case, make_pdf, make_text
from vault import external_open
from vault.trail.kinds import TrailEvent
from vault.ui.case_tabs.document_viewer import ViewKind
from vault.ui.case_tabs.documents_tab import DocumentsTab
from vault.ui.message_boxes import Answer
from vault.ui.open_with import OPEN_WITH_TITLE


@pytest.fixture
def runtime_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    run = tmp_path / "run-user"
    run.mkdir(mode=0o700)
    os.chmod(run, 0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    return run


@pytest.fixture
def docs(unlocked, qtbot, tmp_path):  # type: ignore[no-untyped-def]
    _m, case = add_member_and_case(unlocked.session)
    unlocked.main_window.open_case(case.ref, "documents")
    tab = unlocked.main_window.case_page.tab_by_key["documents"]
    assert isinstance(tab, DocumentsTab)
    return tab


def _import(unlocked, tab, qtbot, paths):  # type: ignore[no-untyped-def]
    unlocked.file_dialogs.set_next_open_paths(paths)
    with qtbot.waitSignal(tab.imported, timeout=30_000):
        tab.pick_files()


class _CancelViewOnFirstProgress(QObject):
    def __init__(self, tab: DocumentsTab, qtbot) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self.tab, self.qtbot = tab, qtbot
        self.pressed = False
        self.worker_threads: set[int] = set()

    @Slot(object)
    def on_progress(self, _value: object) -> None:
        self.worker_threads.add(threading.get_ident())
        if not self.pressed:
            self.pressed = True
            assert self.tab.view_progress.isVisibleTo(self.tab)
            self.qtbot.mouseClick(self.tab.view_progress.cancel_button,
                                  Qt.MouseButton.LeftButton)


def test_viewer_decrypts_on_a_worker_with_progress_and_cancel(unlocked, docs, qtbot, tmp_path):
    big = make_text(tmp_path / "long-notes.txt", "Meeting notes line.\n" * 600_000)  # ~12 MB
    threads: list[int] = []
    real = unlocked.session.documents.read_into

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append(threading.get_ident())
        return real(*args, **kwargs)

    unlocked.session.documents.read_into = recording
    gate = _CancelViewOnFirstProgress(docs, qtbot)
    unlocked.tasks.about_to_start.connect(
        lambda task: task.name == "view-document" and task.bridge.progress.connect(
            gate.on_progress, Qt.ConnectionType.BlockingQueuedConnection))
    _import(unlocked, docs, qtbot, [big])  # selects the new document, which starts the viewer
    assert docs.viewer.message.text().startswith("Decrypting")  # the window is free meanwhile
    qtbot.waitUntil(lambda: not docs.view_progress.isVisibleTo(docs), timeout=20_000)
    assert gate.pressed
    assert threads and threads[0] != threading.get_ident()  # decrypted off the GUI thread
    assert "cancelled" in docs.viewer.message.text()
    assert docs.viewer.text.toPlainText() == ""
    # Choosing it again shows it.
    unlocked.tasks.about_to_start.disconnect()
    docs.table.clearSelection()
    docs.select_document(docs.model.row_at(0).id)
    qtbot.waitUntil(lambda: docs.viewer.kind is ViewKind.TEXT, timeout=20_000)
    assert docs.viewer.text.toPlainText().startswith("Meeting notes line.")


def test_a_newer_choice_wins_over_a_slower_one(unlocked, docs, qtbot, tmp_path):
    _import(unlocked, docs, qtbot, [make_pdf(tmp_path / "a.pdf", pages=2),
                                    make_text(tmp_path / "b.txt", "Second document.\n")])
    rows = {d.name: d for d in docs.model.rows}
    docs.open_document(rows["a.pdf"])
    docs.open_document(rows["b.txt"])
    qtbot.waitUntil(lambda: docs.viewer.kind is ViewKind.TEXT, timeout=20_000)
    assert unlocked.tasks.wait(10_000)
    qtbot.wait(50)  # let the first task's (ignored) result be delivered
    assert docs.viewer.kind is ViewKind.TEXT and docs.viewer.title.text() == "b.txt"


def test_open_with_warning_defaults_to_cancel(unlocked, docs, qtbot, tmp_path, runtime_dir):
    _import(unlocked, docs, qtbot, [make_text(tmp_path / "a.txt", "secret\n")])
    docs.select_document(docs.model.row_at(0).id)
    unlocked.message_boxes.set_next_answer(Answer.DEFAULT)  # the rep just presses Enter
    assert docs.open_with() is None
    record = unlocked.message_boxes.last_confirm
    assert record.title == OPEN_WITH_TITLE and record.default_is_cancel and not record.answered
    assert unlocked.opener.opened == []
    assert list(runtime_dir.iterdir()) == []
    assert docs.status.text() == "Nothing was opened."


def test_open_with_uses_a_private_runtime_folder_is_recorded_and_scrubbed_on_lock(
        unlocked, docs, qtbot, tmp_path, runtime_dir):
    source = make_pdf(tmp_path / "dismissal-letter.pdf", pages=2)
    _import(unlocked, docs, qtbot, [source])
    doc = docs.model.row_at(0)
    case_ref = docs.case.ref
    docs.select_document(doc.id)
    unlocked.message_boxes.set_next_answer(Answer.ACCEPT)
    unlocked.opener.set_next_result(True)
    task = docs.open_with()
    assert task is not None
    with qtbot.waitSignal(task.signals.done, timeout=20_000):
        pass
    [opened] = unlocked.opener.opened
    assert opened.name == "dismissal-letter.pdf"
    folder = unlocked.manager.open_with_folder
    assert folder.parent == runtime_dir and folder.name.startswith("casevault-open-")
    assert opened.is_relative_to(folder)
    assert opened.read_bytes() == source.read_bytes()
    for directory in (folder, opened.parent):
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    assert stat.S_IMODE(opened.stat().st_mode) == 0o600
    assert "deleted when the vault locks" in docs.status.text()
    case = unlocked.session.cases.get(case_ref)
    [entry] = [e for e in unlocked.session.trail.entries(case)
               if e.kind == TrailEvent.DOCUMENT_EXPORTED.value]
    assert entry.summary == "Decrypted copy opened in another program: dismissal-letter.pdf"
    assert entry.payload["copy"]["what"] == "opened-externally"  # one record of outside copies
    unlocked.lock()
    assert not opened.exists() and not folder.exists()


def test_open_with_folder_is_scrubbed_at_start_and_quit(controller, ui_manager, runtime_dir):
    folder = ui_manager.open_with_folder
    left = external_open.new_copy_path(folder, "left-by-a-crash.pdf")
    left.write_bytes(b"%PDF-1.4 canary left behind")
    controller.start()
    assert not left.exists() and not folder.exists()
    again = external_open.new_copy_path(folder, "opened-before-quit.txt")
    again.write_bytes(b"canary")
    controller.shutdown()
    assert not again.exists()


def test_without_a_private_runtime_dir_the_vault_folder_is_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared-run"
    shared.mkdir()
    os.chmod(shared, 0o755)
    vault_root = tmp_path / "vault"
    assert external_open.open_with_folder(vault_root, str(shared)) == vault_root / "external-open"
    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    assert external_open.open_with_folder(vault_root) == vault_root / "external-open"


def test_a_symlinked_folder_is_refused(tmp_path):
    from vault.errors import UnsafeLocation

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / "casevault-open-link"
    link.symlink_to(elsewhere)
    with pytest.raises(UnsafeLocation):
        external_open.prepare(link)
    assert external_open.scrub(link) == 0 and elsewhere.exists()


def test_scrub_overwrites_before_deleting(tmp_path, monkeypatch):
    folder = tmp_path / "casevault-open-x"
    copy = external_open.new_copy_path(folder, "n.txt")
    copy.write_bytes(b"canary canary")
    seen: list[bytes] = []
    real_unlink = Path.unlink

    def spy(self, missing_ok=False):  # type: ignore[no-untyped-def]
        if self == copy:
            seen.append(self.read_bytes())
        return real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", spy)
    assert external_open.scrub(folder) == 1
    assert seen == [bytes(len(b"canary canary"))]
    assert not folder.exists()
