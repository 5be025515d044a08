"""The documents of one case: name, type, size, date added, SHA-256 and the original mark.
Rows are ``Document`` records from ``DocumentService.list``."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from vault.domain import Document, format_size, format_uk_date
from vault.ui.models.row_table_model import RowTableModel

_TYPE_NAMES = {
    "application/pdf": "PDF",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "text/plain": "Text",
    "text/csv": "CSV text",
    "application/zip": "Zip archive",
    "application/msword": "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
}


def type_name(media_type: str) -> str:
    if media_type in _TYPE_NAMES:
        return _TYPE_NAMES[media_type]
    major, _, minor = media_type.partition("/")
    if major in ("image", "text"):
        return f"{minor.upper()} {major}"
    return media_type


def original_mark(doc: Document) -> str:
    if not doc.is_original:
        return ""
    if doc.returned is not None:
        return f"Original, returned {format_uk_date(doc.returned.astimezone())}"
    return "Original, to return"


class DocumentTableModel(RowTableModel[Document]):
    NAME, TYPE, SIZE, ADDED, SHA256, ORIGINAL = range(6)
    HEADERS = ("Name", "Type", "Size", "Added", "Fingerprint", "Original")

    def key(self, row: Document) -> Hashable:
        return row.id

    def display(self, row: Document, column: int) -> str:
        if column == self.NAME:
            return row.name
        if column == self.TYPE:
            return type_name(row.media_type)
        if column == self.SIZE:
            return format_size(row.size)
        if column == self.ADDED:
            return format_uk_date(row.added.astimezone())
        if column == self.SHA256:
            return f"{row.sha256[:12]}…"
        if column == self.ORIGINAL:
            return original_mark(row)
        return ""

    def sort_value(self, row: Document, column: int) -> Any:
        if column == self.SIZE:
            return row.size
        if column == self.ADDED:
            return row.added.timestamp()
        if column == self.SHA256:
            return row.sha256
        return self.display(row, column).casefold()

    def tooltip(self, row: Document, column: int) -> str | None:
        if column == self.SHA256:
            return f"Fingerprint of the file (SHA-256): {row.sha256}"
        if column == self.ORIGINAL and row.is_original:
            return "The original belongs to the member and must be returned before closing."
        if column == self.NAME:
            return row.name
        return None

    def accessible_text(self, row: Document, column: int) -> str | None:
        if column == self.SHA256:
            return f"SHA-256 {row.sha256}"
        return None
