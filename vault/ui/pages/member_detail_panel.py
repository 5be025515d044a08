"""The right-hand panel of the Members page: one member's details, the work-email badge and
their cases (activate one to open it)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vault.casework.cases import CaseSummary
from vault.casework.members import MemberSummary
from vault.domain import format_uk_date
from vault.ui.widgets.badge_label import BadgeLabel


class MemberDetailPanel(QFrame):
    """Emits ``case_activated(ref)`` and ``new_case_requested(member_id)``."""

    case_activated = Signal(str)
    new_case_requested = Signal(str)
    edit_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeCard")
        self.setAccessibleName("Member details")
        self.setMinimumWidth(300)
        self._member_id: str | None = None

        self.name = QLabel(self)
        self.name.setObjectName("sectionTitle")
        self.name.setWordWrap(True)
        self.name.setAccessibleName("Member name")
        self.badge = BadgeLabel("", self)
        self.badge.hide()
        self.fields: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label in (("number", "Membership no."), ("employer", "Employer"),
                           ("department", "Department"), ("email", "Preferred email"),
                           ("phone", "Phone"), ("added", "Added")):
            value = QLabel(self)
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(label)
            self.fields[key] = value
            form.addRow(f"{label}:", value)
        self.cases_title = QLabel("Cases", self)
        self.cases_title.setObjectName("sectionTitle")
        self.cases = QListWidget(self)
        self.cases.setAccessibleName("This member's cases")
        self.cases.setWordWrap(True)
        self.cases.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cases.setSpacing(2)
        self.cases.itemActivated.connect(self._activated)
        self.new_case_button = QPushButton("Open a case for this member", self)
        self.new_case_button.setAccessibleName("Open a case for this member")
        self.new_case_button.clicked.connect(self._new_case)
        self.edit_button = QPushButton("Correct record…", self)
        self.edit_button.setAccessibleName("Correct this member's record")
        self.edit_button.clicked.connect(self._edit)
        self.placeholder = QLabel("Choose a member to see their details and cases.", self)
        self.placeholder.setObjectName("hintText")
        self.placeholder.setWordWrap(True)
        self.placeholder.setAccessibleName("No member chosen")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.name)
        layout.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(form)
        layout.addWidget(self.cases_title)
        layout.addWidget(self.cases, 1)
        layout.addWidget(self.new_case_button)
        layout.addWidget(self.edit_button)
        self._detail_widgets: list[QWidget] = [self.name, self.cases_title, self.cases,
                                               self.new_case_button, self.edit_button,
                                               *self.fields.values()]
        for i in range(form.rowCount()):
            item = form.itemAt(i, QFormLayout.ItemRole.LabelRole)
            label_widget = item.widget() if item is not None else None
            if label_widget is not None:
                self._detail_widgets.append(label_widget)
        self.clear()

    @property
    def member_id(self) -> str | None:
        return self._member_id

    def show_member(self, summary: MemberSummary, cases: list[CaseSummary],
                    details: dict[str, str] | None = None) -> None:
        m = summary.member
        self._member_id = m.id
        self.placeholder.hide()
        for widget in self._detail_widgets:
            widget.show()
        self.name.setText(m.name)
        self.fields["number"].setText(m.membership_number or "—")
        self.fields["employer"].setText(m.employer or "—")
        self.fields["department"].setText(m.department or "—")
        self.fields["email"].setText(m.email or "—")
        self.fields["email"].setToolTip(m.email or "")
        self.fields["phone"].setText(m.phone or "—")
        self.fields["added"].setText(format_uk_date(m.created.astimezone()))
        if summary.email_warning:
            self.badge.show_badge("⚠ Work email?", summary.email_warning)
        else:
            self.badge.hide()
        self.cases.clear()
        for cs in sorted(cases, key=lambda c: c.case.opened, reverse=True):
            c = cs.case
            extra = (details or {}).get(c.ref)
            item = QListWidgetItem(f"{c.ref} · {c.status.value}\n{c.title}"
                                   + (f"\n{extra}" if extra else ""))
            item.setData(Qt.ItemDataRole.UserRole, c.ref)
            item.setToolTip(f"{c.category.label}, opened {format_uk_date(c.opened)}")
            self.cases.addItem(item)
        if not cases:
            item = QListWidgetItem("No cases yet")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.cases.addItem(item)

    def clear(self) -> None:
        self._member_id = None
        self.name.clear()
        for value in self.fields.values():
            value.clear()
            value.setToolTip("")
        self.badge.hide()
        self.cases.clear()
        for widget in self._detail_widgets:
            widget.hide()
        self.placeholder.show()

    def _activated(self, item: QListWidgetItem) -> None:
        ref = item.data(Qt.ItemDataRole.UserRole)
        if ref:
            self.case_activated.emit(str(ref))

    def _new_case(self) -> None:
        if self._member_id:
            self.new_case_requested.emit(self._member_id)

    def _edit(self) -> None:
        if self._member_id:
            self.edit_requested.emit(self._member_id)
