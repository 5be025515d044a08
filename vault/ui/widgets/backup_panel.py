"""The Backups and Recovery code sections of Settings, and the words for a backup's age.

"Back up now…" asks where, then writes the backup on a worker with progress and Cancel.
"Restore from backup…" asks the controller (``events.restore_requested``), which confirms,
locks the vault and opens the restore dialog over the unlock card. A damaged, read-only vault
cannot be backed up (its backup would rotate a good one out): those controls are disabled.
Automatic backups: a folder the rep chose (an external drive), how many to keep (default 5),
on or off; they run once a day when the vault is opened (``start_automatic_backup``). "Make a
new recovery code…" opens ``RecoveryCodeDialog``. Nothing here shows member data.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vault.backup.service import BackupRecord
from vault.domain import format_size, format_uk_date
from vault.errors import Cancelled, VaultError
from vault.ui.dialogs.recovery_code_dialog import RecoveryCodeDialog
from vault.ui.page_context import PageContext
from vault.ui.task_runner import Task, TaskControl
from vault.ui.widgets.task_progress_row import TaskProgressRow

log = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(days=7)


def backup_age_text(age: dt.timedelta | None, when: dt.datetime | None = None) -> str:
    """"Last backup: today" / "yesterday" / "5 days ago (18 Nov 2026)" / "No backup yet"."""
    if age is None:
        return "No backup yet. Back up to an external drive in Settings."
    days = age.days
    if days <= 0:
        words = "today"
    elif days == 1:
        words = "yesterday"
    else:
        words = f"{days} days ago"
    suffix = f" ({format_uk_date(when.astimezone())})" if when is not None and days > 1 else ""
    text = f"Last backup: {words}{suffix}."
    if age >= STALE_AFTER:
        text += " Time for a new one."
    return text


def start_automatic_backup(context: PageContext) -> Task | None:
    """Start today's automatic backup on a worker if one is due (else None)."""
    if not context.is_open:
        return None
    backups = context.session.admin.backups
    try:
        if not backups.automatic_due():
            return None
    except VaultError:
        return None

    def job(control: TaskControl) -> BackupRecord:
        return backups.backup_automatic(
            progress=lambda done, total: control.progress((done, total)),
            cancelled=control.is_cancelled)

    return context.tasks.start("automatic-backup", job)


