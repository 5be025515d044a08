"""Correct a member's record: the fields pre-filled, a reason required, the change in the trail.

Only the fields the rep changed are sent (``MemberService.edit``); a refusal (a membership number
another member has, a malformed email) is shown in the dialog, which stays open. A name change
re-runs the conflict check; matches open ``ConflictDialog``.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from vault.casework.members import work_email_warning
from vault.domain import Member
from vault.errors import VaultError
from vault.ui.dialogs.conflict_dialog import ConflictDialog, show_conflicts
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import accept_cancel_buttons, error_label

log = logging.getLogger(__name__)

FIELDS = (("name", "&Name"), ("membership_number", "Membership &no."),
          ("employer", "&Employer"), ("department", "&Department"),
          ("email", "Preferred &email"), ("phone", "&Phone"))


class EditMemberDialog(QDialog):
    """Emits ``member_edited(member_id)`` after the service accepted the change."""

    member_edited = Signal(str)

    def __init__(self, context: PageContext, member: Member,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._member = member
        self.conflict_dialog: ConflictDialog | None = None
        self.setWindowTitle("Correct member record")
        self.setAccessibleName("Correct member record")
        self.setMinimumWidth(480)
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for field, label in FIELDS:
            edit = QLineEdit(getattr(member, field) or "", self)
            edit.setAccessibleName(label.replace("&", ""))
            self.edits[field] = edit
            form.addRow(label, edit)
        self.email_warning = QLabel(self)
        self.email_warning.setObjectName("banner")
        self.email_warning.setWordWrap(True)
        self.email_warning.hide()
        form.addRow("", self.email_warning)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason for the change")
        self.reason.setPlaceholderText("Why (kept in the paper trail), e.g. typo")
        form.addRow("&Reason", self.reason)
        self.error = error_label(self)
        buttons, self.save_button = accept_cancel_buttons(self, "Save correction", self.submit,
                                                          self.reject)
        layout = QVBoxLayout(self)
        hint = QLabel("The paper trail records which fields changed and why — not the old or "
                      "new values.", self)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.edits["email"].textChanged.connect(self._check_email)
        self.edits["employer"].textChanged.connect(self._check_email)
        self._check_email()

    def _check_email(self) -> None:
        warning = work_email_warning(self.edits["email"].text().strip() or None,
                                     self.edits["employer"].text().strip() or None)
        self.email_warning.setText(warning or "")
        self.email_warning.setVisible(bool(warning))

    def changes(self) -> dict[str, str | None]:
        out: dict[str, str | None] = {}
        for field, edit in self.edits.items():
            text = edit.text().strip()
            if text != (getattr(self._member, field) or ""):
                out[field] = text or None
        return out

    def submit(self) -> None:
        if not self._context.is_open:
            self.reject()
            return
        changes = self.changes()
        if not changes:
            self._show("Nothing has changed.")
            return
        try:
            result = self._context.session.members.edit(self._member.id,
                                                        reason=self.reason.text(), **changes)
        except VaultError as exc:
            self._show(str(exc))
            return
        self.accept()
        self._context.events.changed.emit()
        self.member_edited.emit(result.member.id)
        if result.conflicts:
            self.conflict_dialog = show_conflicts(self._context, list(result.conflicts),  # type: ignore[arg-type]
                                                  self.parentWidget(),
                                                  subject="the corrected name")

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
