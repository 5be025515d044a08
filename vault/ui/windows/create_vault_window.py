"""First start: create the vault with a strong passphrase, entered twice, and choose the union.

The union (optional here, changeable later in Settings or on the Training page) sets the words
of every prompt: who to tell when a case is escalated, the training route, the links on Help.

The strength rule (zxcvbn score ≥ 3 and at least 12 characters) is checked as the rep types
and again on Create, with the reason shown. Key derivation runs on a worker with a busy
indicator, so the window never freezes. A rep on a new computer restores instead:
"Restore from backup…" asks the controller for the restore dialog (issue 11).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from vault.crypto.strength import check_passphrase
from vault.errors import VaultError
from vault.paths import looks_cloud_synced
from vault.session import VaultManager
from vault.ui.task_runner import Task, TaskControl, TaskRunner
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.link_button import LinkButton
from vault.ui.widgets.passphrase_field import PassphraseField
from vault.ui.widgets.strength_meter import StrengthMeter
from vault.ui.windows.vault_card import APP_TITLE, VaultCard, centred

if TYPE_CHECKING:
    from vault.session import Session

log = logging.getLogger(__name__)

MIN_LENGTH = 12
# The refusal says what to do; the meter under the field already shows zxcvbn's hint.
WEAK_ADVICE = ("Too weak: it could be guessed. Use four or five unrelated words, e.g. three "
               "things you can see and a place you like, with spaces between them. Avoid "
               "names, dates, keyboard patterns and well-known phrases.")
INTRO = ("Casework Vault keeps your members' case files, notes and documents encrypted on "
         "this computer, so a lost or stolen laptop gives nothing away. Choose a passphrase "
         "you will remember: if it is forgotten, nobody — not you, not the union, not the "
         "makers of this app — can open the vault again.")


class CreateVaultWindow(QWidget):
    """Emits ``created`` with the new, unlocked session."""

    created = Signal(object)  # Session
    restore_requested = Signal()  # "Restore from backup…": a new laptop, the vault on a drive

    def __init__(self, manager: VaultManager, tasks: TaskRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._manager = manager
        self._tasks = tasks
        self._task: Task | None = None
        self.setWindowTitle(f"{APP_TITLE} — Create your vault")
        self.setAccessibleName("Create your vault")
        self.setMinimumSize(640, 600)

        card = VaultCard("Create your vault", self)
        intro = QLabel(INTRO, card)
        intro.setObjectName("cardIntro")
        intro.setWordWrap(True)
        intro.setAccessibleName("What the vault protects")
        card.body.addWidget(intro)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.passphrase = PassphraseField("New passphrase", card)
        self.confirm = PassphraseField("Repeat the passphrase", card)
        self.meter = StrengthMeter(card)
        form.addRow("&Passphrase", self.passphrase)
        form.addRow("", self.meter)
        form.addRow("&Repeat it", self.confirm)
        self.union = QComboBox(card)
        self.union.setAccessibleName("Your union")
        self.union.addItem("Choose later", None)
        for profile in sorted(manager.profiles.values(), key=lambda p: p.name.casefold()):
            self.union.addItem(profile.full_name, profile.key)
        form.addRow("Your &union", self.union)
        union_hint = QLabel("Sets who prompts tell you to contact and your training route. "
                            "You can change it later in Settings.", card)
        union_hint.setObjectName("hintText")
        union_hint.setWordWrap(True)
        union_hint.setAccessibleName("About the union")
        form.addRow("", union_hint)
        card.body.addLayout(form)

        self.error = error_label(card)
        card.body.addWidget(self.error)

        location = QLabel(f"The vault will be kept in {manager.root}", card)
        location.setObjectName("hintText")
        location.setWordWrap(True)
        location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        location.setAccessibleName("Vault location")
        card.body.addWidget(location)
        if looks_cloud_synced(manager.root):
            sync = QLabel("This folder looks like a cloud-sync folder: the encrypted vault "
                          "will be copied off this computer.", card)
            sync.setObjectName("banner")
            sync.setWordWrap(True)
            sync.setAccessibleName("Cloud sync warning")
            card.body.addWidget(sync)

        self.busy = QProgressBar(card)
        self.busy.setRange(0, 0)
        self.busy.setTextVisible(False)
        self.busy.setAccessibleName("Creating the vault")
        self.busy.hide()
        self.busy_label = QLabel("Setting up your keys — this takes a few seconds…", card)
        self.busy_label.setObjectName("hintText")
        self.busy_label.setAccessibleName("Creating the vault")
        self.busy_label.hide()
        card.body.addWidget(self.busy_label)
        card.body.addWidget(self.busy)

        self.create_button = QPushButton("Create vault", card)
        self.create_button.setAccessibleName("Create vault")
        self.create_button.setDefault(True)
        self.create_button.setAutoDefault(True)
        self.create_button.clicked.connect(self.submit)
        self.restore_link = LinkButton("Restore from backup…", card)
        self.restore_link.setAccessibleName("Restore a vault from a backup instead")
        self.restore_link.setToolTip("A new computer? Restore your vault from its backup file "
                                     "instead of creating a new one.")
        self.restore_link.clicked.connect(self.restore_requested)
        actions = QHBoxLayout()
        actions.addWidget(self.restore_link)
        actions.addStretch(1)
        actions.addWidget(self.create_button)
        card.body.addLayout(actions)

        self.passphrase.edit.textChanged.connect(self.meter.update_for)
        self.passphrase.edit.textChanged.connect(self._hide_error)
        self.confirm.edit.textChanged.connect(self._hide_error)
        self.passphrase.edit.returnPressed.connect(self.confirm.edit.setFocus)
        self.confirm.edit.returnPressed.connect(self.submit)
        centred(card, self)
        self.passphrase.setFocus()

    @property
    def busy_now(self) -> bool:
        return self._task is not None

    def submit(self) -> None:
        """Check the rule, then derive keys and create the vault on a worker."""
        if self._task is not None:
            return
        passphrase = self.passphrase.text()
        problem = self._problem(passphrase, self.confirm.text())
        if problem:
            self._show_error(problem)
            return
        self._set_busy(True)
        manager = self._manager
        union = self.union.currentData()

        def job(control: TaskControl) -> Session:
            session = manager.create(passphrase)
            if isinstance(union, str):
                session.training.choose_union(union)
            return session

        self._task = self._tasks.start("create-vault", job)
        self._task.signals.finished.connect(self._on_created)
        self._task.signals.failed.connect(self._on_failed)

    @staticmethod
    def _problem(passphrase: str, repeated: str) -> str:
        if not passphrase:
            return "Enter a passphrase."
        report = check_passphrase(passphrase)
        if len(passphrase) < MIN_LENGTH:
            return (f"Too short: use at least {MIN_LENGTH} characters "
                    f"(this one has {len(passphrase)}).")
        if not report.acceptable:
            return WEAK_ADVICE
        if passphrase != repeated:
            return "The two passphrases are different. Type the same passphrase twice."
        return ""

    def _on_created(self, session: object) -> None:
        self._task = None
        self.passphrase.wipe()
        self.confirm.wipe()
        self._set_busy(False)
        log.info("vault created from the GUI")
        self.created.emit(session)

    def _on_failed(self, error: object) -> None:
        self._task = None
        self._set_busy(False)
        self._show_error(str(error) if isinstance(error, VaultError)
                         else "The vault could not be created.")

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.passphrase, self.confirm, self.union, self.create_button):
            widget.setEnabled(not busy)
        self.busy.setVisible(busy)
        self.busy_label.setVisible(busy)
        if not busy:
            self.passphrase.setFocus()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setAccessibleDescription(text)
        self.error.show()

    def _hide_error(self) -> None:
        self.error.hide()
