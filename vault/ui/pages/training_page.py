"""The Training page: the rep's own training record and their route to accredited case handler.

From top to bottom: the union profile (chosen, or changed after a confirmation), the derived
status in plain words, the courses completed, the Reps 2 route as a vertical stepper with the
profile's explanation of each step, and the course session dates with the reminders they
drive. "Print record…" writes the training record PDF off the GUI thread.

Every change goes through ``session.training`` (``TrainingService``); the page shows what the
service answers, and a refusal's one-line reason where the rep acted. The status is derived by
the service, never typed in. Before a union is chosen the page only invites the rep to choose
one. ``vault.ui.builtin_pages`` registers the page and its Home section ("Training": a reminder
or the next step, ``training_home_items``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from vault.errors import Cancelled, VaultError
from vault.paths import resources_dir
from vault.training.dates import uk_date
from vault.training.profile import UnionProfile
from vault.training.record import course_names
from vault.training.record_report import render_training_record
from vault.training.service import CourseView, TrainingOverview
from vault.ui.dialogs.print_training_record_dialog import PrintTrainingRecordDialog
from vault.ui.page_context import PageContext
from vault.ui.page_keys import TRAINING_PAGE_KEY
from vault.ui.pages.vault_page import VaultPage
from vault.ui.registry import HomeItem
from vault.ui.task_runner import Task, TaskControl
from vault.ui.widgets.course_dates_panel import CourseDatesPanel
from vault.ui.widgets.page_header import PageHeader
from vault.ui.widgets.route_stepper import RouteStepper
from vault.ui.widgets.task_progress_row import TaskProgressRow
from vault.ui.widgets.training_courses_panel import TrainingCoursesPanel
from vault.ui.widgets.training_status_card import TrainingStatusCard
from vault.ui.widgets.useful_links_label import linkified, make_links_clickable

log = logging.getLogger(__name__)

PAGE_KEY = TRAINING_PAGE_KEY
SUGGESTED_PDF_NAME = "training-record.pdf"
CHOOSE_UNION_TEXT = ("Choose your union to start. Its profile sets the courses, the Reps 2 "
                     "route and the words used on this page. You can change it later.")


def training_home_items(context: PageContext) -> list[HomeItem]:
    """The Home section: training reminders (overdue first), then the next step unless a
    reminder already names it."""
    training = context.session.training
    if training.current_profile() is None:
        return [HomeItem(text="Choose your union profile",
                         detail="Then record your courses and your route to accredited case "
                                "handler.", page=PAGE_KEY)]
    overview = training.show()
    items = [HomeItem(text=f"Training: {r.title}", detail=r.message, page=PAGE_KEY,
                      urgent=r.overdue) for r in overview.reminders]
    status = overview.status
    step = status.next_step
    reminded = {r.step_id for r in overview.reminders}
    if step is not None and not status.is_accredited_case_handler and step.id not in reminded:
        detail = (status.headline if step.title not in status.headline
                  else "Open Training to tick it once it is done.")
        items.append(HomeItem(text=f"Training next step: {step.title}", detail=detail,
                              page=PAGE_KEY))
    return items


def _card(parent: QWidget, name: str) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame(parent)
    card.setObjectName("homeCard")
    card.setAccessibleName(name)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(18, 14, 18, 16)
    layout.setSpacing(6)
    return card, layout


def _text(parent: QWidget, name: str, object_name: str = "hintText") -> QLabel:
    label = QLabel(parent)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(name)
    return label


class TrainingPage(VaultPage):
    """Emits ``printed(path)`` once the training record PDF is written."""

    printed = Signal(object)

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        today = context.clock.today()
        self._overview: TrainingOverview | None = None
        self._shown_key: str | None = None
        self._rep_name = ""
        self._print_task: Task | None = None
        self.print_dialog: PrintTrainingRecordDialog | None = None

        self.header = PageHeader("Training", "Your own training record and your route to "
                                 "accredited case handler. It holds nothing about members.",
                                 self)
        self.print_button = QPushButton("Print record…", self)
        self.print_button.setAccessibleName("Print your training record")
        self.print_button.setToolTip("Save your training record as a PDF")
        self.print_button.clicked.connect(self.print_record)
        self.print_progress = TaskProgressRow("Print record", self)
        self.print_result = _text(self, "Training record saved")

        # -- union profile ----------------------------------------------------------------
        self.union_card, union_layout = _card(self, "Union profile")
        self.union_title = QLabel("Union profile", self.union_card)
        self.union_title.setObjectName("sectionTitle")
        self.union_choice = QComboBox(self.union_card)
        self.union_choice.setAccessibleName("Union profile")
        self.union_choice.setMinimumWidth(220)
        self.union_choice.setPlaceholderText("Choose…")
        self.union_choice.currentIndexChanged.connect(self._update_union_button)
        self.choose_button = QPushButton("Use this union", self.union_card)
        self.choose_button.clicked.connect(self.choose_union)
        self.other_union_button = QPushButton("Another union…", self.union_card)
        self.other_union_button.setAccessibleName("How to add another union")
        self.other_union_button.clicked.connect(self.explain_other_union)
        self.union_intro = _text(self.union_card, "About the union profile")
        self.union_error = _text(self.union_card, "Problem choosing the union", "errorText")
        self.union_error.hide()
        union_row = QHBoxLayout()
        union_row.setSpacing(8)
        union_label = QLabel("&Union", self.union_card)
        union_label.setBuddy(self.union_choice)
        union_row.addWidget(union_label)
        union_row.addWidget(self.union_choice)
        union_row.addWidget(self.choose_button)
        union_row.addStretch(1)
        union_row.addWidget(self.other_union_button)
        union_layout.addWidget(self.union_title)
        union_layout.addLayout(union_row)
        union_layout.addWidget(self.union_intro)
        union_layout.addWidget(self.union_error)

        # -- status, courses, route, dates --------------------------------------------------
        self.status_card = TrainingStatusCard(self)
        self.courses = TrainingCoursesPanel(today, self)
        self.courses.record_requested.connect(self.record_course)
        self.courses.remove_requested.connect(self.remove_course)
        self.courses.education_update_requested.connect(self.confirm_education_update)

        self.route_card, route_layout = _card(self, "Reps 2 route")
        self.route_title = QLabel(self.route_card)
        self.route_title.setObjectName("sectionTitle")
        self.route_title.setWordWrap(True)
        self.route_intro = _text(self.route_card, "About the Reps 2 route")
        make_links_clickable(self.route_intro)  # the profile's sentence may hold an address
        self.route_closed = _text(self.route_card, "Why the Reps 2 route is not open", "banner")
        self.stepper = RouteStepper(self.route_card)
        self.stepper.tick_requested.connect(self.tick_step)
        self.stepper.untick_requested.connect(self.untick_step)
        route_layout.addWidget(self.route_title)
        route_layout.addWidget(self.route_intro)
        route_layout.addWidget(self.route_closed)
        route_layout.addSpacing(6)
        route_layout.addWidget(self.stepper)

        self.dates = CourseDatesPanel(today, self)
        self.dates.dates_changed.connect(self.set_course_dates)

        # -- layout ---------------------------------------------------------------------
        header_row = QHBoxLayout()
        header_row.addWidget(self.header, 1)
        header_row.addWidget(self.print_button, 0, Qt.AlignmentFlag.AlignTop)
        left = QVBoxLayout()
        left.setSpacing(12)
        left.addWidget(self.status_card)
        left.addWidget(self.route_card)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(12)
        right.addWidget(self.courses)
        right.addWidget(self.dates)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.setSpacing(12)
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(20, 16, 20, 16)
        body_layout.setSpacing(12)
        body_layout.addLayout(header_row)
        body_layout.addWidget(self.print_progress)
        body_layout.addWidget(self.print_result)
        body_layout.addWidget(self.union_card)
        body_layout.addLayout(columns, 1)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(body)
        self.scroll_area.setAccessibleName("Training")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroll_area)
        self._show_record(False)
        self._update_union_button()
        self.print_result.hide()

    # -- loading ------------------------------------------------------------------------------

    @property
    def overview(self) -> TrainingOverview | None:
        """What the page shows now; None before a union is chosen (or after lock)."""
        return self._overview

    def refresh(self) -> None:
        if not self.context.is_open:
            return
        training = self.context.session.training
        current = training.current_profile()
        self._fill_union_choice(training.profiles(), current)
        if current is None:
            self._show_invitation()
            return
        overview = training.show()
        if overview != self._overview:
            self._render(overview)

    def _fill_union_choice(self, profiles: list[UnionProfile],
                           current: UnionProfile | None) -> None:
        keys = [p.key for p in profiles]
        shown = [self.union_choice.itemData(i) for i in range(self.union_choice.count())]
        current_key = current.key if current is not None else None
        if shown != keys:
            self.union_choice.blockSignals(True)
            self.union_choice.clear()
            for profile in profiles:
                self.union_choice.addItem(profile.name, profile.key)
                self.union_choice.setItemData(self.union_choice.count() - 1,
                                              profile.full_name, Qt.ItemDataRole.ToolTipRole)
            self.union_choice.blockSignals(False)
            self._shown_key = None
        if current_key is None and self._shown_key is None and shown != keys:
            self.union_choice.setCurrentIndex(-1)  # no union until the rep picks one
        elif current_key is not None and current_key != self._shown_key:
            self.union_choice.setCurrentIndex(self.union_choice.findData(current_key))
        self._shown_key = current_key
        self._update_union_button()

    def _update_union_button(self) -> None:
        chosen = self._shown_key
        selected = self.union_choice.currentData()
        if chosen is None:
            self.choose_button.setText("Use this union")
            self.choose_button.setAccessibleName("Use the selected union profile")
        else:
            self.choose_button.setText("Change union…")
            self.choose_button.setAccessibleName("Change to the selected union profile")
        self.choose_button.setEnabled(selected is not None and selected != chosen)

    def _show_invitation(self) -> None:
        self._overview = None
        self.union_title.setText("Choose your union")
        self.union_intro.setText(CHOOSE_UNION_TEXT)
        self._show_record(False)
        self._update_tab_order()

    def _show_record(self, visible: bool) -> None:
        for widget in (self.status_card, self.courses, self.route_card, self.dates):
            widget.setVisible(visible)
        self.print_button.setEnabled(visible and self._print_task is None)

    def _render(self, overview: TrainingOverview) -> None:
        self._overview = overview
        profile = overview.profile
        status = overview.status
        self.union_title.setText("Union profile")
        self.union_intro.setText(
            f"{profile.full_name}. The courses, the route and the wording below follow its "
            "profile. Changing union later keeps your record.")
        self.status_card.set_overview(overview)
        self.courses.set_overview(overview)

        self.route_title.setText(f"{profile.reps2_course_name}: the route to accreditation")
        # The status card already says the profile's Reps 2 sentence when the route has not
        # started: say it once, not again above the route.
        intro = "" if status.explanation == profile.reps2_wording else profile.reps2_wording
        if profile.letters and status.reps2_open:
            intro += (" " if intro else "") + "At the end: " + "; ".join(profile.letters) + "."
        self.route_intro.setText(linkified(intro))
        self.route_intro.setVisible(bool(intro))
        if status.reps2_open:
            self.route_closed.clear()
            self.route_closed.hide()
            self.stepper.set_steps(overview.steps, overview.today)
            self.stepper.show()
        else:
            self.route_closed.setText(
                f"Not open yet: the route opens once you have completed "
                f"{course_names(profile, profile.reps2_open_after)}.")
            self.route_closed.show()
            self.stepper.clear()
            self.stepper.hide()
        self.dates.set_overview(overview)
        self._show_record(True)
        self.dates.setVisible(status.reps2_open)
        self._update_tab_order()

    def _update_tab_order(self) -> None:
        chain: list[QWidget] = [self.print_button, self.union_choice, self.choose_button,
                                self.other_union_button, *self.courses.focus_chain(),
                                *self.stepper.focus_chain(), *self.dates.focus_chain()]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def clear(self) -> None:
        if self.print_dialog is not None:
            self.print_dialog.reject()
            self.print_dialog = None
        self._overview = None
        self._shown_key = None
        self._rep_name = ""
        self._print_task = None
        self.print_progress.end()
        self.print_result.clear()
        self.print_result.hide()
        today = self.context.clock.today()
        self.status_card.clear()
        self.courses.clear(today)
        self.stepper.clear()
        self.dates.clear(today)
        self.union_choice.clear()
        for label in (self.union_intro, self.union_error, self.route_title, self.route_intro,
                      self.route_closed):
            label.clear()
        self._show_record(False)

    # -- changes ------------------------------------------------------------------------------

    def _write(self, change: Callable[[], TrainingOverview],
               refused: Callable[[str], None]) -> bool:
        """Run one service call; show its answer, or its reason through ``refused``."""
        if not self.context.is_open:
            return False
        try:
            overview = change()
        except VaultError as exc:
            log.info("training change refused: %s", type(exc).__name__)
            refused(str(exc))
            return False
        self._render(overview)
        self.context.events.changed.emit()
        return True

    def choose_union(self) -> bool:
        """Choose the selected union, or change to it after a confirmation."""
        if not self.context.is_open:
            return False
        training = self.context.session.training
        key = self.union_choice.currentData()
        current = training.current_profile()
        if key is None or (current is not None and current.key == key):
            return False
        self.union_error.hide()
        if current is not None:
            name = self.union_choice.currentText()
            if not self.context.message_boxes.confirm(
                    self, "Change union profile?",
                    f"Change your union profile from {current.name} to {name}?",
                    accept_text="Change union",
                    informative="Your courses and ticked steps stay on record. Those the new "
                                "profile does not know are set aside, not deleted, and count "
                                "again if you change back."):
                self.union_choice.setCurrentIndex(self.union_choice.findData(current.key))
                return False
        try:
            training.choose_union(str(key))
        except VaultError as exc:
            self.union_error.setText(str(exc))
            self.union_error.show()
            return False
        self._overview = None
        self.refresh()
        self.context.events.changed.emit()
        return True

    def explain_other_union(self) -> None:
        folder = resources_dir() / "unions"
        self.context.message_boxes.information(
            self, "Another union",
            "Each union is a profile: a small data file with its courses, its Reps 2 route and "
            "its wording. The app comes with UCU, Bectu and Prospect, and an example to copy "
            "(“Other union (example)”).\n\n"
            f"To add your union, copy custom.toml in {folder}, give it a new key and your "
            "union's names, courses and steps, save it in the same folder and start the app "
            "again. Your union's regional office or education team can tell you its route.")

    def record_course(self, course_id: str, on: dt.date, title: str | None) -> bool:
        self.courses.clear_error()
        training = self.context.session.training
        done = self._write(lambda: training.record(course_id, on, title=title),
                           self.courses.show_error)
        if done:
            self.courses.recorded(self.context.clock.today())
        return done

    def remove_course(self, course: CourseView) -> bool:
        if self._overview is None:
            return False
        self.courses.clear_error()
        if not self.context.message_boxes.confirm(
                self, "Remove this course?",
                f"Remove {course.name} (completed {uk_date(course.completed_on)}) from your "
                "training record?", accept_text="Remove course", dangerous=True,
                informative="Only do this if it was recorded by mistake. Your status is worked "
                            "out again without it."):
            return False
        known = self._overview.profile.course(course.id)
        title = course.name if known is None or known.free_title else None
        training = self.context.session.training
        return self._write(lambda: training.untick(course.id, title=title),
                           self.courses.show_error)

    def confirm_education_update(self, course_id: str) -> bool:
        self.courses.clear_error()
        training = self.context.session.training
        return self._write(lambda: training.confirm_education_update(course_id),
                           self.courses.show_error)

    def tick_step(self, step_id: str, on: dt.date) -> bool:
        row = self.stepper.row(step_id)
        row.clear_error()
        training = self.context.session.training
        done = self._write(lambda: training.record(step_id, on), row.show_error)
        if done:
            self._focus_after(step_id)
        return done

    def _focus_after(self, step_id: str) -> None:
        """After a tick, put the focus on the next step still to tick."""
        rows = self.stepper.rows
        ids = [r.step.id for r in rows]
        start = ids.index(step_id) + 1 if step_id in ids else 0
        for row in [*rows[start:], *rows[:start]]:
            if not row.tick_button.isHidden():
                row.tick_button.setFocus(Qt.FocusReason.OtherFocusReason)
                return
        self.print_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def untick_step(self, step_id: str) -> bool:
        row = self.stepper.row(step_id)
        row.clear_error()
        step = row.step
        when = f" (done {uk_date(step.done_on)})" if step.done_on else ""
        if not self.context.message_boxes.confirm(
                self, "Untick this step?", f"Untick '{step.title}'{when}?",
                accept_text="Untick", dangerous=True,
                informative="Only do this if it was ticked by mistake. Its date is forgotten."):
            return False
        training = self.context.session.training
        done = self._write(lambda: training.untick(step_id), row.show_error)
        if done:
            self.stepper.row(step_id).tick_button.setFocus(Qt.FocusReason.OtherFocusReason)
        return done

    def set_course_dates(self, dates: tuple[dt.date, ...]) -> bool:
        self.dates.clear_error()
        training = self.context.session.training
        return self._write(lambda: training.set_course_dates(list(dates)),
                           self.dates.show_error)

    # -- print record -------------------------------------------------------------------------

    def print_record(self) -> PrintTrainingRecordDialog | None:
        """Ask for the rep's name (optional), then where to save; None if it cannot start."""
        if self._print_task is not None or self._overview is None or not self.context.is_open:
            return None
        dialog = PrintTrainingRecordDialog(self._rep_name, self.window())
        dialog.accepted.connect(lambda: self._save_record(dialog.rep_name()))
        dialog.finished.connect(self._print_dialog_closed)
        self.print_dialog = dialog
        dialog.open()
        return dialog

    def _print_dialog_closed(self) -> None:
        dialog = self.print_dialog
        self.print_dialog = None
        if dialog is not None:
            dialog.deleteLater()

    def _save_record(self, rep_name: str) -> Task | None:
        if not self.context.is_open or self._print_task is not None:
            return None
        self._rep_name = rep_name
        path = self.context.file_dialogs.save_file(self, "Save your training record",
                                                   SUGGESTED_PDF_NAME)
        if path is None:
            return None
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
            if path.exists() and not self.context.message_boxes.confirm(
                    self, "Replace the file?", f"{path.name} already exists. Replace it?",
                    accept_text="Replace", dangerous=True):
                return None
        try:
            overview = self.context.session.training.show()
        except VaultError as exc:
            self.context.message_boxes.warning(self, "Print record", str(exc))
            return None
        name = rep_name or None
        vault_root = self.context.session.root

        def job(control: TaskControl) -> Path:
            control.check_cancelled()
            render_training_record(overview, name, path, vault_root=vault_root)
            return path

        task = self.context.tasks.start("training-record-pdf", job)
        self._print_task = task
        self.print_button.setEnabled(False)
        self.print_result.hide()
        self.print_progress.begin(task, "Writing your training record…", 0)
        task.signals.finished.connect(self._printed)
        task.signals.failed.connect(self._print_failed)
        return task

    def _print_done(self) -> None:
        self._print_task = None
        self.print_progress.end()
        self.print_button.setEnabled(self._overview is not None)

    def _printed(self, path: object) -> None:
        self._print_done()
        if not isinstance(path, Path):
            return
        self.print_result.setText(f"Your training record was saved to {path}.")
        self.print_result.show()
        self.context.message_boxes.information(
            self, "Training record saved", f"Your training record was saved to:\n{path}")
        self.printed.emit(path)

    def _print_failed(self, error: object) -> None:
        self._print_done()
        if isinstance(error, Cancelled):
            self.print_result.setText("Printing cancelled; nothing was saved.")
            self.print_result.show()
            return
        text = str(error) if isinstance(error, VaultError) else "The record could not be saved."
        self.context.message_boxes.warning(self, "Print record", text)
