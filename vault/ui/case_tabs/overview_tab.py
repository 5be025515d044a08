"""The case Overview: summary, escalation advice, the flags (editable) and consent to share.

Changes go through ``CaseService.set_flags`` / ``set_consent_to_share`` (each logged in the
paper trail); the tab then reloads from the service.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from vault.domain import Case, CaseFlags, CaseStatus, format_uk_date
from vault.errors import VaultError
from vault.ui.case_tabs.case_tab import CaseTab
from vault.ui.dialogs.open_case_dialog import ESCALATION_TEXT
from vault.ui.models.case_table_model import FLAG_LABELS
from vault.ui.page_context import PageContext

log = logging.getLogger(__name__)

CONSENT_TEXT = "The member agreed to their information being shared with branch caseworkers"


class OverviewTab(CaseTab):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.summary: dict[str, QLabel] = {}
        summary_box = QGroupBox("Summary", self)
        form = QFormLayout(summary_box)
        for key, label in (("member", "Member"), ("category", "Category"),
                           ("status", "Status"), ("opened", "Opened"), ("closed", "Closed"),
                           ("activity", "Last activity")):
            value = QLabel(summary_box)
            value.setAccessibleName(label)
            value.setWordWrap(True)
            self.summary[key] = value
            form.addRow(f"{label}:", value)

        self.escalation = QLabel(ESCALATION_TEXT, self)
        self.escalation.setObjectName("banner")
        self.escalation.setWordWrap(True)
        self.escalation.setAccessibleName("Escalation advice")
        self.escalation.hide()

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

        self.error = QLabel(self)
        self.error.setObjectName("errorText")
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Problem")
        self.error.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 12, 4, 4)
        layout.addWidget(summary_box)
        layout.addWidget(self.escalation)
        layout.addWidget(flags_box)
        layout.addWidget(sharing_box)
        layout.addWidget(self.error)
        layout.addStretch(1)

    def load(self, case: Case) -> None:
        super().load(case)
        member = self.context.session.cases.member_of(case)
        self.summary["member"].setText(member.name)
        self.summary["category"].setText(case.category.label)
        self.summary["status"].setText(case.status.value.capitalize())
        self.summary["opened"].setText(format_uk_date(case.opened))
        self.summary["closed"].setText(format_uk_date(case.closed) or "—")
        self.summary["activity"].setText(format_uk_date(case.last_activity.astimezone()))
        self.escalation.setVisible(case.needs_escalation_prompt)
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
        self.error.hide()

    def clear(self) -> None:
        super().clear()
        for value in self.summary.values():
            value.clear()
        for box in [*self.flag_boxes.values(), self.consent]:
            box.blockSignals(True)
            box.setChecked(False)
            box.blockSignals(False)
        self.escalation.hide()
        self.error.hide()

    def _flags_edited(self) -> None:
        if self.case is None or not self.context.is_open:
            return
        flags = CaseFlags(**{a: b.isChecked() for a, b in self.flag_boxes.items()})
        self._write(lambda ref: self.context.session.cases.set_flags(ref, flags))

    def _consent_edited(self, checked: bool) -> None:
        if self.case is None or not self.context.is_open:
            return
        self._write(lambda ref: self.context.session.cases.set_consent_to_share(ref, checked))

    def _write(self, change: Callable[[str], Case]) -> None:
        assert self.case is not None
        try:
            updated = change(self.case.ref)
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.load(self.case)
            return
        self.case = updated
        self.context.events.changed.emit()
