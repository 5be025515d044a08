"""The last line of defence: an uncaught exception locks the vault and says so, generically.

The traceback never reaches the screen or the log (it can carry member data); the log gets
the exception type only.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from types import TracebackType

from vault.ui.message_boxes import MessageBoxes

log = logging.getLogger(__name__)

CRASH_TITLE = "Casework Vault"
CRASH_TEXT = ("Something went wrong inside Casework Vault. The vault has been locked to keep "
              "your members' information safe. Unlock it to carry on; if this keeps happening, "
              "restart the app.")

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


class CrashHandler:
    """Installs itself as ``sys.excepthook``; ``uninstall`` restores the previous hook."""

    def __init__(self, lock: Callable[[], None], message_boxes: MessageBoxes) -> None:
        self._lock = lock
        self._message_boxes = message_boxes
        self._previous: ExceptHook | None = None
        self._handling = False
        self.crashes = 0

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self.handle

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook = self._previous
            self._previous = None

    def handle(self, exc_type: type[BaseException], exc: BaseException,
               tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        self.crashes += 1
        log.error("uncaught exception: %s", exc_type.__name__)
        if self._handling:  # an error while handling an error: do not loop
            return
        self._handling = True
        try:
            try:
                self._lock()
            except Exception as lock_exc:
                log.error("locking after a crash failed: %s", type(lock_exc).__name__)
            self._message_boxes.error(None, CRASH_TITLE, CRASH_TEXT)
        finally:
            self._handling = False
