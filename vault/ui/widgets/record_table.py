"""The one way the app shows a list of records: a read-only table of whole-row selections."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from vault.ui.widgets.elided_text_delegate import ElidedTextDelegate


def record_table(parent: QWidget, name: str, model: QAbstractItemModel, *,
                 alternating: bool = True) -> QTableView:
    """A table of ``model`` named ``name`` for screen readers: one row selected at a time, no
    row numbers, no wrapping, columns the rep can resize, and a cell elided for want of room
    shows its whole text as a tooltip (``ElidedTextDelegate``)."""
    table = QTableView(parent)
    table.setAccessibleName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(alternating)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    table.setItemDelegate(ElidedTextDelegate(table))
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table
