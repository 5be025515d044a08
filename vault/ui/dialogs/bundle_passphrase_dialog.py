"""The passphrase of a finished bundle, shown once.

The passphrase is in large selectable monospace text with a Copy button that uses the
sensitive clipboard (the "do not record" hints of DESIGN §6) and clears it after 10 seconds if
it still holds the passphrase. The advice is plain: give it by phone or text, never in the
same email; it is not stored, so once this window closes it cannot be shown again. Closing
asks nothing more — the button says what the rep is confirming.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from vault.ui.sensitive_clipboard import SensitiveClipboard

log = logging.getLogger(__name__)

CLEAR_AFTER_MS = 10_000
ADVICE = ("Give this passphrase to the recipient by another channel — read it out on the "
          "phone or send it by text message. Never put it in the same email as the bundle.")
NOT_STORED = ("It is not stored anywhere. Once you close this window it cannot be shown "
              "again; if it is lost, export the bundle again.")


class BundlePassphraseDialog(QDialog):
    """Shows ``passphrase`` once; ``copy_button`` copies it for 10 seconds."""

    def __init__(self, passphrase: str, clipboard: SensitiveClipboard, *, bundle_name: str,
                 generated: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Bundle passphrase")
        self.setAccessibleName("Bundle passphrase")
        self.setModal(True)
        self.setMinimumWidth(520)
        self._clipboard = clipboard
        self._passphrase = passphrase

        title = QLabel("The bundle is ready", self)
        title.setObjectName("sectionTitle")
        where = QLabel(f"Saved as {bundle_name}. Open it with 7-Zip, WinZip or Keka.", self)
        where.setWordWrap(True)
        self.phrase = QLabel(passphrase if generated else "(the passphrase you agreed)", self)
        self.phrase.setAccessibleName("Passphrase")
        self.phrase.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.phrase.setWordWrap(True)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), 10) * 1.35)
        mono.setWeight(QFont.Weight.DemiBold)
        self.phrase.setFont(mono)
        self.phrase.setObjectName("passphraseText")
        self.phrase.setStyleSheet("padding: 10px; border: 1px solid palette(mid);"
                                  " border-radius: 6px;")
        self.copy_button = QPushButton("Copy", self)
        self.copy_button.setAccessibleName("Copy the passphrase (cleared after 10 seconds)")
        self.copy_button.clicked.connect(self.copy)
        self.copy_button.setEnabled(generated)
        self.countdown = QLabel("", self)
        self.countdown.setObjectName("hintText")
        self.countdown.setAccessibleName("Clipboard countdown")
        advice = QLabel(ADVICE, self)
        advice.setWordWrap(True)
        advice.setAccessibleName("How to send the passphrase")
        stored = QLabel(NOT_STORED, self)
        stored.setWordWrap(True)
        stored.setObjectName("hintText")
        self.done_button = QPushButton("I have noted the passphrase", self)
        self.done_button.setAccessibleName("I have noted the passphrase")
        self.done_button.clicked.connect(self.accept)

        copy_row = QHBoxLayout()
        copy_row.addWidget(self.copy_button)
        copy_row.addWidget(self.countdown, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 18, 20, 16)
        layout.setSpacing(10)
        layout.addWidget(title)
        layout.addWidget(where)
        layout.addWidget(self.phrase)
        layout.addLayout(copy_row)
        layout.addWidget(advice)
        layout.addWidget(stored)
        layout.addLayout(buttons)
        self._ticker = QTimer(self)
        self._ticker.setInterval(500)
        self._ticker.timeout.connect(self._tick)

    def copy(self) -> None:
        self._clipboard.copy(self._passphrase, clear_after_ms=CLEAR_AFTER_MS)
        self._ticker.start()
        self._tick()

    def done(self, result: int) -> None:
        """Closing forgets the passphrase; the clipboard still clears on its own timer."""
        self._ticker.stop()
        self.phrase.clear()
        self._passphrase = ""
        super().done(result)

    def _tick(self) -> None:
        left = self._clipboard.remaining_ms()
        if left <= 0 or not self._clipboard.holds_ours:
            self.countdown.setText("The clipboard no longer holds the passphrase.")
            self._ticker.stop()
        else:
            seconds = (min(left, CLEAR_AFTER_MS) + 999) // 1000
            self.countdown.setText(f"Copied. The clipboard clears in {seconds} s.")
