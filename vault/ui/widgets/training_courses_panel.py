"""The Training page's courses: what the rep completed, and a form to record another.

The courses offered are the union profile's (Bectu adds Reps 1 (Freelancer)); a free-title
course ("Other Level 2 course") asks for its title. Each recorded course can be removed (the
page confirms first) and, while the union still needs to hear it, marked as updated on the
union's system by the Education team. The panel only asks; the page calls the service and
hands back the result or the service's reason.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vault.training.dates import uk_date
from vault.training.profile import Course
from vault.training.record import MAX_COURSE_TITLE
from vault.training.service import CourseView, TrainingOverview
from vault.ui.widgets.link_button import LinkButton
from vault.ui.widgets.uk_date_edit import UkDateEdit


def course_detail(course: CourseView, needs_update: bool) -> str:
    """``Level 1 · completed 3 Mar 2026 · Education update not confirmed``."""
    parts = [f"Level {course.level}" if course.level else "Not in this union's profile",
             f"completed {uk_date(course.completed_on)}"]
    if course.from_route:
        parts.append("from the route (course attended)")
    elif course.education_updated_on is not None:
        parts.append(f"record updated {uk_date(course.education_updated_on)}")
    elif needs_update:
        parts.append("Education update not confirmed")
    return " · ".join(parts)


class TrainingCoursesPanel(QFrame):
    record_requested = Signal(str, object, object)   # course id, date, title (or None)
    remove_requested = Signal(object)                # the CourseView
    education_update_requested = Signal(str)         # course id

    def __init__(self, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeCard")
        self.setAccessibleName("Courses")
        self._courses: tuple[Course, ...] = ()
        self.row_buttons: list[QPushButton] = []

        title = QLabel("Courses", self)
        title.setObjectName("sectionTitle")
        title.setAccessibleName("Courses")
        self.rows = QWidget(self)
        self.rows_layout = QVBoxLayout(self.rows)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        self.rows_layout.setSpacing(10)
        self._row_widgets: list[QWidget] = []
        self.empty = QLabel("No courses recorded yet.", self)
        self.empty.setObjectName("hintText")
        self.empty.setAccessibleName("No courses recorded yet")

        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Plain)
        rule.setStyleSheet("color: palette(midlight);")
        form_title = QLabel("Record a course you completed", self)
        form_title.setStyleSheet("font-weight: 600;")
        form_title.setAccessibleName("Record a course you completed")

        self.course_choice = QComboBox(self)
        self.course_choice.setAccessibleName("Course")
        self.course_choice.currentIndexChanged.connect(self._course_changed)
        self.title_edit = QLineEdit(self)
        self.title_edit.setAccessibleName("Course title")
        self.title_edit.setPlaceholderText("e.g. Pensions")
        self.title_edit.setMaxLength(MAX_COURSE_TITLE)
        self.title_edit.returnPressed.connect(self.submit)
        self.date_edit = UkDateEdit(today, "Completed on", self)
        self.date_edit.submitted.connect(self.submit)
        self.record_button = QPushButton("Record course", self)
        self.record_button.setAccessibleName("Record this course")
        self.record_button.clicked.connect(self.submit)
        self.description = QLabel(self)
        self.description.setObjectName("hintText")
        self.description.setWordWrap(True)
        self.description.setAccessibleName("About this course")
        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setAccessibleName("Problem recording the course")
        self.error.hide()

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow("Co&urse", self.course_choice)
        self.form.addRow("", self.description)
        self.form.addRow("&Title", self.title_edit)
        when = QHBoxLayout()
        when.addWidget(self.date_edit)
        when.addStretch(1)
        when.addWidget(self.record_button)
        when_label = QLabel("C&ompleted", self)
        when_label.setBuddy(self.date_edit)
        self.form.addRow(when_label, when)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 16)
        layout.setSpacing(8)
        layout.addWidget(title)
        layout.addWidget(self.rows)
        layout.addWidget(self.empty)
        layout.addWidget(rule)
        layout.addWidget(form_title)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        self._course_changed()

    # -- showing ------------------------------------------------------------------------------

    def set_overview(self, overview: TrainingOverview) -> None:
        profile = overview.profile
        if profile.courses != self._courses:
            self._courses = profile.courses
            self.course_choice.blockSignals(True)
            self.course_choice.clear()
            for course in profile.courses:
                self.course_choice.addItem(course.name, course.id)
            self.course_choice.blockSignals(False)
            self._course_changed()
        needs_update = profile.education_update_wording in overview.status.missing_other
        self._clear_rows()
        for done in overview.courses:
            self._add_row(done, needs_update and done.level == 1 and done.in_profile
                          and done.education_updated_on is None
                          and done.id in profile.level2_open_after)
        self.rows.setVisible(bool(overview.courses))
        self.empty.setVisible(not overview.courses)

    def _add_row(self, course: CourseView, ask_update: bool) -> None:
        row = QWidget(self.rows)
        row.setAccessibleName(course.name)
        row_layout = QVBoxLayout(row)
        row_layout.setContentsMargins(0, 0, 0, 0)
        row_layout.setSpacing(1)
        name = QLabel(course.name, row)
        name.setTextFormat(Qt.TextFormat.PlainText)
        name.setWordWrap(True)
        name.setStyleSheet("font-weight: 600;")
        name.setAccessibleName("Course")
        detail = QLabel(course_detail(course, ask_update), row)
        detail.setObjectName("hintText")
        detail.setWordWrap(True)
        detail.setAccessibleName(f"{course.name}: details")
        row_layout.addWidget(name)
        row_layout.addWidget(detail)
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.setSpacing(4)
        if ask_update:
            updated = LinkButton("Education updated my record", row)
            updated.setAccessibleName(f"The Education team updated your record for {course.name}")
            updated.setToolTip("Press once the Education team has updated your record on the "
                               "union's system after this course (dated today).")
            updated.clicked.connect(
                lambda _c=False, cid=course.id: self.education_update_requested.emit(cid))
            actions.addWidget(updated)
            self.row_buttons.append(updated)
        if not course.from_route:
            remove = LinkButton("Remove…", row)
            remove.setAccessibleName(f"Remove {course.name} from your record")
            remove.setToolTip("Take this course off your record if it was recorded by mistake")
            remove.clicked.connect(lambda _c=False, c=course: self.remove_requested.emit(c))
            actions.addWidget(remove)
            self.row_buttons.append(remove)
        if actions.count():
            actions.addStretch(1)
            row_layout.addLayout(actions)
        self.rows_layout.addWidget(row)
        self._row_widgets.append(row)

    def _clear_rows(self) -> None:
        self.row_buttons.clear()
        for row in self._row_widgets:
            self.rows_layout.removeWidget(row)
            row.hide()
            row.setParent(None)  # out of the widget tree now; deletion is deferred
            row.deleteLater()
        self._row_widgets.clear()

    def remove_button(self, course_name: str) -> QPushButton:
        """The Remove… button of a recorded course (tests and keyboard focus)."""
        for button in self.row_buttons:
            if button.accessibleName() == f"Remove {course_name} from your record":
                return button
        raise KeyError(course_name)

    # -- the form -----------------------------------------------------------------------------

    def selected_course(self) -> Course | None:
        course_id = self.course_choice.currentData()
        return next((c for c in self._courses if c.id == course_id), None)

    def select_course(self, course_id: str) -> None:
        index = self.course_choice.findData(course_id)
        if index < 0:
            raise KeyError(course_id)
        self.course_choice.setCurrentIndex(index)

    def _course_changed(self) -> None:
        course = self.selected_course()
        free = course is not None and course.free_title
        self.form.setRowVisible(self.title_edit, free)
        text = course.description if course is not None else ""
        self.description.setText(text)
        self.form.setRowVisible(self.description, bool(text))
        self.clear_error()

    def submit(self) -> None:
        course = self.selected_course()
        if course is None:
            return
        title = self.title_edit.text() if course.free_title else None
        self.record_requested.emit(course.id, self.date_edit.day(), title)

    def recorded(self, today: dt.date) -> None:
        """The last course was recorded: empty the form for the next one."""
        self.title_edit.clear()
        self.date_edit.set_day(today)
        self.clear_error()

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def clear(self, today: dt.date) -> None:
        """Empty the panel (lock); the date field goes back to ``today``."""
        self._clear_rows()
        self.date_edit.set_day(today)
        self.course_choice.clear()
        self._courses = ()
        self.title_edit.clear()
        self.description.clear()
        self.clear_error()
        self.empty.show()

    def focus_chain(self) -> list[QWidget]:
        return [*self.row_buttons, self.course_choice, self.title_edit, self.date_edit,
                self.record_button]
