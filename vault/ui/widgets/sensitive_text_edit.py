"""A plain-text editor whose copies and drags carry the clipboard's sensitive hints.

Used wherever case text is shown or typed (the document viewer, the paper trail's detail, the
first meeting's narrative, log entries, follow-up drafts): Ctrl+C, Cut and drag produce the
same hinted, marked data as ``SensitiveClipboard.copy``, which then adopts the copy and clears
it after its countdown.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QPlainTextEdit

from vault.ui.sensitive_clipboard import sensitive_mime_data


class SensitiveTextEdit(QPlainTextEdit):
    def createMimeDataFromSelection(self) -> QMimeData:
        return sensitive_mime_data(self.textCursor().selection().toPlainText())
