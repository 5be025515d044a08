"""The case Overview: summary, escalation status, the flags (editable), consent to share, and
closing (Close case… runs the closing checklist; a closed case shows its retention date).

Changes go through ``CaseService.set_flags`` / ``set_consent_to_share`` (each logged in the
paper trail); the tab then reloads from the service. The escalation section shows what
``EscalationService.status`` says: outstanding (with why, and "Record escalation decision…")
or the decision recorded. Setting the dismissal or discrimination flag opens the escalation
prompt when a decision is needed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from vault.casework.escalation import DecisionKind, EscalationStatus
from vault.domain import Case, CaseFlags, CaseStatus, format_uk_date
from vault.errors import VaultError
from vault.ui.case_tabs.case_tab import CaseTab
from vault.ui.dialogs.close_case_dialog import CloseCaseDialog
from vault.ui.dialogs.edit_case_dialog import EditCaseDialog
from vault.ui.dialogs.escalation_dialog import (
    EscalationDialog,
    case_escalation_text,
    prompt_escalation,
)
from vault.ui.dialogs.key_date_dialog import KeyDateDialog
from vault.ui.models.case_table_model import FLAG_LABELS
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.uk_date_edit import UkDateEdit
from vault.ui.widgets.useful_links_label import UsefulLinksLabel

log = logging.getLogger(__name__)

CONSENT_TEXT = "The member agreed to their information being shared with branch caseworkers"


class OverviewTab(CaseTab):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.summary: dict[str, QLabel] = {}
        summary_box = QGroupBox("Summary", self)
        form = QFormLayout(summary_box)
        for key, label in (("member", "Member"), ("category", "Category"),
                           ("status", "Status"), ("stage", "Stage"),
                           ("informal", "Informal resolution"), ("opened", "Opened"),
                           ("closed", "Closed"), ("activity", "Last activity"),
                           ("description", "Description"), ("policies", "Policies relied on")):
            value = QLabel(summary_box)
            value.setAccessibleName(label)
            value.setWordWrap(True)
            self.summary[key] = value
            form.addRow(f"{label}:", value)
        self.edit_button = QPushButton("Correct case details…", summary_box)
        self.edit_button.setAccessibleName("Correct case details")
        self.edit_button.clicked.connect(lambda: self.open_edit_dialog())
        edit_row = QHBoxLayout()
        edit_row.addStretch(1)
        edit_row.addWidget(self.edit_button)
        form.addRow(edit_row)
        self.edit_dialog: EditCaseDialog | None = None

        self.dates_box = QGroupBox("Key dates and time limits", self)
        self.dates_list = QListWidget(self.dates_box)
        self.dates_list.setAccessibleName("Key dates")
        self.dates_list.setMaximumHeight(130)
        self.add_date_button = QPushButton("Add date…", self.dates_box)
        self.add_date_button.setAccessibleName("Add a key date")
        self.add_date_button.clicked.connect(lambda: self.open_date_dialog())
        self.date_dialog: KeyDateDialog | None = None
        dates_layout = QVBoxLayout(self.dates_box)
        dates_layout.addWidget(self.dates_list)
        dates_row = QHBoxLayout()
        dates_row.addStretch(1)
        dates_row.addWidget(self.add_date_button)
        dates_layout.addLayout(dates_row)

        self.escalation_box = QGroupBox("Escalation", self)
        self.escalation = QLabel(self.escalation_box)
        self.escalation.setObjectName("banner")
        self.escalation.setWordWrap(True)
        self.escalation.setAccessibleName("Escalation advice")
        self.escalation.hide()
        self.escalation_decision = QLabel(self.escalation_box)
        self.escalation_decision.setWordWrap(True)
        self.escalation_decision.setAccessibleName("Escalation decision")
        self.escalation_button = QPushButton("Record escalation decision…", self.escalation_box)
        self.escalation_button.setAccessibleName("Record the escalation decision")
        self.escalation_button.clicked.connect(lambda: self.open_escalation_dialog())
        self.escalation_dialog: EscalationDialog | None = None
        self.escalation_status: EscalationStatus | None = None
        self.escalation_links = UsefulLinksLabel("Where to get help", self.escalation_box)
        # Escalated, but the body not yet told: record just that, with its date.
        self.notified_row = QWidget(self.escalation_box)
        notified_layout = QHBoxLayout(self.notified_row)
        notified_layout.setContentsMargins(0, 0, 0, 0)
        self.notified_label = QLabel(self.notified_row)
        self.notified_on = UkDateEdit(context.clock.today(), "Told on", self.notified_row)
        self.notified_label.setBuddy(self.notified_on)
        self.notified_button = QPushButton("Record", self.notified_row)
        self.notified_button.setAccessibleName("Record that they were told")
        self.notified_button.clicked.connect(self.record_notified)
        self.notified_on.submitted.connect(self.record_notified)
        notified_layout.addWidget(self.notified_label)
        notified_layout.addWidget(self.notified_on)
        notified_layout.addWidget(self.notified_button)
        notified_layout.addStretch(1)
        self.notified_row.hide()
        escalation_layout = QVBoxLayout(self.escalation_box)
        escalation_layout.addWidget(self.escalation)
        escalation_layout.addWidget(self.escalation_links)
        decision_row = QHBoxLayout()
        decision_row.addWidget(self.escalation_decision, 1)
        decision_row.addWidget(self.escalation_button)
        escalation_layout.addLayout(decision_row)
        escalation_layout.addWidget(self.notified_row)
        self.escalation_box.hide()

        flags_box = QGroupBox("Flags", self)
        flags_layout = QVBoxLayout(flags_box)
        self.flag_boxes: dict[str, QCheckBox] = {}
        for attr, label in FLAG_LABELS:
            box = QCheckBox(label, flags_box)
            box.setAccessibleName(label)
            box.toggled.connect(self._flags_edited)
            self.flag_boxes[attr] = box
            flags_layout.addWidget(box)

        sharing_box = QGroupBox("Sharing", self)
        sharing_layout = QVBoxLayout(sharing_box)
        self.consent = QCheckBox(CONSENT_TEXT, sharing_box)
        self.consent.setAccessibleName("Consent to share with branch caseworkers")
        self.consent.toggled.connect(self._consent_edited)
        hint = QLabel("Off unless the member said yes. Changes are recorded in the paper trail.",
                      sharing_box)
        hint.setObjectName("hintText")
        hint.setWordWrap(True)
        hint.setAccessibleName("About consent to share")
        sharing_layout.addWidget(self.consent)
        sharing_layout.addWidget(hint)

        # Closing (issue 9): the checklist runs in the Close case dialog.
        closing_box = QGroupBox("Closing", self)
        self.closing_text = QLabel(closing_box)
        self.closing_text.setWordWrap(True)
        self.closing_text.setAccessibleName("Closing and retention")
        self.close_button = QPushButton("Close case…", closing_box)
        self.close_button.setAccessibleName("Close case")
        self.close_button.clicked.connect(lambda: self.open_close_dialog())
        self.close_dialog: CloseCaseDialog | None = None
        closing_row = QHBoxLayout(closing_box)
        closing_row.addWidget(self.closing_text, 1)
        closing_row.addWidget(self.close_button)

        self.error = error_label(self)
        # Stepped aside after a possible conflict: the case is marked as handed over.
        self.handover = QLabel(self)
        self.handover.setObjectName("banner")
        self.handover.setWordWrap(True)
        self.handover.setAccessibleName("Case handed over")
        self.handover.hide()

        # The sections scroll: together they are taller than a laptop screen (with the
        # escalation banner, about 1,000 px), and without a scroll area they made the whole
        # window that tall.
        body = QWidget(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setAccessibleName("Overview")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 12, 4, 4)
        layout.addWidget(self.handover)
        layout.addWidget(summary_box)
        layout.addWidget(self.escalation_box)
        layout.addWidget(self.dates_box)
        layout.addWidget(flags_box)
        layout.addWidget(sharing_box)
        layout.addWidget(closing_box)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def load(self, case: Case) -> None:
        super().load(case)
        member = self.context.session.cases.member_of(case)
        self.summary["member"].setText(member.name)
        self.summary["category"].setText(case.category.label)
        self.summary["status"].setText(case.status.value.capitalize())
        self.summary["stage"].setText(case.stage.label)
        self.summary["informal"].setText(
            "not recorded" if case.informal_tried is None
            else ("tried first" if case.informal_tried else "not tried"))
        self.summary["description"].setText(case.description or "—")
        try:
            linked = self.context.session.policies.for_case(case.ref)
        except VaultError:
            linked = []
        self.summary["policies"].setText(", ".join(p.title for p in linked)
                                         or "none linked (see Policies)")
        self.edit_button.setEnabled(case.status is not CaseStatus.DESTROYED)
        self.add_date_button.setEnabled(case.status is CaseStatus.OPEN)
        self._show_dates(case)
        self.summary["opened"].setText(format_uk_date(case.opened))
        self.summary["closed"].setText(format_uk_date(case.closed) or "—")
        self.summary["activity"].setText(format_uk_date(case.last_activity.astimezone()))
        self._show_escalation(case)
        self._show_handover(case)
        editable = case.status is CaseStatus.OPEN
        for attr, box in self.flag_boxes.items():
            box.blockSignals(True)
            box.setChecked(bool(getattr(case.flags, attr)))
            box.setEnabled(editable)
            box.blockSignals(False)
        self.consent.blockSignals(True)
        self.consent.setChecked(case.consent_to_share)
        self.consent.setEnabled(case.status is not CaseStatus.DESTROYED)
        self.consent.blockSignals(False)
        self._show_closing(case)
        self.error.hide()

    def _show_closing(self, case: Case) -> None:
        self.close_button.setVisible(case.status is CaseStatus.OPEN)
        if case.status is CaseStatus.OPEN:
            self.closing_text.setText("When the work is done, close the case: the closing "
                                      "checklist runs first.")
            return
        try:
            row = self.context.session.retention.row(case.ref)
        except VaultError:
            row = None
        if row is None or case.status is CaseStatus.DESTROYED:
            self.closing_text.setText("Destroyed; its certificate is on the Retention page.")
            return
        hold = " On legal hold." if row.held else ""
        self.closing_text.setText(
            f"Closed on {format_uk_date(row.closed)}. Kept until "
            f"{format_uk_date(row.retain_until)} ({row.rule}), then due for destruction "
            f"— see the Retention page.{hold}")

    def open_close_dialog(self) -> CloseCaseDialog | None:
        if self.case is None or not self.context.is_open:
            return None
        if self.close_dialog is not None:
            self.close_dialog.reject()
        ref = self.case.ref
        self.close_dialog = CloseCaseDialog(self.context, ref, self)
        self.close_dialog.closed.connect(
            lambda _row: self.load(self.context.session.cases.get(ref)))
        self.close_dialog.open()
        return self.close_dialog

    def clear(self) -> None:
        super().clear()
        for value in self.summary.values():
            value.clear()
        self.dates_list.clear()
        for dialog in (self.edit_dialog, self.date_dialog):
            if dialog is not None:
                dialog.reject()
        self.edit_dialog = self.date_dialog = None
        for box in [*self.flag_boxes.values(), self.consent]:
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        self.escalation.hide()
        self.escalation_decision.clear()
        self.escalation_box.hide()
        self.notified_row.hide()
        self.escalation_links.set_links(())
        self.escalation_status = None
        if self.escalation_dialog is not None:
            self.escalation_dialog.reject()
        self.escalation_dialog = None
        if self.close_dialog is not None:
            self.close_dialog.reject()
        self.close_dialog = None
        self.closing_text.clear()
        self.error.hide()

    def _show_escalation(self, case: Case) -> None:
        try:
            status = self.context.session.escalation.status(case.ref)
        except VaultError as exc:
            log.warning("escalation status unavailable: %s", type(exc).__name__)
            self.escalation_box.hide()
            return
        self.escalation_status = status
        decision = status.decision
        wording = self.context.session.training.wording()
        self.escalation_box.setVisible(status.required or decision is not None)
        waiting_to_tell = (status.outstanding and decision is not None
                           and decision.kind is DecisionKind.ESCALATED
                           and decision.regional_notified_on is None
                           and all(r in decision.rules for r in status.rules))
        if status.outstanding and not waiting_to_tell:
            # Said once: what to do and why, in the union's words (not the rule list again).
            self.escalation.setText(case_escalation_text(self.context, case, status)
                                    or status.outstanding_reason)
        self.escalation.setVisible(status.outstanding and not waiting_to_tell)
        self.escalation_links.set_links(wording.links if status.outstanding else (),
                                        lead="Help:")
        if decision is None:
            self.escalation_decision.setText("No decision recorded yet.")
        elif decision.kind is DecisionKind.ESCALATED:
            text = (f"Escalated to {decision.escalated_to} on "
                    f"{format_uk_date(decision.escalated_on)}; ")
            text += (f"{wording.past_participle} {wording.body} on "
                     f"{format_uk_date(decision.regional_notified_on)}."
                     if decision.regional_notified_on else
                     f"{wording.body} has not been {wording.past_participle} yet.")
            self.escalation_decision.setText(text)
        else:
            self.escalation_decision.setText(f"Decided not to escalate: {decision.reason}")
        open_case = case.status is CaseStatus.OPEN
        self.escalation_button.setVisible(status.outstanding and not waiting_to_tell)
        self.escalation_button.setEnabled(open_case)
        self.notified_label.setText(f"{wording.body_capitalised} {wording.past_participle} "
                                    "o&n:")
        self.notified_on.setAccessibleName(f"{wording.body_capitalised} "
                                           f"{wording.past_participle} on")
        self.notified_row.setVisible(waiting_to_tell and open_case)
        self.badge_changed.emit("escalation due" if status.outstanding else "")

    def _show_handover(self, case: Case) -> None:
        try:
            handed = self.context.session.conflicts.handover(case.ref)
        except VaultError:
            handed = None
        if handed is None or handed.handover_on is None:
            self.handover.clear()
            self.handover.hide()
            return
        self.handover.setText(f"You stepped aside from this case because of a possible "
                              f"conflict of interest: handed over to {handed.handover_to} on "
                              f"{format_uk_date(handed.handover_on)}.")
        self.handover.show()

    def record_notified(self) -> None:
        """Record only the date the body was told, keeping the escalation already recorded."""
        status = self.escalation_status
        if (self.case is None or status is None or status.decision is None
                or not self.context.is_open):
            return
        decision = status.decision
        try:
            self.context.session.escalation.record_escalated(
                self.case.ref, to=decision.escalated_to or "", on=decision.escalated_on
                or self.notified_on.day(), regional_notified_on=self.notified_on.day())
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
        self.context.events.changed.emit()
        self.load(self.case)

    def _show_dates(self, case: Case) -> None:
        self.dates_list.clear()
        try:
            dates = self.context.session.key_dates.for_case(case.ref)
        except VaultError as exc:
            log.warning("key dates unavailable: %s", type(exc).__name__)
            return
        for d in dates:
            item = QListWidgetItem(d.describe() + (f" — {d.note}" if d.note else ""))
            if d.overdue:
                item.setForeground(QBrush(QColor("#c62828")))
            if d.advice:
                item.setToolTip(d.advice)
            self.dates_list.addItem(item)
        if not dates:
            self.dates_list.addItem("No key dates yet: add hearings, deadlines and time limits.")

    def open_edit_dialog(self) -> EditCaseDialog | None:
        if self.case is None or not self.context.is_open:
            return None
        self.edit_dialog = EditCaseDialog(self.context, self.case, self)
        self.edit_dialog.case_edited.connect(self._case_edited)
        self.edit_dialog.open()
        return self.edit_dialog

    def _case_edited(self, result: object) -> None:
        case = getattr(result, "case", None)
        if isinstance(case, Case):
            self.case = case
            self.load(case)
            if getattr(result, "escalation_newly_required", False):
                self.open_escalation_dialog()

    def open_date_dialog(self) -> KeyDateDialog | None:
        if self.case is None or not self.context.is_open:
            return None
        self.date_dialog = KeyDateDialog(self.context, self.case.ref,
                                         self.context.session.clock.today(), self)
        self.date_dialog.accepted.connect(self._dates_changed)
        self.date_dialog.open()
        return self.date_dialog

    def _dates_changed(self) -> None:
        if self.case is not None:
            self._show_dates(self.case)

    def open_escalation_dialog(self) -> EscalationDialog | None:
        if self.case is None or not self.context.is_open:
            return None
        if self.escalation_dialog is not None:
            self.escalation_dialog.reject()
        self.escalation_dialog = prompt_escalation(self.context, self.case.ref, self,
                                                   asked=True)
        return self.escalation_dialog

    def _flags_edited(self) -> None:
        if self.case is None or not self.context.is_open:
            return
        flags = CaseFlags(**{a: b.isChecked() for a, b in self.flag_boxes.items()})
        before = self.case.flags
        if not self._write(lambda ref: self.context.session.cases.set_flags(ref, flags)):
            return
        raised = ((flags.dismissal_threatened and not before.dismissal_threatened)
                  or (flags.discrimination_alleged and not before.discrimination_alleged))
        if raised:
            self.load(self.case)
            self.open_escalation_dialog()

    def _consent_edited(self, checked: bool) -> None:
        if self.case is None or not self.context.is_open:
            return
        self._write(lambda ref: self.context.session.cases.set_consent_to_share(ref, checked))

    def _write(self, change: Callable[[str], Case]) -> bool:
        assert self.case is not None
        try:
            updated = change(self.case.ref)
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.load(self.case)
            return False
        self.case = updated
        self.context.events.changed.emit()
        return True
