"""Close a case: the outcome in the rep's words, then the closing checklist.

The checklist is the service's (``RetentionService.checklist``), shown live: every document
marked as the member's original returned, paper copies shredded (the rep ticks it here),
written follow-ups discharged or waived, the escalation decision where one was required. Each
outstanding item is listed by name; Close case stays disabled until none is left. The rep may
set a per-case archive period in days (0 allowed) with a reason instead of the union's.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vault.domain import format_uk_date
from vault.errors import VaultError
from vault.retention.policy import MAX_PER_CASE_DAYS
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import accept_cancel_buttons, error_label

log = logging.getLogger(__name__)


class CloseCaseDialog(QDialog):
    """Emits ``closed`` with the case's ``RetentionRow`` once the service closed it."""

    closed = Signal(object)

    def __init__(self, context: PageContext, case_ref: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._ref = case_ref
        self.setWindowTitle(f"Close case {case_ref}")
        self.setAccessibleName("Close case")
        self.setMinimumWidth(560)

        self.outcome = QPlainTextEdit(self)
        self.outcome.setAccessibleName("Outcome")
        self.outcome.setPlaceholderText("The outcome, in your words (kept in the case's "
                                        "paper trail)")
        self.outcome.setFixedHeight(80)
        self.shredded = QCheckBox("Paper copies of the case have been shredded", self)
        self.shredded.setAccessibleName("Paper copies shredded")
        self.checklist = QListWidget(self)
        self.checklist.setAccessibleName("Closing checklist")
        self.checklist.setMinimumHeight(110)
        self.checklist_hint = QLabel(self)
        self.checklist_hint.setWordWrap(True)
        self.checklist_hint.setAccessibleName("Checklist status")

        self.per_case = QGroupBox("Use a per-case archive period", self)
        self.per_case.setCheckable(True)
        self.per_case.setChecked(False)
        self.per_case.setAccessibleName("Per-case archive period")
        self.days = QSpinBox(self.per_case)
        self.days.setRange(0, MAX_PER_CASE_DAYS)
        self.days.setSuffix(" days after closure")
        self.days.setAccessibleName("Archive period in days")
        self.reason = QLineEdit(self.per_case)
        self.reason.setAccessibleName("Reason for the per-case period")
        self.reason.setPlaceholderText("e.g. the member asked for early destruction and I agreed")
        per_case_form = QFormLayout(self.per_case)
        per_case_form.addRow("&Period", self.days)
        per_case_form.addRow("Rea&son", self.reason)
        self.rule_hint = QLabel(self)
        self.rule_hint.setObjectName("hintText")
        self.rule_hint.setWordWrap(True)

        self.error = error_label(self)
        buttons, self.close_button = accept_cancel_buttons(self, "Close case", self.submit,
                                                           self.reject)

        form = QFormLayout()
        form.addRow("&Outcome", self.outcome)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("<b>Closing checklist</b>", self))
        layout.addWidget(self.shredded)
        layout.addWidget(self.checklist)
        layout.addWidget(self.checklist_hint)
        layout.addWidget(self.per_case)
        layout.addWidget(self.rule_hint)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self.shredded.toggled.connect(self.refresh_checklist)
        self.outcome.textChanged.connect(self._update_button)
        self.per_case.toggled.connect(self._update_rule_hint)
        self.days.valueChanged.connect(self._update_rule_hint)
        self.refresh_checklist()
        self._update_rule_hint()
        self.outcome.setFocus()

    @property
    def outstanding_count(self) -> int:
        return self._outstanding

    def refresh_checklist(self) -> None:
        self.checklist.clear()
        self._outstanding = 0
        if not self._context.is_open:
            return
        try:
            checklist = self._context.session.retention.checklist(
                self._ref, paper_copies_shredded=self.shredded.isChecked())
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self._update_button()
            return
        items = checklist.outstanding()
        self._outstanding = len(items)
        for item in items:
            self.checklist.addItem(f"✗  {item.label}")
        if items:
            self.checklist_hint.setText(
                f"{len(items)} item{'s' if len(items) != 1 else ''} outstanding. Mark originals "
                "returned on the Documents tab, send or waive follow-ups on the Paper trail tab, "
                "record the escalation decision on Overview.")
        else:
            self.checklist.addItem("✓  Everything on the checklist is done")
            self.checklist_hint.setText("The case can be closed.")
        self._update_button()

    def _update_button(self) -> None:
        self.close_button.setEnabled(self._outstanding == 0
                                     and bool(self.outcome.toPlainText().strip()))

    def _update_rule_hint(self) -> None:
        if not self._context.is_open:
            return
        today = self._context.clock.today()
        if self.per_case.isChecked():
            until = today + dt.timedelta(days=self.days.value())
            self.rule_hint.setText(f"Due for destruction on {format_uk_date(until)} "
                                   f"({self.days.value()} days after closure).")
        else:
            rule = self._context.session.retention.default_rule()
            self.rule_hint.setText(
                f"Due for destruction on {format_uk_date(rule.retention_date(today))} "
                f"({rule.describe()}).")

    def submit(self) -> None:
        if not self._context.is_open:
            self.reject()
            return
        per_case = self.per_case.isChecked()
        try:
            row = self._context.session.retention.close(
                self._ref, outcome=self.outcome.toPlainText(),
                paper_copies_shredded=self.shredded.isChecked(),
                retain_days=self.days.value() if per_case else None,
                reason=self.reason.text() if per_case else None)
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.refresh_checklist()
            return
        log.info("case closed from the case page")
        self.accept()
        self._context.events.changed.emit()
        self.closed.emit(row)
