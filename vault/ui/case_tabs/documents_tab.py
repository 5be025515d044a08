"""The case Documents tab: import (pick or drop files), list, view from memory, save a copy.

Import runs on a worker through ``DocumentService.import_file`` with a progress bar and Cancel
in this tab. Each document shows its name, type, size, date added, plaintext SHA-256 and the
"original belongs to the member" mark. Selecting a document decrypts it into memory on a worker
(progress and Cancel in the tab, so a 200 MB PDF never pauses the window) and shows it in the
viewer; "Save a copy as…" writes a decrypted copy only after a warning whose default is Cancel,
and "Open with…" (the same kind of warning) decrypts into the private "Open with…" folder and
hands the copy to the desktop's default program; both are recorded in the paper trail.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vault.domain import Case, CaseStatus, Document, format_uk_date
from vault.errors import Cancelled, VaultError
from vault.store.safe_output import SharedOutputFolder
from vault.ui import theme
from vault.ui.case_tabs.case_tab import CaseTab
from vault.ui.case_tabs.document_viewer import (
    MAX_PREVIEW_BYTES,
    DocumentViewer,
    PreparedView,
    ViewBuffer,
    prepare_view,
)
from vault.ui.dialogs.document_correction_dialog import DocumentCorrectionDialog
from vault.ui.models.document_table_model import DocumentTableModel
from vault.ui.models.row_table_model import ROW_ROLE
from vault.ui.models.table_filter_proxy import TableFilterProxy
from vault.ui.open_with import OPEN_WITH_DETAIL, OPEN_WITH_TEXT, OPEN_WITH_TITLE
from vault.ui.page_context import PageContext
from vault.ui.task_runner import Task, TaskControl
from vault.ui.widgets.record_table import record_table
from vault.ui.widgets.task_progress_row import TaskProgressRow

log = logging.getLogger(__name__)

SAVE_COPY_TITLE = "Save a decrypted copy?"
SAVE_COPY_TEXT = ("The copy will be an ordinary, unencrypted file outside the vault. Anyone "
                  "who can open that folder can read it, and the vault cannot delete it for "
                  "you later.")
SHARED_FOLDER_TITLE = "Save into a shared folder?"
SHARED_FOLDER_DETAIL = ("Other people who use this computer could read, replace or delete the "
                        "copy there. Choose a folder of your own unless you are sure.")
SAVE_COPY_DETAIL = ("Only do this when you need the file in another program. The copy is "
                    "recorded in the case's paper trail. Delete it when you are done.")


@dataclass(frozen=True)
class ImportProgress:
    done: int
    total: int
    index: int
    count: int


def _local_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[Path]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


class DocumentsTab(CaseTab):
    """Emits ``imported`` with the documents added once an import finishes."""

    imported = Signal(list)  # the Documents added

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setAcceptDrops(True)
        self.model = DocumentTableModel(self)
        self.proxy = TableFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._import_task: Task | None = None
        self._save_task: Task | None = None
        self._save_target: tuple[Document, Path] | None = None
        self._view_task: Task | None = None
        self._open_task: Task | None = None
        self._shown_doc_id: str | None = None

        self.add_button = QPushButton(theme.icon("add-file", 18), "Add files…", self)
        self.add_button.setAccessibleName("Add files to this case")
        self.add_button.clicked.connect(self.pick_files)
        self.original_box = QCheckBox("These are the member's originals (to return)", self)
        self.original_box.setAccessibleName("Mark new files as the member's originals")
        self.copy_hash_button = QPushButton(theme.icon("copy", 18), "Copy fingerprint", self)
        self.copy_hash_button.setAccessibleName(
            "Copy the fingerprint (SHA-256) of the selected document")
        self.copy_hash_button.setToolTip(
            "The file's fingerprint (SHA-256): a code that changes if even one byte of the "
            "file changes. Send it with a copy so the recipient can check it is the same file.")
        self.copy_hash_button.clicked.connect(self.copy_hash)
        self.returned_button = QPushButton(theme.icon("returned", 18), "Mark returned", self)
        self.returned_button.setAccessibleName("Mark the selected original as returned")
        self.returned_button.clicked.connect(self.mark_returned)
        self.correct_button = QPushButton("Correct…", self)
        self.correct_button.setAccessibleName("Rename, re-mark or remove the selected document")
        self.correct_button.clicked.connect(lambda: self.correct_document())
        self.correction_dialog: DocumentCorrectionDialog | None = None
        self.save_button = QPushButton(theme.icon("save-copy", 18), "Save a copy as…", self)
        self.save_button.setAccessibleName("Save a decrypted copy of the selected document")
        self.save_button.clicked.connect(self.save_copy)
        self.open_with_button = QPushButton(theme.icon("document", 18), "Open with…", self)
        self.open_with_button.setAccessibleName(
            "Open a decrypted copy of the selected document in another program")
        self.open_with_button.clicked.connect(self.open_with)

        self.drop_hint = QLabel("Drag files here, or use Add files…, to keep them encrypted "
                                "in this case.", self)
        self.drop_hint.setObjectName("hintText")
        self.drop_hint.setWordWrap(True)
        self.drop_hint.setAccessibleName("How to add documents")
        self.status = QLabel(self)
        self.status.setObjectName("hintText")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Documents status")
        self.import_progress = TaskProgressRow("Import", self)
        self.save_progress = TaskProgressRow("Save copy", self)
        self.view_progress = TaskProgressRow("Decrypt for viewing", self)
        self.open_progress = TaskProgressRow("Open with", self)

        self.table = record_table(self, "Documents", self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(DocumentTableModel.ADDED, Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((DocumentTableModel.NAME, 190), (DocumentTableModel.TYPE, 80),
                              (DocumentTableModel.SIZE, 62), (DocumentTableModel.ADDED, 92),
                              (DocumentTableModel.SHA256, 105),
                              (DocumentTableModel.ORIGINAL, 120)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.viewer = DocumentViewer(self)
        self.viewer.larger_requested.connect(self.show_larger)
        self.larger_dialog: QDialog | None = None
        self._shown_bytes: tuple[Document, PreparedView] | None = None

        # Two rows: in one, the seven controls needed 1,100 px, and the window could not be
        # made narrower than about 1,320 px (wider than many laptop screens).
        adding = QHBoxLayout()
        adding.addWidget(self.add_button)
        adding.addWidget(self.original_box)
        adding.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_hash_button)
        buttons.addWidget(self.returned_button)
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.open_with_button)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.viewer)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([720, 360])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 12, 4, 4)
        layout.addLayout(adding)
        layout.addLayout(buttons)
        layout.addWidget(self.drop_hint)
        layout.addWidget(self.import_progress)
        layout.addWidget(self.save_progress)
        layout.addWidget(self.view_progress)
        layout.addWidget(self.open_progress)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        self._update_buttons()

    # -- loading -------------------------------------------------------------------------------

    def load(self, case: Case) -> None:
        same_case = self.case is not None and self.case.id == case.id
        super().load(case)
        if not same_case:
            self._shown_doc_id = None
            self._forget_shown()
            self.status.clear()
        self.model.set_rows(self.context.session.documents.list(case.ref))
        self._update_buttons()

    def clear(self) -> None:
        super().clear()
        if self.correction_dialog is not None:
            self.correction_dialog.reject()
            self.correction_dialog = None
        self._shown_doc_id = None
        self._forget_shown()
        self.model.clear()
        self.status.clear()
        self.import_progress.end()
        self.save_progress.end()
        self.view_progress.end()
        self.open_progress.end()
        self._import_task = None
        self._save_task = None
        self._view_task = None
        self._open_task = None
        self._update_buttons()

    def selected(self) -> Document | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        doc = rows[0].data(ROW_ROLE)
        return doc if isinstance(doc, Document) else None

    def select_document(self, doc_id: str) -> None:
        row = self.model.row_of(doc_id)
        if row >= 0:
            self.table.selectRow(self.proxy.mapFromSource(self.model.index(row, 0)).row())

    @property
    def can_import(self) -> bool:
        return (self.case is not None and self.case.status is CaseStatus.OPEN
                and self._import_task is None and self.context.is_open)

    def _update_buttons(self) -> None:
        doc = self.selected()
        self.add_button.setEnabled(self.can_import)
        self.original_box.setEnabled(self.can_import)
        self.copy_hash_button.setEnabled(doc is not None)
        self.correct_button.setEnabled(doc is not None and self.can_import)
        self.save_button.setEnabled(doc is not None and self._save_task is None)
        self.open_with_button.setEnabled(doc is not None and self._open_task is None)
        self.returned_button.setEnabled(doc is not None and doc.is_original
                                        and doc.returned is None)

    # -- import --------------------------------------------------------------------------------

    def pick_files(self) -> None:
        if not self.can_import:
            return
        paths = self.context.file_dialogs.open_files(self, "Add files to this case")
        if paths and self.context.is_open:
            self.import_files(paths)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.can_import and _local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self.can_import and _local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _local_files(event)
        if not self.can_import or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.import_files(paths)

    def import_files(self, paths: list[Path]) -> Task | None:
        """Encrypt ``paths`` into the case on a worker, one after another."""
        if not self.can_import or self.case is None:
            return None
        case_ref = self.case.ref
        is_original = self.original_box.isChecked()
        documents = self.context.session.documents
        files = [Path(p) for p in paths]

        def job(control: TaskControl) -> list[Document]:
            sizes = [p.stat().st_size if p.is_file() else 0 for p in files]
            total = sum(sizes)
            added: list[Document] = []
            done_before = 0
            for index, (path, size) in enumerate(zip(files, sizes, strict=True)):
                control.check_cancelled()
                step = max(1, total // 200)
                last = [-step]

                def progress(done: int, base: int = done_before, idx: int = index,
                             last: list[int] = last, step: int = step) -> None:
                    if done - last[0] >= step:
                        last[0] = done
                        control.progress(ImportProgress(base + done, total, idx, len(files)))

                added.append(documents.import_file(case_ref, path, is_original=is_original,
                                                   progress=progress,
                                                   cancelled=control.is_cancelled))
                done_before += size
            return added

        task = self.context.tasks.start("import-documents", job)
        self._import_task = task
        self.import_progress.begin(task, self._progress_text(0, len(files)), 100)
        task.signals.progress.connect(self._import_progress)
        task.signals.finished.connect(self._import_finished)
        task.signals.failed.connect(self._import_failed)
        self.status.clear()
        self._update_buttons()
        return task

    @staticmethod
    def _progress_text(index: int, count: int) -> str:
        return (f"Encrypting file {index + 1} of {count}…" if count > 1
                else "Encrypting the file…")

    def _import_progress(self, value: object) -> None:
        if isinstance(value, ImportProgress):
            self.import_progress.set_text(self._progress_text(value.index, value.count))
            self.import_progress.set_progress(value.done, value.total)

    def _import_finished(self, added: object) -> None:
        self._import_done()
        docs = added if isinstance(added, list) else []
        self.status.setText(f"Added {len(docs)} document{'s' if len(docs) != 1 else ''}, "
                            "encrypted.")
        self._after_write()
        if docs:
            self.select_document(docs[-1].id)
        self.imported.emit(docs)

    def _import_failed(self, error: object) -> None:
        self._import_done()
        if isinstance(error, Cancelled):
            self.status.setText("Import cancelled. Nothing was kept of the file in progress.")
        else:
            self.status.setText(str(error) if isinstance(error, VaultError)
                                else "The import failed; nothing was kept of that file.")
        self._after_write()

    def _import_done(self) -> None:
        self._import_task = None
        self.import_progress.end()
        self._update_buttons()

    def _after_write(self) -> None:
        """Reload this tab at once, then tell the rest of the window."""
        if not self.context.is_open:
            return
        if self.case is not None:
            try:
                self.model.set_rows(self.context.session.documents.list(self.case.ref))
            except VaultError as exc:
                self.status.setText(str(exc))
            self._update_buttons()
        self.context.events.changed.emit()

    # -- viewing -------------------------------------------------------------------------------

    def _selection_changed(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self._update_buttons()
        doc = self.selected()
        if doc is None:
            self._shown_doc_id = None
            self._forget_shown()
            return
        if doc.id != self._shown_doc_id:
            self.open_document(doc)

    def open_document(self, doc: Document) -> Task | None:
        """Decrypt ``doc`` into memory on a worker, then show it (a newer choice wins)."""
        if self.case is None or not self.context.is_open:
            return None
        self._shown_doc_id = doc.id
        if self._view_task is not None:
            self._view_task.cancel()
            self._view_task = None
        self.view_progress.end()
        if doc.size > MAX_PREVIEW_BYTES:
            self.viewer.show_too_large(doc)
            return None
        self.viewer.show_loading(doc)
        case_ref, doc_id, total, media_type = self.case.ref, doc.id, doc.size, doc.media_type
        documents = self.context.session.documents

        def job(control: TaskControl) -> PreparedView:
            step = max(1, total // 100)
            last = [-step]

            def progress(done: int) -> None:
                if done - last[0] >= step:
                    last[0] = done
                    control.progress((done, total))

            # Straight into Qt's buffer, segment by segment: no big copy on either thread.
            buffer = ViewBuffer(total)
            documents.read_into(case_ref, doc_id, buffer, progress=progress,
                                cancelled=control.is_cancelled)
            control.check_cancelled()
            return prepare_view(media_type, buffer.data)

        task = self.context.tasks.start("view-document", job)
        self._view_task = task
        self.view_progress.begin(task, "Decrypting for the viewer…", 100)
        task.signals.progress.connect(lambda value, t=task: self._view_progress(t, value))
        task.signals.finished.connect(lambda data, t=task, d=doc: self._view_finished(t, d, data))
        task.signals.failed.connect(lambda error, t=task, d=doc: self._view_failed(t, d, error))
        return task

    def _view_progress(self, task: Task, value: object) -> None:
        if task is self._view_task and isinstance(value, tuple) and len(value) == 2:
            self.view_progress.set_progress(int(value[0]), int(value[1]))

    def _view_finished(self, task: Task, doc: Document, data: object) -> None:
        if task is not self._view_task:
            return  # the rep chose another document meanwhile
        self._view_task = None
        self.view_progress.end()
        if (self.context.is_open and isinstance(data, PreparedView)
                and self._shown_doc_id == doc.id):
            self.viewer.show_prepared(doc, data)
            self._shown_bytes = (doc, data)  # the larger view shares the prepared bytes

    def _view_failed(self, task: Task, doc: Document, error: object) -> None:
        if task is not self._view_task:
            return
        self._view_task = None
        self.view_progress.end()
        if isinstance(error, Cancelled):
            self._shown_doc_id = None
            self.viewer.show_error(doc, "Viewing was cancelled. Choose the document again to "
                                        "view it.")
            return
        log.warning("document %s could not be opened: %s", doc.id[:8], type(error).__name__)
        self.viewer.show_error(doc, str(error) if isinstance(error, VaultError)
                               else "This document could not be opened.")

    def _forget_shown(self) -> None:
        """Clear the viewer, close the larger view and drop the bytes shown."""
        self.viewer.clear()
        self._shown_bytes = None
        if self.larger_dialog is not None:
            self.larger_dialog.close()
            self.larger_dialog = None

    def show_larger(self) -> QDialog | None:
        """The document shown, in a big window of its own (from the same bytes in memory)."""
        if self._shown_bytes is None or not self.context.is_open:
            return None
        doc, data = self._shown_bytes
        if self.larger_dialog is not None:
            self.larger_dialog.close()
        dialog = QDialog(self.window())
        dialog.setWindowTitle(f"{self.case.ref if self.case else ''} · document")
        dialog.setAccessibleName("Larger view of the document")
        viewer = DocumentViewer(dialog, offer_larger=False)
        layout = QVBoxLayout(dialog)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(viewer)
        viewer.show_prepared(doc, data)
        dialog.finished.connect(lambda _r: viewer.clear())
        screen = self.screen().availableGeometry() if self.screen() else None
        if screen is not None:
            dialog.resize(int(screen.width() * 0.8), int(screen.height() * 0.85))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.larger_dialog = dialog
        return dialog

    # -- actions on the selected document ------------------------------------------------------

    def copy_hash(self) -> None:
        doc = self.selected()
        if doc is None:
            return
        self.context.clipboard.copy(doc.sha256)
        seconds = self.context.clipboard.clear_after_ms // 1000
        self.status.setText(f"The file's fingerprint (SHA-256) is copied. The clipboard is "
                            f"cleared in {seconds} seconds.")

    def correct_document(self) -> DocumentCorrectionDialog | None:
        doc = self.selected()
        if doc is None or self.case is None or not self.context.is_open:
            return None
        self.correction_dialog = DocumentCorrectionDialog(self.context, self.case.ref, doc, self)
        self.correction_dialog.open()
        return self.correction_dialog

    def mark_returned(self) -> None:
        doc = self.selected()
        if doc is None or self.case is None or not self.context.is_open:
            return
        accepted = self.context.message_boxes.confirm(
            self, "Original returned?",
            f"Record that the original of “{doc.name}” was given back to the member?",
            accept_text="Mark returned")
        if not accepted or not self.context.is_open:
            return
        try:
            updated = self.context.session.documents.mark_returned(self.case.ref, doc.id)
        except VaultError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(f"Recorded as returned on {format_uk_date(updated.returned)}.")
        self._after_write()

    def save_copy(self) -> bool:
        """Warn (default Cancel), ask where, then decrypt there on a worker."""
        doc = self.selected()
        if doc is None or self.case is None or not self.context.is_open:
            return False
        accepted = self.context.message_boxes.confirm(
            self, SAVE_COPY_TITLE, SAVE_COPY_TEXT, accept_text="Save decrypted copy",
            dangerous=True, informative=SAVE_COPY_DETAIL)
        if not self.context.is_open:
            return False  # the vault locked while the question was open
        if not accepted:
            self.status.setText("No copy was saved.")
            return False
        out = self.context.file_dialogs.save_file(self, "Save a decrypted copy as", doc.name)
        if not self.context.is_open:
            return False
        if out is None:
            self.status.setText("No copy was saved.")
            return False
        return self._start_save(doc, out, allow_shared_folder=False)

    def _start_save(self, doc: Document, out: Path, *, allow_shared_folder: bool) -> bool:
        """Decrypt ``doc`` to ``out`` on a worker (``safe_output`` rules apply)."""
        if self.case is None or not self.context.is_open:
            return False
        case_ref, doc_id = self.case.ref, doc.id
        documents = self.context.session.documents
        self._save_target = (doc, out)

        def job(control: TaskControl) -> Path:
            documents.save_copy(case_ref, doc_id, out, overwrite=True,
                                allow_shared_folder=allow_shared_folder,
                                progress=lambda n: control.progress((n, doc.size)),
                                cancelled=control.is_cancelled)
            return out

        task = self.context.tasks.start("save-copy", job)
        self._save_task = task
        self.save_progress.begin(task, "Writing the decrypted copy…", 100)
        task.signals.progress.connect(self._save_progress)
        task.signals.finished.connect(self._save_finished)
        task.signals.failed.connect(self._save_failed)
        self._update_buttons()
        return True

    def _save_progress(self, value: object) -> None:
        if isinstance(value, tuple) and len(value) == 2:
            self.save_progress.set_progress(int(value[0]), int(value[1]))

    def _save_finished(self, out: object) -> None:
        self._save_task = None
        self._save_target = None
        self.save_progress.end()
        self.status.setText(f"Decrypted copy saved to {out}. Delete it when you no longer "
                            "need it.")
        self._update_buttons()
        self._after_write()

    def _save_failed(self, error: object) -> None:
        self._save_task = None
        self.save_progress.end()
        target, self._save_target = self._save_target, None
        if isinstance(error, SharedOutputFolder) and target is not None and self.context.is_open:
            # The rep may insist, after a warning whose default is Cancel (issue 8, finding 4).
            if self.context.message_boxes.confirm(
                    self, SHARED_FOLDER_TITLE, str(error), accept_text="Save there anyway",
                    dangerous=True, informative=SHARED_FOLDER_DETAIL):
                if self._start_save(*target, allow_shared_folder=True):
                    return
            else:
                self.status.setText("No copy was saved.")
                self._update_buttons()
                return
        self.status.setText("Saving the copy was cancelled; nothing was written."
                            if isinstance(error, Cancelled)
                            else (str(error) if isinstance(error, VaultError)
                                  else "The copy could not be saved."))
        self._update_buttons()

    # -- open with… ----------------------------------------------------------------------------

    def open_with(self) -> Task | None:
        """Warn (default Cancel), then decrypt into the private folder on a worker and open it
        with the desktop's default program."""
        doc = self.selected()
        if doc is None or self.case is None or not self.context.is_open:
            return None
        accepted = self.context.message_boxes.confirm(
            self, OPEN_WITH_TITLE, OPEN_WITH_TEXT, accept_text="Open decrypted copy",
            dangerous=True, informative=OPEN_WITH_DETAIL)
        if not self.context.is_open:
            return None  # the vault locked while the question was open
        if not accepted:
            self.status.setText("Nothing was opened.")
            return None
        case_ref, doc_id, total = self.case.ref, doc.id, doc.size
        documents = self.context.session.documents
        folder = self.context.manager.open_with_folder

        def job(control: TaskControl) -> Path:
            return documents.open_copy(case_ref, doc_id, folder,
                                       progress=lambda n: control.progress((n, total)),
                                       cancelled=control.is_cancelled)

        task = self.context.tasks.start("open-with", job)
        self._open_task = task
        self.open_progress.begin(task, "Decrypting a copy to open…", 100)
        task.signals.progress.connect(self._open_progress)
        task.signals.finished.connect(self._open_finished)
        task.signals.failed.connect(self._open_failed)
        self._update_buttons()
        return task

    def _open_progress(self, value: object) -> None:
        if isinstance(value, tuple) and len(value) == 2:
            self.open_progress.set_progress(int(value[0]), int(value[1]))

    def _open_finished(self, path: object) -> None:
        self._open_task = None
        self.open_progress.end()
        self._update_buttons()
        if not isinstance(path, Path) or not self.context.is_open:
            return
        if self.context.opener.open(path):
            self.status.setText("Opened in your default program. The decrypted copy is deleted "
                                "when the vault locks or closes.")
        else:
            self.status.setText("No program on this computer would open this kind of file. "
                                "The decrypted copy is deleted when the vault locks.")
        self._after_write()

    def _open_failed(self, error: object) -> None:
        self._open_task = None
        self.open_progress.end()
        self.status.setText("Opening was cancelled; nothing was left behind."
                            if isinstance(error, Cancelled)
                            else (str(error) if isinstance(error, VaultError)
                                  else "The document could not be opened."))
        self._update_buttons()
