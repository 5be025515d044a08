"""Clipboard copies that password managers and clipboard histories are asked to ignore.

Each copy carries the "sensitive" hints of DESIGN.md §6 (KDE, Windows, macOS) plus this
process's own mark, and is cleared after a countdown — 30 s by default, 10 s for passphrases and
recovery codes (``copy_secret``) — but only if the clipboard still holds what we put there (the
keepassxc ``Clipboard`` pattern), and on lock and quit.

Copies the app makes without calling ``copy`` are caught too while ``watch()`` is on (the
controller watches from start to quit): a copy carrying our mark (the document viewer's text,
see ``sensitive_mime_data``) is adopted and gets the countdown, and a plain copy the platform
says came from this app (a line edit's Ctrl+C) is put back with the hints at once. Where the
platform cannot say who owns the clipboard (Qt's offscreen and minimal platforms, some macOS
versions) plain copies from Qt's own widgets are left as they are.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QMimeData, QObject, Qt, QTimer, Slot
from PySide6.QtGui import QClipboard

log = logging.getLogger(__name__)

KDE_HINT = "x-kde-passwordManagerHint"
WINDOWS_HINT = "ExcludeClipboardContentFromMonitorProcessing"
MACOS_HINT = "application/x-nspasteboard-concealed-type"
SENSITIVE_HINTS = (KDE_HINT, WINDOWS_HINT, MACOS_HINT)
OWN_MARK = "application/x-casevault-copy"
# Random per process: tells our copies from another password manager's hinted ones.
PROCESS_MARK = os.urandom(16).hex().encode("ascii")

DEFAULT_CLEAR_MS = 30_000
SECRET_CLEAR_MS = 10_000


def sensitive_mime_data(text: str) -> QMimeData:
    """Plain text plus every platform's "do not record this" hint and this process's mark."""
    mime = QMimeData()
    mime.setText(text)
    mime.setData(KDE_HINT, QByteArray(b"secret"))
    mime.setData(MACOS_HINT, QByteArray(b""))
    mime.setData(WINDOWS_HINT, QByteArray(b"1"))
    mime.setData(OWN_MARK, QByteArray(PROCESS_MARK))
    if sys.platform == "win32":
        # Qt maps raw Windows clipboard format names through this mime wrapper.
        mime.setData(f'application/x-qt-windows-mime;value="{WINDOWS_HINT}"', QByteArray(b"1"))
    return mime


def carries_our_mark(mime: QMimeData | None) -> bool:
    return mime is not None and mime.hasFormat(OWN_MARK) and bytes(
        mime.data(OWN_MARK).data()) == PROCESS_MARK


class SensitiveClipboard(QObject):
    """Copies text with sensitive hints and clears it again if it is still ours.

    ``owns_clipboard`` says whether the current clipboard content came from this process
    (default: ``QClipboard.ownsClipboard``); tests pass their own answer.
    """

    def __init__(self, clipboard: QClipboard, clear_after_ms: int = DEFAULT_CLEAR_MS,
                 parent: QObject | None = None, *,
                 owns_clipboard: Callable[[], bool] | None = None) -> None:
        super().__init__(parent)
        self._clipboard = clipboard
        self.clear_after_ms = clear_after_ms
        self._owns = owns_clipboard or clipboard.ownsClipboard
        self._ours: str | None = None
        self._setting = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # the rep is told the seconds
        self._timer.timeout.connect(self.clear_if_ours)
        self._watching = False

    def watch(self) -> None:
        """Start adopting copies made by our widgets (the controller calls this once)."""
        if not self._watching:
            self._clipboard.dataChanged.connect(self._changed)
            self._watching = True

    def unwatch(self) -> None:
        """Stop watching (at quit). The app-wide clipboard outlives us: the connection must
        end before this object is garbage-collected, possibly from another thread."""
        if self._watching:
            self._clipboard.dataChanged.disconnect(self._changed)
            self._watching = False

    @property
    def holds_ours(self) -> bool:
        return (self._ours is not None and self._clipboard.text() == self._ours
                and carries_our_mark(self._clipboard.mimeData()))

    def copy(self, text: str, *, clear_after_ms: int | None = None) -> None:
        """Copy ``text`` with the hints; cleared after ``clear_after_ms`` (default 30 s)."""
        self._setting = True
        try:
            self._clipboard.setMimeData(sensitive_mime_data(text))
        finally:
            self._setting = False
        self._ours = text
        self._timer.start(clear_after_ms if clear_after_ms is not None else self.clear_after_ms)

    def copy_secret(self, text: str) -> None:
        """Copy a passphrase or recovery code: cleared after 10 s at most."""
        self.copy(text, clear_after_ms=min(SECRET_CLEAR_MS, self.clear_after_ms))

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

    @Slot()
    def _changed(self) -> None:
        if self._setting:
            return
        mime = self._clipboard.mimeData()
        text = self._clipboard.text()
        if carries_our_mark(mime):
            if text and text != self._ours:  # a widget of ours copied with the hints
                self._ours = text
                self._timer.start(self.clear_after_ms)
            return
        if text and self._owns():
            self.copy(text)  # a plain copy from one of our widgets: add the hints now
