"""Members: a sortable, filterable table and the chosen member's details and cases."""

from __future__ import annotations

import logging

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vault.casework.members import MemberSummary
from vault.ui import theme
from vault.ui.background_read import BackgroundRead
from vault.ui.dialogs.edit_member_dialog import EditMemberDialog
from vault.ui.dialogs.subject_access_dialog import SubjectAccessDialog
from vault.ui.models.member_table_model import MemberTableModel
from vault.ui.models.row_table_model import ROW_ROLE, Ordering, PreparedRows
from vault.ui.models.table_filter_proxy import TableFilterProxy
from vault.ui.page_context import PageContext
from vault.ui.pages.member_detail_panel import MemberDetailPanel
from vault.ui.pages.vault_page import VaultPage
from vault.ui.task_runner import TaskControl
from vault.ui.widgets.column_memory import remember_columns
from vault.ui.widgets.page_header import PageHeader
from vault.ui.widgets.record_table import record_table

log = logging.getLogger(__name__)


class MembersPage(VaultPage):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = MemberTableModel(self)
        self._select_after_load: str | None = None
        self._reader: BackgroundRead[PreparedRows[MemberSummary]] = BackgroundRead(
            context.tasks, "members", self._read_members, self._show_members)
        self._read_ordering: Ordering[MemberSummary] = self.model.ordering
        self.proxy = TableFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.header = PageHeader("Members", "Everyone you represent. Choose a member to see "
                                 "their cases.", self)
        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText("Filter members")
        self.filter_box.setAccessibleName("Filter members")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self.proxy.set_filter_text)
        self.add_button = QPushButton(theme.icon("add-member", 18), "New member", self)
        self.add_button.setAccessibleName("New member")
        self.add_button.clicked.connect(lambda: context.navigator.new_member())

        self.table = record_table(self, "Members", self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(MemberTableModel.NAME, Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(MemberTableModel.NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in ((MemberTableModel.NUMBER, 125), (MemberTableModel.EMPLOYER, 155),
                              (MemberTableModel.EMAIL, 215)):
            self.table.setColumnWidth(column, width)
        # "Open cases" sized to its heading, so it is never clipped.
        header.setSectionResizeMode(MemberTableModel.OPEN_CASES,
                                    QHeaderView.ResizeMode.ResizeToContents)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        remember_columns(self.table, "members")

        self.detail = MemberDetailPanel(self)
        self.detail.case_activated.connect(lambda ref: context.navigator.open_case(ref))
        self.detail.new_case_requested.connect(lambda mid: context.navigator.new_case(mid))
        self.detail.edit_requested.connect(self.edit_member)
        self.edit_dialog: EditMemberDialog | None = None
        self.detail.subject_access_requested.connect(self.open_subject_access)
        self.subject_access_dialog: SubjectAccessDialog | None = None

        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.add_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([780, 320])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(self.header)
        layout.addWidget(splitter, 1)

    def open_subject_access(self, member_id: str) -> SubjectAccessDialog:
        """Open the subject access export of ``member_id`` (non-modal to the app's work)."""
        dialog = SubjectAccessDialog(self.context, member_id, self)
        dialog.finished.connect(dialog.deleteLater)
        self.subject_access_dialog = dialog
        dialog.open()
        return dialog

    @property
    def is_loaded(self) -> bool:
        """True once the table shows the vault's members (read off the GUI thread)."""
        return self._reader.done_once and not self._reader.loading

    def refresh(self) -> None:
        if not self.context.is_open:
            return
        self._read_ordering = self.model.ordering  # taken here, on the GUI thread
        self._reader.start()

    def _read_members(self, _control: TaskControl) -> PreparedRows[MemberSummary]:
        # On the worker: the read and the sort of every row both grow with the vault.
        rows = self.context.session.members.list()
        return self.model.ordered_for(rows, self._read_ordering)

    def _show_members(self, rows: PreparedRows[MemberSummary]) -> None:
        self.model.set_rows(rows)
        pending, self._select_after_load = self._select_after_load, None
        if pending is not None:
            self.select_member(pending)
        self._show_selected()

    def edit_member(self, member_id: str) -> EditMemberDialog | None:
        """Open the correction dialog for ``member_id`` (also used by tests)."""
        if not self.context.is_open:
            return None
        member = self.context.session.members.get(member_id)
        self.edit_dialog = EditMemberDialog(self.context, member, self)
        self.edit_dialog.member_edited.connect(lambda _mid: self.refresh())
        self.edit_dialog.open()
        return self.edit_dialog

    def clear(self) -> None:
        self._reader.cancel()
        self._select_after_load = None
        if self.edit_dialog is not None:
            self.edit_dialog.reject()
            self.edit_dialog = None
        self.filter_box.clear()
        self.detail.clear()
        self.model.clear()

    def apply_search(self, text: str) -> bool:
        self.filter_box.setText(text)
        return True

    def select_member(self, member_id: str) -> None:
        """Select ``member_id`` in the table (clearing a filter that hides it); while the
        table is still being read, once it is."""
        if self._reader.loading:
            self._select_after_load = member_id
            return
        row = self.model.row_of(member_id)
        if row < 0:
            return
        source_index = self.model.index(row, 0)
        if not self.proxy.mapFromSource(source_index).isValid():
            self.filter_box.clear()
        proxy_index = self.proxy.mapFromSource(source_index)
        self.table.selectRow(proxy_index.row())
        self.table.scrollTo(proxy_index)

    def selected(self) -> MemberSummary | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        summary = rows[0].data(ROW_ROLE)
        return summary if isinstance(summary, MemberSummary) else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        summary = self.selected()
        if summary is None or not self.context.is_open:
            self.detail.clear()
            return
        session = self.context.session
        cases = session.cases.list(member_id=summary.member.id)
        details: dict[str, str] = {}
        for cs in cases:
            c = cs.case
            if c.status.value == "destroyed":
                continue
            docs = len(session.documents.list(c.ref))
            soon = [d for d in session.key_dates.for_case(c.ref) if not d.overdue]
            parts = [f"{docs} document{'' if docs == 1 else 's'}",
                     "shares with branch caseworkers" if c.consent_to_share
                     else "not shared with branch caseworkers"]
            if soon:
                parts.append(f"next: {soon[0].kind.label.lower()} {soon[0].countdown}")
            details[c.ref] = " · ".join(parts)
        self.detail.show_member(summary, cases, details)


