"""One item of a Home card, made to look and act like the link it is.

A command-link button with a chevron, a pointing-hand cursor, a hover and a pressed look and a
visible focus ring (``#homeItem`` in the stylesheet, palette colours only, so light and dark
both read). It takes the focus by Tab and by click, and Enter or Return opens it as Space does
(a plain push button outside a dialog ignores Enter).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QCommandLinkButton, QWidget

from vault.ui import theme

ACTIVATE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class HomeItemButton(QCommandLinkButton):
    def __init__(self, text: str, description: str, parent: QWidget | None = None) -> None:
        super().__init__(text, description, parent)
        self.setObjectName("homeItem")
        self.setIcon(theme.icon("open", 18))
        self.setIconSize(QSize(18, 18))
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAutoDefault(False)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in ACTIVATE_KEYS and not event.isAutoRepeat():
            self.animateClick()
            event.accept()
            return
        super().keyPressEvent(event)
