"""Export bundle…: choose what goes in an encrypted bundle of a case, write it, show the
passphrase once.

The documents are all ticked by default; the case summary and paper-trail PDFs are in by
default; off-the-record entries are out by default and ticking them shows a warning. The
passphrase is generated unless the rep types one agreed with the recipient (checked as they
type). An email draft (.eml) is optional: To is the member's preferred address (with the
work-address warning), the rep's own address receives the read receipt. The export runs on a
worker through ``ExportService.export_case`` with a progress bar and Cancel in the dialog; a
cancelled or failed export leaves no file. When it is written, ``BundlePassphraseDialog``
shows the passphrase once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vault.domain import format_size, format_uk_date
from vault.errors import Cancelled, InvalidInput, VaultError
from vault.export import email_draft
from vault.export.service import CaseExportPlan, DocumentFailed, ExportOutcome
from vault.ui.dialogs.bundle_passphrase_dialog import BundlePassphraseDialog
from vault.ui.dialogs.export_dialog_parts import DestinationRow, PassphraseChoice
from vault.ui.page_context import PageContext
from vault.ui.task_runner import Task, TaskControl
from vault.ui.widgets.dialog_parts import accept_cancel_buttons, error_label, grow_to_fit
from vault.ui.widgets.task_progress_row import TaskProgressRow

log = logging.getLogger(__name__)

OFF_RECORD_WARNING = ("Off-the-record and without-prejudice entries will be in the paper-trail "
                      "PDF. Include them only for someone entitled to see them.")


@dataclass(frozen=True)
class _Request:
    out: Path
    document_ids: tuple[str, ...]
    summary: bool
    trail: bool
    off_record: bool
    passphrase: str | None
    eml: Path | None
    to: str
    sender: str


class ExportBundleDialog(QDialog):
    """Emits ``exported(ExportOutcome)`` once the bundle is written (before the passphrase)."""

    exported = Signal(object)

    def __init__(self, context: PageContext, ref: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.plan: CaseExportPlan = context.session.export.plan_case(ref)
        self.setWindowTitle("Export bundle")
        self.setAccessibleName("Export an encrypted bundle")
        self.setMinimumWidth(620)
        self.task: Task | None = None
        self.passphrase_dialog: BundlePassphraseDialog | None = None
        plan = self.plan

        intro = QLabel(
            f"An AES-256 encrypted zip of case {plan.ref} for {plan.member_name}. Files inside "
            "get neutral names (01-document.pdf …); an encrypted index.pdf says which is which.",
            self)
        intro.setWordWrap(True)

        docs_box = QGroupBox(f"Documents ({len(plan.documents)})", self)
        self.documents = QListWidget(docs_box)
        self.documents.setAccessibleName("Documents to include")
        for doc in plan.documents:
            item = QListWidgetItem(f"{doc.name}  ·  {format_size(doc.size)}  ·  added "
                                   f"{format_uk_date(doc.added)}")
            item.setData(Qt.ItemDataRole.UserRole, doc.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.documents.addItem(item)
        if not plan.documents:
            empty = QListWidgetItem("This case has no documents; the bundle can still hold "
                                    "the case summary and paper trail.")
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.documents.addItem(empty)
        self.documents.setMaximumHeight(150)
        # At least three rows (or all of them) show without scrolling; squeezed, the list
        # showed two and a half.
        rows = max(1, min(3, self.documents.count()))
        row_height = max(self.documents.sizeHintForRow(0), self.fontMetrics().height() + 4)
        self.documents.setMinimumHeight(min(150, rows * row_height
                                            + 2 * self.documents.frameWidth() + 6))
        self.all_button = QPushButton("All", docs_box)
        self.all_button.setAccessibleName("Include every document")
        self.all_button.clicked.connect(lambda: self._check_all(True))
        self.none_button = QPushButton("None", docs_box)
        self.none_button.setAccessibleName("Include no document")
        self.none_button.clicked.connect(lambda: self._check_all(False))
        pick = QHBoxLayout()
        pick.addStretch(1)
        pick.addWidget(self.all_button)
        pick.addWidget(self.none_button)
        docs_layout = QVBoxLayout(docs_box)
        docs_layout.addWidget(self.documents)
        docs_layout.addLayout(pick)

        self.summary_box = QCheckBox("Case summary (PDF)", self)
        self.summary_box.setChecked(True)
        self.trail_box = QCheckBox("Paper trail (PDF), with corrections and the trail head", self)
        self.trail_box.setChecked(True)
        self.off_record_box = QCheckBox(
            f"Include off-the-record entries ({plan.off_record_entries})", self)
        self.off_record_box.setEnabled(plan.off_record_entries > 0)
        self.off_record_warning = QLabel(OFF_RECORD_WARNING, self)
        self.off_record_warning.setObjectName("warningText")
        self.off_record_warning.setWordWrap(True)
        self.off_record_warning.setAccessibleName("Off-the-record warning")
        self.off_record_warning.hide()
        self.off_record_box.toggled.connect(self.off_record_warning.setVisible)
        self.trail_box.toggled.connect(
            lambda on: self.off_record_box.setEnabled(on and plan.off_record_entries > 0))

        self.branch_box = QCheckBox(
            "For the branch (a regional officer or another caseworker), not the member", self)
        self.branch_box.setAccessibleName("The bundle is for the branch")
        self.branch_box.setToolTip("Sharing a case with the branch needs the member's consent, "
                                   "recorded on the case's Overview (UCU guide).")

        self.passphrase = PassphraseChoice(self)
        pass_box = QGroupBox("Passphrase", self)
        QVBoxLayout(pass_box).addWidget(self.passphrase)

        self.eml_box = QCheckBox("Also save an email draft (.eml) with the bundle attached", self)
        self.to_edit = QLineEdit(plan.member_email or "", self)
        self.to_edit.setAccessibleName("Send to")
        self.sender_edit = QLineEdit(self)
        self.sender_edit.setAccessibleName("Your email address")
        self.sender_edit.setPlaceholderText("you@example.org (the read receipt comes here)")
        self.to_warning = QLabel("", self)
        self.to_warning.setObjectName("warningText")
        self.to_warning.setWordWrap(True)
        self.to_warning.setAccessibleName("Address warning")
        self.to_edit.textChanged.connect(self._check_to)
        email_form = QFormLayout()
        email_form.addRow("To:", self.to_edit)
        email_form.addRow("", self.to_warning)
        email_form.addRow("Your address:", self.sender_edit)
        self.email_fields = QWidget(self)
        self.email_fields.setLayout(email_form)
        self.email_fields.setEnabled(False)
        self.eml_box.toggled.connect(self.email_fields.setEnabled)
        self._check_to(self.to_edit.text())

        self.destination = DestinationRow(context.file_dialogs, plan.suggested_name,
                                          "Save the encrypted bundle", self)
        self.destination.path_edit.setText(str(Path.home() / plan.suggested_name))
        self.progress = TaskProgressRow("Export", self)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Export status")
        self.error = error_label(self)
        self.buttons, self.export_button = accept_cancel_buttons(
            self, "Export", self._start, self._cancel, accessible_name="Export the bundle")

        form = QFormLayout()
        form.addRow("Save as:", self.destination)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.addWidget(intro)
        layout.addWidget(docs_box)
        layout.addWidget(self.summary_box)
        layout.addWidget(self.trail_box)
        layout.addWidget(self.off_record_box)
        layout.addWidget(self.off_record_warning)
        layout.addWidget(self.branch_box)
        layout.addWidget(pass_box)
        layout.addWidget(self.eml_box)
        layout.addWidget(self.email_fields)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Qt opens a window at most two thirds of the screen high: on a laptop that squeezed
        # the passphrase choices and check boxes flat.
        grow_to_fit(self)

    # -- choices -------------------------------------------------------------------------------

    def chosen_ids(self) -> tuple[str, ...]:
        ids = []
        for row in range(self.documents.count()):
            item = self.documents.item(row)
            doc_id = item.data(Qt.ItemDataRole.UserRole)
            if doc_id and item.checkState() == Qt.CheckState.Checked:
                ids.append(str(doc_id))
        return tuple(ids)

    def _check_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for row in range(self.documents.count()):
            item = self.documents.item(row)
            if item.data(Qt.ItemDataRole.UserRole):
                item.setCheckState(state)

    def _check_to(self, text: str) -> None:
        warning = None
        if text.strip():
            try:
                warning = email_draft.recipient_for(text, self.plan.member_employer).warning
            except InvalidInput:
                warning = None
        self.to_warning.setText(warning or "")
        self.to_warning.setVisible(bool(warning))
        if warning:
            grow_to_fit(self)  # else the warning squeezes the radio and check boxes flat

    def _request(self) -> _Request:
        out = self.destination.path
        if out is None:
            raise InvalidInput("Choose where to save the bundle.")
        ids = self.chosen_ids()
        if not ids and not self.summary_box.isChecked() and not self.trail_box.isChecked():
            raise InvalidInput("Nothing is chosen: tick a document, the summary or the trail.")
        passphrase = self.passphrase.typed()
        eml: Path | None = None
        to = sender = ""
        if self.eml_box.isChecked():
            to = email_draft.check_address(self.to_edit.text())
            sender = email_draft.check_address(self.sender_edit.text())
            eml = out.with_suffix(".eml")
        return _Request(out, ids, self.summary_box.isChecked(), self.trail_box.isChecked(),
                        self.off_record_box.isChecked() and self.trail_box.isChecked(),
                        passphrase, eml, to, sender)

    # -- running -------------------------------------------------------------------------------

    def _start(self) -> None:
        if self.task is not None:
            return
        try:
            request = self._request()
        except VaultError as exc:
            self._show_error(str(exc))
            return
        self.error.hide()
        export = self.context.session.export
        ref, employer = self.plan.ref, self.plan.member_employer
        for_member = not self.branch_box.isChecked()

        def job(control: TaskControl) -> tuple[ExportOutcome, email_draft.Recipient | None]:
            outcome = export.export_case(
                ref, request.out, document_ids=request.document_ids,
                include_summary=request.summary, include_trail=request.trail,
                include_off_record=request.off_record, passphrase=request.passphrase,
                recipient=request.to, overwrite=True,
                progress=lambda done, total: control.progress((done, total)),
                cancelled=control.is_cancelled, for_member=for_member)
            recipient = None
            if request.eml is not None:
                recipient = export.write_email_draft(outcome, request.eml, to=request.to,
                                                     sender=request.sender, employer=employer,
                                                     overwrite=True)
            return outcome, recipient

        self.task = self.context.tasks.start("export-bundle", job)
        self.progress.begin(self.task, "Encrypting the bundle…", 100)
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(self._finished)
        self.task.signals.failed.connect(self._failed)
        self.export_button.setEnabled(False)
        self._set_choices_enabled(False)
        self.status.setText("")

    def _progress(self, value: object) -> None:
        if isinstance(value, tuple) and len(value) == 2:
            done, total = value
            self.progress.set_progress(int(done), int(total))

    def _finished(self, result: object) -> None:
        self.task = None
        self.progress.end()
        assert isinstance(result, tuple)
        outcome, recipient = result
        assert isinstance(outcome, ExportOutcome)
        self.passphrase.wipe()
        self.context.events.changed.emit()
        self.exported.emit(outcome)
        text = (f"Written: {outcome.path.name}, {outcome.member_count} files, "
                f"{format_size(outcome.size)}. Recorded in the paper trail.")
        if recipient is not None:
            text += (f" Email draft saved beside it ({'Bcc' if recipient.bcc else 'To'}: "
                     f"{recipient.address}).")
        self.status.setText(text)
        for warning in outcome.warnings:
            self._show_error(warning)
        self.passphrase_dialog = BundlePassphraseDialog(
            outcome.passphrase, self.context.clipboard, bundle_name=outcome.path.name,
            generated=outcome.passphrase_generated, parent=self)
        self.passphrase_dialog.finished.connect(lambda _r: self.accept())
        self.passphrase_dialog.open()

    def _failed(self, error: object) -> None:
        self.task = None
        self.progress.end()
        self.export_button.setEnabled(True)
        self._set_choices_enabled(True)
        if isinstance(error, Cancelled):
            self.status.setText("Export cancelled. No file was left behind.")
            return
        if isinstance(error, DocumentFailed):
            name = next((d.name for d in self.plan.documents if d.id == error.document_id),
                        error.document_id[:12])
            self._show_error(f"“{name}” failed its integrity check (damaged or tampered). "
                             "The export stopped and no bundle was written.")
            return
        self._show_error(str(error) if isinstance(error, VaultError)
                         else "The export failed; nothing was written.")

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status.setText("Cancelling…")
            return
        self.passphrase.wipe()
        self.reject()

    def _set_choices_enabled(self, on: bool) -> None:
        for widget in (self.documents, self.all_button, self.none_button, self.summary_box,
                       self.trail_box, self.passphrase, self.eml_box, self.destination):
            widget.setEnabled(on)
        self.off_record_box.setEnabled(on and self.trail_box.isChecked()
                                       and self.plan.off_record_entries > 0)
        self.email_fields.setEnabled(on and self.eml_box.isChecked())

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
