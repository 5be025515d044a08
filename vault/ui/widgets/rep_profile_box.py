"""Settings → You: the rep's own name, role, branch, casework email, phone and signature,
asked for once and used by follow-up notes, PDFs and email drafts (``RepProfileService``)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vault.errors import VaultError
from vault.store.rep_profile_repo import RepProfile
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import error_label

_LINES = (("name", "Your &name"), ("role", "&Role"), ("branch", "&Branch"),
          ("email", "Casework &email"), ("phone", "P&hone"))


class RepProfileBox(QGroupBox):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__("You", parent)
        self._context = context
        self.setAccessibleName("Your profile")
        form = QFormLayout()
        self.edits: dict[str, QLineEdit] = {}
        for field, label in _LINES:
            edit = QLineEdit(self)
            edit.setAccessibleName(label.replace("&", ""))
            self.edits[field] = edit
            form.addRow(label, edit)
        self.edits["email"].setPlaceholderText("A separate casework account, not your work one")
        self.signature = QPlainTextEdit(self)
        self.signature.setAccessibleName("Signature block")
        self.signature.setTabChangesFocus(True)
        self.signature.setFixedHeight(64)
        form.addRow("&Signature", self.signature)
        self.status = QLabel(self)
        self.status.setObjectName("hintText")
        self.status.setWordWrap(True)
        self.error = error_label(self)
        self.save_button = QPushButton("Save profile", self)
        self.save_button.setAccessibleName("Save your profile")
        self.save_button.clicked.connect(self.save)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(row)

    def refresh(self) -> None:
        if not self._context.is_open:
            return
        profile = self._context.session.profile.get()
        for field, edit in self.edits.items():
            edit.setText(getattr(profile, field) or "")
        self.signature.setPlainText(profile.signature or "")
        self.status.setText("Used on follow-up notes and email drafts.")
        self.error.hide()

    def clear(self) -> None:
        for edit in self.edits.values():
            edit.clear()
        self.signature.clear()
        self.status.clear()
        self.error.hide()

    def save(self) -> None:
        if not self._context.is_open:
            return
        values = {f: (e.text().strip() or None) for f, e in self.edits.items()}
        try:
            saved = self._context.session.profile.set(RepProfile(
                signature=self.signature.toPlainText().strip() or None, **values))
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.error.hide()
        warning = self._context.session.profile.email_warning(saved)
        self.status.setText(warning or "Saved. Used on follow-up notes and email drafts.")
