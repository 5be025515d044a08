"""Policies: the employer's policies and procedures, kept encrypted apart from every case
(UCU guide point 10). Add documents, link one to a case, save a deliberate decrypted copy, or
remove one that is superseded. ``PolicyLibraryService`` does the work."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vault.domain import format_size, format_uk_date
from vault.errors import VaultError
from vault.store.policies_repo import Policy
from vault.ui.page_context import PageContext
from vault.ui.pages.vault_page import VaultPage
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.page_header import PageHeader

_ID_ROLE = 0x0100 + 7


class PoliciesPage(VaultPage):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.header = PageHeader(
            "Employer policies", "Your employer's policies and procedures, encrypted and kept "
            "apart from any member's case. Link the ones a case relies on.", self)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Policies")
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.add_button = QPushButton("Add policy…", self)
        self.add_button.setAccessibleName("Add a policy document")
        self.add_button.clicked.connect(self.pick_and_add)
        self.link_button = QPushButton("Link to a case…", self)
        self.link_button.setAccessibleName("Link the selected policy to a case")
        self.link_button.clicked.connect(lambda: self.link_selected())
        self.save_button = QPushButton("Save a copy as…", self)
        self.save_button.setAccessibleName("Save a decrypted copy of the selected policy")
        self.save_button.clicked.connect(self.save_copy)
        self.remove_button = QPushButton("Remove…", self)
        self.remove_button.setAccessibleName("Remove the selected policy")
        self.remove_button.clicked.connect(self.remove_selected)
        self.status = QLabel(self)
        self.status.setObjectName("hintText")
        self.status.setWordWrap(True)
        self.error = error_label(self)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addStretch(1)
        for button in (self.link_button, self.save_button, self.remove_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(self.header)
        layout.addLayout(row)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        self._update_buttons()

    def refresh(self) -> None:
        if not self.context.is_open:
            return
        self.list.clear()
        for p in self.context.session.policies.list():
            extra = " · ".join(x for x in (p.employer, p.version) if x)
            item = QListWidgetItem(f"{p.title}" + (f"  ({extra})" if extra else "")
                                   + f"\n{format_size(p.size)}, added {format_uk_date(p.added)}")
            item.setData(_ID_ROLE, p.id)
            self.list.addItem(item)
        if self.list.count() == 0:
            self.status.setText("No policies yet. Add the grievance, disciplinary and other "
                                "procedures your cases rely on.")
        else:
            self.status.clear()
        self._update_buttons()

    def clear(self) -> None:
        self.list.clear()
        self.status.clear()
        self.error.hide()

    def selected_id(self) -> str | None:
        item = self.list.currentItem()
        value = item.data(_ID_ROLE) if item is not None else None
        return str(value) if value else None

    def _update_buttons(self) -> None:
        chosen = self.selected_id() is not None
        for button in (self.link_button, self.save_button, self.remove_button):
            button.setEnabled(chosen)

    def _guard(self, action: object) -> object | None:
        try:
            result = action() if callable(action) else None
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return None
        self.error.hide()
        return result

    def pick_and_add(self) -> None:
        paths = self.context.file_dialogs.open_files(self, "Add policy documents")
        for path in paths or []:
            added = self._guard(lambda p=path: self.context.session.policies.add(p))
            if isinstance(added, Policy):
                self.status.setText(f"Added {added.title}.")
        self.refresh()

    def link_selected(self, ref: str | None = None) -> bool:
        policy_id = self.selected_id()
        if policy_id is None or not self.context.is_open:
            return False
        if ref is None:
            refs = [c.case.ref for c in self.context.session.cases.list()
                    if c.case.status.value == "open"]
            if not refs:
                self.status.setText("There is no open case to link to.")
                return False
            ref, ok = QInputDialog.getItem(self, "Link to a case", "Case", refs, 0, False)
            if not ok:
                return False
        done = self._guard(lambda: self.context.session.policies.link(ref, policy_id))
        if done is not None:
            self.status.setText(f"Linked to {ref}.")
            self.context.events.changed.emit()
        return done is not None

    def save_copy(self) -> None:
        policy_id = self.selected_id()
        if policy_id is None or not self.context.is_open:
            return
        if not self.context.message_boxes.confirm(
                self, "Save a decrypted copy?",
                "The copy will NOT be encrypted. Keep it only as long as you need it.",
                accept_text="Save copy", dangerous=True):
            return
        target = self.context.file_dialogs.save_file(self, "Save a copy of the policy", "")
        if not target:
            return
        from vault.store.fsutil import atomic_write_bytes

        result = self._guard(lambda: self.context.session.policies.read_bytes(policy_id))
        if isinstance(result, tuple):
            atomic_write_bytes(target, result[1])
            self.status.setText(f"Saved a decrypted copy to {target}.")

    def remove_selected(self, reason: str | None = None) -> None:
        policy_id = self.selected_id()
        if policy_id is None or not self.context.is_open:
            return
        if not self.context.message_boxes.confirm(
                self, "Remove policy?", "Remove this policy from the library? Cases that link "
                "to it lose the link; the paper trail keeps a record.",
                accept_text="Remove policy", dangerous=True):
            return
        if reason is None:
            reason, ok = QInputDialog.getText(self, "Why remove it?",
                                              "Reason (kept in the paper trail)")
            if not ok:
                return
        why = reason
        self._guard(lambda: self.context.session.policies.remove(policy_id, reason=why))
        self.refresh()
