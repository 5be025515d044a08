"""The first meeting's two tables: the issues (agreed at the meeting or raised later, and whether
each has been addressed) and the action points (what, who, due, done; overdue highlighted).

Rows are ``Issue`` and ``ActionPoint`` records from ``FirstMeetingService.get``. ``today`` is set
by the tab from the session clock so "overdue" follows the injectable clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QFont

from vault.casework.first_meeting import ActionOwner, ActionPoint, Issue
from vault.domain import format_uk_date
from vault.ui.models.row_table_model import AnyIndex, RowTableModel
from vault.ui.models.trail_table_model import OVERDUE_BACKGROUND

OWNER_LABELS = {
    ActionOwner.REP: "Rep (you)",
    ActionOwner.MEMBER: "Member",
    ActionOwner.UNION: "Union",
}
AGREED_TEXT = "At first meeting"
NEW_TEXT = "New"


def raised_text(issue: Issue) -> str:
    """"At first meeting", or "New, 25 Nov 2026" for an issue raised later."""
    if issue.raised_later:
        return f"{NEW_TEXT}, {format_uk_date(issue.raised_on)}"
    return AGREED_TEXT


def addressed_text(issue: Issue) -> str:
    """"Yes, 24 Nov 2026" or "Not yet" (the note is in the tooltip)."""
    if not issue.addressed:
        return "Not yet"
    return f"Yes, {format_uk_date(issue.addressed_on)}"


class IssueTableModel(RowTableModel[Issue]):
    ISSUE, RAISED, ADDRESSED = range(3)
    HEADERS = ("Issue", "Raised", "Addressed?")

    def key(self, row: Issue) -> Hashable:
        return row.id

    def display(self, row: Issue, column: int) -> str:
        if column == self.ISSUE:
            return row.text
        if column == self.RAISED:
            return raised_text(row)
        if column == self.ADDRESSED:
            return addressed_text(row)
        return ""

    def sort_value(self, row: Issue, column: int) -> Any:
        if column == self.RAISED:
            return (row.raised_later, row.raised_on.toordinal(), row.id)
        return self.display(row, column).casefold()

    def tooltip(self, row: Issue, column: int) -> str | None:
        if column == self.ISSUE:
            return row.text
        if column == self.ADDRESSED and row.addressed_note:
            return f"How it was addressed: {row.addressed_note}"
        if column == self.RAISED:
            return ("Raised after the first meeting" if row.raised_later
                    else "Identified and agreed at the first meeting")
        return None

    def accessible_text(self, row: Issue, column: int) -> str | None:
        if column == self.ADDRESSED and row.addressed_note:
            return f"{addressed_text(row)}: {row.addressed_note}"
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid():
            row = self.row_at(index.row())
            if row is not None and index.column() == self.RAISED and row.raised_later:
                font = QFont()
                font.setBold(True)
                return font
            return None
        return super().data(index, role)


class ActionPointTableModel(RowTableModel[ActionPoint]):
    ACTION, OWNER, DUE, DONE = range(4)
    HEADERS = ("Action point", "Who", "Due", "Done")

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.today = dt.date.today()

    def key(self, row: ActionPoint) -> Hashable:
        return row.id

    def display(self, row: ActionPoint, column: int) -> str:
        if column == self.ACTION:
            return row.text
        if column == self.OWNER:
            return OWNER_LABELS.get(row.owner, row.owner.value)
        if column == self.DUE:
            if row.due is None:
                return "—"
            late = " (overdue)" if row.overdue(self.today) else ""
            return format_uk_date(row.due) + late
        if column == self.DONE:
            return format_uk_date(row.done_on) if row.done_on else "Not yet"
        return ""

    def sort_value(self, row: ActionPoint, column: int) -> Any:
        if column == self.DUE:
            return row.due.toordinal() if row.due else 10**7
        if column == self.DONE:
            return row.done_on.toordinal() if row.done_on else 0
        return self.display(row, column).casefold()

    def tooltip(self, row: ActionPoint, column: int) -> str | None:
        return row.text if column == self.ACTION else None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            row = self.row_at(index.row())
            return OVERDUE_BACKGROUND if row is not None and row.overdue(self.today) else None
        return super().data(index, role)
