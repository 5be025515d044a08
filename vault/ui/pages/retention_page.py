"""The Retention page: every closed case with its retention date, rule, hold and status, the
actions Hold, Release, Reopen, Destroy and Certificate, and the Branch audit report.

Destroying asks for the typed case reference (Cancel is the default) and runs the erase off
the GUI thread with its steps shown in the page (``TaskProgressRow``); Cancel is honoured
until the first irreversible step. Also the Home sections "Due for destruction" and
"Overdue" (counts and a link, never a name) — see :func:`retention_reminders`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QItemSelection, QModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vault.domain import format_uk_date
from vault.errors import Cancelled, StorageError, VaultError
from vault.retention.policy import RetentionStatus
from vault.retention.views import ERASE_STEPS, EraseStep, RetentionRow
from vault.store.fsutil import atomic_write_bytes
from vault.ui.dialogs.branch_audit_dialog import BranchAuditDialog
from vault.ui.dialogs.confirm_destroy_dialog import ConfirmDestroyDialog
from vault.ui.dialogs.retention_reason_dialog import RetentionReasonDialog
from vault.ui.models.retention_table_model import RetentionTableModel
from vault.ui.models.row_table_model import ROW_ROLE
from vault.ui.models.table_filter_proxy import TableFilterProxy
from vault.ui.page_context import PageContext
from vault.ui.page_keys import RETENTION_PAGE_KEY
from vault.ui.pages.vault_page import VaultPage
from vault.ui.registry import HomeItem
from vault.ui.task_runner import Task, TaskControl
from vault.ui.widgets.page_header import PageHeader
from vault.ui.widgets.record_table import record_table

log = logging.getLogger(__name__)

_FILTERS: tuple[tuple[str, RetentionStatus | None], ...] = (
    ("All closed cases", None),
    ("Due for destruction", RetentionStatus.DUE),
    ("Overdue", RetentionStatus.OVERDUE),
    ("On hold", RetentionStatus.HELD),
    ("Kept", RetentionStatus.KEPT),
    ("Destroyed", RetentionStatus.DESTROYED),
)


class RetentionFilterProxy(TableFilterProxy):
    """The text filter plus a status filter ("Due" also shows overdue cases)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._status: RetentionStatus | None = None

    def set_status(self, status: RetentionStatus | None) -> None:
        self.beginFilterChange()
        self._status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:  # type: ignore[override]
        model = self.sourceModel()
        row = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)
        if isinstance(row, RetentionRow) and self._status is not None:
            wanted = {self._status}
            if self._status is RetentionStatus.DUE:
                wanted.add(RetentionStatus.OVERDUE)
            if row.status not in wanted:
                return False
        return super().filterAcceptsRow(source_row, source_parent)


