"""Possible conflicts of interest found by the conflict check, and the rep's decision on each.

Shown after adding a party (Parties tab), adding a member or opening a case, and from the
Parties tab for findings still pending. Each finding shows who the person may be, the other
case's reference, their role there and why they matched. The rep chooses, per finding:
proceed (a reason is required), step aside (a hand-over: to whom and when), refer to another
rep, or decide later. Each
decision goes through ``ConflictService.decide`` (which writes it to the paper trail); one
refused decision is shown on its card and does not undo the others. The UCU guide: "If you
think you may have [a conflicting interest], it will usually require you, or UCU, to step aside
from advising the member."
"""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from vault.casework.conflicts import ConflictDecision, ConflictFinding
from vault.errors import VaultError
from vault.ui.models.party_table_model import DECISION_LABELS, reason_text, role_text
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.uk_date_edit import UkDateEdit

log = logging.getLogger(__name__)

DIALOG_TITLE = "Possible conflict of interest"
GUIDE_TEXT = ("Reflect on whether you, or the union, could be on both sides. If you think you "
              "may have a conflicting interest, it will usually mean stepping aside from "
              "advising the member. Your decision is recorded in the paper trail.")
_CHOICES = (
    (ConflictDecision.PROCEED, "Proceed (say why)"),
    (ConflictDecision.STEP_ASIDE, "Step aside"),
    (ConflictDecision.REFER, "Refer to another rep"),
)


def describe_match(finding: ConflictFinding, viewing_ref: str | None = None) -> str:
    """"Dana Smith, the member in case C-2026-0002" (from the side of the case worked on)."""
    m = finding.match
    if viewing_ref is not None and m.ref == viewing_ref and finding.case_ref:
        return (f"{m.name} ({_the_role(m.role)} in this case) may be someone in case "
                f"{finding.case_ref}")
    if m.ref is None:
        return f"{m.name}, a member with no case yet"
    if m.ref == viewing_ref:
        return f"{m.name}, {_the_role(m.role)} in this same case"
    return f"{m.name}, {_the_role(m.role)} in case {m.ref}"


def _the_role(role: str) -> str:
    """"the member", "the manager", "a witness"... in plain words."""
    text = role_text(role).lower()
    return f"the {text}" if text in ("member", "manager", "complainant",
                                      "subject of the complaint") else f"a {text}"


