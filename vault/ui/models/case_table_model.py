"""The cases table: reference, member, title, category, status, opened, last activity, flags.
Rows are ``CaseSummary`` records from ``CaseService.list``."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from vault.casework.cases import CaseSummary
from vault.domain import CaseFlags, format_uk_date
from vault.ui.models.row_table_model import RowTableModel

FLAG_LABELS = (
    ("dismissal_threatened", "Dismissal threatened"),
    ("discrimination_alleged", "Discrimination alleged"),
    ("legal_action_contemplated", "Legal action contemplated"),
)
_FLAG_SHORT = {
    "dismissal_threatened": "Dismissal",
    "discrimination_alleged": "Discrimination",
    "legal_action_contemplated": "Legal action",
}


def flag_names(flags: CaseFlags, *, short: bool = False) -> list[str]:
    return [(_FLAG_SHORT[attr] if short else label) for attr, label in FLAG_LABELS
            if getattr(flags, attr)]


class CaseTableModel(RowTableModel[CaseSummary]):
    REF, MEMBER, TITLE, CATEGORY, STATUS, OPENED, LAST_ACTIVITY, FLAGS = range(8)
    HEADERS = ("Reference", "Member", "Title", "Category", "Status", "Opened", "Last activity",
               "Flags")

    def key(self, row: CaseSummary) -> Hashable:
        return row.case.id

    def display(self, row: CaseSummary, column: int) -> str:
        c = row.case
        if column == self.REF:
            return c.ref
        if column == self.MEMBER:
            return row.member_name
        if column == self.TITLE:
            return c.title
        if column == self.CATEGORY:
            return c.category.label
        if column == self.STATUS:
            return c.status.value.capitalize()
        if column == self.OPENED:
            return format_uk_date(c.opened)
        if column == self.LAST_ACTIVITY:
            return format_uk_date(c.last_activity.astimezone())
        if column == self.FLAGS:
            return ", ".join(flag_names(c.flags, short=True))
        return ""

    def sort_value(self, row: CaseSummary, column: int) -> Any:
        c = row.case
        if column == self.OPENED:
            return c.opened.toordinal()
        if column == self.LAST_ACTIVITY:
            return c.last_activity.timestamp()
        if column == self.REF:
            return c.ref
        if column == self.FLAGS:
            return len(flag_names(c.flags))
        return self.display(row, column).casefold()

    def tooltip(self, row: CaseSummary, column: int) -> str | None:
        if column == self.FLAGS:
            names = flag_names(row.case.flags)
            return "; ".join(names) if names else None
        if column == self.TITLE:
            return row.case.title
        return None
