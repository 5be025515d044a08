"""The members table: name, membership number, employer, email (with a work-address warning)
and open cases. Rows are ``MemberSummary`` records from ``MemberService.list``."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from vault.casework.members import MemberSummary
from vault.ui import theme
from vault.ui.models.row_table_model import RowTableModel


class MemberTableModel(RowTableModel[MemberSummary]):
    NAME, NUMBER, EMPLOYER, EMAIL, OPEN_CASES = range(5)
    HEADERS = ("Name", "Membership no.", "Employer", "Preferred email", "Open cases")

    def key(self, row: MemberSummary) -> Hashable:
        return row.member.id

    def display(self, row: MemberSummary, column: int) -> str:
        m = row.member
        if column == self.NAME:
            return m.name
        if column == self.NUMBER:
            return m.membership_number or ""
        if column == self.EMPLOYER:
            return m.employer or ""
        if column == self.EMAIL:
            return m.email or ""
        if column == self.OPEN_CASES:
            return str(row.open_cases)
        return ""

    def sort_value(self, row: MemberSummary, column: int) -> Any:
        if column == self.OPEN_CASES:
            return row.open_cases
        return self.display(row, column).casefold()

    def decoration(self, row: MemberSummary, column: int) -> Any:
        if column == self.EMAIL and row.email_warning:
            return theme.icon("warning", 16, "#d68910")
        return None

    def tooltip(self, row: MemberSummary, column: int) -> str | None:
        """The whole text of a cell that may be elided (names, emails, employers)."""
        if column == self.EMAIL and row.email_warning:
            return row.email_warning
        text = self.display(row, column)
        return text or None

    def accessible_text(self, row: MemberSummary, column: int) -> str | None:
        if column == self.EMAIL and row.email_warning:
            return f"{self.display(row, column)} (warning: looks like a work address)"
        return None
