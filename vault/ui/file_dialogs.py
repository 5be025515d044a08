"""The file-dialog seam: every "choose files" and "save as" of the app goes through here.

Tests queue the next choice with ``set_next_open_paths`` / ``set_next_save_path`` instead of
patching ``QFileDialog`` (the keepassxc ``FileDialog::setNextFileName`` pattern).
"""

from __future__ import annotations

import logging
from collections import deque
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

log = logging.getLogger(__name__)


class FileDialogs:
    """Asks the rep for paths; one instance per app, passed to pages."""

    def __init__(self) -> None:
        self._next_open: deque[list[Path]] = deque()
        self._next_save: deque[Path | None] = deque()
        self._next_folder: deque[Path | None] = deque()

    def set_next_folder(self, path: Path | None) -> None:
        """The next ``choose_folder`` returns ``path`` without a dialog (None = cancelled)."""
        self._next_folder.append(Path(path) if path is not None else None)

    def choose_folder(self, parent: QWidget | None, title: str,
                      start: Path | None = None) -> Path | None:
        """A folder the rep picked, or None when they cancelled."""
        if self._next_folder:
            return self._next_folder.popleft()
        name = QFileDialog.getExistingDirectory(parent, title, str(start or Path.home()))
        return Path(name) if name else None

    def set_next_open_paths(self, paths: list[Path]) -> None:
        """The next ``open_files`` returns ``paths`` without a dialog (empty = cancelled)."""
        self._next_open.append([Path(p) for p in paths])

    def set_next_save_path(self, path: Path | None) -> None:
        """The next ``save_file`` returns ``path`` without a dialog (None = cancelled)."""
        self._next_save.append(Path(path) if path is not None else None)

    def open_files(self, parent: QWidget | None, title: str,
                   name_filter: str = "All files (*)") -> list[Path]:
        """Files the rep picked; an empty list when they cancelled."""
        if self._next_open:
            return self._next_open.popleft()
        names, _ = QFileDialog.getOpenFileNames(parent, title, str(Path.home()), name_filter)
        return [Path(n) for n in names]

    def save_file(self, parent: QWidget | None, title: str, suggested_name: str) -> Path | None:
        """Where the rep chose to save (the dialog already confirmed any overwrite), or None."""
        if self._next_save:
            return self._next_save.popleft()
        name, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested_name))
        return Path(name) if name else None
