"""Subject access export…: everything the vault holds about a member, as one encrypted bundle.

Says what will be in it (cases, documents, party records in other cases that name the member),
asks where to save it and for the passphrase choice, runs
``ExportService.subject_access_export`` on a worker with progress and Cancel, then shows the
passphrase once.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QFormLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from vault.domain import format_size
from vault.errors import Cancelled, InvalidInput, VaultError
from vault.export.service import DocumentFailed, ExportOutcome, SubjectAccessPlan
from vault.ui.dialogs.bundle_passphrase_dialog import BundlePassphraseDialog
from vault.ui.dialogs.export_dialog_parts import DestinationRow, PassphraseChoice
from vault.ui.page_context import PageContext
from vault.ui.task_runner import Task, TaskControl
from vault.ui.widgets.dialog_parts import accept_cancel_buttons, error_label
from vault.ui.widgets.task_progress_row import TaskProgressRow

log = logging.getLogger(__name__)


class SubjectAccessDialog(QDialog):
    """Emits ``exported(ExportOutcome)`` once the bundle is written."""

    exported = Signal(object)

    def __init__(self, context: PageContext, member_id: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.plan: SubjectAccessPlan = context.session.export.plan_subject_access(member_id)
        self.task: Task | None = None
        self.passphrase_dialog: BundlePassphraseDialog | None = None
        plan = self.plan
        self.setWindowTitle("Subject access export")
        self.setAccessibleName("Subject access export")
        self.setMinimumWidth(560)

        intro = QLabel(
            f"When {plan.member.name} asks for the data held about them, this puts all of it "
            "in one AES-256 encrypted zip with its own index: their record, and for every "
            "case its summary, its full paper trail (off-the-record entries included and "
            "marked) and its documents.", self)
        intro.setWordWrap(True)
        cases = ", ".join(plan.case_refs) or "none"
        self.contents = QLabel(
            f"Cases: {cases}\nDocuments: {plan.documents} ({format_size(plan.document_bytes)})"
            f"\nParty records in other cases that name them: {plan.party_records}", self)
        self.contents.setAccessibleName("What the export holds")
        self.contents.setWordWrap(True)
        what = QGroupBox("What goes in", self)
        QVBoxLayout(what).addWidget(self.contents)
        self.passphrase = PassphraseChoice(self)
        pass_box = QGroupBox("Passphrase", self)
        QVBoxLayout(pass_box).addWidget(self.passphrase)
        self.destination = DestinationRow(context.file_dialogs, plan.suggested_name,
                                          "Save the subject access bundle", self)
        self.destination.path_edit.setText(str(Path.home() / plan.suggested_name))
        self.progress = TaskProgressRow("Export", self)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Export status")
        self.error = error_label(self)
        self.buttons, self.export_button = accept_cancel_buttons(
            self, "Export", self._start, self._cancel,
            accessible_name="Export everything held about the member")
        form = QFormLayout()
        form.addRow("Save as:", self.destination)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.addWidget(intro)
        layout.addWidget(what)
        layout.addWidget(pass_box)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def _start(self) -> None:
        if self.task is not None:
            return
        try:
            out = self.destination.path
            if out is None:
                raise InvalidInput("Choose where to save the bundle.")
            typed = self.passphrase.typed()
        except VaultError as exc:
            self._show_error(str(exc))
            return
        self.error.hide()
        export, member_id = self.context.session.export, self.plan.member.id

        def job(control: TaskControl) -> ExportOutcome:
            return export.subject_access_export(
                member_id, out, passphrase=typed, overwrite=True,
                progress=lambda done, total: control.progress((done, total)),
                cancelled=control.is_cancelled)

        self.task = self.context.tasks.start("subject-access-export", job)
        self.progress.begin(self.task, "Encrypting the bundle…", 100)
        self.task.signals.progress.connect(self._progress)
        self.task.signals.finished.connect(self._finished)
        self.task.signals.failed.connect(self._failed)
        self.export_button.setEnabled(False)
        self.passphrase.setEnabled(False)
        self.destination.setEnabled(False)

    def _progress(self, value: object) -> None:
        if isinstance(value, tuple) and len(value) == 2:
            self.progress.set_progress(int(value[0]), int(value[1]))

    def _finished(self, outcome: object) -> None:
        self.task = None
        self.progress.end()
        assert isinstance(outcome, ExportOutcome)
        self.passphrase.wipe()
        self.context.events.changed.emit()
        self.exported.emit(outcome)
        self.status.setText(f"Written: {outcome.path.name}, {outcome.member_count} files, "
                            f"{format_size(outcome.size)}. Recorded in the paper trail.")
        self.passphrase_dialog = BundlePassphraseDialog(
            outcome.passphrase, self.context.clipboard, bundle_name=outcome.path.name,
            generated=outcome.passphrase_generated, parent=self)
        self.passphrase_dialog.finished.connect(lambda _r: self.accept())
        self.passphrase_dialog.open()

    def _failed(self, error: object) -> None:
        self.task = None
        self.progress.end()
        self.export_button.setEnabled(True)
        self.passphrase.setEnabled(True)
        self.destination.setEnabled(True)
        if isinstance(error, Cancelled):
            self.status.setText("Export cancelled. No file was left behind.")
        elif isinstance(error, DocumentFailed | VaultError):
            self._show_error(str(error))
        else:
            self._show_error("The export failed; nothing was written.")

    def _cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status.setText("Cancelling…")
            return
        self.passphrase.wipe()
        self.reject()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
