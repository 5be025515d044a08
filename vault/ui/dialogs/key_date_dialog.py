"""Add a key date to a case: a hearing, a meeting, an appeal or response deadline, or the
employment tribunal time limit (worked out from the date of the act, shown as "check with the
regional office", never as legal advice)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from vault.casework.key_dates import TRIBUNAL_ADVICE, KeyDateKind, tribunal_limitation
from vault.domain import format_uk_date
from vault.errors import VaultError
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import accept_cancel_buttons, error_label
from vault.ui.widgets.uk_date_edit import UkDateEdit


class KeyDateDialog(QDialog):
    def __init__(self, context: PageContext, ref: str, today: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._ref = ref
        self.setWindowTitle(f"Add a key date to {ref}")
        self.setAccessibleName("Add a key date")
        self.setMinimumWidth(460)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("What")
        for kind in KeyDateKind:
            self.kind.addItem(kind.label, kind)
        self.on = UkDateEdit(today, "Date", self)
        self.act = UkDateEdit(today, "Date of the act complained of", self)
        self.note = QLineEdit(self)
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Optional, e.g. room, who attends")
        self.advice = QLabel(TRIBUNAL_ADVICE, self)
        self.advice.setObjectName("banner")
        self.advice.setWordWrap(True)
        self.form = QFormLayout()
        self.form.addRow("&What", self.kind)
        self.form.addRow("&Date", self.on)
        self.form.addRow("Date of the &act", self.act)
        self.form.addRow("&Note", self.note)
        self.error = error_label(self)
        buttons, self.save_button = accept_cancel_buttons(self, "Add date", self.submit,
                                                          self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.advice)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.act.dateChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        tribunal = KeyDateKind(self.kind.currentData()) is KeyDateKind.TRIBUNAL
        self.form.setRowVisible(self.act, tribunal)
        self.on.setEnabled(not tribunal)
        self.advice.setVisible(tribunal)
        if tribunal:
            limit = tribunal_limitation(self.act.day())
            self.on.set_day(limit)
            self.advice.setText(f"Time limit: {format_uk_date(limit)}. {TRIBUNAL_ADVICE}")

    def submit(self) -> None:
        if not self._context.is_open:
            self.reject()
            return
        kind = KeyDateKind(self.kind.currentData())  # Qt hands StrEnums back as str
        tribunal = kind is KeyDateKind.TRIBUNAL
        try:
            self._context.session.key_dates.add(
                self._ref, kind, None if tribunal else self.on.day(),
                act_date=self.act.day() if tribunal else None,
                note=self.note.text() or None)
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
        self._context.events.changed.emit()
