"""The case Parties tab: the other people involved, and possible conflicts of interest.

Each party has a name, a role (manager, witness, complainant, subject of the complaint,
colleague, other) and whether they are a union member (yes, no, unknown). Adding one goes
through ``PartyService.add``, which runs the conflict check against every member and every
party of every other case; matches open ``ConflictDialog`` at once. Below the parties, the
possible conflicts involving this case are listed with the rep's decision; those still pending
are counted in the tab badge and can be decided later ("Decide…").
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QAbstractItemModel, QItemSelection
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from vault.casework.conflicts import ConflictFinding
from vault.casework.parties import PartyRole, UnionMembership
from vault.domain import Case, CaseStatus
from vault.errors import VaultError
from vault.store.parties_repo import Party
from vault.ui import theme
from vault.ui.case_tabs.case_tab import CaseTab
from vault.ui.dialogs.conflict_dialog import ConflictDialog, show_conflicts
from vault.ui.dialogs.edit_party_dialog import EditPartyDialog
from vault.ui.models.moments import plural
from vault.ui.models.party_table_model import (
    MEMBERSHIP_LABELS,
    ConflictFindingTableModel,
    FindingRow,
    PartyTableModel,
    role_text,
)
from vault.ui.models.row_table_model import ROW_ROLE
from vault.ui.page_context import PageContext
from vault.ui.widgets.dialog_parts import error_label
from vault.ui.widgets.record_table import record_table

log = logging.getLogger(__name__)


def _table(parent: QWidget, name: str, model: QAbstractItemModel) -> QTableView:
    table = record_table(parent, name, model, alternating=False)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class PartiesTab(CaseTab):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.conflict_dialog: ConflictDialog | None = None
        self.findings: list[ConflictFinding] = []

        parties_box = QGroupBox("Other parties", self)
        self.model = PartyTableModel(self)
        self.table = _table(parties_box, "Parties", self.model)
        for column, width in ((PartyTableModel.NAME, 240), (PartyTableModel.ROLE, 190),
                              (PartyTableModel.UNION, 120)):
            self.table.setColumnWidth(column, width)
        self.name = QLineEdit(parties_box)
        self.name.setAccessibleName("Party's name")
        self.name.setPlaceholderText("Name, e.g. the line manager")
        self.name.returnPressed.connect(self.add_party)
        self.role = QComboBox(parties_box)
        self.role.setAccessibleName("Role in this case")
        for role in PartyRole:
            self.role.addItem(role_text(role.value), role.value)
        self.union_member = QComboBox(parties_box)
        self.union_member.setAccessibleName("Union member")
        for value in (UnionMembership.UNKNOWN, UnionMembership.YES, UnionMembership.NO):
            self.union_member.addItem(f"Union member: {MEMBERSHIP_LABELS[value].lower()}",
                                      value.value)
        self.add_button = QPushButton(theme.icon("parties", 18), "Add party", parties_box)
        self.add_button.setAccessibleName("Add the party")
        self.add_button.clicked.connect(self.add_party)
        hint = QLabel("Adding a party checks them against every member and every party of your "
                      "other cases, in case you or the union could be on both sides.",
                      parties_box)
        hint.setObjectName("hintText")
        hint.setWordWrap(True)
        hint.setAccessibleName("About the conflict check")
        self.error = error_label(parties_box)
        add_row = QHBoxLayout()
        add_row.addWidget(self.name, 1)
        add_row.addWidget(self.role)
        add_row.addWidget(self.union_member)
        add_row.addWidget(self.add_button)
        self.correct_button = QPushButton("Correct…", parties_box)
        self.correct_button.setAccessibleName("Correct or remove the selected party")
        self.correct_button.clicked.connect(lambda: self.correct_party())
        self.party_dialog: EditPartyDialog | None = None
        add_row.addWidget(self.correct_button)
        self.table.selectionModel().selectionChanged.connect(self._finding_selected)
        parties_layout = QVBoxLayout(parties_box)
        parties_layout.addWidget(self.table, 1)
        parties_layout.addLayout(add_row)
        parties_layout.addWidget(hint)
        parties_layout.addWidget(self.error)

        conflicts_box = QGroupBox("Possible conflicts of interest", self)
        self.conflicts_status = QLabel(conflicts_box)
        self.conflicts_status.setWordWrap(True)
        self.conflicts_status.setAccessibleName("Conflicts status")
        self.finding_model = ConflictFindingTableModel(self)
        self.finding_table = _table(conflicts_box, "Possible conflicts", self.finding_model)
        for column, width in ((ConflictFindingTableModel.WHO, 180),
                              (ConflictFindingTableModel.OTHER_CASE, 110),
                              (ConflictFindingTableModel.ROLE, 170),
                              (ConflictFindingTableModel.REASON, 240)):
            self.finding_table.setColumnWidth(column, width)
        self.finding_table.selectionModel().selectionChanged.connect(self._finding_selected)
        self.finding_table.activated.connect(lambda _i: self.decide_pending())
        self.decide_button = QPushButton("Decide…", conflicts_box)
        self.decide_button.setAccessibleName("Decide on the pending possible conflicts")
        self.decide_button.clicked.connect(lambda: self.decide_pending())
        conflicts_top = QHBoxLayout()
        conflicts_top.addWidget(self.conflicts_status, 1)
        conflicts_top.addWidget(self.decide_button)
        conflicts_layout = QVBoxLayout(conflicts_box)
        conflicts_layout.addLayout(conflicts_top)
        conflicts_layout.addWidget(self.finding_table, 1)

        self.status = QLabel(self)
        self.status.setObjectName("hintText")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Parties status")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 12, 4, 4)
        layout.addWidget(parties_box, 3)
        layout.addWidget(conflicts_box, 2)
        layout.addWidget(self.status)
        self._update_buttons()

    # -- loading -------------------------------------------------------------------------------

    def load(self, case: Case) -> None:
        same_case = self.case is not None and self.case.id == case.id
        super().load(case)
        if not same_case:
            self.error.hide()
            self.status.clear()
            self.name.clear()
            # A new case starts from the defaults: the last case's role and answer do not
            # carry over to the next party typed here (issue 17.10).
            self.role.setCurrentIndex(0)
            self.union_member.setCurrentIndex(
                max(0, self.union_member.findData(UnionMembership.UNKNOWN.value)))
        session = self.context.session
        self.model.set_rows(session.parties.list(case.ref))
        self.findings = session.conflicts.findings(case.ref)
        self.finding_model.set_rows(self._finding_rows(self.findings, case.ref))
        pending = self.pending()
        if not self.findings:
            self.conflicts_status.setText("No possible conflicts found for this case.")
        elif pending:
            self.conflicts_status.setText(
                f"{plural(len(pending), 'possible conflict')} still need"
                f"{'s' if len(pending) == 1 else ''} your decision: proceed (with a reason), "
                "step aside, or refer to another rep.")
        else:
            self.conflicts_status.setText("Every possible conflict has a decision. They are "
                                          "recorded in the paper trail.")
        self.badge_changed.emit(f"{len(pending)} to decide" if pending else "")
        self._update_buttons()

    def clear(self) -> None:
        super().clear()
        self.model.clear()
        self.finding_model.clear()
        self.findings = []
        self.name.clear()
        self.error.clear()
        self.error.hide()
        self.status.clear()
        self.conflicts_status.clear()
        if self.conflict_dialog is not None:
            self.conflict_dialog.reject()
        self.conflict_dialog = None
        if self.party_dialog is not None:
            self.party_dialog.reject()
        self.party_dialog = None
        self.badge_changed.emit("")
        self._update_buttons()

    def pending(self) -> list[ConflictFinding]:
        return [f for f in self.findings if f.pending]

    def _finding_selected(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        editable = (self.case is not None and self.case.status is CaseStatus.OPEN
                    and self.context.is_open)
        for widget in (self.name, self.role, self.union_member, self.add_button):
            widget.setEnabled(editable)
        self.decide_button.setEnabled(self.case is not None and bool(self.pending())
                                      and self.context.is_open)
        self.correct_button.setEnabled(editable and self.selected_party() is not None)

    def selected_party(self) -> Party | None:
        rows = self.table.selectionModel().selectedRows()
        party = rows[0].data(ROW_ROLE) if rows else None
        return party if isinstance(party, Party) else None

    def correct_party(self) -> EditPartyDialog | None:
        party = self.selected_party()
        if party is None or self.case is None or not self.context.is_open:
            return None
        self.party_dialog = EditPartyDialog(self.context, party, self)
        self.party_dialog.accepted.connect(self._party_corrected)
        self.party_dialog.open()
        return self.party_dialog

    def _party_corrected(self) -> None:
        dialog = self.party_dialog
        if self.case is not None:
            self.load(self.case)
        if dialog is not None and dialog.result_edit is not None and dialog.result_edit.conflicts:
            self.conflict_dialog = show_conflicts(self.context, dialog.result_edit.conflicts,
                                                  self, subject="the corrected party",
                                                  viewing_ref=self.case.ref if self.case
                                                  else None)

    # -- actions -------------------------------------------------------------------------------

    def add_party(self) -> ConflictDialog | None:
        """Add the party; returns the conflict dialog when the check found anyone."""
        if self.case is None or not self.context.is_open:
            return None
        name = self.name.text()
        role = PartyRole(self.role.currentData())
        membership = UnionMembership(self.union_member.currentData())
        try:
            added = self.context.session.parties.add(self.case.ref, name, role, membership)
        except VaultError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return None
        self.error.hide()
        self.name.clear()
        found = len(added.conflicts)
        not_in_vault = (f" {added.party.name} is marked as a union member but is not among "
                        "your members: check whether you or the branch represent them."
                        if added.member_not_in_vault else "")
        self.status.setText(
            f"{added.party.name} added as {role_text(role.value).lower()}. "
            + (f"The conflict check found {plural(found, 'possible conflict')}."
               if found else "The conflict check found no possible conflicts.")
            + not_in_vault)
        self.load(self.case)
        self.context.events.changed.emit()
        if not found:
            return None
        return self._show(added.conflicts, subject=f"{added.party.name} "
                                                   f"({role_text(role.value).lower()})")

    def decide_pending(self) -> ConflictDialog | None:
        """Open the decision dialog for every pending finding of this case."""
        if self.case is None:
            return None
        selected = self.selected_finding()
        pending = self.pending()
        if selected is not None and selected.pending:
            pending = [selected] + [f for f in pending if f.id != selected.id]
        return self._show(pending)

    def selected_finding(self) -> ConflictFinding | None:
        rows = self.finding_table.selectionModel().selectedRows()
        row = rows[0].data(ROW_ROLE) if rows else None
        return row.finding if isinstance(row, FindingRow) else None

    def _show(self, findings: list[ConflictFinding], *,
              subject: str = "") -> ConflictDialog | None:
        if self.conflict_dialog is not None:
            self.conflict_dialog.reject()
        dialog = show_conflicts(self.context, findings, self, subject=subject,
                                viewing_ref=self.case.ref if self.case else None)
        if dialog is not None:
            dialog.decided.connect(self._decided)
        self.conflict_dialog = dialog
        return dialog

    def _decided(self, findings: list[ConflictFinding]) -> None:
        if self.case is None or not self.context.is_open:
            return
        self.status.setText(f"{plural(len(findings), 'decision')} recorded in the paper trail.")
        try:
            self.load(self.case)
        except VaultError as exc:
            self.status.setText(str(exc))

    def _finding_rows(self, findings: list[ConflictFinding], ref: str) -> list[FindingRow]:
        """Rows seen from ``ref``, naming the role of a person checked on another case."""
        roles: dict[str, dict[str, str]] = {}
        rows = []
        for f in findings:
            checked_role: str | None = None
            if f.match.ref == ref and f.case_ref and f.case_ref != ref:
                if f.checked_kind == "member":
                    checked_role = "member"
                else:
                    if f.case_ref not in roles:
                        try:
                            roles[f.case_ref] = {str(p.id): p.role.value for p in
                                                 self.context.session.parties.list(f.case_ref)}
                        except VaultError:
                            roles[f.case_ref] = {}
                    checked_role = roles[f.case_ref].get(f.checked_id)
            rows.append(FindingRow(f, ref, checked_role))
        return rows
