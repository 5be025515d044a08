"""The Search page: everything matching the toolbar search, grouped by case.

Pressing Enter in the toolbar search box (Ctrl+F) runs ``SearchService.search`` over members,
cases, parties, first-meeting text and paper-trail entries and shows this page; typing while
it is shown searches again. Results are a tree: one row per case (reference, title, member),
under it each place the words were found, with the matched words in bold. Activating a row
(Enter or double-click) opens the case at the tab that shows it (a trail hit also selects its
entry), or the member when they have no case yet. Arrow keys move through the results.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTreeView, QVBoxLayout, QWidget

from vault.errors import VaultError
from vault.ui.models.moments import plural
from vault.ui.models.search_results_model import PAPER_TRAIL_TAB, SearchResultsModel
from vault.ui.page_context import PageContext
from vault.ui.pages.vault_page import VaultPage
from vault.ui.widgets.highlight_delegate import HighlightDelegate
from vault.ui.widgets.page_header import PageHeader

log = logging.getLogger(__name__)

HINT_TEXT = ("Type in the search box at the top (Ctrl+F) and press Enter to search members, "
             "cases, parties, first meetings and the paper trail.")


class SearchResultsPage(VaultPage):
    """Emits ``searched(query)`` after each search (a test hook)."""

    searched = Signal(str)

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.query = ""
        self.header = PageHeader("Search", HINT_TEXT, self)
        self.model = SearchResultsModel(self)
        self.tree = QTreeView(self)
        self.tree.setAccessibleName("Search results")
        self.tree.header().setAccessibleName("Search results header")
        self.tree.setHeaderHidden(True)
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.setItemDelegate(HighlightDelegate(self.tree))
        self.tree.setAlternatingRowColors(True)
        self.tree.activated.connect(self.open_result)
        self.tree.doubleClicked.connect(self.open_result)
        self.message = QLabel(self)
        self.message.setObjectName("hintText")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Search status")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(self.header)
        layout.addWidget(self.message)
        layout.addWidget(self.tree, 1)

    def run(self, text: str) -> int:
        """Search for ``text``; returns how many cases (groups) were found."""
        self.query = text
        if not self.context.is_open:
            return 0
        if not text.strip():
            self.model.clear()
            self.header.set_title("Search")
            self.header.set_subtitle(HINT_TEXT)
            self.message.clear()
            self.searched.emit(text)
            return 0
        try:
            groups = self.context.session.search.search(text)
        except VaultError as exc:  # e.g. nothing searchable typed: "Type at least one word…"
            self.model.clear()
            self.message.setText(str(exc))
            self.searched.emit(text)
            return 0
        self.model.set_groups(groups)
        self.tree.expandAll()
        self.header.set_title(f"Search: “{text.strip()}”")
        self.header.set_subtitle("Choose a result (Enter or double-click) to open it.")
        if groups:
            self.message.setText(f"{plural(self.model.hit_count, 'match', 'matches')} in "
                                 f"{plural(len(groups), 'case')}.")
            self.tree.setCurrentIndex(self.model.index(0, 0))
        else:
            self.message.setText("Nothing matches. Words match whole or as the start of a "
                                 "word; try fewer words.")
        self.searched.emit(text)
        return len(groups)

    def refresh(self) -> None:
        if self.query:
            self.run(self.query)

    def apply_search(self, text: str) -> bool:
        self.run(text)
        return True

    def focus_results(self) -> None:
        if self.model.rowCount() > 0:
            self.tree.setFocus()

    def clear(self) -> None:
        self.query = ""
        self.model.clear()
        self.message.clear()
        self.header.set_title("Search")
        self.header.set_subtitle(HINT_TEXT)

    def open_result(self, index: QModelIndex) -> None:
        target = self.model.target(index)
        if target is None or not self.context.is_open:
            return
        navigator = self.context.navigator
        if target.ref is None:
            if target.member_id:
                navigator.open_member(target.member_id)
            return
        entry = target.seq if target.tab == PAPER_TRAIL_TAB else None
        navigator.open_case(target.ref, target.tab, entry)
