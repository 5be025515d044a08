"""Print the training record: asks for the rep's own name (optional) before choosing a file.

The dialog only collects the name; the Training page then asks where to save (through the
file-dialog seam) and renders the PDF off the GUI thread. The name is never logged or stored.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from vault.training.record_report import MAX_REP_NAME
from vault.ui.widgets.dialog_parts import accept_cancel_buttons


class PrintTrainingRecordDialog(QDialog):
    def __init__(self, rep_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Print training record")
        self.setAccessibleName("Print training record")
        self.setMinimumWidth(460)

        intro = QLabel("A PDF of your union, your status in plain words, your courses and the "
                       "Reps 2 route with its dates. It holds nothing about members.", self)
        intro.setWordWrap(True)
        intro.setAccessibleName("About the training record")
        self.name_edit = QLineEdit(self)
        self.name_edit.setAccessibleName("Your name on the record (optional)")
        self.name_edit.setPlaceholderText("Optional")
        self.name_edit.setMaxLength(MAX_REP_NAME)
        self.name_edit.setText(rep_name)
        hint = QLabel("Leave it empty for a record without a name. The name is not saved in "
                      "the vault.", self)
        hint.setObjectName("hintText")
        hint.setWordWrap(True)
        hint.setAccessibleName("About the name")

        form = QFormLayout()
        form.addRow("Your &name", self.name_edit)
        form.addRow("", hint)

        buttons, self.save_button = accept_cancel_buttons(
            self, "Choose where to save…", self.accept, self.reject,
            accessible_name="Choose where to save the PDF")

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.name_edit.setFocus()

    def rep_name(self) -> str:
        return " ".join(self.name_edit.text().split())
