"""Closed and destroyed cases on the Retention page: reference, category, closed, retention
date, rule, hold and status. Rows are ``RetentionRow`` records from ``RetentionService.rows``
(no member names or titles ever reach this model)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from vault.domain import format_uk_date
from vault.retention.policy import RetentionStatus
from vault.retention.views import RetentionRow
from vault.ui.models.row_table_model import RowTableModel

_STATUS_ORDER = {RetentionStatus.OVERDUE: 0, RetentionStatus.DUE: 1, RetentionStatus.HELD: 2,
                 RetentionStatus.KEPT: 3, RetentionStatus.DESTROYED: 4}


class RetentionTableModel(RowTableModel[RetentionRow]):
    REF, CATEGORY, CLOSED, RETAIN_UNTIL, RULE, HOLD, STATUS = range(7)
    HEADERS = ("Reference", "Category", "Closed", "Retention date", "Rule applied", "Hold",
               "Status")

    def key(self, row: RetentionRow) -> Hashable:
        return row.ref

    def display(self, row: RetentionRow, column: int) -> str:
        if column == self.REF:
            return row.ref
        if column == self.CATEGORY:
            return row.category
        if column == self.CLOSED:
            return format_uk_date(row.closed)
        if column == self.RETAIN_UNTIL:
            return format_uk_date(row.retain_until)
        if column == self.RULE:
            return row.rule
        if column == self.HOLD:
            return "On hold" if row.held else ""
        if column == self.STATUS:
            if row.status is RetentionStatus.DESTROYED and row.destroyed:
                return f"Destroyed {format_uk_date(row.destroyed)}"
            return row.status.label
        return ""

    def sort_value(self, row: RetentionRow, column: int) -> Any:
        if column == self.CLOSED:
            return row.closed.toordinal() if row.closed else 0
        if column == self.RETAIN_UNTIL:
            return row.retain_until.toordinal() if row.retain_until else 0
        if column == self.STATUS:
            return _STATUS_ORDER[row.status]
        return self.display(row, column).casefold()

    def tooltip(self, row: RetentionRow, column: int) -> str | None:
        if column == self.HOLD and row.held:
            return "A legal hold: never due while held. Release it when the matter ends."
        if column == self.STATUS and row.certificate_id:
            return f"Destruction certificate {row.certificate_id}"
        return None
