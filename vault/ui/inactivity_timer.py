"""Auto-lock: an app-wide event filter that restarts a single-shot timer on every input.

When no key, mouse or wheel input reaches any window of the app for the timeout, the timer
fires ``inactive`` and the controller locks (the keepassxc ``InactivityTimer`` pattern).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal

log = logging.getLogger(__name__)

_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick, QEvent.Type.MouseMove,
    QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TouchUpdate,
    QEvent.Type.TabletPress, QEvent.Type.Shortcut,
})


class InactivityTimer(QObject):
    """Emits ``inactive`` after ``timeout_ms`` without user input while started."""

    inactive = Signal()

    def __init__(self, app: QCoreApplication, timeout_ms: int,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._app = app
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)  # the countdown is shown to the rep
        self._timer.setInterval(timeout_ms)
        self._timer.timeout.connect(self._fire)
        self._installed = False

    @property
    def timeout_ms(self) -> int:
        return int(self._timer.interval())

    @property
    def is_running(self) -> bool:
        return bool(self._timer.isActive())

    def set_timeout_ms(self, ms: int) -> None:
        """Change the timeout; a running countdown restarts with the new value."""
        self._timer.setInterval(max(1, int(ms)))
        if self._timer.isActive():
            self._timer.start()

    def start(self) -> None:
        if not self._installed:
            self._app.installEventFilter(self)
            self._installed = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        if self._installed:
            self._app.removeEventFilter(self)
            self._installed = False

    def remaining_ms(self) -> int:
        """Milliseconds until auto-lock, or 0 when stopped."""
        return int(self._timer.remainingTime()) if self._timer.isActive() else 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self._timer.isActive():
            self._timer.start()
        return False

    def _fire(self) -> None:
        log.info("no input for %d ms; auto-lock", self._timer.interval())
        self.stop()
        self.inactive.emit()
