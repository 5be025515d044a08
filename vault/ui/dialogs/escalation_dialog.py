"""The escalation prompt: escalate to a more experienced branch caseworker and tell the body the
rep's union names (UCU: the regional office; Bectu: the dedicated officer; Prospect: the
officer), then record the decision.

Shown when a case is opened or flagged as dismissal threatened or discrimination alleged
(``EscalationService`` decides which rules apply). The instruction is said once, in the union
profile's words (``TrainingService.wording``), naming only the reason that applies, with the
profile's useful links beside it. The rep records either "escalated" (to whom, when, and when
the body was told) or "not escalating" (with a reason). "Decide later" closes the prompt; the
case (Overview) and Home keep showing the escalation as outstanding until a decision is
recorded. ``prompt_escalation`` opens the dialog only when one is needed, and only for
dismissal or discrimination unless asked: a rep who is not yet accredited sees a banner on the
case instead of a modal prompt on every new personal case.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from vault.casework.escalation import DecisionKind, EscalationRule, EscalationStatus
from vault.domain import Case, Category
from vault.errors import VaultError
from vault.training.union_wording import UnionWording
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.uk_date_edit import UkDateEdit
from vault.ui.widgets.useful_links_label import UsefulLinksLabel

log = logging.getLogger(__name__)

PROMPT_TITLE = "Escalate this case?"


def case_escalation_text(context: PageContext, case: Case | None,
                         status: EscalationStatus | None = None) -> str:
    """What the rep should do about escalating ``case``, said once in their union's words.

    The dismissal/discrimination instruction names only the reason that applies; a rep who is
    not yet accredited gets the union's sentence about personal cases — only its first
    sentence ("You are not yet an accredited case handler.") when the instruction was already
    given, since the rest says the same thing again. Empty when no rule applies.
    """
    wording = context.session.training.wording()
    rules = status.rules if status is not None else ()
    parts: list[str] = []
    if case is not None and (status is None
                             or EscalationRule.DISMISSAL_OR_DISCRIMINATION in rules):
        dismissal = case.category is Category.DISMISSAL or case.flags.dismissal_threatened
        discrimination = (case.category is Category.DISCRIMINATION
                          or case.flags.discrimination_alleged)
        if dismissal or discrimination:
            parts.append(wording.escalation_instruction(dismissal=dismissal,
                                                        discrimination=discrimination))
    if EscalationRule.NOT_ACCREDITED in rules:
        prompt = context.session.training.personal_case_prompt()
        if prompt:
            parts.append(_first_sentence(prompt) if parts else prompt)
    return " ".join(parts)


def _first_sentence(text: str) -> str:
    head, dot, _rest = text.partition(". ")
    return head + "." if dot else text


class EscalationDialog(QDialog):
    """Emits ``recorded(EscalationStatus)`` once the service saved the decision."""

    recorded = Signal(object)

    def __init__(self, context: PageContext, status: EscalationStatus,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._ref = status.ref
        self.wording: UnionWording = context.session.training.wording()
        self.setWindowTitle(f"{PROMPT_TITLE} ({status.ref})")
        self.setAccessibleName(PROMPT_TITLE)
        self.setMinimumWidth(600)

        try:
            case: Case | None = context.session.cases.get(status.ref)
        except VaultError:
            case = None
        heading = QLabel(f"Case {status.ref}", self)
        heading.setObjectName("sectionTitle")
        heading.setAccessibleName("Escalation prompt")
        reasons = QLabel(case_escalation_text(context, case, status)
                         or status.outstanding_reason, self)
        reasons.setObjectName("banner")
        reasons.setWordWrap(True)
        reasons.setAccessibleName("Why escalation is advised")
        self.reasons = reasons
        self.links = UsefulLinksLabel("Where to get help", self)
        self.links.set_links(self.wording.links, lead="Help:")

        self.escalated = QRadioButton("I have escalated it", self)
        self.escalated.setAccessibleName("I have escalated it")
        self.not_escalating = QRadioButton("I am not escalating it", self)
        self.not_escalating.setAccessibleName("I am not escalating it")
        group = QButtonGroup(self)
        group.addButton(self.escalated)
        group.addButton(self.not_escalating)
        self.escalated.setChecked(True)

        today = context.clock.today()
        self.escalated_box = QGroupBox("Escalated", self)
        self.to = QLineEdit(self.escalated_box)
        self.to.setAccessibleName("Escalated to")
        self.to.setPlaceholderText("e.g. the branch caseworker's name or role")
        self.on = UkDateEdit(today, "Escalated on", self.escalated_box)
        notified = self.wording.notified_label()
        self.regional = QCheckBox(notified, self.escalated_box)
        self.regional.setAccessibleName(notified)
        self.regional_on = UkDateEdit(today, f"{notified} on", self.escalated_box)
        self.regional_on.setEnabled(False)
        self.regional.toggled.connect(self.regional_on.setEnabled)
        regional_hint = QLabel("Not yet? Record it later from the case's Overview.",
                               self.escalated_box)
        regional_hint.setObjectName("hintText")
        regional_hint.setWordWrap(True)
        regional_hint.setAccessibleName("About telling them later")
        esc_form = QFormLayout(self.escalated_box)
        esc_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        esc_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.to_label = QLabel("Escalated &to:", self.escalated_box)
        self.to_label.setBuddy(self.to)
        esc_form.addRow(self.to_label, self.to)
        esc_form.addRow("&On:", self.on)
        esc_form.addRow("", self.regional)
        esc_form.addRow(f"{self.wording.past_participle.capitalize()} o&n:", self.regional_on)
        esc_form.addRow("", regional_hint)

        self.not_box = QGroupBox("Not escalating", self)
        self.reason = QPlainTextEdit(self.not_box)
        self.reason.setAccessibleName("Reason for not escalating")
        self.reason.setPlaceholderText("Why this case does not need escalating")
        self.reason.setTabChangesFocus(True)
        self.reason.setMaximumHeight(90)
        not_layout = QVBoxLayout(self.not_box)
        not_layout.addWidget(self.reason)

        self.error = error_label(self)

        buttons = QDialogButtonBox(self)
        self.record_button = buttons.addButton("Record decision",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.record_button.setAccessibleName("Record decision")
        self.record_button.setDefault(True)
        self.later_button = buttons.addButton("Decide later",
                                              QDialogButtonBox.ButtonRole.RejectRole)
        self.later_button.setAccessibleName("Decide later")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(reasons)
        layout.addWidget(self.links)
        layout.addWidget(self.escalated)
        layout.addWidget(self.escalated_box)
        layout.addWidget(self.not_escalating)
        layout.addWidget(self.not_box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.escalated.toggled.connect(self._choice_changed)
        self._prefill(status)
        self._choice_changed()
        self.to.setFocus()

    def _prefill(self, status: EscalationStatus) -> None:
        """An earlier "escalated" decision still waiting for the regional office's date."""
        d = status.decision
        if d is None or d.kind is not DecisionKind.ESCALATED:
            return
        self.to.setText(d.escalated_to or "")
        if d.escalated_on is not None:
            self.on.set_day(d.escalated_on)

    def _choice_changed(self) -> None:
        escalated = self.escalated.isChecked()
        self.escalated_box.setEnabled(escalated)
        self.not_box.setEnabled(not escalated)

    def submit(self) -> None:
        if not self._context.is_open:
            self.reject()
            return
        service = self._context.session.escalation
        try:
            if self.escalated.isChecked():
                status = service.record_escalated(
                    self._ref, to=self.to.text(), on=self.on.day(),
                    regional_notified_on=self.regional_on.day()
                    if self.regional.isChecked() else None)
            else:
                status = service.record_not_escalating(self._ref, self.reason.toPlainText())
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
        self.recorded.emit(status)
        self._context.events.changed.emit()


def prompt_escalation(context: PageContext, ref: str, parent: QWidget | None, *,
                      asked: bool = False) -> EscalationDialog | None:
    """Open the prompt (window-modal, not blocking) when case ``ref`` needs a decision.

    Unless ``asked`` (the rep pressed "Record escalation decision…"), only dismissal or
    discrimination opens it: the not-yet-accredited rule shows as a banner on the case.
    """
    if not context.is_open:
        return None
    try:
        status = context.session.escalation.status(ref)
    except VaultError as exc:
        log.warning("escalation status unavailable: %s", type(exc).__name__)
        return None
    if not status.outstanding:
        return None
    if not asked and EscalationRule.DISMISSAL_OR_DISCRIMINATION not in status.rules:
        return None
    dialog = EscalationDialog(context, status, parent)
    dialog.open()
    return dialog
