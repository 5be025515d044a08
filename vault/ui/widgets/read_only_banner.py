"""The banner across the main window of a vault whose database is damaged (issue 11).

"This vault's database is damaged — it is open read-only. Restore from backup…" with the
button that starts the restore. It says nothing about any member; it stays until the vault
locks (a restore happens from the unlock card).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from vault.admin.messages import READ_ONLY_BANNER


class ReadOnlyBanner(QFrame):
    """Hidden until ``show()``; ``restore_requested`` when the rep presses the button."""

    restore_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.setAccessibleName("The vault is open read-only")
        self.text = QLabel(READ_ONLY_BANNER.removesuffix(" Restore from backup…")
                           + " Nothing can be changed until you restore it from a backup; "
                             "the damaged vault is kept.", self)
        self.text.setWordWrap(True)
        self.text.setAccessibleName("The vault's database is damaged")
        self.restore_button = QPushButton("Restore from backup…", self)
        self.restore_button.setAccessibleName("Restore the vault from a backup")
        self.restore_button.clicked.connect(self.restore_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.restore_button)
        self.hide()