class BackupPanel(QWidget):
    """Backups (manual and automatic) and the recovery code, for the Settings page."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._task: Task | None = None

        box = QGroupBox("Backups", self)
        box_layout = QVBoxLayout(box)
        self.last_backup = QLabel(box)
        self.last_backup.setWordWrap(True)
        self.last_backup.setAccessibleName("Last backup")
        row = QHBoxLayout()
        about = QLabel("One encrypted file holds the whole vault. It opens with your passphrase "
                       "of the day it was made, or with the recovery code.", box)
        about.setWordWrap(True)
        about.setAccessibleName("About backups")
        self.backup_button = QPushButton("Back up now…", box)
        self.backup_button.setAccessibleName("Back up now")
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton("Restore from backup…", box)
        self.restore_button.setAccessibleName("Restore the vault from a backup")
        self.restore_button.clicked.connect(self.restore_from_backup)
        row.addWidget(about, 1)
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        self.progress = TaskProgressRow("Backup", box)
        self.result = QLabel(box)
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Backup result")
        self.result.hide()

        auto = QFormLayout()
        auto.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.keep_row = QHBoxLayout()
        self.automatic = QCheckBox("Back up automatically once a day", box)
        self.automatic.setAccessibleName("Back up automatically once a day")
        self.automatic.toggled.connect(self._automatic_toggled)
        self.folder_label = QLabel(box)
        self.folder_label.setWordWrap(True)
        self.folder_label.setAccessibleName("Automatic backup folder")
        self.folder_button = QPushButton("Choose folder…", box)
        self.folder_button.setAccessibleName("Choose the automatic backup folder")
        self.folder_button.clicked.connect(self.choose_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.folder_button)
        self.keep = QSpinBox(box)
        self.keep.setRange(1, 100)
        self.keep.setSuffix(" backups")
        self.keep.setMinimumWidth(140)
        self.keep.setAccessibleName("Keep this many automatic backups")
        self.keep.valueChanged.connect(self._keep_changed)
        auto.addRow(self.automatic)
        auto.addRow("Folder", folder_row)
        self.keep_row.addWidget(self.keep)
        self.keep_row.addStretch(1)
        auto.addRow("Keep the newest", self.keep_row)
        hint = QLabel("Use a drive you keep apart from the laptop. When a case is destroyed, "
                      "automatic backups that hold it are deleted and a new one is written; "
                      "the certificate lists any backup you saved yourself.", box)
        hint.setObjectName("hintText")
        hint.setWordWrap(True)
        hint.setAccessibleName("About automatic backups")
        auto.addRow(hint)

        box_layout.addWidget(self.last_backup)
        box_layout.addLayout(row)
        box_layout.addWidget(self.progress)
        box_layout.addWidget(self.result)
        box_layout.addLayout(auto)

        code_box = QGroupBox("Recovery code", self)
        code_layout = QHBoxLayout(code_box)
        self.code_text = QLabel(code_box)
        self.code_text.setWordWrap(True)
        self.code_text.setAccessibleName("About the recovery code")
        self.code_button = QPushButton("Make a new recovery code…", code_box)
        self.code_button.setAccessibleName("Make a new recovery code")
        self.code_button.clicked.connect(self.make_recovery_code)
        code_layout.addWidget(self.code_text, 1)
        code_layout.addWidget(self.code_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(box)
        layout.addWidget(code_box)

    # -- state ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        if not self.context.is_open:
            return
        session = self.context.session
        try:
            last = session.admin.backups.last_backup()
            age = session.admin.backups.last_backup_age()
            settings = session.admin.backups.settings()
        except VaultError as exc:  # a damaged register: the restore stays reachable
            self.last_backup.setText(str(exc))
            for widget in (self.backup_button, self.automatic, self.keep, self.folder_button,
                           self.code_button):
                widget.setEnabled(False)
            return
        self.last_backup.setText(backup_age_text(age, last.created if last else None))
        for widget in (self.automatic, self.keep):
            widget.blockSignals(True)
        self.automatic.setChecked(settings.automatic)
        self.keep.setValue(settings.keep)
        for widget in (self.automatic, self.keep):
            widget.blockSignals(False)
        self.folder_label.setText(str(settings.folder) if settings.folder
                                  else "No folder chosen yet.")
        writable = not session.admin.read_only
        for widget in (self.backup_button, self.automatic, self.keep, self.folder_button,
                       self.code_button):
            widget.setEnabled(writable and self._task is None)
        if session.admin.has_recovery_code():
            self.code_text.setText("Your vault has a recovery code. A new one makes the old "
                                   "code and its printed sheet useless.")
            self.code_button.setText("Make a new recovery code…")
        else:
            self.code_text.setText("Your vault has no recovery code: a forgotten passphrase "
                                   "would lose everything. Make one and keep it safe.")
            self.code_button.setText("Make a recovery code…")

    def clear(self) -> None:
        self.result.clear()
        self.result.hide()
        self.progress.end()
        self._task = None

    # -- actions -------------------------------------------------------------------------------

    def restore_from_backup(self) -> None:
        """Ask the controller for the restore (it confirms, locks, then shows the dialog)."""
        if self.context.is_open:
            self.context.events.restore_requested.emit()

    def back_up_now(self) -> Task | None:
        if self._task is not None or not self.context.is_open:
            return None
        today = self.context.clock.today()
        path = self.context.file_dialogs.save_file(
            self.window(), "Save the backup", f"casework-vault-{today.isoformat()}.cvbackup")
        if path is None:
            return None
        backups = self.context.session.admin.backups

        def job(control: TaskControl) -> BackupRecord:
            return backups.backup(path, progress=lambda d, t: control.progress((d, t)),
                                  cancelled=control.is_cancelled)

        task = self.context.tasks.start("backup", job)
        self._task = task
        self.result.hide()
        self.backup_button.setEnabled(False)
        self.progress.begin(task, "Backing up…", 0)
        task.signals.progress.connect(self._progress)
        task.signals.finished.connect(self._finished)
        task.signals.failed.connect(self._failed)
        return task

    def _progress(self, value: object) -> None:
        if isinstance(value, tuple) and len(value) == 2:
            done, total = int(value[0]), int(value[1])
            self.progress.set_text(f"Backing up: {format_size(done)} of {format_size(total)}")
            self.progress.set_progress(done, total)

    def _finished(self, record: object) -> None:
        self._done()
        if isinstance(record, BackupRecord):
            self.result.setText(f"Backup written to {record.path} "
                                f"({format_size(record.size)}).")
            self.result.show()
        self.refresh()

    def _failed(self, error: object) -> None:
        self._done()
        self.result.setText("Backup cancelled; nothing was written." if isinstance(error, Cancelled)
                            else (str(error) if isinstance(error, VaultError)
                                  else "The backup could not be written."))
        self.result.show()

    def _done(self) -> None:
        self._task = None
        self.progress.end()
        self.backup_button.setEnabled(True)

    def choose_folder(self) -> None:
        if not self.context.is_open:
            return
        backups = self.context.session.admin.backups
        current = backups.settings()
        folder = self.context.file_dialogs.choose_folder(
            self.window(), "Folder for automatic backups", current.folder)
        if folder is None:
            return
        self._configure(folder=folder, automatic=True)

    def _automatic_toggled(self, on: bool) -> None:
        context = self.context
        if on and context.is_open and context.session.admin.backups.settings().folder is None:
            self.choose_folder()
            return
        self._configure(automatic=on)

    def _keep_changed(self, keep: int) -> None:
        self._configure(keep=keep)

    def _configure(self, *, folder: Path | None = None, automatic: bool | None = None,
                   keep: int | None = None) -> None:
        if not self.context.is_open:
            return
        backups = self.context.session.admin.backups
        current = backups.settings()
        try:
            saved = backups.configure(folder=folder or current.folder,
                                      keep=keep or current.keep,
                                      automatic=current.automatic if automatic is None
                                      else automatic)
            # Remembered outside the vault too, so a restore can find the backups when the
            # vault's own database cannot be read (issue 11).
            wanted = str(saved.folder) if saved.folder is not None else ""
            if wanted != self.context.settings.current.backup_folder:
                self.context.settings.update(backup_folder=wanted)
        except VaultError as exc:
            self.result.setText(str(exc))
            self.result.show()
        self.refresh()

    def make_recovery_code(self) -> RecoveryCodeDialog | None:
        if not self.context.is_open:
            return None
        dialog = RecoveryCodeDialog(self.context, self.window())
        dialog.finished.connect(lambda _r: self.refresh())
        dialog.open()
        return dialog
