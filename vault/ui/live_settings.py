"""The app settings as the GUI sees them: the saved ``AppSettings`` plus a change signal.

Settings hold no personal data (see ``vault.settings``); saving goes through ``SettingsStore``.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from vault.settings import AppSettings, SettingsStore

log = logging.getLogger(__name__)


class LiveSettings(QObject):
    """Current settings; ``update`` validates, saves and emits ``changed``."""

    changed = Signal(object)  # the new AppSettings

    def __init__(self, store: SettingsStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._current = store.load()

    @property
    def current(self) -> AppSettings:
        return self._current

    def update(self, **values: Any) -> AppSettings:
        """Change some fields (clamped into range), save, and tell every listener."""
        updated = replace(self._current, **values).validated()
        if updated == self._current:
            return updated
        try:
            self._store.save(updated)
        except OSError as exc:
            log.warning("settings could not be saved: %s", type(exc).__name__)
        self._current = updated
        self.changed.emit(updated)
        return updated
