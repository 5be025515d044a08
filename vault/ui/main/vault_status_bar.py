"""The status bar: vault location, auto-lock countdown and the paper-trail head (short)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget


def countdown_text(ms: int) -> str:
    seconds = max(0, (ms + 999) // 1000)
    return f"Locks in {seconds // 60}:{seconds % 60:02d}"


class VaultStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.location = QLabel(self)
        self.location.setAccessibleName("Vault location")
        self.countdown = QLabel(self)
        self.countdown.setAccessibleName("Auto-lock countdown")
        self.trail_head = QLabel(self)
        self.trail_head.setAccessibleName("Paper trail head")
        self.addWidget(self.location, 1)
        self.addPermanentWidget(self.trail_head)
        self.addPermanentWidget(self.countdown)

    def set_location(self, root: Path) -> None:
        self.location.setText(f"Vault: {root}")
        self.location.setToolTip(str(root))

    def set_countdown(self, remaining_ms: int) -> None:
        self.countdown.setText(countdown_text(remaining_ms) if remaining_ms > 0 else "")

    def set_trail_head(self, seq: int, mac_hex: str) -> None:
        if seq <= 0:
            self.trail_head.setText("Trail: empty")
            self.trail_head.setToolTip("")
            return
        self.trail_head.setText(f"Trail #{seq} · {mac_hex[:12]}")
        self.trail_head.setToolTip(
            f"The paper trail has {seq} entries; the last one's MAC begins {mac_hex[:32]}. "
            "Any change to an earlier entry would break the chain.")

    def clear_all(self) -> None:
        for label in (self.location, self.countdown, self.trail_head):
            label.clear()
            label.setToolTip("")
        self.clearMessage()
