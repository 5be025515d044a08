"""Settings: the union (shown, and changeable: its profile words every prompt), you (the
rep's profile), auto-lock minutes (1–30), written follow-up deadline (working days and
the bank holiday region), keyring quick unlock (opt-in, off by default), passphrase
change, a whole-vault check with progress and Cancel, and the device check. Settings are
saved with ``SettingsStore`` and hold no member data; the union choice lives in the
vault's training record (``TrainingService.choose_union``)."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from vault.admin.vault_check import VaultCheckReport
from vault.device_check import DeviceReport, Finding, run_device_check
from vault.errors import Cancelled, VaultError
from vault.settings import AUTO_LOCK_RANGE, FOLLOW_UP_RANGE
from vault.ui.dialogs.change_passphrase_dialog import ChangePassphraseDialog
from vault.ui.page_context import PageContext
from vault.ui.pages.vault_page import VaultPage
from vault.ui.task_runner import Task, TaskControl
from vault.ui.widgets.backup_panel import BackupPanel
from vault.ui.widgets.page_header import PageHeader
from vault.ui.widgets.rep_profile_box import RepProfileBox
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


DEVICE_LABELS = {Finding.OK: "Good", Finding.WARNING: "Needs attention",
                 Finding.UNKNOWN: "Not known"}


def describe_device(report: DeviceReport) -> str:
    """The device check as plain lines: title, verdict, what the app saw."""
    return "\n".join(f"{item.title} — {DEVICE_LABELS[item.finding]}: {item.detail}"
                     for item in report.items)


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

        union_box = QGroupBox("Your union", self)
        union_form = QFormLayout(union_box)
        union_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.union = QComboBox(union_box)
        self.union.setAccessibleName("Your union")
        self.union.setMinimumWidth(260)
        self.union.setPlaceholderText("Not chosen yet")
        for profile in context.session.training.profiles():
            self.union.addItem(profile.full_name, profile.key)
        self.union.currentIndexChanged.connect(self._union_changed)
        union_form.addRow("&Union", self.union)
        self.union_hint = QLabel(union_box)
        self.union_hint.setObjectName("hintText")
        self.union_hint.setWordWrap(True)
        self.union_hint.setAccessibleName("About the union")
        union_form.addRow(self.union_hint)
        self.union_error = QLabel(union_box)
        self.union_error.setObjectName("errorText")
        self.union_error.setWordWrap(True)
        self.union_error.hide()
        union_form.addRow(self.union_error)

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
        follow_hint = QLabel("If you give advice orally, follow it up in writing (the casework "
                             "guidance). New oral advice gets a deadline this many working days "
                             "later.",
                             follow_box)
        follow_hint.setObjectName("hintText")
        follow_hint.setWordWrap(True)
        follow_hint.setAccessibleName("About written follow-ups")
        follow_form.addRow(follow_hint)

        quick_box = QGroupBox("Quick unlock", self)
        quick_layout = QVBoxLayout(quick_box)
        self.quick_unlock = QCheckBox("After an auto-lock, unlock without the passphrase until "
                                      "I quit", quick_box)
        self.quick_unlock.setAccessibleName("Keyring quick unlock after an auto-lock")
        self.quick_unlock.toggled.connect(self._quick_unlock_toggled)
        quick_hint = QLabel("Uses your computer's keyring (GNOME Keyring, KWallet, macOS "
                            "Keychain or Windows Credential Manager), which holds a random key, "
                            "never your passphrase. Anyone using your unlocked computer account "
                            "could then reopen the vault after an auto-lock. The passphrase is "
                            "still needed after Lock, a screen lock, a passphrase change and "
                            "every start.", quick_box)
        quick_hint.setObjectName("hintText")
        quick_hint.setWordWrap(True)
        quick_hint.setAccessibleName("About quick unlock")
        self.quick_status = QLabel(quick_box)
        self.quick_status.setWordWrap(True)
        self.quick_status.setAccessibleName("Quick unlock status")
        self.quick_status.hide()
        quick_layout.addWidget(self.quick_unlock)
        quick_layout.addWidget(quick_hint)
        quick_layout.addWidget(self.quick_status)
        self._backend_task: Task | None = None

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

        device_box = QGroupBox("Device check", self)
        device_layout = QVBoxLayout(device_box)
        device_row = QHBoxLayout()
        device_text = QLabel("What the app can see of this computer's protection: disk "
                             "encryption, screen lock and cloud sync. “Not known” means the app "
                             "cannot see it — check it yourself.", device_box)
        device_text.setWordWrap(True)
        device_text.setAccessibleName("About the device check")
        self.device_button = QPushButton("Check this computer", device_box)
        self.device_button.setAccessibleName("Check this computer")
        self.device_button.clicked.connect(self.start_device_check)
        device_row.addWidget(device_text, 1)
        device_row.addWidget(self.device_button)
        self.device_result = QLabel(device_box)
        self.device_result.setWordWrap(True)
        self.device_result.setAccessibleName("Device check result")
        self.device_result.hide()
        device_layout.addLayout(device_row)
        device_layout.addWidget(self.device_result)
        self._device_task: Task | None = None
        self.device_report: DeviceReport | None = None

        self.location = QLabel(self)
        self.location.setObjectName("hintText")
        self.location.setWordWrap(True)
        self.location.setAccessibleName("Vault location")

        # The sections outgrow a laptop screen: they scroll, the page header with them.
        body = QWidget(self)
        body.setAccessibleName("Settings sections")
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.setSpacing(12)
        layout.addWidget(self.header)
        self.profile_box = RepProfileBox(context, self)
        layout.addWidget(self.profile_box)
        layout.addWidget(union_box)
        layout.addWidget(lock_box)
        layout.addWidget(follow_box)
        layout.addWidget(quick_box)
        layout.addWidget(security_box)
        layout.addWidget(self.backup_panel)
        layout.addWidget(check_box)
        layout.addWidget(device_box)
        layout.addWidget(self.location)
        layout.addStretch(1)

    def refresh(self) -> None:
        if self.context.is_open:
            self.location.setText(f"Vault folder: {self.context.session.root}")
            self.profile_box.refresh()
            self.backup_panel.refresh()
        current = self.context.settings.current
        for widget in (self.auto_lock, self.follow_up_days, self.region, self.quick_unlock):
            widget.blockSignals(True)
        self.quick_unlock.setChecked(current.keyring_quick_unlock)
        self.auto_lock.setValue(current.auto_lock_minutes)
        self.follow_up_days.setValue(current.follow_up_working_days)
        self.region.setCurrentIndex(max(0, self.region.findData(current.bank_holiday_region)))
        for widget in (self.auto_lock, self.follow_up_days, self.region, self.quick_unlock):
            widget.blockSignals(False)
        if current.keyring_quick_unlock and self._backend_task is None:
            self._check_backend()
        self._show_union()

    def _show_union(self) -> None:
        if not self.context.is_open:
            return
        profile = self.context.session.training.current_profile()
        self.union.blockSignals(True)
        self.union.setCurrentIndex(self.union.findData(profile.key) if profile else -1)
        self.union.blockSignals(False)
        wording = self.context.session.training.wording()
        self.union_hint.setText(
            f"Prompts say to {wording.verb} {wording.body}. Changing the union keeps your "
            "training record." if profile else
            "Choose your union: its profile words the escalation prompts, the Training page "
            "and the links on Help.")

    def _union_changed(self, _index: int) -> None:
        key = self.union.currentData()
        if not isinstance(key, str) or not self.context.is_open:
            return
        try:
            self.context.session.training.choose_union(key)
        except VaultError as exc:
            self.union_error.setText(str(exc))
            self.union_error.show()
            return
        self.union_error.hide()
        self._show_union()
        self.context.events.changed.emit()

    def clear(self) -> None:
        self.profile_box.clear()
        self._backend_task = None
        self._device_task = None
        self.device_report = None
        self.device_result.clear()
        self.device_result.hide()
        self.device_button.setEnabled(True)
        self.quick_status.clear()
        self.backup_panel.clear()
        self.check_result.clear()
        self.check_result.hide()
        self.check_progress.end()
        self._check_task = None

    def _auto_lock_changed(self, minutes: int) -> None:
        self.context.settings.update(auto_lock_minutes=minutes)

    def _quick_unlock_toggled(self, on: bool) -> None:
        self.context.settings.update(keyring_quick_unlock=on)
        if on:
            self._check_backend()
        else:
            self.quick_status.setText("Off. The passphrase is needed every time; the keyring "
                                      "entry and its key slot were removed.")
            self.quick_status.show()

    def _check_backend(self) -> Task | None:
        """Ask on a worker which trusted keyring is there (the keyring may hang: 5 s at most)."""
        if self._backend_task is not None:
            return None
        manager = self.context.manager
        self.quick_status.setText("Looking for the system keyring…")
        self.quick_status.show()
        task = self.context.tasks.start("keyring-backend",
                                        lambda _control: manager.quick_unlock_backend())
        self._backend_task = task
        task.signals.finished.connect(self._backend_found)
        task.signals.failed.connect(lambda _error: self._backend_found(None))
        return task

    def _backend_found(self, name: object) -> None:
        self._backend_task = None
        if not self.quick_unlock.isChecked():
            return
        if isinstance(name, str) and name:
            self.quick_status.setText(f"On, using {name}. After an auto-lock the unlock window "
                                      "offers “Unlock without passphrase”.")
        else:
            self.quick_status.setText("No trusted system keyring was found here, so quick unlock "
                                      "cannot work: you will need your passphrase after an "
                                      "auto-lock.")
        self.quick_status.show()

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

    def start_device_check(self) -> Task | None:
        """Look at this computer on a worker (it runs a few system commands)."""
        if self._device_task is not None or not self.context.is_open:
            return None
        root = self.context.session.root
        task = self.context.tasks.start("device-check",
                                        lambda _control: run_device_check(root))
        self._device_task = task
        self.device_button.setEnabled(False)
        self.device_result.setText("Checking this computer…")
        self.device_result.show()
        task.signals.finished.connect(self._device_checked)
        task.signals.failed.connect(lambda _error: self._device_checked(None))
        return task

    def _device_checked(self, report: object) -> None:
        self._device_task = None
        self.device_button.setEnabled(True)
        if not isinstance(report, DeviceReport):
            self.device_result.setText("The device check could not run.")
            return
        self.device_report = report
        self.device_result.setText(describe_device(report))

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
