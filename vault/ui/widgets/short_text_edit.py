"""A field for a short text that may run over a line (an action point): it wraps, shows
``lines`` lines without scrolling, and behaves like a line edit where it can.

Tab and Shift+Tab move the focus (never type a tab); Ctrl+Enter emits ``submitted`` (Enter
starts a new line, as in any multi-line field); ``text`` / ``setText`` read and write it as a
line edit's would. Copies carry the clipboard's sensitive hints (``SensitiveTextEdit``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget

from vault.ui.widgets.sensitive_text_edit import SensitiveTextEdit

SUBMIT_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ShortTextEdit(SensitiveTextEdit):
    submitted = Signal()  # Ctrl+Enter

    def __init__(self, parent: QWidget | None = None, *, lines: int = 3) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        metrics = self.fontMetrics()
        # Frame, document margin and the stylesheet's padding (3 px a side), with a little to
        # spare so ``lines`` lines show without a scroll bar.
        frame = 2 * self.frameWidth() + int(2 * self.document().documentMargin()) + 6
        self.setFixedHeight(metrics.lineSpacing() * lines + frame + 6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in SUBMIT_KEYS and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            event.accept()
            self.submitted.emit()
            return
        super().keyPressEvent(event)
