"""Correct a case's record (title, category, stage, informal resolution, description), with a
reason; the change goes into the paper trail. When the change makes escalation required, the
dialog says so and the Overview opens the escalation prompt.

The flags stay as check boxes on the Overview (each change logged there).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from vault.casework.cases import CaseEdit
from vault.domain import Case, CaseStage, Category
from vault.errors import VaultError
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import accept_cancel_buttons, error_label

_INFORMAL = (("Not recorded", None), ("Yes, tried first", True), ("No", False))


class EditCaseDialog(QDialog):
    """Emits ``case_edited(CaseEdit)`` after the service accepted the change."""

    case_edited = Signal(object)

    def __init__(self, context: PageContext, case: Case, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._case = case
        self.result_edit: CaseEdit | None = None
        self.setWindowTitle(f"Correct case {case.ref}")
        self.setAccessibleName("Correct case details")
        self.setMinimumWidth(500)
        self.title = QLineEdit(case.title, self)
        self.title.setAccessibleName("Title")
        self.category = QComboBox(self)
        self.category.setAccessibleName("Category")
        for cat in Category:
            self.category.addItem(cat.label, cat)
        self.category.setCurrentIndex(list(Category).index(case.category))
        self.stage = QComboBox(self)
        self.stage.setAccessibleName("Stage")
        for stage in CaseStage:
            self.stage.addItem(stage.label, stage)
        self.stage.setCurrentIndex(list(CaseStage).index(case.stage))
        self.informal = QComboBox(self)
        self.informal.setAccessibleName("Informal resolution tried")
        for label, value in _INFORMAL:
            self.informal.addItem(label, value)
        self.informal.setCurrentIndex([v for _, v in _INFORMAL].index(case.informal_tried))
        self.description = QPlainTextEdit(case.description or "", self)
        self.description.setAccessibleName("Description")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(90)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason for the change")
        self.reason.setPlaceholderText("Why (kept in the paper trail)")
        form = QFormLayout()
        form.addRow("&Title", self.title)
        form.addRow("&Category", self.category)
        form.addRow("&Stage", self.stage)
        form.addRow("&Informal resolution tried", self.informal)
        form.addRow("&Description", self.description)
        form.addRow("&Reason", self.reason)
        self.error = error_label(self)
        buttons, self.save_button = accept_cancel_buttons(self, "Save correction", self.submit,
                                                          self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def changes(self) -> dict[str, Any]:
        case = self._case
        out: dict[str, Any] = {}
        if self.title.text().strip() != case.title:
            out["title"] = self.title.text()
        category = Category(self.category.currentData())  # Qt hands StrEnums back as str
        if category is not case.category:
            out["category"] = category
        stage = CaseStage(self.stage.currentData())
        if stage is not case.stage:
            out["stage"] = stage
        if self.informal.currentData() != case.informal_tried:
            out["informal_tried"] = self.informal.currentData()
        text = self.description.toPlainText().strip() or None
        if text != case.description:
            out["description"] = text
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
            self.result_edit = self._context.session.cases.edit(
                self._case.ref, reason=self.reason.text(), **changes)
        except VaultError as exc:
            self._show(str(exc))
            return
        self.accept()
        self._context.events.changed.emit()
        self.case_edited.emit(self.result_edit)

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
