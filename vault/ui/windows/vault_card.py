"""The centred card shared by the create-vault and unlock windows: lock icon, app name, body."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from vault.ui import theme

APP_TITLE = "Casework Vault"


class VaultCard(QFrame):
    """A card with a header (icon, app name, heading); callers fill ``body``."""

    def __init__(self, heading: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.setMaximumWidth(520)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 28, 32, 28)
        outer.setSpacing(12)
        header = QHBoxLayout()
        header.setSpacing(12)
        icon = QLabel(self)
        icon.setPixmap(theme.pixmap("shield", 44))
        icon.setAccessibleName("Casework Vault lock")
        header.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        app_name = QLabel(APP_TITLE, self)
        app_name.setObjectName("hintText")
        app_name.setAccessibleName(APP_TITLE)
        self.heading = QLabel(heading, self)
        self.heading.setObjectName("cardTitle")
        self.heading.setAccessibleName(heading)
        titles.addWidget(app_name)
        titles.addWidget(self.heading)
        header.addLayout(titles, 1)
        outer.addLayout(header)
        self.body = QVBoxLayout()
        self.body.setSpacing(10)
        outer.addLayout(self.body)


def centred(card: QFrame, window: QWidget) -> None:
    """Place ``card`` in the middle of ``window`` with room around it."""
    layout = QVBoxLayout(window)
    layout.setContentsMargins(24, 24, 24, 24)
    layout.addStretch(1)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(card, 10)
    row.addStretch(1)
    layout.addLayout(row)
    layout.addStretch(1)
