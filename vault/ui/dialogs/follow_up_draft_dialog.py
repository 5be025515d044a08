"""Draft the written follow-up of oral advice: the note as plain text (to paste into an email)
and as a PDF.

The UCU guide: "If you give any advice orally, follow it up with an email or written note."
The note comes from ``FollowUpService.draft`` (the latest version of the oral-advice entry),
signed with the rep's name and union. "Copy text" and "Copy subject" use the sensitive
clipboard (cleared after a countdown). "Save as PDF…" warns that the copy will be unencrypted
(Cancel is the default), asks where through the file-dialog seam, and renders off the GUI thread
through ``FollowUpService.render_pdf``, which records the copy in the paper trail. Nothing is
sent from here: the rep sends it, then logs the email or letter as the follow-up.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vault.errors import Cancelled, VaultError
from vault.reports import followup_note
from vault.ui.page_context import PageContext
from vault.ui.task_runner import Task, TaskControl
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.sensitive_text_edit import SensitiveTextEdit
from vault.ui.widgets.task_progress_row import TaskProgressRow

log = logging.getLogger(__name__)

REP_PLACEHOLDER = "[your name]"
UNION_PLACEHOLDER = "[your union]"
SAVE_PDF_TITLE = "Save the note as an unencrypted PDF?"
SAVE_PDF_TEXT = ("The PDF will be an ordinary, unencrypted file outside the vault, with the "
                 "member's name and your advice in it. Anyone who can open that folder can "
                 "read it.")
SAVE_PDF_DETAIL = ("Save it only to send or print it, and delete it afterwards. The copy is "
                   "recorded in the case's paper trail.")


def suggested_pdf_name(case_ref: str, advice_seq: int) -> str:
    return f"follow-up-{case_ref}-{advice_seq}.pdf"


class FollowUpDraftDialog(QDialog):
    """Emits ``pdf_saved(Path)`` once the PDF is written, ``names_changed(rep, union)`` when the
    rep edits their signature (the tab remembers it for the session)."""

    pdf_saved = Signal(object)
    names_changed = Signal(str, str)

    def __init__(self, context: PageContext, case_ref: str, advice_seq: int,
                 parent: QWidget | None = None, *, rep_name: str = "",
                 union_name: str = "") -> None:
        super().__init__(parent)
        self._context = context
        self._ref = case_ref
        self.advice_seq = advice_seq
        self._task: Task | None = None
        self._subject = ""
        self.setWindowTitle(f"Written follow-up of entry #{advice_seq}")
        self.setAccessibleName("Written follow-up")
        self.resize(680, 620)

        intro = QLabel("Oral advice must be followed up in writing. Copy this note into an "
                       "email to the member (or save it as a PDF to print or attach), send it, "
                       "then log the email or letter as the follow-up of this advice.", self)
        intro.setWordWrap(True)
        intro.setAccessibleName("About the follow-up note")
        self.rep_name = QLineEdit(rep_name, self)
        self.rep_name.setAccessibleName("Your name")
        self.rep_name.setPlaceholderText("Your name, to sign the note")
        self.union_name = QLineEdit(union_name or self._default_union(), self)
        self.union_name.setAccessibleName("Union")
        self.union_name.setPlaceholderText("Your union, e.g. UCU")
        form = QFormLayout()
        form.addRow("Your &name", self.rep_name)
        form.addRow("&Union", self.union_name)

        self.subject = QLabel(self)
        self.subject.setWordWrap(True)
        self.subject.setAccessibleName("Email subject")
        self.text = SensitiveTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Follow-up note")
        self.text.setTabChangesFocus(True)

        self.copy_subject_button = QPushButton("Copy subject", self)
        self.copy_subject_button.setAccessibleName("Copy the email subject")
        self.copy_subject_button.clicked.connect(self.copy_subject)
        self.copy_button = QPushButton("Copy text", self)
        self.copy_button.setAccessibleName("Copy the note as text")
        self.copy_button.clicked.connect(self.copy_text)
        self.pdf_button = QPushButton("Save as PDF…", self)
        self.pdf_button.setAccessibleName("Save the note as a PDF")
        self.pdf_button.clicked.connect(self.save_pdf)
        actions = QHBoxLayout()
        actions.addWidget(self.copy_subject_button)
        actions.addWidget(self.copy_button)
        actions.addWidget(self.pdf_button)
        actions.addStretch(1)

        self.progress = TaskProgressRow("Save PDF", self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setObjectName("hintText")
        self.status.setAccessibleName("Follow-up status")
        self.error = error_label(self)

        buttons = QDialogButtonBox(self)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName("Close")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.subject)
        layout.addWidget(self.text, 1)
        layout.addLayout(actions)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.rep_name.textEdited.connect(self._names_edited)
        self.union_name.textEdited.connect(self._names_edited)
        self.redraft()

    def _default_union(self) -> str:
        try:
            profile = self._context.session.training.current_profile()
        except VaultError:
            return ""
        return profile.name if profile is not None else ""

    def names(self) -> tuple[str, str]:
        return (self.rep_name.text().strip() or REP_PLACEHOLDER,
                self.union_name.text().strip() or UNION_PLACEHOLDER)

    def _names_edited(self) -> None:
        self.redraft()
        self.names_changed.emit(self.rep_name.text().strip(), self.union_name.text().strip())

    def redraft(self) -> bool:
        """Draft the note again from the service (after the names change)."""
        if not self._context.is_open:
            return False
        rep, union = self.names()
        try:
            draft = self._context.session.followups.draft(self.advice_seq, rep_name=rep,
                                                          union_name=union)
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self._set_ready(False)
            return False
        self.error.hide()
        self._subject = followup_note.draft_subject(draft)
        self.subject.setText(f"Subject: {self._subject}")
        self.text.setPlainText(followup_note.draft_text(draft))
        self._set_ready(True)
        return True

    def _set_ready(self, ready: bool) -> None:
        self.copy_button.setEnabled(ready)
        self.copy_subject_button.setEnabled(ready)
        self.pdf_button.setEnabled(ready and self._task is None)

    # -- actions -------------------------------------------------------------------------------

    def copy_text(self) -> None:
        self._context.clipboard.copy(self.text.toPlainText())
        self._copied("The note")

    def copy_subject(self) -> None:
        self._context.clipboard.copy(self._subject)
        self._copied("The subject")

    def _copied(self, what: str) -> None:
        seconds = self._context.clipboard.clear_after_ms // 1000
        self.status.setText(f"{what} is on the clipboard. It is cleared in {seconds} seconds, "
                            "or when the vault locks.")

    def save_pdf(self) -> Task | None:
        """Warn (default Cancel), ask where, then write the PDF on a worker."""
        if self._task is not None or not self._context.is_open:
            return None
        accepted = self._context.message_boxes.confirm(
            self, SAVE_PDF_TITLE, SAVE_PDF_TEXT, accept_text="Save PDF", dangerous=True,
            informative=SAVE_PDF_DETAIL)
        if not accepted or not self._context.is_open:
            self.status.setText("No PDF was saved.")
            return None
        out = self._context.file_dialogs.save_file(
            self, "Save the follow-up note as", suggested_pdf_name(self._ref, self.advice_seq))
        if out is None or not self._context.is_open:
            self.status.setText("No PDF was saved.")
            return None
        if out.suffix.lower() != ".pdf":
            out = out.with_name(out.name + ".pdf")
        rep, union = self.names()
        followups = self._context.session.followups
        seq = self.advice_seq

        def job(control: TaskControl) -> Path:
            control.check_cancelled()
            return followups.render_pdf(seq, out, rep_name=rep, union_name=union)

        task = self._context.tasks.start("follow-up-pdf", job)
        self._task = task
        self.progress.begin(task, "Writing the PDF…", 0)
        task.signals.finished.connect(self._saved)
        task.signals.failed.connect(self._failed)
        self._set_ready(True)
        return task

    def _saved(self, path: object) -> None:
        self._task = None
        self.progress.end()
        self._set_ready(True)
        self.status.setText(f"The note was saved to {path}. It is not encrypted: delete it once "
                            "it has been sent.")
        if self._context.is_open:
            self._context.events.changed.emit()
        self.pdf_saved.emit(path)

    def _failed(self, error: object) -> None:
        self._task = None
        self.progress.end()
        self._set_ready(True)
        if isinstance(error, Cancelled):
            self.status.setText("Saving the PDF was cancelled.")
            return
        self.error.setText(str(error) if isinstance(error, VaultError)
                           else "The PDF could not be saved.")
        self.error.show()

    # -- closing -------------------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Closing (or the vault locking) wipes the note from the dialog."""
        super().done(result)
        self.text.clear()
        self.subject.clear()
        self._subject = ""
