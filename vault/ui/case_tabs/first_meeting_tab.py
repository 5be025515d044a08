"""The case First meeting tab: date and place, the issues agreed, the action points, and the
agreed narrative.

The UCU guide: by the end of the first meeting "identify and agree the issues so that specific
action points can be also agreed", and "agree a narrative"; as the case goes on, check back:
"Have you covered all the issues and have any new ones been raised?" So the issues table shows,
for each issue, whether it was agreed at the meeting or raised later ("New"), and whether it has
been addressed. Action points have an owner (rep, member, union), a due date and a done date;
overdue ones are highlighted and counted in the tab badge.

Every change goes through ``FirstMeetingService`` (one paper-trail entry each); the tab then
reloads. A refusal is shown next to the part the rep was working on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QItemSelection, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vault.casework.first_meeting import ActionOwner, ActionPoint, FirstMeeting, Issue
from vault.domain import Case, CaseStatus, format_uk_date
from vault.errors import VaultError
from vault.ui.case_tabs.case_tab import CaseTab
from vault.ui.models.first_meeting_table_models import (
    OWNER_LABELS,
    ActionPointTableModel,
    IssueTableModel,
)
from vault.ui.models.moments import plural
from vault.ui.models.row_table_model import ROW_ROLE
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.record_table import record_table
from vault.ui.widgets.sensitive_text_edit import SensitiveTextEdit
from vault.ui.widgets.short_text_edit import ShortTextEdit
from vault.ui.widgets.uk_date_edit import UkDateEdit

log = logging.getLogger(__name__)

DEFAULT_DUE_DAYS = 7
AGREED = "agreed"
RAISED_LATER = "later"
CHECK_BACK_TEXT = ("Check back as the case goes on: have you covered every issue agreed at the "
                   "first meeting, and have any new ones been raised?")


def _problem_label(parent: QWidget) -> QLabel:
    label = error_label(parent)
    return label


def _table(parent: QWidget, name: str, model: QAbstractItemModel) -> QTableView:
    """A compact table whose first column takes the spare width."""
    table = record_table(parent, name, model, alternating=False)
    table.setMinimumHeight(118)
    table.verticalHeader().setDefaultSectionSize(26)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setStretchLastSection(False)
    return table


class FirstMeetingTab(CaseTab):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.meeting: FirstMeeting | None = None
        today = context.clock.today()

        # -- the meeting ---------------------------------------------------------------------
        meeting_box = QGroupBox("The meeting", self)
        self.meeting_status = QLabel(meeting_box)
        self.meeting_status.setWordWrap(True)
        self.meeting_status.setAccessibleName("First meeting status")
        self.held_on = UkDateEdit(today, "Date of the first meeting", meeting_box)
        self.place = QLineEdit(meeting_box)
        self.place.setAccessibleName("Place of the first meeting")
        self.place.setPlaceholderText("e.g. union office, room 2.14")
        self.save_meeting_button = QPushButton("Save date and place", meeting_box)
        self.save_meeting_button.setAccessibleName("Save the date and place")
        self.save_meeting_button.clicked.connect(self.save_meeting)
        self.held_on.submitted.connect(self.save_meeting)
        self.place.returnPressed.connect(self.save_meeting)
        self.meeting_error = _problem_label(meeting_box)
        meeting_form = QFormLayout()
        meeting_form.addRow("&Date", self.held_on)
        meeting_form.addRow("&Place", self.place)
        meeting_layout = QVBoxLayout(meeting_box)
        meeting_layout.addWidget(self.meeting_status)
        meeting_layout.addLayout(meeting_form)
        meeting_layout.addWidget(self.save_meeting_button, 0, Qt.AlignmentFlag.AlignLeft)
        meeting_layout.addWidget(self.meeting_error)

        # -- the narrative -------------------------------------------------------------------
        narrative_box = QGroupBox("Agreed narrative", self)
        self.narrative = SensitiveTextEdit(narrative_box)
        self.narrative.setAccessibleName("Agreed narrative")
        self.narrative.setPlaceholderText("The account of events agreed with the member, in "
                                          "their words where possible.")
        self.narrative.setTabChangesFocus(True)
        self.narrative.setMinimumHeight(160)
        self.save_narrative_button = QPushButton("Save narrative", narrative_box)
        self.save_narrative_button.setAccessibleName("Save the agreed narrative")
        self.save_narrative_button.clicked.connect(self.save_narrative)
        narrative_hint = QLabel("Every saved version is kept in the paper trail.", narrative_box)
        narrative_hint.setObjectName("hintText")
        narrative_hint.setAccessibleName("About the narrative")
        self.narrative_error = _problem_label(narrative_box)
        narrative_layout = QVBoxLayout(narrative_box)
        narrative_layout.addWidget(self.narrative, 1)
        narrative_row = QHBoxLayout()
        narrative_row.addWidget(self.save_narrative_button)
        narrative_row.addWidget(narrative_hint, 1)
        narrative_layout.addLayout(narrative_row)
        # "Agree a narrative and submit it to the relevant bodies": whether, to whom, when.
        self.submitted_state = QLabel(narrative_box)
        self.submitted_state.setWordWrap(True)
        self.submitted_state.setAccessibleName("Narrative submitted")
        self.submitted_to = QLineEdit(narrative_box)
        self.submitted_to.setAccessibleName("Narrative submitted to")
        self.submitted_to.setPlaceholderText("Submitted to (the union, the employer, a tribunal…)")
        self.submitted_on = UkDateEdit(self.context.clock.today(), "Narrative submitted on",
                                       narrative_box)
        self.submitted_button = QPushButton("Record submission", narrative_box)
        self.submitted_button.setAccessibleName("Record that the narrative was submitted")
        self.submitted_button.clicked.connect(self.record_submission)
        # The field has a row of its own: beside the date and the button it showed
        # "Submitted to (t…" and nothing of what was typed.
        submitted_row = QHBoxLayout()
        submitted_row.addStretch(1)
        submitted_row.addWidget(self.submitted_on)
        submitted_row.addWidget(self.submitted_button)
        narrative_layout.addWidget(self.submitted_state)
        narrative_layout.addWidget(self.submitted_to)
        narrative_layout.addLayout(submitted_row)
        narrative_layout.addWidget(self.narrative_error)

        # -- issues --------------------------------------------------------------------------
        issues_box = QGroupBox("Issues", self)
        self.issues_summary = QLabel(issues_box)
        self.issues_summary.setWordWrap(True)
        self.issues_summary.setAccessibleName("Issues summary")
        self.issue_model = IssueTableModel(self)
        self.issue_table = _table(issues_box, "Issues", self.issue_model)
        self.issue_table.selectionModel().selectionChanged.connect(self._issue_selected)
        self.issue_text = QLineEdit(issues_box)
        self.issue_text.setAccessibleName("New issue")
        # Short enough to read whole beside the two controls of its row.
        self.issue_text.setPlaceholderText("An issue, e.g. 'No warning given'")
        self.issue_text.setToolTip("An issue agreed with the member, e.g. 'No warning before "
                                   "the hearing'. Enter adds it.")
        self.issue_text.returnPressed.connect(self.add_issue)
        self.issue_when = QComboBox(issues_box)
        self.issue_when.setAccessibleName("When the issue was raised")
        self.issue_when.addItem("Agreed at the first meeting", AGREED)
        self.issue_when.addItem("Raised later (new)", RAISED_LATER)
        self.add_issue_button = QPushButton("Add issue", issues_box)
        self.add_issue_button.setAccessibleName("Add the issue")
        self.add_issue_button.clicked.connect(self.add_issue)
        self.addressed_note = QLineEdit(issues_box)
        self.addressed_note.setAccessibleName("How the issue was addressed")
        self.addressed_note.setPlaceholderText("How it was addressed (optional)")
        self.addressed_button = QPushButton("Mark addressed", issues_box)
        self.addressed_button.setAccessibleName("Mark the selected issue addressed")
        self.addressed_button.clicked.connect(self.toggle_addressed)
        self.issue_error = _problem_label(issues_box)
        check_back = QLabel(CHECK_BACK_TEXT, issues_box)
        check_back.setObjectName("hintText")
        check_back.setWordWrap(True)
        check_back.setAccessibleName("Check back against the first meeting")
        self.check_back_button = QPushButton("I have checked back", issues_box)
        self.check_back_button.setAccessibleName("Record a check-back against the first meeting")
        self.check_back_button.setToolTip("Records in the paper trail that you went through the "
                                          "agreed issues with this case; Home reminds you when "
                                          "it has been a while.")
        self.check_back_button.clicked.connect(self.record_check_back)
        add_issue_row = QHBoxLayout()
        add_issue_row.addWidget(self.issue_text, 1)
        add_issue_row.addWidget(self.issue_when)
        add_issue_row.addWidget(self.add_issue_button)
        addressed_row = QHBoxLayout()
        addressed_row.addWidget(self.addressed_note, 1)
        addressed_row.addWidget(self.addressed_button)
        issues_layout = QVBoxLayout(issues_box)
        issues_layout.addWidget(self.issues_summary)
        issues_layout.addWidget(self.issue_table, 1)
        issues_layout.addLayout(addressed_row)
        issues_layout.addLayout(add_issue_row)
        check_back_row = QHBoxLayout()
        check_back_row.addWidget(check_back, 1)
        check_back_row.addWidget(self.check_back_button)
        issues_layout.addLayout(check_back_row)
        issues_layout.addWidget(self.issue_error)

        # -- action points -------------------------------------------------------------------
        actions_box = QGroupBox("Action points", self)
        self.action_model = ActionPointTableModel(self)
        self.action_table = _table(actions_box, "Action points", self.action_model)
        self.action_table.selectionModel().selectionChanged.connect(self._action_selected)
        # Several lines, wrapped: an action point often runs past one line, and a one-line
        # field beside four controls showed only its last words.
        self.action_text = ShortTextEdit(actions_box, lines=2)
        self.action_text.setAccessibleName("New action point")
        self.action_text.setPlaceholderText("What will be done, e.g. 'Request the clock-in "
                                            "records' (Ctrl+Enter adds it)")
        self.action_text.submitted.connect(self.add_action)
        self.action_owner = QComboBox(actions_box)
        self.action_owner.setAccessibleName("Who will do it")
        for owner in ActionOwner:
            self.action_owner.addItem(OWNER_LABELS[owner], owner.value)
        self.action_has_due = QCheckBox("Due", actions_box)
        self.action_has_due.setAccessibleName("The action point has a due date")
        self.action_has_due.setChecked(True)
        self.action_due = UkDateEdit(today + dt.timedelta(days=DEFAULT_DUE_DAYS),
                                     "Action point due on", actions_box)
        self.action_has_due.toggled.connect(self.action_due.setEnabled)
        self.add_action_button = QPushButton("Add action point", actions_box)
        self.add_action_button.setAccessibleName("Add the action point")
        self.add_action_button.clicked.connect(self.add_action)
        self.done_button = QPushButton("Mark done", actions_box)
        self.done_button.setAccessibleName("Mark the selected action point done")
        self.done_button.clicked.connect(self.toggle_done)
        self.action_error = _problem_label(actions_box)
        add_action_row = QHBoxLayout()
        add_action_row.addStretch(1)
        add_action_row.addWidget(self.action_owner)
        add_action_row.addWidget(self.action_has_due)
        add_action_row.addWidget(self.action_due)
        add_action_row.addWidget(self.add_action_button)
        actions_layout = QVBoxLayout(actions_box)
        actions_layout.addWidget(self.action_table, 1)
        done_row = QHBoxLayout()
        done_row.addStretch(1)
        done_row.addWidget(self.done_button)
        actions_layout.addLayout(done_row)
        actions_layout.addWidget(self.action_text)
        actions_layout.addLayout(add_action_row)
        actions_layout.addWidget(self.action_error)

        left = QVBoxLayout()
        left.addWidget(meeting_box)
        left.addWidget(narrative_box, 1)
        right = QVBoxLayout()
        right.addWidget(issues_box, 3)
        right.addWidget(actions_box, 2)
        columns = QHBoxLayout(self)
        columns.setContentsMargins(4, 12, 4, 4)
        columns.setSpacing(12)
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        self._errors = [self.meeting_error, self.narrative_error, self.issue_error,
                        self.action_error]
        self._update_buttons()

    # -- loading -------------------------------------------------------------------------------

    def load(self, case: Case) -> None:
        same_case = self.case is not None and self.case.id == case.id
        super().load(case)
        meeting = self.context.session.first_meeting.get(case.ref)
        self.meeting = meeting
        today = self.context.clock.today()
        if not same_case:
            for label in self._errors:
                label.hide()
            self.issue_text.clear()
            self.action_text.clear()
            self.addressed_note.clear()
            self.action_due.set_day(today + dt.timedelta(days=DEFAULT_DUE_DAYS))
        if not (same_case and self.place.isModified()):
            # Keep what the rep is typing when another change reloads the tab.
            self.held_on.set_day(meeting.held_on or today)
            self.place.setText(meeting.place or "")
        if meeting.recorded:
            where = f" at {meeting.place}" if meeting.place else ""
            self.meeting_status.setText(f"Held on {format_uk_date(meeting.held_on)}{where}.")
        else:
            self.meeting_status.setText("Not recorded yet. Record the date and place of your "
                                        "first meeting with the member.")
        if not self.narrative.document().isModified() or not same_case:
            self.narrative.setPlainText(meeting.narrative or "")
            self.narrative.document().setModified(False)
        if meeting.narrative_submitted:
            self.submitted_state.setText(
                f"Submitted to {meeting.narrative_submitted_to} on "
                f"{format_uk_date(meeting.narrative_submitted_on)}.")
        elif meeting.narrative_submitted is False:
            self.submitted_state.setText(f"Not submitted: {meeting.narrative_not_submitted}")
        else:
            self.submitted_state.setText("Not recorded yet whether the narrative was submitted, "
                                         "or to whom." if meeting.narrative else "")
        self.issue_model.set_rows(meeting.issues)
        self.action_model.today = today
        self.action_model.set_rows(meeting.actions)
        self._summarise(meeting)
        if not self.issue_text.text():
            self.issue_when.setCurrentIndex(
                self.issue_when.findData(self._default_issue_when()))
        overdue = sum(1 for a in meeting.actions if a.overdue(today))
        self.badge_changed.emit(f"{overdue} overdue" if overdue else "")
        self._update_buttons()

    def clear(self) -> None:
        super().clear()
        self.meeting = None
        self.issue_model.clear()
        self.action_model.clear()
        for edit in (self.place, self.issue_text, self.action_text, self.addressed_note):
            edit.clear()
        self.narrative.clear()
        self.meeting_status.clear()
        self.issues_summary.clear()
        for label in self._errors:
            label.clear()
            label.hide()
        self.badge_changed.emit("")
        self._update_buttons()

    def _summarise(self, meeting: FirstMeeting) -> None:
        agreed = meeting.agreed_issues
        new = meeting.new_issues
        if not meeting.issues:
            self.issues_summary.setText("No issues recorded yet. Add the issues you identified "
                                        "and agreed with the member.")
            return
        done = sum(1 for i in agreed if i.addressed)
        text = (f"{plural(len(agreed), 'issue')} agreed at the first meeting, {done} "
                "addressed.")
        if new:
            new_done = sum(1 for i in new if i.addressed)
            text += f" {plural(len(new), 'new issue')} raised later, {new_done} addressed."
        self.issues_summary.setText(text)

    def _default_issue_when(self) -> str:
        """The service's rule made visible: after the meeting day, an issue is new."""
        meeting = self.meeting
        if meeting is None or meeting.held_on is None:
            return AGREED
        return RAISED_LATER if self.context.clock.today() > meeting.held_on else AGREED

    @property
    def editable(self) -> bool:
        return (self.case is not None and self.case.status is CaseStatus.OPEN
                and self.context.is_open)

    def selected_issue(self) -> Issue | None:
        rows = self.issue_table.selectionModel().selectedRows()
        row = rows[0].data(ROW_ROLE) if rows else None
        return row if isinstance(row, Issue) else None

    def selected_action(self) -> ActionPoint | None:
        rows = self.action_table.selectionModel().selectedRows()
        row = rows[0].data(ROW_ROLE) if rows else None
        return row if isinstance(row, ActionPoint) else None

    def _issue_selected(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self._update_buttons()

    def _action_selected(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        editable = self.editable
        self.narrative.setReadOnly(not editable)  # still readable (and scrollable) when closed
        for widget in (self.held_on, self.place, self.save_meeting_button,
                       self.save_narrative_button, self.issue_text, self.issue_when,
                       self.add_issue_button, self.action_text, self.action_owner,
                       self.action_has_due, self.add_action_button, self.addressed_note):
            widget.setEnabled(editable)
        self.action_due.setEnabled(editable and self.action_has_due.isChecked())
        issue = self.selected_issue()
        self.addressed_button.setEnabled(editable and issue is not None)
        self.addressed_button.setText("Mark not addressed" if issue is not None
                                      and issue.addressed else "Mark addressed")
        action = self.selected_action()
        self.done_button.setEnabled(editable and action is not None)
        self.done_button.setText("Reopen" if action is not None and action.done
                                 else "Mark done")

    # -- writing -------------------------------------------------------------------------------

    def _write(self, error: QLabel, change: Callable[[str], object]) -> bool:
        if self.case is None or not self.context.is_open:
            return False
        try:
            change(self.case.ref)
        except VaultError as exc:
            error.setText(str(exc))
            error.show()
            return False
        error.hide()
        self.load(self.case)
        self.context.events.changed.emit()
        return True

    def record_check_back(self) -> bool:
        service = self.context.session.check_back
        return self._write(self.issue_error, lambda ref: service.record(ref))

    def save_meeting(self) -> bool:
        held_on = self.held_on.day()
        place = self.place.text().strip() or None
        service = self.context.session.first_meeting
        self.place.setModified(False)
        return self._write(self.meeting_error,
                           lambda ref: service.record(ref, held_on=held_on, place=place))

    def save_narrative(self) -> bool:
        text = self.narrative.toPlainText()
        service = self.context.session.first_meeting
        if self._write(self.narrative_error, lambda ref: service.set_narrative(ref, text)):
            self.narrative.document().setModified(False)
            return True
        return False

    def record_submission(self) -> bool:
        """Record to whom (and when) the agreed narrative was submitted."""
        to = self.submitted_to.text()
        on = self.submitted_on.day()
        service = self.context.session.first_meeting
        if self._write(self.narrative_error, lambda ref: service.record_narrative_submission(
                ref, submitted_to=to, on=on)):
            self.submitted_to.clear()
            return True
        return False

    def add_issue(self) -> bool:
        text = self.issue_text.text()
        later = self.issue_when.currentData() == RAISED_LATER
        service = self.context.session.first_meeting
        if self._write(self.issue_error,
                       lambda ref: service.add_issue(ref, text, raised_later=later)):
            self.issue_text.clear()
            self.issue_when.setCurrentIndex(
                self.issue_when.findData(self._default_issue_when()))
            return True
        return False

    def toggle_addressed(self) -> bool:
        issue = self.selected_issue()
        if issue is None:
            return False
        note = self.addressed_note.text().strip() or None
        service = self.context.session.first_meeting
        if self._write(self.issue_error, lambda ref: service.set_issue_addressed(
                ref, issue.id, not issue.addressed, note=note)):
            self.addressed_note.clear()
            return True
        return False

    def add_action(self) -> bool:
        text = self.action_text.text()
        owner = ActionOwner(self.action_owner.currentData())
        due = self.action_due.day() if self.action_has_due.isChecked() else None
        service = self.context.session.first_meeting
        if self._write(self.action_error,
                       lambda ref: service.add_action(ref, text, owner, due)):
            self.action_text.clear()
            return True
        return False

    def toggle_done(self) -> bool:
        action = self.selected_action()
        if action is None:
            return False
        service = self.context.session.first_meeting
        return self._write(self.action_error,
                           lambda ref: service.set_action_done(ref, action.id, not action.done))
