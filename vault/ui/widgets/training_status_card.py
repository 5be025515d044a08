"""The Training page's status card: the derived accreditation status in plain words.

It shows what ``TrainingService`` worked out (headline, explanation, next step with the
profile's explanation, what is missing) and nothing the rep typed: there is no status field.
Unticked steps of the route are counted rather than listed, since the stepper lists them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from vault.training.codes import StatusCode
from vault.training.dates import uk_date
from vault.training.service import TrainingOverview
from vault.ui import theme
from vault.ui.widgets.useful_links_label import linkified, make_links_clickable

_ICONS = {
    StatusCode.ACCREDITED: "check",
    StatusCode.REPS2_NOT_OPEN: "warning",
    StatusCode.NOT_ELIGIBLE: "warning",
}
_DEFAULT_ICON = "shield"


def to_confirm_lines(overview: TrainingOverview) -> list[str]:
    """What the rep should confirm rather than do: the Education team's update of their record.

    Shown apart from "Still missing" so that "Eligible for Level 2 courses" never sits beside
    "Still missing" as if the two disagreed, and worded as what to do."""
    profile = overview.profile
    if profile.education_update_wording not in overview.status.missing_other:
        return []
    return [f"{profile.education_update_wording} When it has, press \u201cEducation updated my "
            "record\u201d under Courses."]


def missing_lines(overview: TrainingOverview) -> list[str]:
    """What stands between the rep and accreditation, one sentence each, steps counted."""
    status = overview.status
    other = [line for line in status.missing_other
             if line != overview.profile.education_update_wording]
    if status.code is StatusCode.ACCREDITED:
        return other
    lines: list[str] = []
    if status.code is StatusCode.ELIGIBLE_LEVEL2:
        lines.extend(status.missing_steps)
    elif status.missing_steps:
        count = len(status.missing_steps)
        sign_off = overview.profile.step_title(overview.profile.sign_off_step)
        lines.append(f"{count} step{'s' if count != 1 else ''} of the route still to tick, up "
                     f"to '{sign_off}' (see the route below).")
    lines.extend(other)
    return lines


def _label(parent: QWidget, name: str, object_name: str = "") -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(name)
    if object_name:
        label.setObjectName(object_name)
    return label


class TrainingStatusCard(QFrame):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeCard")
        self.setAccessibleName("Your training status")
        caption = QLabel("Your status", self)
        caption.setObjectName("hintText")
        caption.setAccessibleName("Your status")
        self.icon = QLabel(self)
        self.icon.setFixedSize(28, 28)
        self.headline = _label(self, "Status", "statusHeadline")
        self.headline.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.explanation = _label(self, "What your status means")
        self.signed_off = _label(self, "Signed off", "hintText")

        self.next_caption = QLabel("Next step", self)
        self.next_caption.setObjectName("sectionTitle")
        self.next_title = _label(self, "Next step")
        self.next_title.setStyleSheet("font-weight: 600;")
        self.next_explanation = _label(self, "About the next step", "hintText")

        self.missing_caption = QLabel("Still missing", self)
        self.missing_caption.setObjectName("sectionTitle")
        self.missing = _label(self, "Still missing")
        self.confirm_caption = QLabel("To confirm", self)
        self.confirm_caption.setObjectName("sectionTitle")
        self.confirm = _label(self, "To confirm")
        for label in (self.explanation, self.next_explanation):
            make_links_clickable(label)

        head = QHBoxLayout()
        head.setSpacing(10)
        head.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        head.addWidget(self.headline, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 16)
        layout.setSpacing(4)
        layout.addWidget(caption)
        layout.addLayout(head)
        layout.addWidget(self.explanation)
        layout.addWidget(self.signed_off)
        layout.addSpacing(4)
        layout.addWidget(self.next_caption)
        layout.addWidget(self.next_title)
        layout.addWidget(self.next_explanation)
        layout.addSpacing(4)
        layout.addWidget(self.missing_caption)
        layout.addWidget(self.missing)
        layout.addSpacing(4)
        layout.addWidget(self.confirm_caption)
        layout.addWidget(self.confirm)
        layout.addStretch(1)
        self.clear()

    def set_overview(self, overview: TrainingOverview) -> None:
        status = overview.status
        self.icon.setPixmap(theme.pixmap(_ICONS.get(status.code, _DEFAULT_ICON), 28))
        self.headline.setText(status.headline)
        self.explanation.setText(linkified(status.explanation))
        self.explanation.setVisible(bool(status.explanation))

        sign_off = next((s for s in overview.steps if s.is_sign_off), None)
        if status.is_accredited_case_handler and sign_off is not None and sign_off.done_on:
            self.signed_off.setText(f"{sign_off.title}: {uk_date(sign_off.done_on)}.")
        else:
            self.signed_off.clear()
        self.signed_off.setVisible(bool(self.signed_off.text()))

        step = status.next_step
        show_next = step is not None and step.title not in status.headline
        if step is not None and show_next:
            self.next_caption.setText("Still to record" if status.is_accredited_case_handler
                                      else "Next step")
            self.next_title.setText(step.title)
            # A route step is explained in its row below: say where, not the same words again.
            if step.is_course:
                self.next_explanation.setText(linkified(step.explanation)
                                              if step.explanation != status.explanation else "")
            else:
                self.next_explanation.setText("Tick it in the route below when it is done.")
        else:
            self.next_title.clear()
            self.next_explanation.clear()
        for widget in (self.next_caption, self.next_title):
            widget.setVisible(show_next)
        self.next_explanation.setVisible(show_next and bool(self.next_explanation.text()))

        lines = missing_lines(overview)
        self.missing.setText("\n".join(f"•  {line}" for line in lines))
        self.missing_caption.setVisible(bool(lines))
        self.missing.setVisible(bool(lines))
        confirm = to_confirm_lines(overview)
        self.confirm.setText("\n".join(confirm))
        self.confirm_caption.setVisible(bool(confirm))
        self.confirm.setVisible(bool(confirm))

    def clear(self) -> None:
        self.icon.clear()
        for label in (self.headline, self.explanation, self.signed_off, self.next_title,
                      self.next_explanation, self.missing, self.confirm):
            label.clear()
        for widget in (self.signed_off, self.next_caption, self.next_title,
                       self.next_explanation, self.missing_caption, self.missing,
                       self.confirm_caption, self.confirm):
            widget.hide()
