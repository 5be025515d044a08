"""The parties of one case (name, role, union member, added) and the possible conflicts that
involve it (who, which other case and role there, why they matched, the rep's decision).

Rows are ``Party`` records from ``PartyService.list`` and ``FindingRow``s wrapping
``ConflictFinding``s from ``ConflictService.findings`` seen from the case shown.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from vault.casework.conflict_matcher import MatchReason, match_wording
from vault.casework.conflicts import ConflictDecision, ConflictFinding, role_label
from vault.casework.parties import Party, UnionMembership
from vault.domain import format_uk_date
from vault.ui.models.row_table_model import AnyIndex, RowTableModel
from vault.ui.models.trail_table_model import OWED_BACKGROUND

MEMBERSHIP_LABELS = {
    UnionMembership.YES: "Yes",
    UnionMembership.NO: "No",
    UnionMembership.UNKNOWN: "Unknown",
}
DECISION_LABELS = {
    ConflictDecision.PROCEED: "Proceed",
    ConflictDecision.STEP_ASIDE: "Step aside",
    ConflictDecision.REFER: "Refer to another rep",
}


def role_text(role: str) -> str:
    """"Member" or the party role ("Subject of the complaint"), capitalised."""
    text = role_label(role)
    return text[:1].upper() + text[1:]


def reason_text(reason: MatchReason, score: int) -> str:
    """The match in plain words ("same name", "very similar name"), never a score."""
    return match_wording(reason, score)


def decision_text(finding: ConflictFinding) -> str:
    if finding.decision is None:
        return "Decision needed"
    text = DECISION_LABELS[finding.decision]
    if finding.decided is not None:
        text += f" ({format_uk_date(finding.decided.astimezone())})"
    return text


class PartyTableModel(RowTableModel[Party]):
    NAME, ROLE, UNION, ADDED = range(4)
    HEADERS = ("Name", "Role", "Union member", "Added")

    def key(self, row: Party) -> Hashable:
        return row.id

    def display(self, row: Party, column: int) -> str:
        if column == self.NAME:
            return row.name
        if column == self.ROLE:
            return role_text(row.role.value)
        if column == self.UNION:
            return MEMBERSHIP_LABELS.get(row.union_member, row.union_member.value)
        if column == self.ADDED:
            return format_uk_date(row.added.astimezone())
        return ""

    def sort_value(self, row: Party, column: int) -> Any:
        if column == self.ADDED:
            return row.added.timestamp()
        return self.display(row, column).casefold()


@dataclass(frozen=True)
class FindingRow:
    """A finding as seen from case ``ref``: the person on the other side and their case."""

    finding: ConflictFinding
    ref: str
    # Seen from the matched case: the role the person checked has in their own case (a party's
    # role, or "member"), when known.
    checked_role: str | None = None

    @property
    def other_ref(self) -> str | None:
        f = self.finding
        if f.match.ref == self.ref and f.case_ref is not None:
            return f.case_ref  # this case's person was matched by a check run on another case
        return f.match.ref


class ConflictFindingTableModel(RowTableModel[FindingRow]):
    WHO, OTHER_CASE, ROLE, REASON, DECISION = range(5)
    HEADERS = ("May be", "Other case", "Their role in that case", "How alike", "Decision")

    def key(self, row: FindingRow) -> Hashable:
        return row.finding.id

    def display(self, row: FindingRow, column: int) -> str:
        f = row.finding
        if column == self.WHO:
            return f.match.name
        if column == self.OTHER_CASE:
            return row.other_ref or "No case yet"
        if column == self.ROLE:
            if row.other_ref != f.match.ref:
                # Seen from the matched case: the person checked was in the other case.
                if row.checked_role:
                    return role_text(row.checked_role)
                return "Party" if f.checked_kind == "party" else "Member"
            return role_text(f.match.role)
        if column == self.REASON:
            return reason_text(f.match.reason, f.match.score).capitalize()
        if column == self.DECISION:
            return decision_text(f)
        return ""

    def tooltip(self, row: FindingRow, column: int) -> str | None:
        if column == self.DECISION and row.finding.decision_reason:
            return row.finding.decision_reason
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.FontRole) \
                and index.isValid():
            row = self.row_at(index.row())
            if row is None or not row.finding.pending:
                return None
            if role == Qt.ItemDataRole.BackgroundRole:
                return OWED_BACKGROUND
            font = QFont()
            font.setBold(index.column() == self.DECISION)
            return font
        return super().data(index, role)
