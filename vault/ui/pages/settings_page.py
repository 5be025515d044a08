"""Settings: auto-lock minutes (1–30), written follow-up deadline (working days and the bank
holiday region), passphrase change, and a whole-vault check with progress and Cancel. Settings
are saved with ``SettingsStore`` and hold no member data."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vault.admin.vault_check import VaultCheckReport
from vault.errors import Cancelled, VaultError
from vault.settings import AUTO_LOCK_RANGE, FOLLOW_UP_RANGE
from vault.ui.dialogs.change_passphrase_dialog import ChangePassphraseDialog
from vault.ui.page_context import PageContext
from vault.ui.pages.vault_page import VaultPage
from vault.ui.task_runner import Task, TaskControl
from vault.ui.widgets.backup_panel import BackupPanel
from vault.ui.widgets.page_header import PageHeader
from vault.ui.widgets.task_progress_row import TaskProgressRow

log = logging.getLogger(__name__)

REGION_LABELS = {
    "ENG": "England",
    "WLS": "Wales",
    "SCT": "Scotland",
    "NIR": "Northern Ireland",
}


def describe_check(report: VaultCheckReport) -> str:
    """The check's result in plain words (no member data: references and counts only)."""
    if report.ok:
        return (f"All good: the database, the paper trail ({report.trail.entries} entries) and "
                f"all {len(report.documents)} documents passed their checks.")
    problems = [*report.database_problems, *report.cipher_problems]
    if not report.trail.ok:
        problems.append("the paper trail's chain is broken")
    damaged = report.damaged_documents
    if damaged:
        refs = sorted({d.case_ref for d in damaged})
        problems.append(f"{len(damaged)} document(s) failed their integrity check "
                        f"(cases {', '.join(refs)})")
    return "Problems found: " + "; ".join(problems) + ". Restore from a backup if you have one."


