"""Progress with Cancel, shown inside the page that started the work (never a blocking modal)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from vault.ui.task_runner import Task


class TaskProgressRow(QWidget):
    """A label, a progress bar and a Cancel button bound to one running ``Task`` at a time."""

    cancel_requested = Signal()

    def __init__(self, what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setAccessibleName(f"{what} status")
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName(f"{what} progress")
        self.bar.setMinimumWidth(200)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName(f"Cancel {what.lower()}")
        self.cancel_button.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self._task: Task | None = None
        self.hide()

    @property
    def task(self) -> Task | None:
        return self._task

    def begin(self, task: Task, text: str, maximum: int = 0) -> None:
        """Show for ``task``; ``maximum`` 0 means a busy indicator."""
        self._task = task
        self.label.setText(text)
        self.bar.setRange(0, max(0, maximum))
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.show()

    def set_text(self, text: str) -> None:
        self.label.setText(text)

    def set_progress(self, value: int, maximum: int | None = None) -> None:
        if maximum is not None and maximum > 0:
            # QProgressBar holds ints; scale byte counts above 2**31 down.
            scale = max(1, maximum // 1_000_000_000 + 1)
            self.bar.setRange(0, maximum // scale)
            self.bar.setValue(min(maximum, value) // scale)
        else:
            self.bar.setValue(value)

    def end(self) -> None:
        self._task = None
        self.hide()

    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.cancel_button.setEnabled(False)
            self.label.setText("Cancelling…")
        self.cancel_requested.emit()
