"""Produce the branch audit report: a period, a format (PDF to read, CSV or JSON with the MAC
that ``casevault audit check`` confirms), and where to save it.

The report names no member (``vault.reports.audit_report``); the dialog says so, and how a
branch officer checks a copy they were sent.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from vault.errors import StorageError, VaultError
from vault.store.fsutil import atomic_write_bytes
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import accept_cancel_buttons, error_label
from vault.ui.widgets.uk_date_edit import UkDateEdit

log = logging.getLogger(__name__)

FORMATS = (("PDF — to read or print", "pdf"), ("JSON — with a check MAC", "json"),
           ("CSV — with a check MAC", "csv"))


class BranchAuditDialog(QDialog):
    """``saved_to`` holds the path written once the rep saved the report."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.saved_to: Path | None = None
        self.setWindowTitle("Branch audit report")
        self.setAccessibleName("Branch audit report")
        self.setMinimumWidth(480)
        today = context.clock.today()
        intro = QLabel(
            "For your branch: how many cases this vault holds, which closed cases are due or "
            "overdue for destruction, and the destruction certificates of the period. It names "
            "no member and holds no case content. The JSON and CSV forms carry a MAC: a branch "
            "officer can ask you to run “casevault audit check FILE” to confirm a copy is "
            "unaltered.", self)
        intro.setWordWrap(True)
        self.start = UkDateEdit(today.replace(year=today.year - 1) + dt.timedelta(days=1),
                                "Period from", self)
        self.end = UkDateEdit(today, "Period to", self)
        self.form = QComboBox(self)
        self.form.setAccessibleName("Format")
        for label, value in FORMATS:
            self.form.addItem(label, value)
        form = QFormLayout()
        form.addRow("&From", self.start)
        form.addRow("&To", self.end)
        form.addRow("F&ormat", self.form)
        self.error = error_label(self)
        buttons, self.save_button = accept_cancel_buttons(self, "Save report…", self.submit,
                                                          self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def submit(self) -> None:
        if not self._context.is_open:
            self.reject()
            return
        service = self._context.session.retention
        kind = str(self.form.currentData())
        try:
            view = service.audit(period_from=self.start.day(), period_to=self.end.day())
            data = service.audit_bytes(view, kind)
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        name = f"branch-audit-{view.period_from.isoformat()}-to-{view.period_to.isoformat()}.{kind}"
        path = self._context.file_dialogs.save_file(self, "Save the branch audit report", name)
        if path is None:
            return
        try:
            atomic_write_bytes(path, data)
        except (OSError, StorageError):
            log.warning("branch audit could not be written")
            self.error.setText("The report could not be saved there; choose another folder.")
            self.error.show()
            return
        self.saved_to = path
        self.accept()
