"""A passphrase line edit with a show/hide toggle; never logs or copies its content."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QWidget


class PassphraseField(QWidget):
    """Password echo by default; "Show" reveals the text while checked."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.edit.setAccessibleName(accessible_name)
        self.edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no copy/paste menu
        self.edit.setMinimumWidth(280)
        self.show_toggle = QCheckBox("Show", self)
        self.show_toggle.setAccessibleName(f"Show {accessible_name.lower()}")
        self.show_toggle.toggled.connect(self._on_show)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.show_toggle)
        self.setFocusProxy(self.edit)

    def text(self) -> str:
        return self.edit.text()

    def setText(self, text: str) -> None:
        self.edit.setText(text)

    def wipe(self) -> None:
        """Empty the field (Python strings cannot be erased, but the widget lets go of it)."""
        self.edit.clear()
        self.show_toggle.setChecked(False)

    def _on_show(self, shown: bool) -> None:
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if shown
                              else QLineEdit.EchoMode.Password)
