"""The union profile's useful links as clickable text (Help, and beside escalation prompts).

Links open in the system browser (``openExternalLinks``) and are reachable with Tab and Enter
(``LinksAccessibleByKeyboard``). The text is the profile's (data, escaped here); nothing of any
member is ever shown in it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from vault.training.profile import UsefulLink

_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:)]")


def linkified(text: str) -> str:
    """Plain text (a profile's explanation) as rich text whose web addresses are links; text
    without a web address is returned as it is (shown as plain text)."""
    if _URL.search(text) is None:
        return text
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(html.escape(text[last:match.start()], quote=False))
        url = match.group(0)
        out.append(f'<a href="{html.escape(url, quote=True)}">{html.escape(url)}</a>')
        last = match.end()
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


def make_links_clickable(label: QLabel) -> None:
    """Let ``label`` show rich text whose links open in the browser, by mouse or keyboard."""
    label.setTextFormat(Qt.TextFormat.AutoText)  # rich only when linkified() made links
    label.setOpenExternalLinks(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)


def links_html(links: Iterable[UsefulLink], *, lead: str = "", with_notes: bool = False) -> str:
    """``lead`` then the links, separated by " · " (or one per line with their notes)."""
    items = []
    for link in links:
        anchor = f'<a href="{html.escape(link.url, quote=True)}">{html.escape(link.title)}</a>'
        if with_notes and link.note:
            anchor += f" — {html.escape(link.note)}"
        items.append(anchor)
    joiner = "<br>" if with_notes else " · "
    head = f"{html.escape(lead)} " if lead and items else ""
    return head + joiner.join(items)


class UsefulLinksLabel(QLabel):
    """Clickable links; empty (and hidden) when there are none."""

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setOpenExternalLinks(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.hide()

    def set_links(self, links: Iterable[UsefulLink], *, lead: str = "",
                  with_notes: bool = False) -> None:
        links = tuple(links)
        self.setText(links_html(links, lead=lead, with_notes=with_notes))
        self.setVisible(bool(links))
