"""The "Open with…" seam: hand a decrypted copy to the desktop's default program.

``ExternalOpener.open`` asks ``QDesktopServices.openUrl`` to open a local file with whatever
program the desktop associates with its type. Tests queue the outcome with
``set_next_result`` and read ``opened`` instead of launching a real program (the same pattern
as ``FileDialogs``). The warning shown before it and the private folder are described here so
the tab, the help page and the screenshots say the same thing.
"""

from __future__ import annotations

import logging
from collections import deque
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

log = logging.getLogger(__name__)

OPEN_WITH_TITLE = "Open in another program?"
OPEN_WITH_TEXT = ("The vault will decrypt a copy into a private folder that only your account "
                  "can read, and open it with your computer's default program for this kind "
                  "of file.")
OPEN_WITH_DETAIL = ("That program may keep its own copies — recent files, autosave, previews — "
                    "which the vault cannot remove. The copy is deleted when the vault locks or "
                    "closes, and the opening is recorded in the case's paper trail as a copy "
                    "outside the vault.")


class ExternalOpener:
    """Opens files with the desktop's default program; one instance per app."""

    def __init__(self) -> None:
        self._next: deque[bool] = deque()
        self.opened: list[Path] = []

    def set_next_result(self, launched: bool) -> None:
        """The next ``open`` reports ``launched`` without starting any program."""
        self._next.append(launched)

    def open(self, path: Path) -> bool:
        """True when the desktop accepted to open ``path`` with its default program."""
        self.opened.append(Path(path))
        if self._next:
            return self._next.popleft()
        launched = bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
        log.info("opened a decrypted copy in another program: %s", "yes" if launched else "no")
        return launched
