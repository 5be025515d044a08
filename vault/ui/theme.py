"""Look and feel: the bundled stylesheet and the monochrome icons, tinted to the palette.

The stylesheet only uses ``palette(...)`` colours, so the app follows the system light or dark
palette. Icons are SVGs drawn with ``currentColor``; they are rendered in the palette's text
colour so they stay visible in both modes.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QApplication

from vault.paths import resources_dir

log = logging.getLogger(__name__)

STYLESHEET_NAME = "casevault.qss"


def style_dir() -> Path:
    return resources_dir() / "style"


def icons_dir() -> Path:
    return resources_dir() / "icons"


def load_stylesheet() -> str:
    """The app stylesheet, or an empty one if it is missing (logged; the app still works).

    ``@ICONS@`` in the stylesheet stands for the icons folder (check-box ticks)."""
    try:
        text = (style_dir() / STYLESHEET_NAME).read_text("utf-8")
    except OSError:
        log.warning("stylesheet missing; using the platform look")
        return ""
    return text.replace("@ICONS@", icons_dir().as_posix())


def apply_theme(app: QApplication) -> None:
    app.setStyleSheet(load_stylesheet())


def _text_colour() -> str:
    palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.WindowText).name()


@cache
def _svg_source(name: str) -> str | None:
    try:
        return (icons_dir() / f"{name}.svg").read_text("utf-8")
    except OSError:
        log.warning("icon missing: %s", name)
        return None


def icon(name: str, size: int = 24, colour: str | None = None) -> QIcon:
    """The named icon from resources/icons, tinted with ``colour`` (default: palette text)."""
    source = _svg_source(name)
    if source is None:
        return blank_icon(size)
    svg = source.replace("currentColor", colour or _text_colour())
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    result = QIcon()
    for scale in (1, 2):
        pixmap = QPixmap(size * scale, size * scale)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        renderer.render(painter, QRectF(0, 0, size * scale, size * scale))
        painter.end()
        pixmap.setDevicePixelRatio(scale)
        result.addPixmap(pixmap)
    return result


def blank_icon(size: int = 24) -> QIcon:
    """A transparent icon, so a missing icon keeps text aligned with its neighbours."""
    empty = QPixmap(size, size)
    empty.fill(Qt.GlobalColor.transparent)
    return QIcon(empty)


def pixmap(name: str, size: int, colour: str | None = None) -> QPixmap:
    return icon(name, size, colour).pixmap(size, size)


def dark_palette() -> QPalette:
    """A dark palette like the desktops' dark modes, to check screens in dark mode (the app
    itself follows whatever palette the system gives it)."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2b2e",
        QPalette.ColorRole.WindowText: "#e8e8ea",
        QPalette.ColorRole.Base: "#1f1f22",
        QPalette.ColorRole.AlternateBase: "#333338",
        QPalette.ColorRole.Text: "#e8e8ea",
        QPalette.ColorRole.Button: "#36363b",
        QPalette.ColorRole.ButtonText: "#e8e8ea",
        QPalette.ColorRole.Highlight: "#3d7bd9",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7fb0ff",
        QPalette.ColorRole.LinkVisited: "#b9a0ff",
        QPalette.ColorRole.PlaceholderText: "#a2a2a8",
        QPalette.ColorRole.ToolTipBase: "#333338",
        QPalette.ColorRole.ToolTipText: "#e8e8ea",
        QPalette.ColorRole.Light: "#4a4a50",
        QPalette.ColorRole.Midlight: "#3e3e44",
        QPalette.ColorRole.Mid: "#5a5a61",
        QPalette.ColorRole.Dark: "#18181a",
        QPalette.ColorRole.Shadow: "#000000",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a80"))
    return palette
