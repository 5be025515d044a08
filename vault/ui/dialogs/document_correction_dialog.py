"""Correct a document: rename it, change its "member's original" mark, or remove one imported
by mistake (its encrypted file is erased; an original not yet returned needs a reason). Every
change is recorded in the paper trail with the rep's reason. Removing asks again, Cancel first.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vault.domain import Document
from vault.errors import VaultError
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import accept_cancel_buttons, error_label


class DocumentCorrectionDialog(QDialog):
    def __init__(self, context: PageContext, ref: str, doc: Document,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._ref = ref
        self._doc = doc
        self.setWindowTitle("Correct document")
        self.setAccessibleName("Correct document")
        self.setMinimumWidth(480)
        self.name = QLineEdit(doc.name, self)
        self.name.setAccessibleName("Document name")
        self.original = QCheckBox("The member's original (to return at closing)", self)
        self.original.setChecked(doc.is_original)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason for the change")
        self.reason.setPlaceholderText("Why (kept in the paper trail)")
        self.original_reason = QLineEdit(self)
        self.original_reason.setAccessibleName("Why an original not yet returned may go")
        self.original_reason.setPlaceholderText("Only to remove an original not yet returned")
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("", self.original)
        form.addRow("&Reason", self.reason)
        form.addRow("If removing an &original", self.original_reason)
        self.error = error_label(self)
        buttons, self.save_button = accept_cancel_buttons(self, "Save correction", self.submit,
                                                          self.reject)
        self.remove_button = QPushButton("Remove document…", self)
        self.remove_button.setAccessibleName("Remove this document from the case")
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
        docs = self._context.session.documents
        changed = False
        try:
            if self.name.text().strip() != self._doc.name:
                self._doc = docs.rename(self._ref, self._doc.id, self.name.text(),
                                        reason=self.reason.text())
                changed = True
            if self.original.isChecked() != self._doc.is_original:
                self._doc = docs.set_original(self._ref, self._doc.id, self.original.isChecked(),
                                              reason=self.reason.text())
                changed = True
        except VaultError as exc:
            self._show(str(exc))
            return
        if not changed:
            self._show("Nothing has changed.")
            return
        self.accept()
        self._context.events.changed.emit()

    def remove(self) -> None:
        if not self._context.is_open:
            self.reject()
            return
        if not self._context.message_boxes.confirm(
                self, "Remove document?",
                f"Remove “{self._doc.name}” from {self._ref}? Its encrypted file is erased; the "
                "paper trail keeps a record of the removal and your reason.",
                accept_text="Remove document", dangerous=True):
            return
        try:
            self._context.session.documents.remove(
                self._ref, self._doc.id, reason=self.reason.text(),
                original_reason=self.original_reason.text() or None)
        except VaultError as exc:
            self._show(str(exc))
            return
        self.accept()
        self._context.events.changed.emit()

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
