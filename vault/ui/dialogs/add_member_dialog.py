"""Add a member: name, membership number, employer, department, preferred email and phone.

Warns as the rep types when the preferred email looks like a work address (UCU guide). The
member is added through ``MemberService.add``; a refusal is shown in the dialog, which stays
open so nothing typed is lost. The new member is then checked for conflicts of interest
(``ConflictService.check_member``); matches open ``ConflictDialog``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from vault.casework.members import work_email_warning
from vault.errors import VaultError
from vault.ui.dialogs.conflict_dialog import ConflictDialog, show_conflicts
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import accept_cancel_buttons, error_label, grow_to_fit

log = logging.getLogger(__name__)


class AddMemberDialog(QDialog):
    """Emits ``member_added(member_id)`` after the service accepted the member."""

    member_added = Signal(str)

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.conflict_dialog: ConflictDialog | None = None
        self.setWindowTitle("New member")
        self.setAccessibleName("New member")
        self.setMinimumWidth(460)

        self.name = self._field("Full name", "As the member gives it")
        self.number = self._field("Membership number", "Optional")
        self.employer = self._field("Employer", "Optional")
        self.department = self._field("Department", "Optional")
        self.email = self._field("Preferred email", "Personal address, ideally")
        self.phone = self._field("Phone", "Optional")

        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("Membership &no.", self.number)
        form.addRow("&Employer", self.employer)
        form.addRow("&Department", self.department)
        form.addRow("Preferred &email", self.email)
        self.email_warning = QLabel(self)
        self.email_warning.setObjectName("banner")
        self.email_warning.setWordWrap(True)
        self.email_warning.setAccessibleName("Work email warning")
        self.email_warning.hide()
        form.addRow(self.email_warning)  # the whole width, and the dialog grows to fit it
        form.addRow("&Phone", self.phone)

        self.error = error_label(self)

        buttons, self.save_button = accept_cancel_buttons(
            self, "Add member", self.submit, self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.email.textChanged.connect(self._check_email)
        self.employer.textChanged.connect(self._check_email)
        self.name.setFocus()

    def _field(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _check_email(self) -> None:
        warning = work_email_warning(self.email.text().strip() or None,
                                     self.employer.text().strip() or None)
        self.email_warning.setText(warning or "")
        self.email_warning.setVisible(bool(warning))
        if warning:
            grow_to_fit(self)

    def submit(self) -> None:
        if not self._context.is_open:
            self.reject()
            return
        try:
            member = self._context.session.members.add(
                self.name.text(),
                membership_number=self.number.text() or None,
                employer=self.employer.text() or None,
                department=self.department.text() or None,
                email=self.email.text() or None,
                phone=self.phone.text() or None,
            )
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
        self._context.events.changed.emit()
        self.member_added.emit(member.id)
        self._check_conflicts(member.id)

    def _check_conflicts(self, member_id: str) -> None:
        """Run the conflict check on the member just added; matches open the decision dialog."""
        try:
            findings = self._context.session.conflicts.check_member(member_id)
        except VaultError as exc:
            log.warning("conflict check on a new member failed: %s", type(exc).__name__)
            return
        if findings:
            self._context.events.changed.emit()
        self.conflict_dialog = show_conflicts(self._context, findings, self.parentWidget(),
                                              subject="the member you added")
