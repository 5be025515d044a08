"""The paper trail of one case as a timeline: number, when, kind, summary and status.

Rows are ``TrailRow``s made by ``build_trail_rows`` from ``TrailLogService.entries`` and
``FollowUpService.for_case``. The timeline is newest first, and each correction sits directly
under the entry it corrects, so the pair reads together: the superseded version is greyed and
struck through ("Corrected by #12"), the correction says what it corrects. Oral advice carries
its written follow-up (owed by a date, overdue, sent, waived); an overdue follow-up is
highlighted. The rep may sort on any column (the model sorts, a correction still sits under
what it corrects); ``TrailFilterProxy`` keeps the rows of some kinds only (the filter combo)
and hands sorting down to the model.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from vault.casework.followups import FollowUp, FollowUpState
from vault.casework.trail_log import LogEntry
from vault.domain import EntryKind, format_uk_date
from vault.ui.models.moments import format_moment, moment_sort_key, plural
from vault.ui.models.row_table_model import ROW_ROLE, AnyIndex, RowTableModel, SortKey

OVERDUE_BACKGROUND = QColor(192, 57, 43, 46)
OWED_BACKGROUND = QColor(230, 160, 40, 40)
CORRECTION_MARK = "↳ "


@dataclass(frozen=True)
class TrailRow:
    """One entry placed in the timeline.

    ``is_correction`` is true for an entry that corrects an earlier one (shown under it);
    ``followup`` is the written follow-up of oral advice, on the current version only;
    ``root`` is the entry a chain of corrections started from (None: the entry itself).
    """

    entry: LogEntry
    is_correction: bool
    followup: FollowUp | None
    root: int | None = None

    @property
    def group(self) -> int:
        """The entry this row reads with: its own number, or that of what it corrects."""
        return self.root if self.root is not None else self.entry.seq

    @property
    def seq(self) -> int:
        return self.entry.seq

    @property
    def superseded(self) -> bool:
        return self.entry.corrected_by is not None

    @property
    def overdue(self) -> bool:
        return self.followup is not None and self.followup.overdue

    @property
    def owed(self) -> bool:
        return self.followup is not None and self.followup.state is FollowUpState.OWED


def _root(entry: LogEntry, by_seq: dict[int, LogEntry]) -> int:
    current = entry
    seen = {entry.seq}
    while current.corrects is not None and current.corrects in by_seq \
            and current.corrects not in seen:
        seen.add(current.corrects)
        current = by_seq[current.corrects]
    return current.seq


def build_trail_rows(entries: Iterable[LogEntry],
                     followups: Iterable[FollowUp] = ()) -> list[TrailRow]:
    """The timeline: newest first by original entry, each correction under what it corrects."""
    ordered = sorted(entries, key=lambda e: e.seq)
    by_seq = {e.seq: e for e in ordered}
    follow = {f.advice_seq: f for f in followups}
    groups: dict[int, list[LogEntry]] = {}
    for entry in ordered:
        groups.setdefault(_root(entry, by_seq), []).append(entry)
    rows: list[TrailRow] = []
    for root in sorted(groups, reverse=True):
        for entry in groups[root]:
            followup = None
            if entry.kind == EntryKind.ORAL_ADVICE.value and entry.is_current:
                followup = follow.get(root)
            rows.append(TrailRow(entry, entry.seq != root, followup, root))
    return rows


def followup_text(f: FollowUp) -> str:
    """The state of a written follow-up in a few words ("Written follow-up owed by 25 Nov")."""
    if f.state is FollowUpState.DISCHARGED:
        return (f"Followed up in writing (#{f.discharged_by})" if f.discharged_by
                else "Followed up in writing")
    if f.state is FollowUpState.WAIVED:
        return "Written follow-up waived"
    if f.overdue:
        return (f"Written follow-up OVERDUE by {plural(f.days_overdue, 'day')} "
                f"(was due {format_uk_date(f.due)})")
    return f"Written follow-up owed by {format_uk_date(f.due)}"


def status_text(row: TrailRow) -> str:
    """Everything the timeline says about an entry beyond its summary."""
    e = row.entry
    parts: list[str] = []
    if e.erased:
        parts.append("Erased with the case")
    if e.corrected_by is not None:
        parts.append(f"Corrected by #{e.corrected_by}")
    if e.corrects is not None:
        parts.append(f"Correction of #{e.corrects}")
    if row.followup is not None:
        parts.append(followup_text(row.followup))
    if e.follows_up is not None:
        parts.append(f"Written follow-up of #{e.follows_up}")
    if e.not_followed:
        parts.append("Member chose not to follow this advice")
    if e.off_record:
        parts.append("Off the record")
    return " · ".join(parts)


class TrailTableModel(RowTableModel[TrailRow]):
    SEQ, WHEN, KIND, SUMMARY, STATUS = range(5)
    HEADERS = ("#", "When", "Kind", "Summary", "Status")

    def key(self, row: TrailRow) -> Hashable:
        return row.seq

    def display(self, row: TrailRow, column: int) -> str:
        e = row.entry
        if column == self.SEQ:
            return str(e.seq)
        if column == self.WHEN:
            return format_moment(e.occurred)
        if column == self.KIND:
            return e.label
        if column == self.SUMMARY:
            text = e.summary if not e.erased else "(erased)"
            return (CORRECTION_MARK + text) if row.is_correction else text
        if column == self.STATUS:
            return status_text(row)
        return ""

    def sort_value(self, row: TrailRow, column: int) -> Any:
        if column == self.SEQ:
            return row.seq
        if column == self.WHEN:
            return moment_sort_key(row.entry.occurred)
        return self.display(row, column).casefold()

    def order_rows(self, rows: list[TrailRow], column: int,
                   order: Qt.SortOrder) -> list[TrailRow]:
        """Entries sorted on ``column`` by the entry each group started from; within a group
        the original comes first and its corrections follow in order, whichever direction."""
        groups: dict[int, list[TrailRow]] = {}
        for row in rows:
            groups.setdefault(row.group, []).append(row)

        def head(group: list[TrailRow]) -> TrailRow:
            return next((r for r in group if r.seq == r.group), group[0])

        ordered = sorted(groups.values(), key=lambda g: SortKey(self.sort_value(head(g), column)),
                         reverse=order == Qt.SortOrder.DescendingOrder)
        return [row for group in ordered for row in sorted(group, key=lambda r: r.seq)]

    def tooltip(self, row: TrailRow, column: int) -> str | None:
        if column == self.SUMMARY:
            return row.entry.summary or None
        if column == self.STATUS:
            return status_text(row) or None
        if column == self.WHEN:
            return f"Written {format_moment(row.entry.ts)}"
        return None

    def accessible_text(self, row: TrailRow, column: int) -> str | None:
        text = self.display(row, column)
        if column == self.SUMMARY and row.is_correction:
            text = "Correction: " + row.entry.summary
        if column == self.SUMMARY and row.superseded:
            return f"{text} (superseded)"
        return text

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.FontRole,
                    Qt.ItemDataRole.BackgroundRole) and index.isValid():
            row = self.row_at(index.row())
            if row is None:
                return None
            if role == Qt.ItemDataRole.BackgroundRole:
                if row.overdue:
                    return OVERDUE_BACKGROUND
                return OWED_BACKGROUND if row.owed else None
            if role == Qt.ItemDataRole.ForegroundRole:
                if row.superseded:
                    return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
                return None
            font = QFont()
            if row.superseded:
                font.setStrikeOut(True)
                return font
            if row.overdue:
                font.setBold(True)
                return font
            return None
        return super().data(index, role)


class TrailFilterProxy(QSortFilterProxyModel):
    """Keeps the rows whose kind is in ``kinds`` (None: every row); sorting is the model's."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kinds: frozenset[str] | None = None

    @property
    def kinds(self) -> frozenset[str] | None:
        return self._kinds

    def set_kinds(self, kinds: Sequence[str] | None) -> None:
        self.beginFilterChange()
        self._kinds = frozenset(kinds) if kinds is not None else None
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, TrailTableModel):
            source.sort(column, order)  # keeps corrections under what they correct
            return
        super().sort(column, order)

    def filterAcceptsRow(self, source_row: int,
                         source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        if self._kinds is None:
            return True
        model = self.sourceModel()
        row = model.data(model.index(source_row, 0, source_parent), ROW_ROLE)
        return isinstance(row, TrailRow) and row.entry.kind in self._kinds
