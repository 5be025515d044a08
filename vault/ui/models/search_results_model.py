"""Search results as a two-level tree: one row per case (reference, title, member), under it
one row per place the words were found (member, case, party, first meeting, trail entry).

Built from ``SearchService.search`` groups. Each row carries a ``SearchTarget`` (``TARGET_ROLE``)
saying where activating it leads: the case at the tab that shows the hit (a trail hit also
selects its entry), or the member when they have no case yet. ``clear`` empties it (on lock).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel

from vault.casework.search import SearchGroup, SearchHit, SearchSource

TARGET_ROLE = int(Qt.ItemDataRole.UserRole) + 10

OVERVIEW_TAB = "overview"
FIRST_MEETING_TAB = "first-meeting"
PAPER_TRAIL_TAB = "paper-trail"
PARTIES_TAB = "parties"

_SOURCE_TABS = {
    SearchSource.MEMBER: OVERVIEW_TAB,
    SearchSource.CASE: OVERVIEW_TAB,
    SearchSource.PARTY: PARTIES_TAB,
    SearchSource.MEETING: FIRST_MEETING_TAB,
    SearchSource.ISSUE: FIRST_MEETING_TAB,
    SearchSource.ACTION: FIRST_MEETING_TAB,
    SearchSource.TRAIL: PAPER_TRAIL_TAB,
}
_SOURCE_NAMES = {
    SearchSource.MEMBER: "Member",
    SearchSource.CASE: "Case",
    SearchSource.PARTY: "Party",
    SearchSource.MEETING: "First meeting",
    SearchSource.ISSUE: "Issue",
    SearchSource.ACTION: "Action point",
    SearchSource.TRAIL: "Paper trail",
}


@dataclass(frozen=True)
class SearchTarget:
    """Where a result leads: ``ref`` at ``tab`` (and trail entry ``seq``), or ``member_id``."""

    ref: str | None
    tab: str | None
    member_id: str | None = None
    seq: int | None = None


def hit_text(hit: SearchHit) -> str:
    """"Paper trail · Oral advice #12: …the «rota» change…"."""
    where = _SOURCE_NAMES.get(hit.source, hit.source.value)
    label = hit.label.replace("-", " ").strip()
    if hit.source is SearchSource.TRAIL:
        where += f" · {label.capitalize()} #{hit.source_id}" if label else f" #{hit.source_id}"
    elif label and hit.source in (SearchSource.PARTY, SearchSource.CASE):
        where += f" · {label}"
    return f"{where}: {' '.join(hit.snippet.split())}"


def group_text(group: SearchGroup) -> str:
    if group.ref is None:
        return f"{group.member_name or 'Member'} (member with no case yet)"
    status = f" ({group.status})" if group.status and group.status != "open" else ""
    who = f" — {group.member_name}" if group.member_name else ""
    return f"{group.ref} · {group.title or ''}{who}{status}"


def target_of(group: SearchGroup, hit: SearchHit | None) -> SearchTarget:
    if group.ref is None:
        return SearchTarget(None, None, member_id=group.member_id)
    if hit is None:
        return SearchTarget(group.ref, OVERVIEW_TAB)
    seq = int(hit.source_id) if hit.source is SearchSource.TRAIL \
        and hit.source_id.isdigit() else None
    return SearchTarget(group.ref, _SOURCE_TABS.get(hit.source, OVERVIEW_TAB), seq=seq)


class SearchResultsModel(QStandardItemModel):
    """The tree of one search's results (read-only)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["Result"])
        self.hit_count = 0

    def set_groups(self, groups: list[SearchGroup]) -> None:
        self.clear()
        root = self.invisibleRootItem()
        bold = QFont()
        bold.setBold(True)
        for group in groups:
            top = QStandardItem(group_text(group))
            top.setEditable(False)
            top.setFont(bold)
            top.setData(target_of(group, None), TARGET_ROLE)
            top.setData(f"Case {group_text(group)}, {len(group.hits)} matches",
                        Qt.ItemDataRole.AccessibleTextRole)
            for hit in group.hits:
                child = QStandardItem(hit_text(hit))
                child.setEditable(False)
                child.setToolTip(hit_text(hit))
                child.setData(target_of(group, hit), TARGET_ROLE)
                top.appendRow(child)
                self.hit_count += 1
            root.appendRow(top)

    def clear(self) -> None:
        super().clear()
        self.setHorizontalHeaderLabels(["Result"])
        self.hit_count = 0

    def target(self, index: QModelIndex | QPersistentModelIndex) -> SearchTarget | None:
        value = index.data(TARGET_ROLE) if index.isValid() else None
        return value if isinstance(value, SearchTarget) else None
