"""A date field in UK format ("23 Nov 2026") that speaks ``datetime.date`` and submits on Enter.

Used wherever the rep dates something they did (a course, a step of the Reps 2 route) or will
do (a course session). It sets no maximum: the services decide which dates they accept and
say why, so the rep reads one clear reason rather than a field that silently refuses a day.

Tab and Shift+Tab leave the field in one step (Qt's date fields otherwise walk day, month and
year first, so a Tab then Space meant for the next checkbox typed into the year); the arrow keys
still move between day, month and year, and the calendar pop-up stays.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QDateEdit, QWidget

UK_DATE_FORMAT = "d MMM yyyy"


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


class UkDateEdit(QDateEdit):
    """Emits ``submitted`` when the rep presses Enter in the field."""

    submitted = Signal()

    def __init__(self, day: dt.date, accessible_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(UK_DATE_FORMAT)
        self.setCalendarPopup(True)
        self.setAccessibleName(accessible_name)
        self.set_day(day)

    def day(self) -> dt.date:
        return from_qdate(self.date())

    def set_day(self, day: dt.date) -> None:
        self.setDate(to_qdate(day))

    def focusNextPrevChild(self, next: bool) -> bool:
        return leave_in_one_step(self, next)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.interpretText()
            self.submitted.emit()
            event.accept()
            return
        super().keyPressEvent(event)


def leave_in_one_step(field: QAbstractSpinBox, forward: bool) -> bool:
    """Move the focus out of a date field (Tab / Shift+Tab) instead of to its next section,
    keeping what was typed."""
    field.interpretText()
    return QWidget.focusNextPrevChild(field, forward)
