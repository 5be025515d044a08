"""Table cells whose text is elided say it whole in a tooltip.

A model may give a cell its own tooltip (``ToolTipRole``); this delegate only fills the gap:
when a cell has none and its text does not fit the column, hovering it (or the screen
reader's "what's this") shows the full text. Cells that fit show no tooltip. Used by every
``record_table``.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolTip,
)

# Room the style keeps around cell text (focus frame and margins) on top of the text width.
CELL_TEXT_MARGIN = 8


class ElidedTextDelegate(QStyledItemDelegate):
    def elided_tooltip(self, option: QStyleOptionViewItem,
                       index: QModelIndex | QPersistentModelIndex) -> str | None:
        """The cell's full text when it does not fit ``option.rect`` and the model gives the
        cell no tooltip of its own; else None."""
        if index.data(Qt.ItemDataRole.ToolTipRole):
            return None
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(text, str) or not text:
            return None
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget).width()
        needed = opt.fontMetrics.horizontalAdvance(text) + CELL_TEXT_MARGIN
        return text if needed > room else None

    def helpEvent(self, event: QHelpEvent, view: QAbstractItemView,
                  option: QStyleOptionViewItem,
                  index: QModelIndex | QPersistentModelIndex) -> bool:
        if event is not None and event.type() == QHelpEvent.Type.ToolTip and index.isValid():
            full = self.elided_tooltip(option, index)
            if full is not None:
                QToolTip.showText(event.globalPos(), full, view)
                return True
        return super().helpEvent(event, view, option, index)
