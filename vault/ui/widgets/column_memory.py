"""Tables remember the column widths the rep chose (issue 13), across sessions.

Widths are kept in ``<config dir>/ui-state.ini`` (QSettings, INI format) under the table's
name — numbers only, nothing about any member. Call ``remember_columns`` after a page has set
its default widths: saved widths replace them, and every resize is saved.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QTableView

from vault.settings import default_settings_path


def _store() -> QSettings:
    path = default_settings_path().parent / "ui-state.ini"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return QSettings(str(path), QSettings.Format.IniFormat)


def remember_columns(table: QTableView, key: str) -> None:
    header = table.horizontalHeader()
    saved = _store().value(f"columns/{key}")
    if isinstance(saved, list):
        for column, width in enumerate(saved):
            try:
                value = int(width)
            except (TypeError, ValueError):
                continue
            if 20 <= value <= 2000 and column < header.count():
                table.setColumnWidth(column, value)

    def save(*_args: object) -> None:
        store = _store()
        store.setValue(f"columns/{key}", [header.sectionSize(i) for i in range(header.count())])
        store.sync()

    header.sectionResized.connect(save)
