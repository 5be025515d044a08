"""A quiet, link-styled push button for secondary actions in a list (Untick…, Remove…).

It stays a real ``QPushButton`` (Tab reaches it, Space and Enter press it) and shows a focus
frame, but does not weigh on a list the way a row of full buttons would.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

_STYLE = """
QPushButton {
    border: 1px solid transparent;
    border-radius: 4px;
    background: transparent;
    color: palette(link);
    padding: 1px 4px;
}
QPushButton:hover { background: palette(alternate-base); text-decoration: underline; }
QPushButton:focus { border: 1px solid palette(highlight); }
QPushButton:disabled { color: palette(placeholder-text); }
"""


class LinkButton(QPushButton):
    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setObjectName("linkButton")
        self.setStyleSheet(_STYLE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAutoDefault(False)
        self.setAccessibleName(text)
