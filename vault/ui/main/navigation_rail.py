"""The left navigation rail: registered pages at the top, Settings and Help at the bottom."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from vault.ui import theme
from vault.ui.registry import PageSpec


class NavigationRail(QFrame):
    """Checkable buttons, one per page; emits ``page_selected(key)``."""

    page_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navRail")
        self.setAccessibleName("Navigation")
        self.setFixedWidth(176)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 10)
        self._layout.setSpacing(2)
        title = QLabel("Casework Vault", self)
        title.setObjectName("navAppName")
        title.setAccessibleName("Casework Vault")
        self._layout.addWidget(title)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str, QToolButton] = {}

    @property
    def buttons(self) -> dict[str, QToolButton]:
        return dict(self._buttons)

    def set_pages(self, specs: list[PageSpec]) -> None:
        """Rebuild the buttons (top pages, a stretch, then bottom pages)."""
        for button in self._buttons.values():
            self._group.removeButton(button)
            button.deleteLater()
        self._buttons.clear()
        while self._layout.count() > 1:
            item = self._layout.takeAt(1)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        top = [s for s in specs if not s.bottom]
        bottom = [s for s in specs if s.bottom]
        for spec in top:
            self._layout.addWidget(self._button(spec))
        self._layout.addStretch(1)
        for spec in bottom:
            self._layout.addWidget(self._button(spec))

    def _button(self, spec: PageSpec) -> QToolButton:
        button = QToolButton(self)
        button.setText(spec.title)
        button.setCheckable(True)
        button.setAutoRaise(True)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setIconSize(QSize(20, 20))
        button.setIcon(theme.icon(spec.icon, 20) if spec.icon else theme.blank_icon(20))
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setMinimumHeight(36)
        button.setAccessibleName(spec.title)
        if spec.shortcut:
            button.setToolTip(f"{spec.title} ({QKeySequence(spec.shortcut).toString()})")
        button.clicked.connect(lambda _checked=False, key=spec.key: self.page_selected.emit(key))
        self._group.addButton(button)
        self._buttons[spec.key] = button
        return button

    def select(self, key: str) -> None:
        """Mark ``key`` as current without emitting."""
        button = self._buttons.get(key)
        if button is not None:
            button.setChecked(True)
