"""The base class of every case-page tab (Overview, Documents, and later First meeting,
Paper trail, Parties).

A tab is built once per unlock by its factory; the case page calls ``load(case)`` whenever it
shows a case (and again after ``events.changed``) and ``clear()`` on lock. A tab may emit
``badge_changed`` with a short text ("1 owed") that the case page shows in the tab title.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from vault.domain import Case
from vault.ui.page_context import PageContext


class CaseTab(QWidget):
    """One tab of the case page."""

    badge_changed = Signal(str)  # "" for no badge

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.case: Case | None = None

    def load(self, case: Case) -> None:
        """Show ``case`` (subclasses call super first, then fill their views)."""
        self.case = case

    def clear(self) -> None:
        """Forget the case and empty every view (lock, or another case is about to load)."""
        self.case = None

    def show_entry(self, seq: int) -> bool:
        """Select and show paper-trail entry ``seq``, if this tab lists entries; False if not."""
        return False
