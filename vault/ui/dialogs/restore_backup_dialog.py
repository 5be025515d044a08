"""Restore from backup… without the command line (issue 11).

Reached from the unlock card, the create-vault card (a new laptop: the vault folder is empty or
missing), the read-only banner of a damaged vault and Settings → Backups (the controller locks
the vault first). The newest backup found in the backup folders the app knows is chosen, named
by its date and age; "Choose a file…" picks any other. The rep gives what opens it — the
passphrase of the day it was made, or the recovery code — and the restore runs on a worker with
progress and Cancel: the whole backup is decrypted and checked into a staging folder before the
vault folder is touched. A vault already in the folder is moved aside (``<vault>.damaged-…``,
kept) only after a confirmation whose default is Cancel. A damaged backup selects the next
older one. ``restored`` carries the ``RestoreOutcome``; the unlock card then opens the vault.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vault.backup.finder import FoundBackup
from vault.backup.reader import Credential, RestoreOutcome
from vault.domain import format_size, format_uk_date
from vault.errors import Cancelled, IntegrityError, VaultError, WrongPassphrase
from vault.session import VaultManager
from vault.ui.file_dialogs import FileDialogs
from vault.ui.message_boxes import MessageBoxes
from vault.ui.task_runner import Task, TaskControl, TaskRunner
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.passphrase_field import PassphraseField
from vault.ui.widgets.task_progress_row import TaskProgressRow

log = logging.getLogger(__name__)

BACKUP_FILTER = "Casework Vault backups (*.cvbackup);;All files (*)"
CANCELLED_TEXT = "Restore cancelled; the vault folder was not changed."
WRONG_TEXT = ("That does not open this backup. It needs the passphrase of the day the backup "
              "was made, or the recovery code of then.")


def when_text(created: dt.datetime, now: dt.datetime) -> str:
    """"2 Dec 2026 (yesterday)" — the date in UK form and how long ago, in local time."""
    local, today = created.astimezone(), now.astimezone()
    days = (today.date() - local.date()).days
    ago = ("today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago")
    return f"{format_uk_date(local)} ({ago})"


def vault_folder_in_use(root: Path) -> bool:
    """True when ``root`` holds anything (a restore then moves it aside)."""
    try:
        return root.is_dir() and any(root.iterdir())
    except OSError:
        return True


class RestoreBackupDialog(QDialog):
    """Choose a backup, give its passphrase or the recovery code, restore with progress."""

    restored = Signal(object)  # RestoreOutcome

    def __init__(self, manager: VaultManager, tasks: TaskRunner, message_boxes: MessageBoxes,
                 file_dialogs: FileDialogs, found: list[FoundBackup], *, now: dt.datetime,
                 label: str = "damaged", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self._tasks = tasks
        self._message_boxes = message_boxes
        self._file_dialogs = file_dialogs
        self._found = list(found)
        self._now = now
        self._label = label
        self._task: Task | None = None
        self.selected: Path | None = None
        self.outcome: RestoreOutcome | None = None
        self.setWindowTitle("Restore from backup")
        self.setAccessibleName("Restore from backup")
        self.setMinimumWidth(560)

        intro = QLabel("Restore the whole vault from a backup file. The backup is checked "
                       "completely before anything in the vault folder is changed.", self)
        intro.setWordWrap(True)
        intro.setAccessibleName("About restoring")

        self.backup_label = QLabel(self)
        self.backup_label.setWordWrap(True)
        self.backup_label.setAccessibleName("Backup to restore")
        self.backup_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.choose_button = QPushButton("Choose a file…", self)
        self.choose_button.setAccessibleName("Choose a backup file")
        self.choose_button.clicked.connect(self.choose_file)
        chooser = QHBoxLayout()
        chooser.addWidget(self.backup_label, 1)
        chooser.addWidget(self.choose_button, 0, Qt.AlignmentFlag.AlignTop)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.passphrase = PassphraseField("Passphrase when the backup was made", self)
        self.passphrase_row_label = QLabel("&Passphrase", self)
        self.passphrase_row_label.setBuddy(self.passphrase.edit)
        form.addRow(self.passphrase_row_label, self.passphrase)
        self.use_code = QCheckBox("Open it with the recovery code instead", self)
        self.use_code.setAccessibleName("Open the backup with the recovery code instead")
        self.use_code.toggled.connect(self._code_toggled)
        form.addRow("", self.use_code)
        self.code = QLineEdit(self)
        self.code.setAccessibleName("Recovery code")
        self.code.setPlaceholderText("the 15 words of your recovery code")
        self.code_row_label = QLabel("Recovery &code", self)
        self.code_row_label.setBuddy(self.code)
        form.addRow(self.code_row_label, self.code)
        self.code.hide()
        self.code_row_label.hide()

        root = manager.root
        self.target_label = QLabel(f"Restores into: {root}", self)
        self.target_label.setObjectName("hintText")
        self.target_label.setWordWrap(True)
        self.target_label.setAccessibleName("Where the vault is restored")
        self.in_use_label = QLabel(self)
        self.in_use_label.setObjectName("banner")
        self.in_use_label.setWordWrap(True)
        self.in_use_label.setAccessibleName("The vault folder is not empty")
        self.in_use_label.hide()

        self.error = error_label(self)
        self.progress = TaskProgressRow("Restore", self)

        self.restore_button = QPushButton("Restore", self)
        self.restore_button.setAccessibleName("Restore this backup")
        self.restore_button.clicked.connect(self.start)
        self.close_button = QPushButton("Close", self)
        self.close_button.setAccessibleName("Close without restoring")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.restore_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(chooser)
        layout.addLayout(form)
        layout.addWidget(self.target_label)
        layout.addWidget(self.in_use_label)
        layout.addWidget(self.error)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)

        self._select(self._found[0].path if self._found else None)
        self._refresh_target()

    # -- state ---------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None

    def _found_for(self, path: Path | None) -> FoundBackup | None:
        return next((b for b in self._found if path is not None and b.path == path), None)

    def _select(self, path: Path | None) -> None:
        self.selected = path
        found = self._found_for(path)
        if path is None:
            self.backup_label.setText("No backup was found in the backup folder the vault "
                                      "knows. Choose the backup file (on your backup drive).")
        elif found is not None:
            kind = "automatic backup" if found.automatic else "backup"
            newest = " — the newest found" if self._found and found is self._found[0] else ""
            self.backup_label.setText(
                f"Latest {kind}: {when_text(found.created, self._now)}{newest}\n"
                f"{path} ({format_size(found.size)})")
        else:
            self.backup_label.setText(f"Backup file: {path}")
        self.restore_button.setEnabled(path is not None and not self.running)

    def _refresh_target(self) -> None:
        root = self._manager.root
        if vault_folder_in_use(root):
            self.in_use_label.setText(
                f"A vault is already in this folder. It will be moved aside to "
                f"{root.name}.{self._label}-… beside it and kept unchanged; nothing is "
                "deleted.")
            self.in_use_label.show()
        else:
            self.in_use_label.hide()

    def _code_toggled(self, on: bool) -> None:
        self.code.setVisible(on)
        self.code_row_label.setVisible(on)
        self.passphrase.setVisible(not on)
        self.passphrase_row_label.setVisible(not on)
        (self.code if on else self.passphrase).setFocus()

    def _credential(self) -> Credential | None:
        if self.use_code.isChecked():
            code = self.code.text().strip()
            return Credential(recovery_code=code) if code else None
        passphrase = self.passphrase.text()
        return Credential(passphrase=passphrase) if passphrase else None

    # -- actions -------------------------------------------------------------------------------

    def choose_file(self) -> Path | None:
        if self.running:
            return None
        paths = self._file_dialogs.open_files(self, "Choose the backup file", BACKUP_FILTER)
        if not paths:
            return None
        self._select(paths[0])
        self.error.hide()
        return paths[0]

    def start(self) -> Task | None:
        """Confirm if a vault is in the way (default: Cancel), then restore on a worker."""
        if self.running or self.selected is None:
            return None
        credential = self._credential()
        if credential is None:
            self._show_error("Enter the recovery code." if self.use_code.isChecked()
                             else "Enter the passphrase of the day the backup was made.")
            return None
        root = self._manager.root
        if vault_folder_in_use(root) and not self._message_boxes.confirm(
                self, "Move the vault aside?",
                "A vault is already in the vault folder. Move it aside and restore the backup "
                "in its place?", accept_text="Move aside and restore", dangerous=True,
                informative=f"It is kept, unchanged, as {root.name}.{self._label}-… beside "
                            "it. Nothing is deleted."):
            return None
        manager, backup, label = self._manager, self.selected, self._label

        def job(control: TaskControl) -> RestoreOutcome:
            return manager.restore_replacing(
                backup, credential, label=label,
                progress=lambda done, total: control.progress((done, total)),
                cancelled=control.is_cancelled)

        self.error.hide()
        self._task = self._tasks.start("restore", job)
        self._set_running(True)
        self.progress.begin(self._task, "Checking and restoring…", 0)
        self._task.signals.progress.connect(self._progress)
        self._task.signals.finished.connect(self._finished)
        self._task.signals.failed.connect(self._failed)
        log.info("restore started (GUI)")
        return self._task

    def _progress(self, value: object) -> None:
        if isinstance(value, tuple) and len(value) == 2:
            done, total = int(value[0]), int(value[1])
            self.progress.set_text(f"Checking and restoring: {format_size(done)} of "
                                   f"{format_size(total)}")
            self.progress.set_progress(done, total)

    def _finished(self, outcome: object) -> None:
        self._task = None
        self._set_running(False)
        self.passphrase.wipe()
        self.code.clear()
        if isinstance(outcome, RestoreOutcome):
            self.outcome = outcome
            log.info("restore finished (GUI)")
            self.accept()
            self.restored.emit(outcome)

    def _failed(self, error: object) -> None:
        self._task = None
        self._set_running(False)
        self._refresh_target()
        if isinstance(error, Cancelled):
            self._show_error(CANCELLED_TEXT)
        elif isinstance(error, WrongPassphrase):
            self._show_error(WRONG_TEXT)
        elif isinstance(error, IntegrityError):
            older = self._next_older()
            text = "That backup file is damaged; nothing was changed."
            if older is not None:
                self._select(older.path)
                text += (f" The next older backup ({when_text(older.created, self._now)}) is "
                         "now chosen: press Restore to use it.")
            self._show_error(text)
        elif isinstance(error, VaultError):
            self._show_error(str(error))
        else:
            self._show_error("The backup could not be restored; nothing was changed.")

    def _next_older(self) -> FoundBackup | None:
        current = self._found_for(self.selected)
        if current is None:
            return None
        index = self._found.index(current)
        return self._found[index + 1] if index + 1 < len(self._found) else None

    def _set_running(self, running: bool) -> None:
        for widget in (self.choose_button, self.passphrase, self.use_code, self.code,
                       self.restore_button, self.close_button):
            widget.setEnabled(not running)
        if not running:
            self.progress.end()
            self.restore_button.setEnabled(self.selected is not None)

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setAccessibleDescription(text)
        self.error.show()

    # -- closing -------------------------------------------------------------------------------

    def reject(self) -> None:
        if self.running:  # Cancel in the progress row stops it; closing waits for that
            return
        self.passphrase.wipe()
        self.code.clear()
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.running:
            event.ignore()
            return
        super().closeEvent(event)
