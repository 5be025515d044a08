"""Open a case: member, title, category, opening date and the DOMAIN.md flags.

When the category or a flag means dismissal is threatened or discrimination is complained of,
the dialog says the case should be escalated, naming the reason that applies and the body the
rep's union says to tell (``TrainingService.wording``). Once the case is open, the escalation
prompt (``EscalationDialog``) asks for the decision when the service says one is needed, and
the member's conflict check runs (``ConflictDialog`` shows any matches).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from vault.domain import CaseFlags, Category
from vault.errors import VaultError
from vault.ui.dialogs.conflict_dialog import ConflictDialog, show_conflicts
from vault.ui.dialogs.escalation_dialog import EscalationDialog, prompt_escalation
from vault.ui.models.case_table_model import FLAG_LABELS
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import accept_cancel_buttons, error_label, grow_to_fit
from vault.ui.widgets.uk_date_edit import UkDateEdit

log = logging.getLogger(__name__)

CHOOSE_MEMBER = "Choose the member…"


class OpenCaseDialog(QDialog):
    """Emits ``case_opened(ref)`` after the service opened the case."""

    case_opened = Signal(str)

    def __init__(self, context: PageContext, parent: QWidget | None = None, *,
                 member_id: str | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.escalation_dialog: EscalationDialog | None = None
        self.conflict_dialog: ConflictDialog | None = None
        self.setWindowTitle("New case")
        self.setAccessibleName("New case")
        self.setMinimumWidth(500)

        self.member = QComboBox(self)
        self.member.setAccessibleName("Member")
        # Nobody is chosen unless the caller knows the member: a case opened under the first
        # name in the list by mistake is the worst slip this dialog can allow.
        self.member.addItem(CHOOSE_MEMBER, None)
        for summary in sorted(context.session.members.list(),
                              key=lambda s: s.member.name.casefold()):
            m = summary.member
            label = f"{m.name} ({m.membership_number})" if m.membership_number else m.name
            self.member.addItem(label, m.id)
        if member_id is not None:
            index = self.member.findData(member_id)
            if index >= 0:
                self.member.setCurrentIndex(index)

        self.title = QLineEdit(self)
        self.title.setAccessibleName("Case title")
        self.title.setPlaceholderText("A few words, e.g. 'Grievance about shift pattern'")
        self.category = QComboBox(self)
        self.category.setAccessibleName("Category")
        for category in Category:
            self.category.addItem(category.label, category.value)
        today = context.clock.today()
        self.opened = UkDateEdit(today, "Opened on", self)
        self.opened.setMaximumDate(QDate(today.year, today.month, today.day))

        self.flag_boxes: dict[str, QCheckBox] = {}
        for attr, label in FLAG_LABELS:
            box = QCheckBox(label, self)
            box.setAccessibleName(label)
            box.toggled.connect(self._update_escalation)
            self.flag_boxes[attr] = box

        form = QFormLayout()
        form.addRow("&Member", self.member)
        form.addRow("&Title", self.title)
        form.addRow("&Category", self.category)
        form.addRow("&Opened", self.opened)
        flags_box = QVBoxLayout()
        for box in self.flag_boxes.values():
            flags_box.addWidget(box)
        form.addRow("Flags", flags_box)

        self._wording = context.session.training.wording()
        self.escalation = QLabel(self)
        self.escalation.setObjectName("banner")
        self.escalation.setWordWrap(True)
        self.escalation.setAccessibleName("Escalation advice")
        self.escalation.hide()
        self.error = error_label(self)

        buttons, self.open_button = accept_cancel_buttons(
            self, "Open case", self.submit, self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.escalation)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.category.currentIndexChanged.connect(self._update_escalation)
        if self.member.currentData() is None:
            self.member.setFocus()
        else:
            self.title.setFocus()

    def selected_category(self) -> Category:
        return Category(self.category.currentData())

    def selected_flags(self) -> CaseFlags:
        return CaseFlags(**{attr: box.isChecked() for attr, box in self.flag_boxes.items()})

    def set_category(self, category: Category) -> None:
        self.category.setCurrentIndex(self.category.findData(category.value))

    def _update_escalation(self) -> None:
        flags = self.selected_flags()
        category = self.selected_category()
        dismissal = category is Category.DISMISSAL or flags.dismissal_threatened
        discrimination = category is Category.DISCRIMINATION or flags.discrimination_alleged
        if dismissal or discrimination:
            self.escalation.setText(self._wording.escalation_instruction(
                dismissal=dismissal, discrimination=discrimination))
        self.escalation.setVisible(dismissal or discrimination)
        if dismissal or discrimination:
            grow_to_fit(self)  # else the banner squeezes the flag check boxes flat

    def submit(self) -> None:
        if not self._context.is_open:
            self.reject()
            return
        member_id = self.member.currentData()
        if not member_id:
            self.error.setText("Choose the member this case is for.")
            self.error.show()
            return
        try:
            case = self._context.session.cases.open(
                str(member_id), self.title.text(), self.selected_category(),
                flags=self.selected_flags(), opened=self.opened.day(),
            )
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
        self._context.events.changed.emit()
        self.case_opened.emit(case.ref)
        self._after_opening(case.ref)

    def _after_opening(self, ref: str) -> None:
        """The escalation prompt, then the member's conflict check (as the CLI does)."""
        owner = self.parentWidget()
        try:
            findings = self._context.session.conflicts.check_case_member(ref)
        except VaultError as exc:
            log.warning("conflict check on opening failed: %s", type(exc).__name__)
            findings = []
        self.escalation_dialog = prompt_escalation(self._context, ref, owner)
        if not findings:
            return
        self._context.events.changed.emit()

        def show() -> None:
            self.conflict_dialog = show_conflicts(self._context, findings, owner,
                                                  subject="the member of " + ref)

        if self.escalation_dialog is not None:
            self.escalation_dialog.finished.connect(lambda _r: show())
        else:
            show()
