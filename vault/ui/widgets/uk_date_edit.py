"""A date field in UK format ("23 Nov 2026") that speaks ``datetime.date`` and submits on Enter.

Used wherever the rep dates something they did (a course, a step of the Reps 2 route) or will
do (a course session). It sets no maximum: the services decide which dates they accept and
say why, so the rep reads one clear reason rather than a field that silently refuses a day.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDateEdit, QWidget

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

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.interpretText()
            self.submitted.emit()
            event.accept()
            return
        super().keyPressEvent(event)
