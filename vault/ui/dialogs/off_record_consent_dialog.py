"""Record that the member was told beforehand about an off-the-record / without-prejudice
conversation and agreed to it: when they were told, and how.

The UCU guide: "If you are asked by management to have an 'off the record' or 'without
prejudice' conversation, make sure that you tell the member beforehand and obtain their
agreement. Also, make it clear to the manager that anything they say will be reported back to
the member." The consent is written by ``TrailLogService.record_off_record_consent`` (its own
paper-trail entry); a refusal is shown in the dialog, which stays open.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from vault.errors import VaultError
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import accept_cancel_buttons, error_label
from vault.ui.widgets.uk_datetime_edit import UkDateTimeEdit

log = logging.getLogger(__name__)

GUIDE_TEXT = ("Before an off-the-record or without-prejudice conversation with management, "
              "tell the member beforehand and get their agreement. In the conversation, make "
              "it clear to the manager that anything they say will be reported back to the "
              "member.")


class OffRecordConsentDialog(QDialog):
    """Emits ``recorded`` once the service has saved the consent."""

    recorded = Signal(object)  # the OffRecordConsent

    def __init__(self, context: PageContext, case_ref: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._ref = case_ref
        self.setWindowTitle("Member's agreement to an off-the-record conversation")
        self.setAccessibleName("Member's agreement to an off-the-record conversation")
        self.setMinimumWidth(520)

        guide = QLabel(GUIDE_TEXT, self)
        guide.setWordWrap(True)
        guide.setAccessibleName("What the UCU guide asks")
        self.told_at = UkDateTimeEdit(context.clock.now(), "When the member was told", self)
        self.how = QLineEdit(self)
        self.how.setAccessibleName("How the member was told")
        self.how.setPlaceholderText("e.g. by phone the day before; in person before the meeting")
        self.agreed = QCheckBox("The member was told beforehand and agreed", self)
        self.agreed.setAccessibleName("The member was told beforehand and agreed")
        form = QFormLayout()
        form.addRow("&Told on", self.told_at)
        form.addRow("&How", self.how)
        form.addRow("", self.agreed)

        self.error = error_label(self)

        buttons, self.record_button = accept_cancel_buttons(
            self, "Record agreement", self.submit, self.reject)
        self.agreed.toggled.connect(self.record_button.setEnabled)
        self.record_button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(guide)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.how.setFocus()

    def submit(self) -> None:
        if not self._context.is_open:
            self.reject()
            return
        if not self.agreed.isChecked():
            self.error.setText("Tick that the member was told beforehand and agreed.")
            self.error.show()
            return
        try:
            consent = self._context.session.trail_log.record_off_record_consent(
                self._ref, told_at=self.told_at.moment(), how=self.how.text())
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
        self._context.events.changed.emit()
        self.recorded.emit(consent)
