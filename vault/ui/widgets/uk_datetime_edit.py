"""A date-and-time field in UK format ("23 Nov 2026 14:30", local time) that speaks aware
``datetime.datetime``. Used when the rep says when something happened (a call, advice given,
the member told beforehand). Like ``UkDateEdit`` it sets no maximum: the services refuse a time
in the future and say why. Tab leaves the field in one step, as in ``UkDateEdit``.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDateTimeEdit, QWidget

from vault.ui.widgets.uk_date_edit import leave_in_one_step

UK_DATETIME_FORMAT = "d MMM yyyy HH:mm"


class UkDateTimeEdit(QDateTimeEdit):
    def __init__(self, moment: dt.datetime, accessible_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat(UK_DATETIME_FORMAT)
        self.setCalendarPopup(True)
        self.setAccessibleName(accessible_name)
        self.set_moment(moment)

    def focusNextPrevChild(self, next: bool) -> bool:
        return leave_in_one_step(self, next)

    def moment(self) -> dt.datetime:
        """The local time shown, as an aware date-time (seconds dropped)."""
        d = self.dateTime().date()
        t = self.dateTime().time()
        naive = dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())
        return naive.astimezone()

    def set_moment(self, moment: dt.datetime) -> None:
        local = moment.astimezone() if moment.tzinfo is not None else moment
        self.setDateTime(QDateTime(QDate(local.year, local.month, local.day),
                                   QTime(local.hour, local.minute)))
