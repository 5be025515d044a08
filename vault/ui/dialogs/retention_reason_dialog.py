"""Ask for the reason of a retention action (legal hold, release, reopening) and run it.

The action is a callable taking the reason; a refusal from the service (a one-line message)
is shown in the dialog, which stays open. Used by the Retention page for Hold, Release and
Reopen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from vault.errors import VaultError
from vault.ui.widgets.dialog_parts import accept_cancel_buttons, error_label


class RetentionReasonDialog(QDialog):
    """``action(reason)`` runs on accept; ``required`` reasons must not be blank."""

    def __init__(self, title: str, explanation: str, accept_text: str,
                 action: Callable[[str], object], *, placeholder: str = "",
                 required: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._action = action
        self._required = required
        self.result_value: object = None
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(460)
        text = QLabel(explanation, self)
        text.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText(placeholder)
        label = QLabel("&Reason" + ("" if required else " (optional)"), self)
        label.setBuddy(self.reason)
        self.error = error_label(self)
        buttons, self.accept_button = accept_cancel_buttons(self, accept_text, self.submit,
                                                            self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def submit(self) -> None:
        reason = self.reason.text().strip()
        if self._required and not reason:
            self.error.setText("Give a reason; it is kept in the case's paper trail.")
            self.error.show()
            return
        try:
            self.result_value = self._action(reason)
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