class FindingCard(QGroupBox):
    """One finding: what matched, and the decision controls."""

    def __init__(self, finding: ConflictFinding, title: str, viewing_ref: str | None,
                 parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(title, parent)
        self.finding = finding
        self.setAccessibleName(title)
        who = QLabel(describe_match(finding, viewing_ref), self)
        who.setWordWrap(True)
        who.setObjectName("sectionTitle")
        who.setAccessibleName("May be")
        why = QLabel(f"How alike: {reason_text(finding.match.reason, finding.match.score)}.",
                     self)
        why.setWordWrap(True)
        why.setAccessibleName("Why it matched")
        self.labels = [who, why]
        self.group = QButtonGroup(self)
        self.choices: dict[ConflictDecision, QRadioButton] = {}
        grid = QGridLayout()
        for column, (decision, text) in enumerate(_CHOICES):
            button = QRadioButton(text, self)
            button.setAccessibleName(text)
            self.group.addButton(button)
            self.choices[decision] = button
            grid.addWidget(button, 0, column)
        self.later = QRadioButton("Decide later", self)
        self.later.setAccessibleName("Decide later")
        self.group.addButton(self.later)
        grid.addWidget(self.later, 0, len(_CHOICES))
        self.later.setChecked(True)
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("Reason (required to proceed)")
        # Stepping aside hands the case over: to whom, and when.
        self.handover = QWidget(self)
        handover_row = QHBoxLayout(self.handover)
        handover_row.setContentsMargins(0, 0, 0, 0)
        self.handover_to = QLineEdit(self.handover)
        self.handover_to.setAccessibleName("Hand the case over to")
        self.handover_to.setPlaceholderText("Hand over to (another rep, the branch secretary…)")
        self.handover_on = UkDateEdit(today or dt.date.today(), "Handed over on",
                                      self.handover)
        handover_label = QLabel("&on", self.handover)
        handover_label.setBuddy(self.handover_on)
        handover_row.addWidget(self.handover_to, 1)
        handover_row.addWidget(handover_label)
        handover_row.addWidget(self.handover_on)
        self.handover.hide()
        self.choices[ConflictDecision.STEP_ASIDE].toggled.connect(self.handover.setVisible)
        self.error = error_label(self)
        layout = QVBoxLayout(self)
        layout.addWidget(who)
        layout.addWidget(why)
        layout.addLayout(grid)
        layout.addWidget(self.reason)
        layout.addWidget(self.handover)
        layout.addWidget(self.error)

    def choice(self) -> ConflictDecision | None:
        for decision, button in self.choices.items():
            if button.isChecked():
                return decision
        return None

    def choose(self, decision: ConflictDecision | None, reason: str = "",
               handover_to: str = "") -> None:
        (self.choices[decision] if decision is not None else self.later).setChecked(True)
        self.reason.setText(reason)
        self.handover_to.setText(handover_to)

    def mark_recorded(self, finding: ConflictFinding) -> None:
        self.finding = finding
        self.error.hide()
        label = DECISION_LABELS[finding.decision] if finding.decision else ""
        self.setTitle(f"{self.title()} — recorded: {label}")
        self.setEnabled(False)

    def wipe(self) -> None:
        for label in self.labels:
            label.clear()
        self.reason.clear()
        self.handover_to.clear()
        self.setTitle("")


class ConflictDialog(QDialog):
    """Emits ``decided(list[ConflictFinding])`` with the decisions the service accepted."""

    decided = Signal(list)

    def __init__(self, context: PageContext, findings: list[ConflictFinding],
                 parent: QWidget | None = None, *, subject: str = "",
                 viewing_ref: str | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setWindowTitle(DIALOG_TITLE)
        self.setAccessibleName(DIALOG_TITLE)
        self.resize(720, min(680, 210 + 165 * len(findings)))

        n = len(findings)
        intro_text = (f"The conflict check found {n} "
                      f"{'person' if n == 1 else 'people'} already in the vault who may be "
                      f"{subject or 'the same person'}.")
        intro = QLabel(intro_text, self)
        intro.setObjectName("sectionTitle")
        intro.setWordWrap(True)
        intro.setAccessibleName("What the conflict check found")
        guide = QLabel(GUIDE_TEXT, self)
        guide.setWordWrap(True)
        guide.setObjectName("hintText")
        guide.setAccessibleName("About conflicts of interest")
        self._intro = intro

        self.cards: list[FindingCard] = []
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        for i, finding in enumerate(findings, start=1):
            card = FindingCard(finding, f"Possible conflict {i} of {n}", viewing_ref, body,
                               today=context.clock.today())
            self.cards.append(card)
            body_layout.addWidget(card)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setAccessibleName("Possible conflicts")

        self.error = error_label(self)
        buttons = QDialogButtonBox(self)
        self.record_button = buttons.addButton("Record decisions",
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.record_button.setAccessibleName("Record decisions")
        self.record_button.setDefault(True)
        later = buttons.addButton("Decide later", QDialogButtonBox.ButtonRole.RejectRole)
        later.setAccessibleName("Decide later")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(guide)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if self.cards:
            self.cards[0].choices[ConflictDecision.PROCEED].setFocus()

    def submit(self) -> None:
        """Record every decision chosen; close when nothing was refused."""
        if not self._context.is_open:
            self.reject()
            return
        recorded: list[ConflictFinding] = []
        refused = False
        chosen = False
        for card in self.cards:
            decision = card.choice()
            if decision is None or not card.isEnabled():
                continue
            chosen = True
            try:
                stepping_aside = decision is ConflictDecision.STEP_ASIDE
                result = self._context.session.conflicts.decide(
                    card.finding.id, decision, card.reason.text() or None,
                    handover_to=card.handover_to.text() if stepping_aside else None,
                    handover_on=card.handover_on.day() if stepping_aside else None)
            except VaultError as exc:
                card.error.setText(str(exc))
                card.error.show()
                refused = True
                continue
            card.mark_recorded(result)
            recorded.append(result)
        if recorded:
            self._context.events.changed.emit()
            self.decided.emit(recorded)
        if not chosen:
            self.error.setText("Choose a decision for at least one possible conflict, or "
                               "choose Decide later.")
            self.error.show()
            return
        if not refused:
            self.accept()

    def done(self, result: int) -> None:
        """Closing (or the vault locking) wipes the names from the dialog."""
        super().done(result)
        for card in self.cards:
            card.wipe()
        self._intro.clear()


def show_conflicts(context: PageContext, findings: list[ConflictFinding],
                   parent: QWidget | None, *, subject: str = "",
                   viewing_ref: str | None = None) -> ConflictDialog | None:
    """Open the dialog (window-modal, not blocking) when there is anything to decide."""
    pending = [f for f in findings if f.pending]
    if not pending or not context.is_open:
        return None
    dialog = ConflictDialog(context, pending, parent, subject=subject, viewing_ref=viewing_ref)
    dialog.open()
    return dialog
