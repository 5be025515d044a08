"""The base class of every main-window page.

A page is built by its factory when the vault unlocks and destroyed when it locks. Subclasses
load data in ``refresh`` and empty every model and view in ``clear`` (called on lock before the
page is deleted, so nothing of a member outlives the session even for a moment).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from vault.ui.page_context import PageContext


class VaultPage(QWidget):
    """A page in the main window's stack."""

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def refresh(self) -> None:
        """Reload from the services. Called when shown and after ``events.changed``."""

    def clear(self) -> None:
        """Empty every model and view (the vault is locking)."""

    def apply_search(self, text: str) -> bool:
        """Show matches for the toolbar search; False when this page does not search."""
        return False
