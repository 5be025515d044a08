"""Home — "what needs me today": counts, then one card per registered Home section.

Sections come from the registry (``UiRegistry.add_home_section``); each provider returns
``HomeItem``s, most urgent first, and activating an item opens its case at the right tab.
Follow-ups, escalations, action points, retention and training add their own sections.

Each card shows at most ``MAX_ITEMS`` buttons whatever the vault's size; "N more…" shows the
section's whole list in a lazily fetched list view in place of the cards.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from vault.domain import CaseStatus, format_uk_date
from vault.errors import VaultError, VaultLocked
from vault.ui.background_read import BackgroundRead
from vault.ui.models.row_table_model import FETCH_CHUNK
from vault.ui.page_context import PageContext
from vault.ui.pages.vault_page import VaultPage
from vault.ui.registry import HomeItem, HomeSection
from vault.ui.task_runner import TaskControl
from vault.ui.widgets.backup_panel import backup_age_text
from vault.ui.widgets.home_item_button import HomeItemButton
from vault.ui.widgets.page_header import PageHeader

log = logging.getLogger(__name__)

class HomeLoad(NamedTuple):
    """What a card read: its items, how many the section has, and whether that is all."""

    items: list[HomeItem]
    total: int
    complete: bool


RECENT_CASES = 6
MAX_ITEMS = 10  # items per Home card; the rest are one click away ("N more…")


def recent_cases(context: PageContext) -> list[HomeItem]:
    """The built-in Home section: open cases by last activity."""
    summaries = context.session.cases.recent_open(RECENT_CASES)
    return [HomeItem(text=f"{s.case.ref} · {s.case.title}",
                     detail=(f"{s.member_name} · {s.case.category.label} · last activity "
                             f"{format_uk_date(s.case.last_activity.astimezone())}"),
                     case_ref=s.case.ref, tab="overview")
            for s in summaries]


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
    """One Home section: a title, its first ``MAX_ITEMS`` items as buttons, and "N more…".

    The buttons live in one container widget; clearing drops the container whole (one
    ``deleteLater``) instead of removing buttons one by one. "N more…" asks the page to show
    the section's full list (a lazily fetched list view, not thousands of widgets).
    """

    def __init__(self, section: HomeSection, context: PageContext,
                 show_all: Callable[[HomeSectionCard], None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self._context = context
        self._show_all = show_all
        self.setObjectName("homeCard")
        self.buttons: list[HomeItemButton] = []
        self.items: list[HomeItem] = []
        self.total = 0  # items in the section, shown or not
        self.complete = True  # ``items`` is the whole list
        self._container: QWidget | None = None
        title = QLabel(section.title, self)
        title.setObjectName("sectionTitle")
        title.setAccessibleName(section.title)
        self.empty = QLabel(section.empty_text, self)
        self.empty.setObjectName("hintText")
        self.empty.setWordWrap(True)
        self.empty.setAccessibleName(f"{section.title}: nothing to show")
        self.more = QPushButton("", self)
        self.more.setObjectName("linkButton")
        self.more.setFlat(True)
        self.more.setAccessibleName(f"Show the whole list: {section.title}")
        self.more.clicked.connect(lambda: self._show_all(self) if self._show_all else None)
        self.more.hide()
        self._items = QVBoxLayout()
        self._items.setSpacing(0)
        self._items.setContentsMargins(0, 0, 0, 0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(title)
        layout.addLayout(self._items)
        layout.addWidget(self.more, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.empty)
        layout.addStretch(1)

    def refresh(self) -> None:
        """Ask the provider and show its items now (on this thread)."""
        self.show_items(*self.load())

    def load(self) -> HomeLoad:
        """The card's items: the first ``MAX_ITEMS`` and the total when the section can say so
        without building the rest (``HomeSection.first``), else the whole list. No Qt, so it
        may run on a worker thread."""
        try:
            if self.section.first is not None:
                items, total = self.section.first(self._context, MAX_ITEMS)
                return HomeLoad(items, total, complete=total <= len(items))
            items = self.section.provider(self._context)
            return HomeLoad(items, len(items), complete=True)
        except VaultLocked:
            raise  # locked while loading: the task ends, discarded
        except VaultError as exc:
            log.warning("home section %s failed: %s", self.section.key, type(exc).__name__)
            return HomeLoad([], 0, complete=True)

    def show_loading(self) -> None:
        """While the items are read off the GUI thread: the card says so."""
        self.clear()
        self.empty.setText("Loading…")
        self.empty.setVisible(True)

    def show_items(self, entries: list[HomeItem], total: int | None = None,
                   complete: bool = True) -> None:
        """Show the first ``MAX_ITEMS`` of ``entries`` (at most that many widgets, whatever the
        vault's size) and "N more…" for the rest of ``total``. ``complete``: ``entries`` is
        the whole list (else "N more…" reads it first)."""
        self.clear()
        self.empty.setText(self.section.empty_text)
        self.items = entries
        self.total = len(entries) if total is None else total
        self.complete = complete
        container = QWidget(self)
        column = QVBoxLayout(container)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        for entry in entries[:MAX_ITEMS]:
            button = HomeItemButton(("⚠ " if entry.urgent else "") + entry.text,
                                    entry.detail, container)
            button.setAccessibleName(entry.text)
            button.setAccessibleDescription(entry.detail)
            button.setToolTip(_open_hint(entry))
            button.clicked.connect(lambda _checked=False, e=entry: self._open(e))
            column.addWidget(button)
            self.buttons.append(button)
        self._items.addWidget(container)
        self._container = container
        hidden = self.total - len(self.buttons)
        if hidden > 0:
            self.more.setText(f"{hidden:,} more…")
            self.more.setAccessibleName(f"Show all {self.total:,}: {self.section.title}")
            self.more.setToolTip(f"Show the whole list of {self.total:,}")
        self.more.setVisible(hidden > 0)
        self.empty.setVisible(not entries)

    def clear(self) -> None:
        """Drop every item at once: the container goes (deleted at the next loop turn)."""
        container, self._container = self._container, None
        for button in self.buttons:
            # Blank first: deletion is deferred, and the parentless container is a (hidden)
            # top-level widget until then; it must not hold a name meanwhile. At most
            # MAX_ITEMS buttons, so this stays cheap whatever the vault's size.
            button.setText("")
            button.setDescription("")
            button.setAccessibleName("")
            button.setAccessibleDescription("")
        if container is not None:
            container.hide()
            self._items.removeWidget(container)
            container.setParent(None)  # out of the window now; nothing of it can show
            container.deleteLater()
        self.buttons.clear()
        self.items = []
        self.total = 0
        self.complete = True
        self.more.hide()

    def _open(self, entry: HomeItem) -> None:
        open_home_item(self._context, entry)


def _open_hint(entry: HomeItem) -> str:
    if entry.case_ref:
        return f"Open {entry.case_ref} (Enter)"
    return "Open (Enter)"


def open_home_item(context: PageContext, entry: HomeItem) -> None:
    if entry.case_ref:
        context.navigator.open_case(entry.case_ref, entry.tab, entry.entry)
    elif entry.page:
        context.navigator.show_page(entry.page)


class HomeItemListModel(QAbstractListModel):
    """Every item of one Home section, fetched into the view ``FETCH_CHUNK`` at a time."""

    def __init__(self, items: list[HomeItem], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items = items
        self._shown = min(len(items), FETCH_CHUNK)

    def item(self, row: int) -> HomeItem | None:
        return self._items[row] if 0 <= row < self._shown else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._shown < len(self._items)

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        end = min(len(self._items), self._shown + FETCH_CHUNK)
        self.beginInsertRows(QModelIndex(), self._shown, end - 1)
        self._shown = end
        self.endInsertRows()

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.item(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return ("⚠ " if entry.urgent else "") + entry.text + "\n" + entry.detail
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{entry.text}. {entry.detail}"
        return None


class HomeSectionList(QWidget):
    """The whole list of one Home section ("N more…"), with a way back to Home."""

    def __init__(self, context: PageContext, back: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.title = QLabel("", self)
        self.title.setObjectName("sectionTitle")
        self.back = QPushButton("← Back to Today", self)
        self.back.setAccessibleName("Back to Today")
        self.back.clicked.connect(back)
        self.view = QListView(self)
        self.view.setAccessibleName("The whole list")
        self.view.setUniformItemSizes(True)
        self.view.setAlternatingRowColors(True)
        self.view.activated.connect(self._activated)
        self.model: HomeItemListModel | None = None
        top = QHBoxLayout()
        top.addWidget(self.back)
        top.addWidget(self.title, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    def show_loading(self, title: str) -> None:
        self.clear()
        self.title.setText(f"{title} — loading…")

    def show_items(self, title: str, items: list[HomeItem]) -> None:
        self.clear()
        self.title.setText(f"{title} — all {len(items):,}")
        self.view.setAccessibleName(title)
        self.model = HomeItemListModel(items, self)
        self.view.setModel(self.model)

    def clear(self) -> None:
        """Drop the whole model at once (on lock, and before showing another list)."""
        old, self.model = self.model, None
        self.view.setModel(None)
        if old is not None:
            old.deleteLater()
        self.title.setText("")

    def _activated(self, index: QModelIndex) -> None:
        entry = self.model.item(index.row()) if self.model is not None else None
        if entry is not None:
            open_home_item(self._context, entry)


class HomePage(VaultPage):
    loaded = Signal()  # every card shows its items

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._loaded = False
        self._full_reader: BackgroundRead[list[HomeItem]] | None = None
        self._reader: BackgroundRead[list[HomeLoad]] = BackgroundRead(
            context.tasks, "home", self._read_cards, self._cards_loaded, self._cards_failed)
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
            card = HomeSectionCard(section, context, self.show_all, self)
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
        self.full_list = HomeSectionList(context, self.show_overview, self)
        self.views = QStackedWidget(self)
        self.views.addWidget(scroll)
        self.views.addWidget(self.full_list)
        self.overview = scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.views)

    def show_all(self, card: HomeSectionCard) -> None:
        """"N more…": the section's whole list in place of the cards (read off the GUI
        thread first when the card holds only its first items)."""
        self.views.setCurrentWidget(self.full_list)
        self.full_list.view.setFocus()
        if card.complete:
            self.full_list.show_items(card.section.title, card.items)
            return
        self.full_list.show_loading(card.section.title)
        if self._full_reader is not None:
            self._full_reader.cancel()
        section = card.section
        self._full_reader = BackgroundRead(
            self.context.tasks, "home-list", lambda _c: section.provider(self.context),
            lambda items: self.full_list.show_items(section.title, items),
            lambda: self.full_list.show_items(section.title, []))
        self._full_reader.start()

    def show_overview(self) -> None:
        if self._full_reader is not None:
            self._full_reader.cancel()
            self._full_reader = None
        self.views.setCurrentWidget(self.overview)
        self.full_list.clear()

    @property
    def is_loaded(self) -> bool:
        """True once every card shows its items (the cards are read off the GUI thread)."""
        return not self._reader.loading and self._loaded

    def refresh(self) -> None:
        """Counts at once (indexed aggregates); the cards' lists off the GUI thread.

        The section providers read every follow-up, escalation and conflict of the vault, so
        their cost grows with it: they run as one background task, cancelled between
        sections on lock or on the next refresh, and the cards fill when it reports back.
        """
        if not self.context.is_open:
            return
        session = self.context.session
        today = self.context.clock.today()
        self.header.set_title(f"Today — {format_uk_date(today)}")
        statuses = session.cases.counts_by_status()
        members = session.members.count()
        self.members_stat.number.setText(f"{members:,}")
        self.open_stat.number.setText(f"{statuses[CaseStatus.OPEN]:,}")
        self.closed_stat.number.setText(f"{statuses[CaseStatus.CLOSED]:,}")
        if not members:
            self.header.set_subtitle("Start by adding a member (New member, Ctrl+Shift+M), "
                                     "then open their case (New case, Ctrl+N).")
        else:
            self.header.set_subtitle("What needs you today. Choose an item to open it.")
        backups = session.admin.backups
        last = backups.last_backup()
        self.backup_age.setText(backup_age_text(backups.last_backup_age(),
                                                last.created if last else None))
        if self.views.currentWidget() is self.full_list:
            self.show_overview()
        self._load_cards()

    def _load_cards(self) -> None:
        for card in self.cards:
            card.show_loading()
        self._loaded = False
        self._reader.start()

    def _read_cards(self, control: TaskControl) -> list[HomeLoad]:
        """On the worker: every card's items (cancelled between sections)."""
        out = []
        for card in self.cards:
            control.check_cancelled()
            out.append(card.load())
        return out

    def _cards_loaded(self, loads: list[HomeLoad]) -> None:
        for card, load in zip(self.cards, loads, strict=True):
            card.show_items(*load)
        self._loaded = True
        self.loaded.emit()

    def _cards_failed(self) -> None:
        for card in self.cards:
            card.show_items([])
        self._loaded = True
        self.loaded.emit()

    def clear(self) -> None:
        self._reader.cancel()
        self._loaded = False
        self.show_overview()
        for card in self.cards:
            card.clear()
        for stat in (self.members_stat, self.open_stat, self.closed_stat):
            stat.number.setText("0")
        self.backup_age.clear()