class RetentionPage(VaultPage):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = RetentionTableModel(self)
        self.proxy = RetentionFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.header = PageHeader(
            "Retention",
            "Closed cases are kept for their archive period, then destroyed by cryptographic "
            "erase. A case on legal hold is never due.", self)
        self.summary = QLabel(self)
        self.summary.setAccessibleName("Retention summary")
        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName("Show cases by retention status")
        for label, status in _FILTERS:
            self.status_filter.addItem(label, status.value if status else "")
        self.status_filter.currentIndexChanged.connect(self._filter_changed)
        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText("Filter by reference, category…")
        self.filter_box.setAccessibleName("Filter closed cases")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self.proxy.set_filter_text)
        self.audit_button = QPushButton("Branch audit report…", self)
        self.audit_button.setAccessibleName("Branch audit report")
        self.audit_button.clicked.connect(self.branch_audit)

        self.table = record_table(self, "Closed cases", self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(RetentionTableModel.RETAIN_UNTIL, Qt.SortOrder.AscendingOrder)
        head = self.table.horizontalHeader()
        head.setSectionResizeMode(RetentionTableModel.RULE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((RetentionTableModel.REF, 110), (RetentionTableModel.CATEGORY, 150),
                              (RetentionTableModel.CLOSED, 100),
                              (RetentionTableModel.RETAIN_UNTIL, 110),
                              (RetentionTableModel.HOLD, 70), (RetentionTableModel.STATUS, 150)):
            self.table.setColumnWidth(column, width)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.hold_button = self._action_button("Hold…", self.hold)
        self.release_button = self._action_button("Release hold", self.release)
        self.reopen_button = self._action_button("Reopen…", self.reopen)
        self.destroy_button = self._action_button("Destroy…", self.destroy_selected)
        self.destroy_button.setObjectName("dangerButton")
        self.certificate_button = self._action_button("Save certificate…", self.save_certificate)
        self.progress = _EraseProgress(self)
        self.empty_hint = QLabel("No closed cases yet. Close a case from its Overview tab.", self)
        self.empty_hint.setObjectName("hintText")
        self.empty_hint.hide()

        filters = QHBoxLayout()
        filters.addWidget(self.status_filter)
        filters.addWidget(self.filter_box, 1)
        filters.addWidget(self.audit_button)
        actions = QHBoxLayout()
        for button in (self.hold_button, self.release_button, self.reopen_button,
                       self.destroy_button, self.certificate_button):
            actions.addWidget(button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(self.header)
        layout.addWidget(self.summary)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_hint)
        layout.addLayout(actions)
        layout.addWidget(self.progress)
        self._selection_changed()

    def _action_button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.rstrip("…"))
        button.clicked.connect(slot)
        return button

    # -- data ----------------------------------------------------------------------------------

    def refresh(self) -> None:
        if not self.context.is_open:
            return
        service = self.context.session.retention
        self.model.set_rows(service.rows())
        counts = service.reminder_counts()
        held = sum(1 for r in self.model.rows if r.status is RetentionStatus.HELD)
        self.summary.setText(f"{counts.due} due for destruction · {counts.overdue} overdue · "
                             f"{held} on hold")
        self.empty_hint.setVisible(self.model.rowCount() == 0)
        self._selection_changed()

    def clear(self) -> None:
        self.filter_box.clear()
        self.model.clear()
        self.summary.clear()

    def show_status(self, status: RetentionStatus | None) -> None:
        """Set the status filter (Home's links use it)."""
        index = self.status_filter.findData(status.value if status else "")
        self.status_filter.setCurrentIndex(max(0, index))

    def apply_search(self, text: str) -> bool:
        self.filter_box.setText(text)
        return True

    def selected(self) -> RetentionRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].data(ROW_ROLE)
        return row if isinstance(row, RetentionRow) else None

    def select_ref(self, ref: str) -> None:
        for proxy_row in range(self.proxy.rowCount()):
            index = self.proxy.index(proxy_row, 0)
            row = index.data(ROW_ROLE)
            if isinstance(row, RetentionRow) and row.ref == ref:
                self.table.selectRow(proxy_row)
                return

    def _filter_changed(self) -> None:
        value = self.status_filter.currentData()
        self.proxy.set_status(RetentionStatus(value) if value else None)

    def _selection_changed(self, *_: QItemSelection) -> None:
        row = self.selected()
        busy = self.progress.task is not None
        status = row.status if row else None
        self.hold_button.setEnabled(not busy and status in (
            RetentionStatus.KEPT, RetentionStatus.DUE, RetentionStatus.OVERDUE))
        self.release_button.setEnabled(not busy and status is RetentionStatus.HELD)
        self.reopen_button.setEnabled(not busy and row is not None
                                      and status is not RetentionStatus.DESTROYED)
        self.destroy_button.setEnabled(not busy and status in (RetentionStatus.DUE,
                                                               RetentionStatus.OVERDUE))
        self.certificate_button.setEnabled(status is RetentionStatus.DESTROYED)

    # -- actions -------------------------------------------------------------------------------

    def _after_change(self) -> None:
        self.context.events.changed.emit()
        self.refresh()

    def hold(self) -> None:
        row = self.selected()
        if row is None:
            return
        service = self.context.session.retention
        dialog = RetentionReasonDialog(
            f"Legal hold on {row.ref}",
            "While on hold the case is never due for destruction, whatever its retention date. "
            "Use it for a tribunal claim, a grievance appeal or a subject access request.",
            "Put on hold", lambda reason: service.hold(row.ref, reason=reason),
            placeholder="e.g. employment tribunal claim lodged", parent=self)
        if dialog.exec() == RetentionReasonDialog.DialogCode.Accepted:
            self._after_change()

    def release(self) -> None:
        row = self.selected()
        if row is None:
            return
        service = self.context.session.retention
        dialog = RetentionReasonDialog(
            f"Release the hold on {row.ref}",
            "The case becomes due again if its retention date has passed.", "Release hold",
            lambda reason: service.release(row.ref, reason=reason or None), required=False,
            parent=self)
        if dialog.exec() == RetentionReasonDialog.DialogCode.Accepted:
            self._after_change()

    def reopen(self) -> None:
        row = self.selected()
        if row is None:
            return
        service = self.context.session.retention
        dialog = RetentionReasonDialog(
            f"Reopen case {row.ref}",
            "Reopening clears the retention date; the case closes again through the checklist.",
            "Reopen case", lambda reason: service.reopen(row.ref, reason=reason),
            placeholder="e.g. the member has new evidence", parent=self)
        if dialog.exec() == RetentionReasonDialog.DialogCode.Accepted:
            self._after_change()

    def confirm_destroy_dialog(self, row: RetentionRow) -> ConfirmDestroyDialog:
        summary = (f"{row.category}, closed {format_uk_date(row.closed)}; retention date "
                   f"{format_uk_date(row.retain_until)} ({row.rule}).")
        return ConfirmDestroyDialog(row.ref, summary=summary, parent=self)

    def destroy_selected(self) -> None:
        row = self.selected()
        if row is None or self.progress.task is not None:
            return
        dialog = self.confirm_destroy_dialog(row)
        if dialog.exec() != ConfirmDestroyDialog.DialogCode.Accepted:
            return
        self.start_destroy(row.ref)

    def start_destroy(self, ref: str) -> Task:
        """Run the erase off the GUI thread, its steps shown in the page."""
        service = self.context.session.retention

        def job(control: TaskControl) -> object:
            def progress(done: int, total: int, step: EraseStep) -> None:
                control.progress((done, total, step.label))

            return service.destroy(ref, progress=progress, cancelled=control.is_cancelled)

        task = self.context.tasks.start("destroy case", job)
        self.progress.begin(task, f"Destroying {ref}…", len(ERASE_STEPS))
        task.signals.progress.connect(self.progress.show_step)
        task.signals.finished.connect(lambda view: self._destroyed(ref, view))
        task.signals.failed.connect(self._destroy_failed)
        task.signals.done.connect(self._task_done)
        self._selection_changed()
        return task

    def _destroyed(self, ref: str, view: object) -> None:
        verified = bool(getattr(view, "verified", False))
        self.refresh()
        self.select_ref(ref)
        self.context.events.changed.emit()
        text = (f"Case {ref} has been destroyed. Its destruction certificate "
                f"{getattr(view, 'certificate_id', '')} is kept in the vault; save a copy with "
                "Save certificate….")
        if not verified:
            text += " A verification check failed: see the certificate."
        self.context.message_boxes.information(self, "Case destroyed", text)

    def _destroy_failed(self, error: object) -> None:
        self.refresh()
        if isinstance(error, Cancelled):
            return
        self.context.message_boxes.error(self, "Destruction did not finish",
                                         f"{error} The erase resumes the next time the vault "
                                         "is unlocked.")

    def _task_done(self) -> None:
        self.progress.end()
        self._selection_changed()

    def save_certificate(self) -> None:
        row = self.selected()
        if row is None or row.status is not RetentionStatus.DESTROYED:
            return
        service = self.context.session.retention
        try:
            pdf = service.certificate_pdf(row.ref)
        except VaultError as exc:
            self.context.message_boxes.error(self, "Certificate", str(exc))
            return
        path = self.context.file_dialogs.save_file(
            self, "Save the destruction certificate",
            f"destruction-certificate-{row.ref}.pdf")
        if path is None:
            return
        try:
            atomic_write_bytes(path, pdf)
        except (OSError, StorageError):
            self.context.message_boxes.error(self, "Certificate",
                                             "The certificate could not be saved there.")

    def branch_audit(self) -> BranchAuditDialog:
        dialog = BranchAuditDialog(self.context, self)
        dialog.open()
        return dialog


