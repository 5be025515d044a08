"""Tables remember the column widths (issue 13) and sort order (issue 17) the rep chose.

Both are kept in ``<config dir>/ui-state.ini`` (QSettings, INI format) under the table's
name — numbers only, nothing about any member. Call ``remember_columns`` after a page has set
its default widths: saved widths replace them, and every resize is saved. ``remember_sort``
turns sorting on with the rep's last choice (else the default) and saves every change, so a
table rebuilt at the next unlock, or showing another case, sorts the same way.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QTableView

from vault.settings import default_settings_path


def _store() -> QSettings:
    path = default_settings_path().parent / "ui-state.ini"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return QSettings(str(path), QSettings.Format.IniFormat)


def remember_columns(table: QTableView, key: str) -> None:
    header = table.horizontalHeader()
    saved = _store().value(f"columns/{key}")
    if isinstance(saved, list):
        for column, width in enumerate(saved):
            try:
                value = int(width)
            except (TypeError, ValueError):
                continue
            if 20 <= value <= 2000 and column < header.count():
                table.setColumnWidth(column, value)

    def save(*_args: object) -> None:
        store = _store()
        store.setValue(f"columns/{key}", [header.sectionSize(i) for i in range(header.count())])
        store.sync()

    header.sectionResized.connect(save)


def remember_sort(table: QTableView, key: str, column: int, order: Qt.SortOrder) -> None:
    """Sort ``table`` as the rep last sorted the table named ``key`` — by default on
    ``column`` in ``order`` — and save each column or direction the rep picks from now on."""
    header = table.horizontalHeader()
    chosen = _saved_sort(_store().value(f"sort/{key}"), header.count()) or (column, order)
    table.setSortingEnabled(True)
    table.sortByColumn(*chosen)

    def save(section: int, new_order: Qt.SortOrder) -> None:
        if not 0 <= section < header.count():
            return
        store = _store()
        descending = new_order == Qt.SortOrder.DescendingOrder
        store.setValue(f"sort/{key}", [section, int(descending)])
        store.sync()

    header.sortIndicatorChanged.connect(save)


def _saved_sort(saved: object, columns: int) -> tuple[int, Qt.SortOrder] | None:
    """A saved ``[column, 1 if descending]`` (INI gives strings back), or None if unusable."""
    if not isinstance(saved, list) or len(saved) != 2:
        return None
    try:
        section, descending = int(saved[0]), int(saved[1])
    except (TypeError, ValueError):
        return None
    if not 0 <= section < columns or descending not in (0, 1):
        return None
    return section, (Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder)
