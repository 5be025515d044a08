"""A table model over a list of plain records, updated in place by id.

Subclasses declare their columns and how each cell displays and sorts. ``set_rows`` diffs the
new list against the old one by key: removed rows are removed, changed rows get a narrow
``dataChanged``, new rows are inserted — no model reset, so selection and scroll survive a
refresh. ``clear`` empties the model (used on lock).

Roles: ``SORT_ROLE`` returns a native value (dates, ints) for correct sorting through a
``QSortFilterProxyModel``; ``ROW_ROLE`` returns the record itself.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

T = TypeVar("T")

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 2
FILTER_ROLE = int(Qt.ItemDataRole.UserRole) + 3

AnyIndex = QModelIndex | QPersistentModelIndex


class RowTableModel(QAbstractTableModel, Generic[T]):
    """Columns come from ``HEADERS``; subclasses implement ``key``, ``display``, ``sort_value``."""

    HEADERS: tuple[str, ...] = ()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[T] = []

    # -- subclass hooks ------------------------------------------------------------------------

    def key(self, row: T) -> Hashable:
        raise NotImplementedError

    def display(self, row: T, column: int) -> str:
        raise NotImplementedError

    def sort_value(self, row: T, column: int) -> Any:
        return self.display(row, column).casefold()

    def decoration(self, row: T, column: int) -> Any:
        return None

    def tooltip(self, row: T, column: int) -> str | None:
        return None

    def accessible_text(self, row: T, column: int) -> str | None:
        return None

    # -- rows ----------------------------------------------------------------------------------

    @property
    def rows(self) -> list[T]:
        return list(self._rows)

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, key: Hashable) -> int:
        """The row number holding ``key``, or -1."""
        for i, existing in enumerate(self._rows):
            if self.key(existing) == key:
                return i
        return -1

    def set_rows(self, new_rows: Sequence[T]) -> None:
        """Replace the content, emitting only the removals, changes and insertions needed."""
        wanted = {self.key(r): r for r in new_rows}
        for i in range(len(self._rows) - 1, -1, -1):
            if self.key(self._rows[i]) not in wanted:
                self.beginRemoveRows(QModelIndex(), i, i)
                del self._rows[i]
                self.endRemoveRows()
        last_col = max(0, len(self.HEADERS) - 1)
        present: set[Hashable] = set()
        for i, existing in enumerate(self._rows):
            k = self.key(existing)
            present.add(k)
            replacement = wanted[k]
            if replacement != existing:
                self._rows[i] = replacement
                self.dataChanged.emit(self.index(i, 0), self.index(i, last_col))
        additions = [r for r in new_rows if self.key(r) not in present]
        if additions:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(additions) - 1)
            self._rows.extend(additions)
            self.endInsertRows()

    def clear(self) -> None:
        if self._rows:
            self.beginRemoveRows(QModelIndex(), 0, len(self._rows) - 1)
            self._rows.clear()
            self.endRemoveRows()

    # -- Qt model API --------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.parent().isValid():
            return None
        row = self.row_at(index.row())
        column = index.column()
        if row is None or not 0 <= column < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, column)
        if role == SORT_ROLE:
            return self.sort_value(row, column)
        if role == ROW_ROLE:
            return row
        if role == FILTER_ROLE:
            return self.display(row, column)
        if role == Qt.ItemDataRole.DecorationRole:
            return self.decoration(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.accessible_text(row, column)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
