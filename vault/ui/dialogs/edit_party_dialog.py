"""Correct a party of a case (name, role, union membership) or remove one added by mistake.

A changed name or role is checked for conflicts again (matches open the decision dialog from
the Parties tab); removal keeps any conflict decision already recorded. Both go into the paper
trail with the rep's reason; removal asks again, Cancel first.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vault.casework.parties import PartyAdded, PartyRole, UnionMembership
from vault.errors import VaultError
from vault.store.parties_repo import Party
from vault.ui.models.party_table_model import MEMBERSHIP_LABELS, role_text
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import accept_cancel_buttons, error_label


class EditPartyDialog(QDialog):
    def __init__(self, context: PageContext, party: Party, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._party = party
        self.result_edit: PartyAdded | None = None
        self.removed = False
        self.setWindowTitle("Correct party")
        self.setAccessibleName("Correct party")
        self.setMinimumWidth(460)
        self.name = QLineEdit(party.name, self)
        self.name.setAccessibleName("Party's name")
        self.role = QComboBox(self)
        self.role.setAccessibleName("Role in this case")
        for role in PartyRole:
            self.role.addItem(role_text(role.value), role.value)
        self.role.setCurrentIndex(self.role.findData(party.role.value))
        self.union_member = QComboBox(self)
        self.union_member.setAccessibleName("Union member")
        for value in (UnionMembership.UNKNOWN, UnionMembership.YES, UnionMembership.NO):
            self.union_member.addItem(MEMBERSHIP_LABELS[value], value.value)
        self.union_member.setCurrentIndex(self.union_member.findData(party.union_member.value))
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason for the change")
        self.reason.setPlaceholderText("Why (kept in the paper trail)")
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Role", self.role)
        form.addRow("&Union member", self.union_member)
        form.addRow("R&eason", self.reason)
        self.error = error_label(self)
        buttons, self.save_button = accept_cancel_buttons(self, "Save correction", self.submit,
                                                          self.reject)
        self.remove_button = QPushButton("Remove party…", self)
        self.remove_button.setAccessibleName("Remove this party from the case")
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.remove_button.clicked.connect(self.remove)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def submit(self) -> None:
        if not self._context.is_open:
            self.reject()
            return
        name = self.name.text().strip()
        role = str(self.role.currentData())
        member = str(self.union_member.currentData())
        try:
            self.result_edit = self._context.session.parties.edit(
                self._party.id, reason=self.reason.text(),
                name=name if name != self._party.name else None,
                role=role if role != self._party.role.value else None,
                union_member=member if member != self._party.union_member.value else None)
        except VaultError as exc:
            self._show(str(exc))
            return
        self.accept()
        self._context.events.changed.emit()

    def remove(self) -> None:
        if not self._context.is_open:
            self.reject()
            return
        if not self._context.message_boxes.confirm(
                self, "Remove party?",
                f"Remove {self._party.name} from {self._party.case_ref}? A conflict decision "
                "already recorded about them is kept.",
                accept_text="Remove party", dangerous=True):
            return
        try:
            self._context.session.parties.remove(self._party.id, reason=self.reason.text())
        except VaultError as exc:
            self._show(str(exc))
            return
        self.removed = True
        self.accept()
        self._context.events.changed.emit()

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
