"""Home — "what needs me today": counts, then one card per registered Home section.

Sections come from the registry (``UiRegistry.add_home_section``); each provider returns
``HomeItem``s, most urgent first, and activating an item opens its case at the right tab.
Follow-ups, escalations, action points, retention and training add their own sections.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from vault.domain import CaseStatus, format_uk_date
from vault.errors import VaultError
from vault.ui.page_context import PageContext
from vault.ui.pages.vault_page import VaultPage
from vault.ui.registry import HomeItem, HomeSection
from vault.ui.widgets.backup_panel import backup_age_text
from vault.ui.widgets.page_header import PageHeader

log = logging.getLogger(__name__)

RECENT_CASES = 6


def recent_cases(context: PageContext) -> list[HomeItem]:
    """The built-in Home section: open cases by last activity."""
    summaries = [s for s in context.session.cases.list() if s.case.status is CaseStatus.OPEN]
    summaries.sort(key=lambda s: s.case.last_activity, reverse=True)
    return [HomeItem(text=f"{s.case.ref} · {s.case.title}",
                     detail=(f"{s.member_name} · {s.case.category.label} · last activity "
                             f"{format_uk_date(s.case.last_activity.astimezone())}"),
                     case_ref=s.case.ref, tab="overview")
            for s in summaries[:RECENT_CASES]]


class _Stat(QFrame):
    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homeCard")
        self.number = QLabel("0", self)
        self.number.setObjectName("statNumber")
        self.number.setAccessibleName(label)
        caption = QLabel(label, self)
        caption.setObjectName("statLabel")
        caption.setAccessibleName(f"{label} caption")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.addWidget(self.number)
        layout.addWidget(caption)


class HomeSectionCard(QFrame):
    """One Home section: a title and its items, each a button that opens its case or page."""

    def __init__(self, section: HomeSection, context: PageContext,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self._context = context
        self.setObjectName("homeCard")
        self.buttons: list[QCommandLinkButton] = []
        title = QLabel(section.title, self)
        title.setObjectName("sectionTitle")
        title.setAccessibleName(section.title)
        self.empty = QLabel(section.empty_text, self)
        self.empty.setObjectName("hintText")
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName(f"{section.title}: nothing to show")
        self._items = QVBoxLayout()
        self._items.setSpacing(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addLayout(self._items)
        layout.addWidget(self.empty)
        layout.addStretch(1)

    def refresh(self) -> None:
        self.clear()
        try:
            entries = self.section.provider(self._context)
        except VaultError as exc:
            log.warning("home section %s failed: %s", self.section.key, type(exc).__name__)
            entries = []
        for entry in entries:
            button = QCommandLinkButton(("⚠ " if entry.urgent else "") + entry.text,
                                        entry.detail, self)
            button.setIcon(QIcon())
            button.setAccessibleName(entry.text)
            button.setAccessibleDescription(entry.detail)
            button.setToolTip("Open")
            button.clicked.connect(lambda _checked=False, e=entry: self._open(e))
            self._items.addWidget(button)
            self.buttons.append(button)
        self.empty.setVisible(not entries)

    def clear(self) -> None:
        for button in self.buttons:
            # Blank first: deletion is deferred and the button must not hold a name meanwhile.
            button.setText("")
            button.setDescription("")
            button.setAccessibleName("")
            button.setAccessibleDescription("")
            self._items.removeWidget(button)
            button.hide()
            button.setParent(None)  # out of the card at once; deleted at the next loop turn
            button.deleteLater()
        self.buttons.clear()

    def _open(self, entry: HomeItem) -> None:
        if entry.case_ref:
            self._context.navigator.open_case(entry.case_ref, entry.tab)
        elif entry.page:
            self._context.navigator.show_page(entry.page)


class HomePage(VaultPage):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.header = PageHeader("Today", "", self)
        self.members_stat = _Stat("Members", self)
        self.open_stat = _Stat("Open cases", self)
        self.closed_stat = _Stat("Closed cases", self)
        stats = QHBoxLayout()
        for stat in (self.members_stat, self.open_stat, self.closed_stat):
            stats.addWidget(stat)
        stats.addStretch(1)
        self.backup_age = QLabel(self)
        self.backup_age.setObjectName("hintText")
        self.backup_age.setWordWrap(True)
        self.backup_age.setAccessibleName("Last backup")

        self.cards: list[HomeSectionCard] = []
        grid = QGridLayout()
        grid.setSpacing(12)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        for index, section in enumerate(context.registry.home_sections()):
            card = HomeSectionCard(section, context, self)
            self.cards.append(card)
            grid.addWidget(card, index // 2, index % 2)

        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(20, 16, 20, 16)
        body_layout.setSpacing(12)
        body_layout.addWidget(self.header)
        body_layout.addLayout(stats)
        body_layout.addWidget(self.backup_age)
        body_layout.addLayout(grid)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setAccessibleName("Home")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def refresh(self) -> None:
        if not self.context.is_open:
            return
        today = self.context.clock.today()
        self.header.set_title(f"Today — {format_uk_date(today)}")
        cases = self.context.session.cases.list()
        members = self.context.session.members.list()
        self.members_stat.number.setText(str(len(members)))
        self.open_stat.number.setText(
            str(sum(1 for c in cases if c.case.status is CaseStatus.OPEN)))
        self.closed_stat.number.setText(
            str(sum(1 for c in cases if c.case.status is CaseStatus.CLOSED)))
        if not members:
            self.header.set_subtitle("Start by adding a member (New member, Ctrl+Shift+M), "
                                     "then open their case (New case, Ctrl+N).")
        else:
            self.header.set_subtitle("What needs you today. Choose an item to open it.")
        backups = self.context.session.admin.backups
        last = backups.last_backup()
        self.backup_age.setText(backup_age_text(backups.last_backup_age(),
                                                last.created if last else None))
        for card in self.cards:
            card.refresh()

    def clear(self) -> None:
        for card in self.cards:
            card.clear()
        for stat in (self.members_stat, self.open_stat, self.closed_stat):
            stat.number.setText("0")
        self.backup_age.clear()
