"""The Reps 2 route as a vertical stepper: one row per step, joined by a line.

Each row shows the step's number (a tick once done), its title, the union profile's explanation,
and either the date it was ticked with "Untick…", or "Tick…", which opens a date field in the
row itself (today by default; Enter ticks, Escape closes). A step whose prerequisites are not
ticked says what it waits for, but can still be tried: the service decides and its reason is
shown under the step.

The stepper only asks: it emits ``tick_requested`` / ``untick_requested`` and the page calls the
training service, then hands back the new steps (``set_steps``) or the refusal (``show_error``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from vault.training.dates import uk_date
from vault.training.service import StepView
from vault.ui.widgets.link_button import LinkButton
from vault.ui.widgets.uk_date_edit import UkDateEdit
from vault.ui.widgets.useful_links_label import linkified, make_links_clickable

MARKER_WIDTH = 34
_RADIUS = 11.0
_MARKER_TOP = 1.0  # the circle's top, lined up with the title's first line


def _quoted_list(titles: Sequence[str]) -> str:
    quoted = [f"'{t}'" for t in titles]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


class StepMarker(QWidget):
    """The numbered circle (a tick when done) and the line joining it to its neighbours."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = 0
        self.done = False
        self.is_next = False
        self.first = False
        self.last = False
        self.next_done = False
        self.setFixedWidth(MARKER_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)

    def set_state(self, number: int, *, done: bool, is_next: bool, first: bool, last: bool,
                  next_done: bool) -> None:
        self.number, self.done, self.is_next = number, done, is_next
        self.first, self.last, self.next_done = first, last, next_done
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(MARKER_WIDTH, int(2 * _RADIUS + 4))

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt's name
        palette = self.palette()
        accent = palette.color(QPalette.ColorRole.Highlight)
        quiet = palette.color(QPalette.ColorRole.Mid)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        cx = self.width() / 2
        cy = _MARKER_TOP + _RADIUS
        if not self.first:
            painter.setPen(QPen(accent if self.done else quiet, 2))
            painter.drawLine(QPointF(cx, 0), QPointF(cx, cy - _RADIUS - 2))
        if not self.last:
            painter.setPen(QPen(accent if self.next_done else quiet, 2))
            painter.drawLine(QPointF(cx, cy + _RADIUS + 2), QPointF(cx, self.height()))
        circle = QRectF(cx - _RADIUS, cy - _RADIUS, 2 * _RADIUS, 2 * _RADIUS)
        if self.done:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(accent)
            painter.drawEllipse(circle)
            pen = QPen(palette.color(QPalette.ColorRole.HighlightedText), 2.2)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            painter.setPen(pen)
            painter.drawPolyline([QPointF(cx - 5, cy + 0.5), QPointF(cx - 1.5, cy + 4),
                                  QPointF(cx + 5.5, cy - 4)])
        else:
            painter.setBrush(palette.color(QPalette.ColorRole.Base))
            painter.setPen(QPen(accent if self.is_next else quiet, 2 if self.is_next else 1.4))
            painter.drawEllipse(circle)
            font = QFont(self.font())
            font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
            font.setBold(self.is_next)
            painter.setFont(font)
            painter.setPen(accent if self.is_next
                           else palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, str(self.number))
        painter.end()


