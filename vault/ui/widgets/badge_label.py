"""A small rounded badge (e.g. "Work email?") with a tooltip carrying the full warning."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


class BadgeLabel(QLabel):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("badge")
        self.setAccessibleName(text or "Badge")

    def show_badge(self, text: str, tooltip: str = "") -> None:
        self.setText(text)
        self.setToolTip(tooltip)
        self.setAccessibleName(text)
        self.setAccessibleDescription(tooltip)
        self.show()
