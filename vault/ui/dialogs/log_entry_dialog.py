"""Log a paper-trail entry, or correct one: kind, when, summary, detail, and the extras each
kind needs.

- Oral advice: how it was given (for the follow-up note) and the date the written follow-up
  will be due, worked out by ``FollowUpService.due_date``.
- Written advice, email sent, letter: "Follows up" lists this case's oral advice still owed a
  written follow-up; choosing one discharges it.
- Oral or written advice: "The member chose not to follow this advice".
- Off the record / without prejudice: the member's prior agreement must be on record first
  (``OffRecordConsentDialog``), and the rep confirms the manager was told that anything said
  will be reported back. Logging without them shows the service's refusal.

Correcting writes a new entry of the same kind that points at the old one
(``TrailLogService.correct``); nothing is edited. Every refusal is shown in the dialog, which
stays open so nothing typed is lost.
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vault.casework.followups import FollowUpState
from vault.casework.trail_log import (
    ADVICE_KINDS,
    DISCHARGING_KINDS,
    TECHNICAL_ADVICE_PROMPT,
    LogEntry,
    LoggedEntry,
)
from vault.domain import EntryKind, format_uk_date
from vault.errors import VaultError
from vault.ui.dialogs.off_record_consent_dialog import OffRecordConsentDialog
from vault.ui.models.moments import format_moment
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.sensitive_text_edit import SensitiveTextEdit
from vault.ui.widgets.uk_datetime_edit import UkDateTimeEdit

log = logging.getLogger(__name__)

CHANNELS = ("meeting", "phone call", "video call", "conversation")
NO_FOLLOW_UP = "Not a follow-up of oral advice"
MANAGER_TOLD_TEXT = ("I told the manager that anything they said would be reported back to the "
                     "member")
NO_CONSENT_TEXT = ("The member's agreement is not on record yet. Before logging an off-the-"
                   "record or without-prejudice conversation, record that the member was told "
                   "beforehand and agreed.")


class LogEntryDialog(QDialog):
    """Emits ``logged(LoggedEntry)`` once the service has written the entry."""

    logged = Signal(object)

    def __init__(self, context: PageContext, case_ref: str, parent: QWidget | None = None, *,
                 correcting: LogEntry | None = None, kind: EntryKind | None = None,
                 follows_up: int | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._ref = case_ref
        self.correcting = correcting
        self.consent_dialog: OffRecordConsentDialog | None = None
        title = (f"Correct entry #{correcting.seq}" if correcting is not None
                 else "Log a paper-trail entry")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(580)

        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind of entry")
        for k in EntryKind:
            self.kind.addItem(k.label, k.value)
        self.when = UkDateTimeEdit(context.clock.now(), "When it happened", self)
        self.summary = QLineEdit(self)
        self.summary.setAccessibleName("Summary")
        self.summary.setPlaceholderText("One line: what happened or what was advised")
        self.detail = SensitiveTextEdit(self)
        self.detail.setAccessibleName("Detail")
        self.detail.setPlaceholderText("Optional: the fuller account")
        self.detail.setTabChangesFocus(True)
        self.detail.setMinimumHeight(110)

        self.channel = QComboBox(self)
        self.channel.setEditable(True)
        self.channel.setAccessibleName("How the advice was given")
        self.channel.addItems(["", *CHANNELS])
        # Blank until chosen: say what goes there rather than show an empty box.
        channel_edit = self.channel.lineEdit()
        if channel_edit is not None:
            channel_edit.setPlaceholderText("Optional: meeting, phone call, …")
        self.channel.setToolTip("Used in the follow-up note: \"Following our meeting on …\"")
        self.source = QLineEdit(self)
        self.source.setAccessibleName("Source of the technical advice")
        self.source.setPlaceholderText("A policy, the law (e.g. ACAS code), the regional office")
        self.source_hint = QLabel(TECHNICAL_ADVICE_PROMPT, self)
        self.source_hint.setObjectName("banner")
        self.source_hint.setWordWrap(True)
        self.source_hint.setAccessibleName("Look it up first")
        self.source.textChanged.connect(self._update_source_hint)
        self.due_hint = QLabel(self)
        self.due_hint.setObjectName("hintText")
        self.due_hint.setWordWrap(True)
        self.due_hint.setAccessibleName("Written follow-up due")
        self.follows_up = QComboBox(self)
        self.follows_up.setAccessibleName("Follows up oral advice")
        self.not_followed = QCheckBox("The member chose not to follow this advice", self)
        self.not_followed.setAccessibleName("The member chose not to follow this advice")
        self.not_followed.setToolTip("The member is responsible for their own actions; the "
                                     "trail shows what was advised.")

        self.off_record = QFrame(self)
        self.off_record.setObjectName("banner")
        self.off_record.setAccessibleName("Off the record")
        self.consent_status = QLabel(self.off_record)
        self.consent_status.setWordWrap(True)
        self.consent_status.setAccessibleName("Member's agreement")
        self.consent_button = QPushButton("Record the member's agreement…", self.off_record)
        self.consent_button.setAccessibleName("Record the member's agreement")
        self.consent_button.clicked.connect(self.record_consent)
        self.manager_told = QCheckBox(MANAGER_TOLD_TEXT, self.off_record)
        self.manager_told.setAccessibleName(MANAGER_TOLD_TEXT)
        off_layout = QVBoxLayout(self.off_record)
        consent_row = QHBoxLayout()
        consent_row.addWidget(self.consent_status, 1)
        consent_row.addWidget(self.consent_button)
        off_layout.addLayout(consent_row)
        off_layout.addWidget(self.manager_told)

        self.form = QFormLayout()
        self.form.addRow("&Kind", self.kind)
        self.form.addRow("&When", self.when)
        self.form.addRow("&Summary", self.summary)
        self.form.addRow("&Detail", self.detail)
        self.form.addRow("&How given", self.channel)
        self.form.addRow("S&ource", self.source)
        self.form.addRow("", self.source_hint)
        self.form.addRow("", self.due_hint)
        self.form.addRow("&Follows up", self.follows_up)
        self.form.addRow("", self.not_followed)
        # Rows come and go with the kind; keep one label width so none is ever clipped.
        labels: list[QWidget] = []
        for i in range(self.form.rowCount()):
            item = self.form.itemAt(i, QFormLayout.ItemRole.LabelRole)
            label = item.widget() if item is not None else None
            if label is not None:
                labels.append(label)
        width = max(label.sizeHint().width() for label in labels)
        for label in labels:
            label.setMinimumWidth(width)

        self.error = error_label(self)

        buttons = QDialogButtonBox(self)
        self.log_button = buttons.addButton(
            "Save correction" if correcting is not None else "Log entry",
            QDialogButtonBox.ButtonRole.AcceptRole)
        self.log_button.setAccessibleName(self.log_button.text())
        self.log_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        if correcting is not None:
            note = QLabel(f"Entries are never changed. This adds a new entry that corrects #"
                          f"{correcting.seq} ({format_moment(correcting.occurred)}); the "
                          "paper trail shows both.", self)
            note.setWordWrap(True)
            note.setObjectName("hintText")
            note.setAccessibleName("About corrections")
            layout.addWidget(note)
        layout.addLayout(self.form)
        layout.addWidget(self.off_record)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self._fill_follow_ups(follows_up)
        if correcting is not None:
            self._prefill(correcting)
        elif kind is not None:
            self.kind.setCurrentIndex(self.kind.findData(kind.value))
        self._initial_when = self.when.dateTime()
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.when.dateTimeChanged.connect(self._update_due_hint)
        self._kind_changed()
        (self.summary if correcting is not None or kind is not None else self.kind).setFocus()

    # -- state ---------------------------------------------------------------------------------

    def selected_kind(self) -> EntryKind:
        return EntryKind(self.kind.currentData())

    def select_kind(self, kind: EntryKind) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind.value))

    def select_follow_up(self, advice_seq: int | None) -> None:
        index = self.follows_up.findData(advice_seq) if advice_seq is not None else 0
        self.follows_up.setCurrentIndex(max(0, index))

    def _prefill(self, entry: LogEntry) -> None:
        self.kind.setCurrentIndex(self.kind.findData(entry.kind))
        self.kind.setEnabled(False)
        occurred = entry.occurred
        if isinstance(occurred, dt.datetime):
            self.when.set_moment(occurred)
        else:
            self.when.set_moment(dt.datetime(occurred.year, occurred.month, occurred.day))
        self.summary.setText(entry.summary)
        self.detail.setPlainText(entry.detail or "")
        self.not_followed.setChecked(bool(entry.payload.get("not_followed")))

    def _fill_follow_ups(self, preselect: int | None) -> None:
        self.follows_up.addItem(NO_FOLLOW_UP, None)
        try:
            owed = [f for f in self._context.session.followups.for_case(self._ref)
                    if f.state is FollowUpState.OWED]
        except VaultError as exc:
            log.warning("follow-ups not listed: %s", type(exc).__name__)
            owed = []
        for f in owed:
            summary = f.summary if len(f.summary) <= 60 else f.summary[:57] + "…"
            self.follows_up.addItem(
                f"#{f.advice_seq} · oral advice of {format_uk_date(f.advice_date)}: {summary} "
                f"(due {format_uk_date(f.due)})", f.advice_seq)
        self.select_follow_up(preselect)

    def _kind_changed(self) -> None:
        kind = self.selected_kind()
        correcting = self.correcting is not None
        self._set_row_visible(self.channel, kind is EntryKind.ORAL_ADVICE and not correcting)
        self._set_row_visible(self.due_hint, kind is EntryKind.ORAL_ADVICE and not correcting)
        self._set_row_visible(self.follows_up, kind in DISCHARGING_KINDS and not correcting)
        self._set_row_visible(self.not_followed, kind in ADVICE_KINDS)
        technical = kind is EntryKind.TECHNICAL_ADVICE and not correcting
        self._set_row_visible(self.source, technical)
        self._set_row_visible(self.source_hint, technical and not self.source.text().strip())
        self.off_record.setVisible(kind is EntryKind.OFF_THE_RECORD and not correcting)
        if kind is EntryKind.OFF_THE_RECORD and not correcting:
            self._update_consent()
        self._update_due_hint()

    def _update_source_hint(self) -> None:
        technical = self.selected_kind() is EntryKind.TECHNICAL_ADVICE and self.correcting is None
        self._set_row_visible(self.source_hint, technical and not self.source.text().strip())

    def _set_row_visible(self, field: QWidget, visible: bool) -> None:
        self.form.setRowVisible(field, visible)

    def _update_due_hint(self) -> None:
        if self.selected_kind() is not EntryKind.ORAL_ADVICE or not self._context.is_open:
            return
        try:
            due = self._context.session.followups.due_date(self.when.moment().date())
        except VaultError:
            self.due_hint.setText("A written follow-up will be owed.")
            return
        self.due_hint.setText(f"Oral advice must be followed up in writing: a written "
                              f"follow-up will be owed by {format_uk_date(due)}.")

    def _update_consent(self) -> None:
        try:
            unused = [c for c in self._context.session.trail_log.consents(self._ref)
                      if not c.used]
        except VaultError as exc:
            self.consent_status.setText(str(exc))
            return
        if unused:
            c = unused[0]
            self.consent_status.setText(f"Member's agreement on record: told "
                                        f"{format_moment(c.told_at)}, {c.how}.")
            self.consent_button.setText("Record another agreement…")
        else:
            self.consent_status.setText(NO_CONSENT_TEXT)
            self.consent_button.setText("Record the member's agreement…")
        self.consent_button.setAccessibleName(self.consent_button.text().rstrip("…"))

    # -- actions -------------------------------------------------------------------------------

    def record_consent(self) -> OffRecordConsentDialog | None:
        if not self._context.is_open:
            return None
        dialog = OffRecordConsentDialog(self._context, self._ref, self)
        dialog.recorded.connect(lambda _c: self._update_consent())
        self.consent_dialog = dialog
        dialog.open()
        return dialog

    def submit(self) -> None:
        if not self._context.is_open:
            self.reject()
            return
        trail_log = self._context.session.trail_log
        kind = self.selected_kind()
        detail = self.detail.toPlainText() or None
        try:
            if self.correcting is not None:
                done: LoggedEntry = trail_log.correct(
                    self._ref, self.correcting.seq, self.summary.text(), detail=detail,
                    occurred=self.when.moment() if self._when_changed() else None,
                    not_followed=self.not_followed.isChecked() if kind in ADVICE_KINDS
                    else None)
            else:
                follows = self.follows_up.currentData() if kind in DISCHARGING_KINDS else None
                channel = self.channel.currentText().strip() \
                    if kind is EntryKind.ORAL_ADVICE else ""
                done = trail_log.log(
                    self._ref, kind, self.summary.text(), detail=detail,
                    occurred=self.when.moment(),
                    follows_up=int(follows) if follows is not None else None,
                    not_followed=kind in ADVICE_KINDS and self.not_followed.isChecked(),
                    manager_told=(kind is EntryKind.OFF_THE_RECORD
                                  and self.manager_told.isChecked()),
                    channel=channel or None,
                    source=(self.source.text().strip() or None)
                    if kind is EntryKind.TECHNICAL_ADVICE else None)
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
        self.logged.emit(done)
        self._context.events.changed.emit()

    def done(self, result: int) -> None:
        """Closing (or the vault locking) wipes what was typed from the dialog."""
        super().done(result)
        self.summary.clear()
        self.detail.clear()
        self.follows_up.clear()
        self.consent_status.clear()

    def _when_changed(self) -> bool:
        """A correction keeps the original's time unless the rep changed the field."""
        return self.when.dateTime() != self._initial_when
