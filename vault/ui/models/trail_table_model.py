"""The paper trail of one case as a timeline: number, when, kind, summary and status.

Rows are ``TrailRow``s made by ``build_trail_rows`` from entries and their follow-ups. The
timeline is newest first, and each correction sits directly under the entry it corrects, so the
pair reads together: the superseded version is greyed and struck through ("Corrected by #12"),
the correction says what it corrects. Oral advice carries its written follow-up (owed by a
date, overdue, sent, waived); an overdue follow-up is highlighted. The rep may sort on any
column (the model sorts, a correction still sits under what it corrects); ``TrailFilterProxy``
keeps the rows of some kinds only (the filter combo) and hands sorting down to the model.

Windows (issue 12): ``read_windows`` gives the model a ``TrailFeed`` that reads the timeline a
window of groups at a time (``TrailLogService.window``), and the model shows the first window
only; ``canFetchMore``/``fetchMore`` read the next as the rep scrolls, ``fetch_through`` reads
up to a given group at once (selecting an entry beyond the rows read). Sorting on the number
keeps the windows (the other direction starts again from the other end); sorting on another
column needs every row, so while rows are unread the model emits ``every_row_wanted`` (the tab
reads them all off the GUI thread and hands them to ``set_rows``). ``set_rows`` means "these
are all the rows" and ends the windows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette

from vault.casework.followups import FollowUp, FollowUpState
from vault.casework.trail_log import LogEntry
from vault.domain import EntryKind, format_uk_date
from vault.ui.models.moments import format_moment, moment_sort_key, plural
from vault.ui.models.row_table_model import (
    ROW_ROLE,
    AnyIndex,
    PreparedRows,
    RowTableModel,
    SortKey,
)

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


@dataclass(frozen=True)
class TrailPage:
    """One window of the timeline as rows: ``rows`` in timeline order for the direction read,
    ``roots`` the groups' roots, ``next_after`` the cursor of the next window (None: no more)."""

    rows: list[TrailRow]
    roots: list[int]
    next_after: int | None


# feed(after, oldest_first, through) -> the next window after root ``after`` (None: the first),
# or with ``through`` every group up to root ``through``.
TrailFeed = Callable[[int | None, bool, int | None], TrailPage]


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

    every_row_wanted = Signal()  # a sort needs the rows not read yet

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._feed: TrailFeed | None = None
        self._after: int | None = None  # the next window starts after this root
        self._oldest_first = False
        self._last_root: int | None = None  # the last group read so far
        self._waiting = False  # every_row_wanted emitted, set_rows not yet called

    # -- windows -------------------------------------------------------------------------------

    @property
    def complete(self) -> bool:
        """True when every row of the trail is in the model (read or given)."""
        return self._feed is None or self._after is None

    @property
    def waiting_for_every_row(self) -> bool:
        return self._waiting

    @property
    def last_root(self) -> int | None:
        """The last group shown when sorted on the number: the one read last through the
        feed, or the last row's (None: no rows, or another sort)."""
        if self._feed is not None:
            return self._last_root
        if self._rows and self._sort is not None and self._sort[0] == self.SEQ:
            return self._rows[-1].group
        return None

    @property
    def windowed(self) -> bool:
        """True while rows are read a window at a time (the sort is on the number)."""
        return self._feed is not None and self._sorted_on_number()

    def read_windows(self, feed: TrailFeed, *, through: int | None = None) -> bool:
        """Show the first window of ``feed`` (with ``through``: every group up to that root,
        to keep what a rep had scrolled to). The rows replace the current ones when the sort is
        on the number or the window is the whole trail; otherwise the model keeps its rows,
        emits ``every_row_wanted`` and returns False."""
        oldest_first = self._sort == (self.SEQ, Qt.SortOrder.AscendingOrder)
        if not self._sorted_on_number():
            oldest_first, through = False, None
        page = feed(None, oldest_first, through)
        if not self._sorted_on_number() and page.next_after is not None:
            self._feed, self._after, self._last_root = feed, page.next_after, None
            self._want_every_row()
            return False
        self._feed, self._oldest_first = feed, oldest_first
        self._after, self._last_root = page.next_after, (page.roots[-1] if page.roots
                                                          else None)
        self._waiting = False
        super().set_rows(page.rows)
        return True

    def fetch_through(self, root: int) -> None:
        """Read every group up to and including ``root`` (beyond the rows read so far)."""
        if not self.windowed or self.complete or self._feed is None:
            return
        last = self._last_root
        if last is not None and (root >= last if not self._oldest_first else root <= last):
            return  # already read
        self._append(self._feed(self._after, self._oldest_first, root))

    def _sorted_on_number(self) -> bool:
        return self._sort is None or self._sort[0] == self.SEQ

    def _want_every_row(self) -> None:
        self._waiting = True
        self.every_row_wanted.emit()

    def _append(self, page: TrailPage) -> None:
        self.fetch_all()
        self._after = page.next_after
        if page.roots:
            self._last_root = page.roots[-1]
        rows = self._ordered(page.rows)
        if not rows:
            return
        first = len(self._rows)
        self._all.extend(page.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._shown = len(self._rows)
        self.endInsertRows()

    def set_rows(self, new_rows: Sequence[TrailRow] | PreparedRows[TrailRow]) -> None:
        """Every row of the trail (no more windows to read); see ``RowTableModel.set_rows``."""
        self._feed, self._after, self._last_root, self._waiting = None, None, None, False
        super().set_rows(new_rows)

    def clear(self) -> None:
        self._feed, self._after, self._last_root, self._waiting = None, None, None, False
        super().clear()

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        if super().canFetchMore(parent):
            return True
        return not parent.isValid() and self.windowed and not self.complete

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if super().canFetchMore(parent):
            super().fetchMore(parent)
        elif self.canFetchMore(parent) and self._feed is not None:
            self._append(self._feed(self._after, self._oldest_first, None))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort the rows; with rows not read yet, a sort on the number reads windows in that
        direction, a sort on another column asks for every row (``every_row_wanted``)."""
        if not 0 <= column < len(self.HEADERS):
            return
        if self.complete:
            super().sort(column, order)
            return
        feed = self._feed
        assert feed is not None
        oldest_first = order == Qt.SortOrder.AscendingOrder
        if column != self.SEQ:
            self._sort = (column, order)
            self._want_every_row()
            return
        if oldest_first == self._oldest_first and not self._waiting:
            super().sort(column, order)
            return
        self._sort = (column, order)
        self.read_windows(feed)

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
    """Keeps the rows whose kind is in ``kinds`` (None: every row), or with ``exclude`` the
    rows whose kind is not; sorting is the model's. Rows not read yet are read as the view
    asks (``fetchMore`` goes down to the model), so the filter needs no list of the kinds."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kinds: frozenset[str] | None = None
        self._exclude = False

    @property
    def kinds(self) -> frozenset[str] | None:
        return self._kinds

    @property
    def excludes(self) -> bool:
        return self._exclude

    def set_kinds(self, kinds: Sequence[str] | None, *, exclude: bool = False) -> None:
        self.beginFilterChange()
        self._kinds = frozenset(kinds) if kinds is not None else None
        self._exclude = exclude and kinds is not None
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
        return isinstance(row, TrailRow) and (row.entry.kind in self._kinds) != self._exclude