class SettingsPage(VaultPage):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.header = PageHeader("Settings", "These settings hold no member information.", self)
        self._check_task: Task | None = None

        lock_box = QGroupBox("Auto-lock", self)
        lock_form = QFormLayout(lock_box)
        lock_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.auto_lock = QSpinBox(lock_box)
        self.auto_lock.setRange(*AUTO_LOCK_RANGE)
        self.auto_lock.setSuffix(" minutes")
        self.auto_lock.setMinimumWidth(140)
        self.auto_lock.setAccessibleName("Lock after this many minutes without input")
        self.auto_lock.setValue(context.settings.current.auto_lock_minutes)
        self.auto_lock.valueChanged.connect(self._auto_lock_changed)
        lock_form.addRow("Lock after no input for", self.auto_lock)
        lock_hint = QLabel("The vault also locks with Ctrl+L or the Lock button. Locking clears "
                           "the screen and the clipboard.", lock_box)
        lock_hint.setObjectName("hintText")
        lock_hint.setWordWrap(True)
        lock_hint.setAccessibleName("About auto-lock")
        lock_form.addRow(lock_hint)

        follow_box = QGroupBox("Written follow-ups", self)
        follow_form = QFormLayout(follow_box)
        follow_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.follow_up_days = QSpinBox(follow_box)
        self.follow_up_days.setRange(*FOLLOW_UP_RANGE)
        self.follow_up_days.setSuffix(" working days")
        self.follow_up_days.setMinimumWidth(160)
        self.follow_up_days.setAccessibleName("Written follow-up due after this many working days")
        self.follow_up_days.valueChanged.connect(self._follow_up_days_changed)
        follow_form.addRow("Follow up oral advice within", self.follow_up_days)
        self.region = QComboBox(follow_box)
        for code, label in REGION_LABELS.items():
            self.region.addItem(label, code)
        self.region.setAccessibleName("Bank holidays to skip")
        self.region.currentIndexChanged.connect(self._region_changed)
        follow_form.addRow("Skip bank holidays of", self.region)
        follow_hint = QLabel("The UCU guide: if you give advice orally, follow it up in writing. "
                             "New oral advice gets a deadline this many working days later.",
                             follow_box)
        follow_hint.setObjectName("hintText")
        follow_hint.setWordWrap(True)
        follow_hint.setAccessibleName("About written follow-ups")
        follow_form.addRow(follow_hint)

        security_box = QGroupBox("Passphrase", self)
        security_layout = QHBoxLayout(security_box)
        self.change_button = QPushButton("Change passphrase…", security_box)
        self.change_button.setAccessibleName("Change passphrase")
        self.change_button.clicked.connect(self.change_passphrase)
        security_text = QLabel("Choose a new passphrase. Nobody can recover a forgotten one.",
                               security_box)
        security_text.setWordWrap(True)
        security_text.setAccessibleName("About the passphrase")
        security_layout.addWidget(security_text, 1)
        security_layout.addWidget(self.change_button)

        self.backup_panel = BackupPanel(context, self)  # backups and the recovery code

        check_box = QGroupBox("Check the vault", self)
        check_layout = QVBoxLayout(check_box)
        row = QHBoxLayout()
        check_text = QLabel("Check the database, the paper trail's chain and every document "
                            "end to end.", check_box)
        check_text.setWordWrap(True)
        check_text.setAccessibleName("About the vault check")
        self.check_button = QPushButton("Check now", check_box)
        self.check_button.setAccessibleName("Check the vault now")
        self.check_button.clicked.connect(self.start_check)
        row.addWidget(check_text, 1)
        row.addWidget(self.check_button)
        self.check_progress = TaskProgressRow("Vault check", check_box)
        self.check_result = QLabel(check_box)
        self.check_result.setWordWrap(True)
        self.check_result.setAccessibleName("Vault check result")
        self.check_result.hide()
        check_layout.addLayout(row)
        check_layout.addWidget(self.check_progress)
        check_layout.addWidget(self.check_result)

        self.location = QLabel(self)
        self.location.setObjectName("hintText")
        self.location.setWordWrap(True)
        self.location.setAccessibleName("Vault location")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(12)
        layout.addWidget(self.header)
        layout.addWidget(lock_box)
        layout.addWidget(follow_box)
        layout.addWidget(security_box)
        layout.addWidget(self.backup_panel)
        layout.addWidget(check_box)
        layout.addWidget(self.location)
        layout.addStretch(1)

    def refresh(self) -> None:
        if self.context.is_open:
            self.location.setText(f"Vault folder: {self.context.session.root}")
            self.backup_panel.refresh()
        current = self.context.settings.current
        for widget in (self.auto_lock, self.follow_up_days, self.region):
            widget.blockSignals(True)
        self.auto_lock.setValue(current.auto_lock_minutes)
        self.follow_up_days.setValue(current.follow_up_working_days)
        self.region.setCurrentIndex(max(0, self.region.findData(current.bank_holiday_region)))
        for widget in (self.auto_lock, self.follow_up_days, self.region):
            widget.blockSignals(False)

    def clear(self) -> None:
        self.backup_panel.clear()
        self.check_result.clear()
        self.check_result.hide()
        self.check_progress.end()
        self._check_task = None

    def _auto_lock_changed(self, minutes: int) -> None:
        self.context.settings.update(auto_lock_minutes=minutes)

    def _follow_up_days_changed(self, days: int) -> None:
        self.context.settings.update(follow_up_working_days=days)

    def _region_changed(self, _index: int) -> None:
        code = self.region.currentData()
        if isinstance(code, str):
            self.context.settings.update(bank_holiday_region=code)

    def change_passphrase(self) -> ChangePassphraseDialog:
        dialog = ChangePassphraseDialog(self.context, self.window())
        dialog.open()
        return dialog

    def start_check(self) -> Task | None:
        if self._check_task is not None or not self.context.is_open:
            return None
        session = self.context.session

        def job(control: TaskControl) -> VaultCheckReport:
            return session.verify(progress=lambda done, total: control.progress((done, total)),
                                  cancelled=control.is_cancelled)

        task = self.context.tasks.start("verify-vault", job)
        self._check_task = task
        self.check_result.clear()
        self.check_result.hide()
        self.check_button.setEnabled(False)
        self.check_progress.begin(task, "Checking…", 0)
        task.signals.progress.connect(self._check_progress)
        task.signals.finished.connect(self._check_finished)
        task.signals.failed.connect(self._check_failed)
        return task

    def _check_progress(self, value: object) -> None:
        if isinstance(value, tuple) and len(value) == 2:
            done, total = int(value[0]), int(value[1])
            self.check_progress.set_text(f"Checking documents: {done} of {total}")
            self.check_progress.set_progress(done, total)

    def _check_finished(self, report: object) -> None:
        self._check_done()
        if isinstance(report, VaultCheckReport):
            self.check_result.setText(describe_check(report))
            self.check_result.show()

    def _check_failed(self, error: object) -> None:
        self._check_done()
        self.check_result.setText("Check cancelled." if isinstance(error, Cancelled)
                                  else (str(error) if isinstance(error, VaultError)
                                        else "The check could not run."))
        self.check_result.show()

    def _check_done(self) -> None:
        self._check_task = None
        self.check_progress.end()
        self.check_button.setEnabled(True)