class StepRow(QWidget):
    """One step of the route. Emits ``tick_requested(step_id, date)`` and
    ``untick_requested(step_id)``."""

    tick_requested = Signal(str, object)
    untick_requested = Signal(str)

    def __init__(self, step: StepView, today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step
        self._today = today
        self.marker = StepMarker(self)

        self.title = QLabel(self)
        self.title.setObjectName("stepTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.next_badge = QLabel("Next step", self)
        self.next_badge.setObjectName("badge")
        self.next_badge.setAccessibleName("This is your next step")
        self.done_label = QLabel(self)
        self.done_label.setObjectName("stepDone")
        self.tick_button = QPushButton("Tick…", self)
        self.tick_button.setStyleSheet("padding: 2px 12px;")  # keeps the rows compact
        self.tick_button.clicked.connect(self.open_editor)
        self.untick_button = LinkButton("Untick…", self)
        self.untick_button.clicked.connect(lambda: self.untick_requested.emit(self.step.id))

        self.explanation = QLabel(self)
        self.explanation.setObjectName("hintText")
        self.explanation.setWordWrap(True)
        make_links_clickable(self.explanation)  # the profile's web addresses open
        self.waits = QLabel(self)
        self.waits.setObjectName("stepWaits")
        self.waits.setWordWrap(True)
        self.waits.setTextFormat(Qt.TextFormat.PlainText)

        self.editor = QWidget(self)
        self.date_edit = UkDateEdit(today, "Date", self.editor)
        self.date_edit.submitted.connect(self.confirm)
        self.confirm_button = QPushButton("Tick", self.editor)
        self.confirm_button.setDefault(False)
        self.confirm_button.setAutoDefault(True)
        self.confirm_button.clicked.connect(self.confirm)
        self.cancel_button = QPushButton("Cancel", self.editor)
        self.cancel_button.clicked.connect(self.close_editor)
        editor_layout = QHBoxLayout(self.editor)
        editor_layout.setContentsMargins(0, 4, 0, 0)
        when = QLabel("Done on", self.editor)
        when.setBuddy(self.date_edit)
        editor_layout.addWidget(when)
        editor_layout.addWidget(self.date_edit)
        editor_layout.addWidget(self.confirm_button)
        editor_layout.addWidget(self.cancel_button)
        editor_layout.addStretch(1)
        self.editor.hide()

        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.hide()

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.title, 1)
        top.addWidget(self.next_badge, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.done_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.tick_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.untick_button, 0, Qt.AlignmentFlag.AlignTop)
        body = QVBoxLayout()
        body.setSpacing(2)
        body.addLayout(top)
        body.addWidget(self.explanation)
        body.addWidget(self.waits)
        body.addWidget(self.editor)
        body.addWidget(self.error)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 14)
        layout.setSpacing(10)
        layout.addWidget(self.marker)
        layout.addLayout(body, 1)
        self.set_step(step, today)

    @property
    def is_editing(self) -> bool:
        return not self.editor.isHidden()

    def set_step(self, step: StepView, today: dt.date, *, number: int = 1, first: bool = True,
                 last: bool = True, next_done: bool = False) -> None:
        """Show ``step`` (the same step with new dates, or after a refresh)."""
        self.step = step
        self._today = today
        done = step.done_on is not None
        self.marker.set_state(number, done=done, is_next=step.is_next, first=first, last=last,
                              next_done=next_done)
        self.title.setText(step.title)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setAccessibleName(f"Step {number}: {step.title}")
        self.explanation.setText(linkified(step.explanation))
        self.explanation.setAccessibleName(f"About step {number}")
        self.explanation.setVisible(bool(step.explanation))
        self.next_badge.setVisible(step.is_next and not done)
        if done and step.done_on is not None:
            self.done_label.setText(f"Done {uk_date(step.done_on)}")
            self.done_label.setAccessibleName(f"{step.title}: done {uk_date(step.done_on)}")
        else:
            self.done_label.clear()
        self.done_label.setVisible(done)
        self.untick_button.setVisible(done)
        self.untick_button.setAccessibleName(f"Untick {step.title}")
        self.tick_button.setVisible(not done)
        self.tick_button.setAccessibleName(f"Tick {step.title}")
        self.tick_button.setToolTip(f"Record the date of '{step.title}'")
        self.date_edit.setAccessibleName(f"Date done for {step.title}")
        self.confirm_button.setAccessibleName(f"Tick {step.title} on this date")
        self.cancel_button.setAccessibleName(f"Do not tick {step.title}")
        if step.waiting_for and not done:
            self.waits.setText(f"Waits for {_quoted_list(step.waiting_for)}.")
            self.waits.setAccessibleName(f"{step.title} waits for")
            self.waits.show()
        else:
            self.waits.clear()
            self.waits.hide()
        if done:
            self.close_editor()

    # -- the inline date field ----------------------------------------------------------------

    def open_editor(self) -> None:
        """Show the date field (today by default) and put the focus in it."""
        self.clear_error()
        self.date_edit.set_day(self._today)
        self.editor.show()
        self.tick_button.setEnabled(False)
        self.date_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_editor(self) -> None:
        had_focus = self.editor.isAncestorOf(self.focusWidget()) if self.focusWidget() else False
        self.editor.hide()
        self.tick_button.setEnabled(True)
        if had_focus and self.tick_button.isVisible():
            self.tick_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def confirm(self) -> None:
        self.tick_requested.emit(self.step.id, self.date_edit.day())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt's name
        if event.key() == Qt.Key.Key_Escape and self.is_editing:
            self.close_editor()
            event.accept()
            return
        super().keyPressEvent(event)

    # -- messages -----------------------------------------------------------------------------

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setAccessibleName(f"Problem with {self.step.title}")
        self.error.show()

    def clear_error(self) -> None:
        self.error.clear()
        self.error.hide()

    def focus_chain(self) -> list[QWidget]:
        return [self.tick_button, self.date_edit, self.confirm_button, self.cancel_button,
                self.untick_button]


class RouteStepper(QWidget):
    """The whole route. Rows are kept across refreshes while the route is the same, so the
    keyboard focus stays where the rep left it."""

    tick_requested = Signal(str, object)
    untick_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Reps 2 route")
        self._rows: list[StepRow] = []
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 4, 0, 0)
        self._layout.setSpacing(0)

    @property
    def rows(self) -> list[StepRow]:
        return list(self._rows)

    def row(self, step_id: str) -> StepRow:
        """The row of ``step_id``. Raises KeyError if the route has no such step."""
        for row in self._rows:
            if row.step.id == step_id:
                return row
        raise KeyError(step_id)

    def set_steps(self, steps: Sequence[StepView], today: dt.date) -> None:
        if [r.step.id for r in self._rows] != [s.id for s in steps]:
            self.clear()
            for step in steps:
                row = StepRow(step, today, self)
                row.tick_requested.connect(self.tick_requested)
                row.untick_requested.connect(self.untick_requested)
                self._rows.append(row)
                self._layout.addWidget(row)
        for index, (row, step) in enumerate(zip(self._rows, steps, strict=True)):
            following = steps[index + 1] if index + 1 < len(steps) else None
            row.set_step(step, today, number=index + 1, first=index == 0,
                         last=following is None,
                         next_done=following is not None and following.done_on is not None)

    def show_error(self, step_id: str, text: str) -> None:
        self.row(step_id).show_error(text)

    def clear_errors(self) -> None:
        for row in self._rows:
            row.clear_error()

    def clear(self) -> None:
        for row in self._rows:
            self._layout.removeWidget(row)
            row.hide()
            row.setParent(None)
            row.deleteLater()
        self._rows.clear()

    def focus_chain(self) -> list[QWidget]:
        return [w for row in self._rows for w in row.focus_chain()]