class _EraseProgress(QWidget):
    """The erase's steps in the page: a label, a bar and Cancel (until the key is destroyed)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        from vault.ui.widgets.task_progress_row import TaskProgressRow

        super().__init__(parent)
        self.row = TaskProgressRow("Destruction", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.row)
        self.hide()

    @property
    def task(self) -> Task | None:
        return self.row.task

    def begin(self, task: Task, text: str, maximum: int) -> None:
        self.row.begin(task, text, maximum)
        self.show()

    def show_step(self, value: object) -> None:
        if isinstance(value, tuple) and len(value) == 3:
            done, total, label = value
            self.row.set_progress(int(done), int(total))
            self.row.set_text(f"{label}… ({int(done) + 1} of {int(total)})")
            # Nothing can be undone once the key is destroyed: Cancel only before that step.
            self.row.cancel_button.setEnabled(int(done) == 0)

    def end(self) -> None:
        self.row.end()
        self.hide()


def retention_reminders(context: PageContext) -> list[HomeItem]:
    """Home: "due for destruction" and "overdue" as counts with a link, never a name."""
    counts = context.session.retention.reminder_counts()
    items = []
    if counts.overdue:
        items.append(HomeItem(
            text=f"{counts.overdue} case{'s' if counts.overdue != 1 else ''} overdue for "
                 "destruction",
            detail="Still held 30 days or more after the retention date. Open Retention to "
                   "destroy, or put on hold.", page=RETENTION_PAGE_KEY, urgent=True))
    if counts.due:
        items.append(HomeItem(
            text=f"{counts.due} case{'s' if counts.due != 1 else ''} due for destruction",
            detail="The archive period has ended. Open Retention to review and destroy.",
            page=RETENTION_PAGE_KEY))
    return items
