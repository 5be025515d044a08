"""The Reps 2 course session dates and the reminders they drive.

The rep adds the date of each session of their Reps 2 course (future dates are fine); the
training service then reminds them when the course resources should have arrived (the profile
says how long before the course: two weeks) and when homework is due (before the next session).
The panel emits the whole new list of dates; the page gives it to the service.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vault.training.dates import uk_date
from vault.training.service import TrainingOverview
from vault.ui.widgets.uk_date_edit import UkDateEdit

DATE_ROLE = Qt.ItemDataRole.UserRole


class CourseDatesPanel(QFrame):
    dates_changed = Signal(object)  # tuple[dt.date, ...]: the whole new list

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeCard")
        self.setAccessibleName("Course dates and reminders")
        self._dates: tuple[dt.date, ...] = ()

        title = QLabel("Course dates and reminders", self)
        title.setObjectName("sectionTitle")
        title.setAccessibleName("Course dates and reminders")
        self.intro = QLabel(self)
        self.intro.setObjectName("hintText")
        self.intro.setWordWrap(True)
        self.intro.setAccessibleName("About course dates")

        self.dates_list = QListWidget(self)
        self.dates_list.setAccessibleName("Course session dates")
        self.dates_list.setFrameShape(QFrame.Shape.StyledPanel)
        self.dates_list.setStyleSheet("QListWidget::item { padding: 2px 4px; }")
        self.dates_list.itemSelectionChanged.connect(self._update_buttons)
        self.no_dates = QLabel("No course dates recorded yet.", self)
        self.no_dates.setObjectName("hintText")
        self.no_dates.setAccessibleName("No course dates recorded yet")

        self.date_edit = UkDateEdit(today, "Course session date to add", self)
        self.date_edit.submitted.connect(self.add_date)
        self.add_button = QPushButton("Add date", self)
        self.add_button.setAccessibleName("Add this course session date")
        self.add_button.clicked.connect(self.add_date)
        self.remove_button = QPushButton("Remove date", self)
        self.remove_button.setAccessibleName("Remove the selected course session date")
        self.remove_button.clicked.connect(self.remove_selected)
        add_row = QHBoxLayout()
        add_row.addWidget(self.date_edit)
        add_row.addWidget(self.add_button)
        add_row.addStretch(1)
        add_row.addWidget(self.remove_button)

        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setAccessibleName("Problem with the course dates")
        self.error.hide()

        reminders_title = QLabel("Reminders", self)
        reminders_title.setStyleSheet("font-weight: 600;")
        reminders_title.setAccessibleName("Reminders")
        self.reminders = QWidget(self)
        self.reminders_layout = QVBoxLayout(self.reminders)
        self.reminders_layout.setContentsMargins(0, 0, 0, 0)
        self.reminders_layout.setSpacing(6)
        self.reminder_labels: list[QLabel] = []
        self.no_reminders = QLabel("No reminders today.", self)
        self.no_reminders.setObjectName("hintText")
        self.no_reminders.setAccessibleName("No reminders today")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 16)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(self.intro)
        layout.addWidget(self.dates_list)
        layout.addWidget(self.no_dates)
        layout.addLayout(add_row)
        layout.addWidget(self.error)
        layout.addSpacing(6)
        layout.addWidget(reminders_title)
        layout.addWidget(self.reminders)
        layout.addWidget(self.no_reminders)
        self._update_buttons()

    @property
    def dates(self) -> tuple[dt.date, ...]:
        return self._dates

    def set_overview(self, overview: TrainingOverview) -> None:
        profile = overview.profile
        self.intro.setText(
            f"Add the date of each session of your {profile.reps2_course_name} course. The "
            "vault then reminds you when the course resources should have arrived and when "
            "homework is due before the next session.")
        self._dates = tuple(overview.course_dates)
        self.dates_list.clear()
        for number, day in enumerate(self._dates, start=1):
            item = QListWidgetItem(f"Session {number}: {uk_date(day)}")
            item.setData(DATE_ROLE, day)
            self.dates_list.addItem(item)
        if self._dates:
            rows_height = sum(self.dates_list.sizeHintForRow(i) for i in range(len(self._dates)))
            self.dates_list.setFixedHeight(rows_height + 2 * self.dates_list.frameWidth() + 4)
        self.dates_list.setVisible(bool(self._dates))
        self.no_dates.setVisible(not self._dates)

        for label in self.reminder_labels:
            label.hide()
            label.setParent(None)  # out of the widget tree now; deletion is deferred
            label.deleteLater()
        self.reminder_labels.clear()
        for reminder in overview.reminders:
            label = QLabel(("Overdue: " if reminder.overdue else "") + reminder.message,
                           self.reminders)
            label.setObjectName("banner")
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setAccessibleName(f"Reminder: {reminder.title}")
            self.reminders_layout.addWidget(label)
            self.reminder_labels.append(label)
        self.no_reminders.setVisible(not overview.reminders)
        self._update_buttons()

    def add_date(self) -> None:
        day = self.date_edit.day()
        if day in self._dates:
            self.show_error(f"{uk_date(day)} is already a course date.")
            return
        self.dates_changed.emit(tuple(sorted((*self._dates, day))))

    def remove_selected(self) -> None:
        items = self.dates_list.selectedItems()
        if not items:
            return
        gone = items[0].data(DATE_ROLE)
        self.dates_changed.emit(tuple(d for d in self._dates if d != gone))

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.dates_list.selectedItems()))

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def clear(self, today: dt.date) -> None:
        """Empty the panel (lock); the date field goes back to ``today``."""
        self._dates = ()
        self.date_edit.set_day(today)
        self.dates_list.clear()
        for label in self.reminder_labels:
            label.hide()
            label.setParent(None)  # out of the widget tree now; deletion is deferred
            label.deleteLater()
        self.reminder_labels.clear()
        self.intro.clear()
        self.clear_error()
        self._update_buttons()

    def focus_chain(self) -> list[QWidget]:
        return [self.dates_list, self.date_edit, self.add_button, self.remove_button]
