"""Clipboard copies that password managers and clipboard histories are asked to ignore.

Each copy carries the "sensitive" hints of DESIGN.md §6 (KDE, Windows, macOS) and is cleared
after a countdown — but only if the clipboard still holds what we put there (the keepassxc
``Clipboard`` pattern) — and on lock and quit.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QByteArray, QMimeData, QObject, QTimer, Slot
from PySide6.QtGui import QClipboard

log = logging.getLogger(__name__)

KDE_HINT = "x-kde-passwordManagerHint"
WINDOWS_HINT = "ExcludeClipboardContentFromMonitorProcessing"
MACOS_HINT = "application/x-nspasteboard-concealed-type"
SENSITIVE_HINTS = (KDE_HINT, WINDOWS_HINT, MACOS_HINT)


def sensitive_mime_data(text: str) -> QMimeData:
    """Plain text plus every platform's "do not record this" hint."""
    mime = QMimeData()
    mime.setText(text)
    mime.setData(KDE_HINT, QByteArray(b"secret"))
    mime.setData(MACOS_HINT, QByteArray(b""))
    mime.setData(WINDOWS_HINT, QByteArray(b"1"))
    if sys.platform == "win32":
        # Qt maps raw Windows clipboard format names through this mime wrapper.
        mime.setData(f'application/x-qt-windows-mime;value="{WINDOWS_HINT}"', QByteArray(b"1"))
    return mime


class SensitiveClipboard(QObject):
    """Copies text with sensitive hints and clears it again if it is still ours."""

    def __init__(self, clipboard: QClipboard, clear_after_ms: int = 30_000,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clipboard = clipboard
        self.clear_after_ms = clear_after_ms
        self._ours: str | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.clear_if_ours)

    @property
    def holds_ours(self) -> bool:
        return self._ours is not None and self._clipboard.text() == self._ours

    def copy(self, text: str, *, clear_after_ms: int | None = None) -> None:
        self._clipboard.setMimeData(sensitive_mime_data(text))
        self._ours = text
        self._timer.start(clear_after_ms if clear_after_ms is not None else self.clear_after_ms)

    def remaining_ms(self) -> int:
        return self._timer.remainingTime() if self._timer.isActive() else 0

    @Slot()
    def clear_if_ours(self) -> None:
        """Empty the clipboard when it still holds our copy; leave the rep's own copies alone."""
        self._timer.stop()
        if self.holds_ours:
            self._clipboard.clear()
            log.info("clipboard cleared")
        self._ours = None
