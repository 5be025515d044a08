"""Sorting and filtering proxies for the tables: a filter box matches any column, and the
cases proxy adds status and category filters."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt

from vault.casework.cases import CaseSummary
from vault.domain import CaseStatus, Category
from vault.ui.models.row_table_model import FILTER_ROLE, ROW_ROLE, SORT_ROLE


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
        self.setFilterFixedString(text.strip())


class CaseFilterProxy(TableFilterProxy):
    """Adds "open / closed" and category filters to the text filter."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._status: CaseStatus | None = None
        self._category: Category | None = None

    def set_status(self, status: CaseStatus | None) -> None:
        self.beginFilterChange()
        self._status = status
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_category(self, category: Category | None) -> None:
        self.beginFilterChange()
        self._category = category
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
