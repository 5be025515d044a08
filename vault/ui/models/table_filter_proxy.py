"""Sorting and filtering proxies for the tables: a filter box matches any column, and the
cases proxy adds status and category filters.

Over a ``RowTableModel`` the proxy hands sorting and the status/category filters down to the
model (a Python sort and a list filter over every row, fetched or not), so the table can show a
long list lazily; only the free-text filter runs here, and it first fetches every row so it
matches rows the view has not scrolled to yet."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from vault.casework.cases import CaseSummary
from vault.domain import CaseStatus, Category
from vault.ui.models.row_table_model import FILTER_ROLE, ROW_ROLE, SORT_ROLE, RowTableModel


class TableFilterProxy(QSortFilterProxyModel):
    """Sorts on ``SORT_ROLE``; the filter text matches any column, case-insensitively."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setFilterRole(FILTER_ROLE)
        self.setFilterKeyColumn(-1)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_filter_text(self, text: str) -> None:
        source = self.sourceModel()
        if text.strip() and isinstance(source, RowTableModel):
            source.fetch_all()
        self.setFilterFixedString(text.strip())

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, RowTableModel):
            source.sort(column, order)  # the proxy keeps the model's order
            return
        super().sort(column, order)


class CaseFilterProxy(TableFilterProxy):
    """Adds "open / closed" and category filters to the text filter."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status: CaseStatus | None = None
        self._category: Category | None = None

    def set_status(self, status: CaseStatus | None) -> None:
        self._status = status
        self._filters_changed()

    def set_category(self, category: Category | None) -> None:
        self._category = category
        self._filters_changed()

    def _filters_changed(self) -> None:
        source = self.sourceModel()
        if isinstance(source, RowTableModel):
            status, category = self._status, self._category
            source.set_row_filter(
                None if status is None and category is None else
                lambda s: isinstance(s, CaseSummary)
                and (status is None or s.case.status is status)
                and (category is None or s.case.category is category))
            return
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        summary = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)
        if isinstance(summary, CaseSummary):
            if self._status is not None and summary.case.status is not self._status:
                return False
            if self._category is not None and summary.case.category is not self._category:
                return False
        return super().filterAcceptsRow(source_row, source_parent)
