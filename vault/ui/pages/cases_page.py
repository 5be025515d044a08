"""Cases: a sortable table with open/closed, category and text filters; activate a row to open
the case page."""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, Qt
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

from vault.casework.cases import CaseSummary
from vault.domain import CaseStatus, Category
from vault.ui import theme
from vault.ui.background_read import BackgroundRead
from vault.ui.models.case_table_model import CaseTableModel
from vault.ui.models.row_table_model import ROW_ROLE, Ordering, PreparedRows
from vault.ui.models.table_filter_proxy import CaseFilterProxy
from vault.ui.page_context import PageContext
from vault.ui.pages.vault_page import VaultPage
from vault.ui.task_runner import TaskControl
from vault.ui.widgets.column_memory import remember_columns
from vault.ui.widgets.page_header import PageHeader
from vault.ui.widgets.record_table import record_table

log = logging.getLogger(__name__)

_STATUS_CHOICES: tuple[tuple[str, CaseStatus | None], ...] = (
    ("Open cases", CaseStatus.OPEN),
    ("Closed cases", CaseStatus.CLOSED),
    ("All cases", None),
)


class CasesPage(VaultPage):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = CaseTableModel(self)
        self._reader: BackgroundRead[PreparedRows[CaseSummary]] = BackgroundRead(
            context.tasks, "cases", self._read_cases, self._show_cases)
        self._read_ordering: Ordering[CaseSummary] = self.model.ordering
        self.proxy = CaseFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.header = PageHeader("Cases", "Press Enter or double-click a case to open it.", self)
        self.status_filter = QComboBox(self)
        self.status_filter.setAccessibleName("Show cases by status")
        for label, status in _STATUS_CHOICES:
            self.status_filter.addItem(label, status.value if status else "")
        self.status_filter.currentIndexChanged.connect(self._status_changed)
        self.category_filter = QComboBox(self)
        self.category_filter.setAccessibleName("Show cases by category")
        self.category_filter.addItem("All categories", "")
        for category in Category:
            self.category_filter.addItem(category.label, category.value)
        self.category_filter.currentIndexChanged.connect(self._category_changed)
        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText("Filter by reference, member, title…")
        self.filter_box.setAccessibleName("Filter cases")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self.proxy.set_filter_text)
        self.new_button = QPushButton(theme.icon("add-case", 18), "New case", self)
        self.new_button.setAccessibleName("New case")
        self.new_button.clicked.connect(lambda: context.navigator.new_case())

        self.table = record_table(self, "Cases", self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(CaseTableModel.LAST_ACTIVITY, Qt.SortOrder.DescendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(CaseTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        for column, width in ((CaseTableModel.REF, 110), (CaseTableModel.MEMBER, 150),
                              (CaseTableModel.CATEGORY, 150), (CaseTableModel.STATUS, 70),
                              (CaseTableModel.OPENED, 100), (CaseTableModel.LAST_ACTIVITY, 105),
                              (CaseTableModel.FLAGS, 150)):
            self.table.setColumnWidth(column, width)
        remember_columns(self.table, "cases")
        self.table.activated.connect(self._activated)

        self.empty_hint = QLabel("No cases match. Open a case with New case (Ctrl+N).", self)
        self.empty_hint.setObjectName("hintText")
        self.empty_hint.setAccessibleName("No cases")
        self.empty_hint.hide()
        self.proxy.rowsInserted.connect(self._update_empty_hint)
        self.proxy.rowsRemoved.connect(self._update_empty_hint)
        self.proxy.modelReset.connect(self._update_empty_hint)
        self.proxy.layoutChanged.connect(self._update_empty_hint)

        filters = QHBoxLayout()
        filters.addWidget(self.status_filter)
        filters.addWidget(self.category_filter)
        filters.addWidget(self.filter_box, 1)
        filters.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(self.header)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_hint)
        self._status_changed()

    @property
    def is_loaded(self) -> bool:
        """True once the table shows the vault's cases (they are read off the GUI thread)."""
        return self._reader.done_once and not self._reader.loading

    def refresh(self) -> None:
        if not self.context.is_open:
            return
        self._read_ordering = self.model.ordering  # taken here, on the GUI thread
        self._reader.start()

    def _read_cases(self, _control: TaskControl) -> PreparedRows[CaseSummary]:
        # On the worker, both grow with the vault: the read, and the filter and sort of every
        # row (50,000 cases sorted on the GUI thread paused it for a quarter of a second).
        rows = self.context.session.cases.list()
        return self.model.ordered_for(rows, self._read_ordering)

    def _show_cases(self, rows: PreparedRows[CaseSummary]) -> None:
        self.model.set_rows(rows)
        self._update_empty_hint()

    def clear(self) -> None:
        self._reader.cancel()
        self.filter_box.clear()
        self.model.clear()

    def apply_search(self, text: str) -> bool:
        if text and self.status_filter.currentData() != "":
            self.status_filter.setCurrentIndex(self.status_filter.findData(""))
        self.filter_box.setText(text)
        return True

    def selected(self) -> CaseSummary | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        summary = rows[0].data(ROW_ROLE)
        return summary if isinstance(summary, CaseSummary) else None

    def _status_changed(self) -> None:
        value = self.status_filter.currentData()
        self.proxy.set_status(CaseStatus(value) if value else None)
        self._update_empty_hint()

    def _category_changed(self) -> None:
        value = self.category_filter.currentData()
        self.proxy.set_category(Category(value) if value else None)
        self._update_empty_hint()

    def _activated(self, index: QModelIndex) -> None:
        summary = index.data(ROW_ROLE)
        if isinstance(summary, CaseSummary):
            self.context.navigator.open_case(summary.case.ref)

    def _update_empty_hint(self) -> None:
        self.empty_hint.setVisible(self.proxy.rowCount() == 0)
