"""The main window: navigation rail, toolbar, the stack of pages and the status bar.

It owns no data. ``attach(context)`` (at unlock) builds Home and shows it; every other page,
and the case page, is built the first time it is shown (``pages`` builds on demand), so the
window appears in the time one page takes, whatever is registered. ``detach()`` (at lock)
closes dialogs, empties every page built, deletes them and blanks the status bar, so nothing
of any member is left in any widget. The window title never carries member data.

Pages and case tabs are registered on the ``UiRegistry`` (see ``vault.ui.registry``);
``add_page`` / ``add_case_tab`` here forward to it and build at once when unlocked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from vault.errors import ReadOnlyVault, VaultError
from vault.ui import theme
from vault.ui.main.navigation_rail import NavigationRail
from vault.ui.main.vault_status_bar import VaultStatusBar
from vault.ui.page_context import PageContext
from vault.ui.page_keys import CASE_PAGE_KEY
from vault.ui.pages.vault_page import VaultPage
from vault.ui.registry import CaseTabFactory, PageFactory, UiRegistry
from vault.ui.widgets.read_only_banner import ReadOnlyBanner

if TYPE_CHECKING:
    from vault.ui.pages.case_page import CasePage

log = logging.getLogger(__name__)

WINDOW_TITLE = "Casework Vault"
SEARCH_FALLBACK_PAGE = "cases"
SEARCH_PAGE = "search"  # the results page Enter in the search box shows (when registered)


class _LazyPages(dict[str, VaultPage]):
    """The pages of this session by key, each built the first time it is asked for.

    ``values()``/``items()`` hold only the pages built so far (what refresh and lock touch).
    """

    def __init__(self, build: Callable[[str], VaultPage | None]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: str) -> VaultPage:
        page = self._build(key)
        if page is None:
            raise KeyError(key)
        return page

    def get(self, key: str, default: VaultPage | None = None) -> VaultPage | None:  # type: ignore[override]
        try:
            return self[key]
        except KeyError:
            return default


class MainWindow(QMainWindow):
    """The unlocked app. Emits ``lock_requested`` for Ctrl+L and the toolbar button."""

    lock_requested = Signal()
    restore_requested = Signal()  # "Restore from backup…" on the read-only banner

    def __init__(self, registry: UiRegistry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.registry = registry
        self.context: PageContext | None = None
        self.pages: dict[str, VaultPage] = _LazyPages(self._build_page)
        self._case_page: CasePage | None = None
        self.setWindowTitle(WINDOW_TITLE)
        self.setAccessibleName(WINDOW_TITLE)
        self.resize(1180, 760)

        self.rail = NavigationRail(self)
        self.rail.page_selected.connect(self.show_page)
        self.stack = QStackedWidget(self)
        self.stack.setAccessibleName("Page")
        central = QWidget(self)
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.rail)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        self.read_only_banner = ReadOnlyBanner(central)
        self.read_only_banner.restore_requested.connect(self.restore_requested)
        right.addWidget(self.read_only_banner)
        right.addWidget(self.stack, 1)
        layout.addLayout(right, 1)
        self.setCentralWidget(central)
        self.read_only = False

        self.status = VaultStatusBar(self)
        self.setStatusBar(self.status)
        self._build_toolbar()
        self._page_shortcuts: list[QShortcut] = []
        self._refresh_timer = QTimer(self)  # coalesce bursts of change notifications
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._refresh_all)

    # -- toolbar -------------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main toolbar", self)
        bar.setObjectName("mainToolbar")
        bar.setAccessibleName("Main toolbar")
        bar.setMovable(False)
        bar.setIconSize(QSize(20, 20))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)

        self.new_member_action = QAction(theme.icon("add-member"), "New member", self)
        self.new_member_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.new_member_action.triggered.connect(self.new_member)
        self.new_case_action = QAction(theme.icon("add-case"), "New case", self)
        self.new_case_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_case_action.triggered.connect(lambda: self.new_case())
        self.lock_action = QAction(theme.icon("lock"), "Lock", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.lock_action.setToolTip("Lock the vault now (Ctrl+L)")
        self.lock_action.triggered.connect(self.lock_requested)
        for action in (self.new_member_action, self.new_case_action, self.lock_action):
            action.setToolTip(f"{action.text()} ({action.shortcut().toString()})")
            self.addAction(action)
        bar.addAction(self.new_member_action)
        bar.addAction(self.new_case_action)
        bar.addSeparator()

        self.search_box = QLineEdit(bar)
        self.search_box.setPlaceholderText("Search everything (Ctrl+F)")
        self.search_box.setAccessibleName("Search members, cases, parties, first meetings and "
                                          "the paper trail")
        self.search_box.setToolTip("Results show as you type: members, cases, parties, first "
                                   "meetings and the paper trail. Enter moves to the results.")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(theme.icon("search", 16),
                                  QLineEdit.ActionPosition.LeadingPosition)
        self.search_box.setMinimumWidth(300)
        self.search_box.setMaximumWidth(420)
        self.search_box.textEdited.connect(self._search)
        self.search_box.returnPressed.connect(lambda: self.search_everything(
            self.search_box.text()))
        bar.addWidget(self.search_box)
        self.search_action = QAction("Search", self)
        self.search_action.setShortcut(QKeySequence.StandardKey.Find)
        self.search_action.triggered.connect(self.focus_search)
        self.addAction(self.search_action)

        spacer = QWidget(bar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        bar.addAction(self.lock_action)
        for action in bar.actions():
            button = bar.widgetForAction(action)
            if button is not None:
                button.setAccessibleName(action.text() or "Toolbar item")
        self.toolbar = bar
        self._set_actions_enabled(False)

    def _set_actions_enabled(self, enabled: bool) -> None:
        for action in (self.new_member_action, self.new_case_action, self.lock_action,
                       self.search_action):
            action.setEnabled(enabled)
        self.search_box.setEnabled(enabled)
        if enabled and self.read_only:
            self.new_member_action.setEnabled(False)
            self.new_case_action.setEnabled(False)

    def set_read_only(self, read_only: bool) -> None:
        """A damaged vault (issue 11): show the banner and disable the toolbar's writes. The
        services refuse every other change with one line (``ReadOnlyVault``)."""
        self.read_only = read_only
        self.read_only_banner.setVisible(read_only)
        self._set_actions_enabled(self.context is not None)
        for action in (self.new_member_action, self.new_case_action):
            action.setToolTip("The vault is open read-only (its database is damaged)"
                              if read_only else action.text())

    # -- registration --------------------------------------------------------------------------

    def add_page(self, key: str, title: str, factory: PageFactory, *, icon: str = "",
                 bottom: bool = False, order: int = 100, shortcut: str = "") -> None:
        """Register a page (see ``UiRegistry.add_page``); built now if the vault is open."""
        self.registry.add_page(key, title, factory, icon=icon, bottom=bottom, order=order,
                               shortcut=shortcut)
        if self.context is not None:
            self._build_pages()

    def add_case_tab(self, key: str, title: str, factory: CaseTabFactory, *,
                     order: int = 100) -> None:
        """Register a case tab (see ``UiRegistry.add_case_tab``); built now if open."""
        self.registry.add_case_tab(key, title, factory, order=order)
        if self.context is not None and self._case_page is not None:
            self._case_page.rebuild_tabs()

    # -- attach / detach -----------------------------------------------------------------------

    @property
    def is_attached(self) -> bool:
        return self.context is not None

    def attach(self, context: PageContext) -> None:
        """Build every page for this unlocked session and show Home."""
        self.context = context
        context.events.changed.connect(self._refresh_timer.start)
        self._build_pages()
        self.status.set_location(context.session.root)
        self._refresh_trail_head()
        self._set_actions_enabled(True)
        first = self.registry.pages()
        if first:
            self.show_page(first[0].key)

    def _build_pages(self) -> None:
        """Make the pages available for this session (each is built when first shown)."""
        assert self.context is not None
        self._destroy_pages()
        for spec in self.registry.pages():
            if spec.shortcut:
                shortcut = QShortcut(QKeySequence(spec.shortcut), self)
                shortcut.activated.connect(lambda key=spec.key: self.show_page(key))
                self._page_shortcuts.append(shortcut)
        self.rail.set_pages(self.registry.pages())

    def _build_page(self, key: str) -> VaultPage | None:
        if self.context is None:
            return None
        spec = next((s for s in self.registry.pages() if s.key == key), None)
        if spec is None:
            return None
        page = spec.factory(self.context)
        page.setObjectName(f"page-{spec.key}")
        dict.__setitem__(self.pages, key, page)
        self.stack.addWidget(page)
        return page

    @property
    def case_page(self) -> CasePage | None:
        """The case page, built on first use while a vault is open (None when locked)."""
        if self._case_page is None and self.context is not None:
            from vault.ui.pages.case_page import CasePage
            self._case_page = CasePage(self.context)
            self.stack.addWidget(self._case_page)
        return self._case_page

    @property
    def open_case_page(self) -> CasePage | None:
        """The case page if it was built (never builds it: lock asks where the rep is)."""
        return self._case_page

    def detach(self) -> None:
        """Empty and delete every page, close dialogs, blank the status bar (on lock)."""
        if self.context is not None:
            try:
                self.context.events.changed.disconnect(self._refresh_timer.start)
            except (RuntimeError, TypeError):
                log.debug("change notifications were already disconnected")
        self._refresh_timer.stop()
        for dialog in self.findChildren(QDialog):
            dialog.reject()
            dialog.hide()
            dialog.deleteLater()
        self._destroy_pages()
        self.search_box.clear()
        self.status.clear_all()
        self.set_read_only(False)
        self._set_actions_enabled(False)
        self.context = None

    def _destroy_pages(self) -> None:
        pages: list[VaultPage] = list(self.pages.values())
        if self._case_page is not None:
            pages.append(self._case_page)
        for page in pages:
            page.clear()
            self.stack.removeWidget(page)
            page.hide()
            page.deleteLater()
        self.pages.clear()
        self._case_page = None
        for shortcut in self._page_shortcuts:
            shortcut.setEnabled(False)
            shortcut.deleteLater()
        self._page_shortcuts.clear()
        self.rail.set_pages([])

    # -- navigation (the Navigator protocol) ---------------------------------------------------

    def current_page_key(self) -> str:
        current = self.stack.currentWidget()
        if current is not None and current is self._case_page:
            return CASE_PAGE_KEY
        for key, page in self.pages.items():
            if page is current:
                return key
        return ""

    def show_page(self, key: str) -> None:
        page = self.pages.get(key)
        if page is None:
            return
        if key != SEARCH_PAGE and self.pages.get(SEARCH_PAGE) is not None:
            # The search text belongs to the Search page: it does not linger elsewhere.
            self.search_box.clear()
        self.stack.setCurrentWidget(page)
        self.rail.select(key)
        self._safely(page.refresh)

    def open_case(self, ref: str, tab: str | None = None, entry: int | None = None) -> None:
        """Show case ``ref`` at ``tab``, with paper-trail entry ``entry`` selected if given."""
        case_page = self.case_page
        if case_page is None or self.context is None:
            return
        if not self._safely(lambda: case_page.show_case(ref, tab)):
            return
        self.search_box.clear()
        self.stack.setCurrentWidget(case_page)
        self.rail.select("cases")
        if entry is not None:
            case_page.show_entry(entry)

    def open_member(self, member_id: str) -> None:
        page = self.pages.get("members")
        if page is None:
            return
        self.show_page("members")
        select = getattr(page, "select_member", None)
        if callable(select):
            select(member_id)

    def _refused_while_read_only(self) -> bool:
        """True (after saying so in one line) when the vault is open read-only."""
        if self.read_only and self.context is not None:
            self.context.message_boxes.information(self, WINDOW_TITLE, str(ReadOnlyVault()))
            return True
        return False

    def new_member(self) -> QDialog | None:
        if self.context is None or self._refused_while_read_only():
            return None
        from vault.ui.dialogs.add_member_dialog import AddMemberDialog
        dialog = AddMemberDialog(self.context, self)
        dialog.member_added.connect(self.open_member)
        dialog.open()
        return dialog

    def new_case(self, member_id: str | None = None) -> QDialog | None:
        """The New case dialog for ``member_id``; without one, for the member in view (the one
        selected on Members, or the member of the open case), else asking with nobody chosen.
        """
        if self.context is None or self._refused_while_read_only():
            return None
        context = self.context
        if member_id is None:
            member_id = self.member_in_view()
        if not context.session.members.list():
            context.message_boxes.information(
                self, "Add the member first",
                "A case belongs to a member. Add the member first, then open their case.")
            return self.new_member()
        from vault.ui.dialogs.open_case_dialog import OpenCaseDialog
        dialog = OpenCaseDialog(context, self, member_id=member_id)
        dialog.case_opened.connect(self.open_case)
        dialog.open()
        return dialog

    def member_in_view(self) -> str | None:
        """The member the rep is looking at: selected on Members, or the open case's member."""
        current = self.stack.currentWidget()
        if current is None or self.context is None:
            return None
        if current is self.case_page and self.case_page.current_ref:
            try:
                return self.context.session.cases.get(self.case_page.current_ref).member_id
            except VaultError:
                return None
        if current is self.pages.get("members"):
            selected = getattr(current, "selected", None)
            summary = selected() if callable(selected) else None
            return summary.member.id if summary is not None else None
        return None

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def search_everything(self, text: str) -> None:
        """Enter in the search box: the Search page, if registered, searches every record."""
        page = self.pages.get(SEARCH_PAGE)
        if page is None:
            self._search(text)
            return
        self.show_page(SEARCH_PAGE)
        page.apply_search(text)
        focus_results = getattr(page, "focus_results", None)
        if callable(focus_results):
            focus_results()

    def _search(self, text: str) -> None:
        """Typing in the search box: results from everything search covers, as you type (the
        Search page), keeping the focus in the box. Without a Search page, the current table
        (or Cases) is filtered."""
        page = self.pages.get(SEARCH_PAGE)
        if page is not None:
            if self.stack.currentWidget() is not page:
                self.stack.setCurrentWidget(page)
                self.rail.select(SEARCH_PAGE)
            page.apply_search(text)
            return
        current = self.stack.currentWidget()
        if isinstance(current, VaultPage) and current is not self._case_page \
                and current.apply_search(text):
            return
        fallback = self.pages.get(SEARCH_FALLBACK_PAGE)
        if fallback is not None:
            self.show_page(SEARCH_FALLBACK_PAGE)
            fallback.apply_search(text)

    # -- refresh -------------------------------------------------------------------------------

    def _refresh_all(self) -> None:
        if self.context is None or not self.context.is_open:
            return
        for page in self.pages.values():
            self._safely(page.refresh)
        if self._case_page is not None and self._case_page.current_ref:
            self._safely(self._case_page.reload)
        self._refresh_trail_head()

    def refresh_countdown(self, remaining_ms: int) -> None:
        self.status.set_countdown(remaining_ms if self.context is not None else 0)

    def _refresh_trail_head(self) -> None:
        if self.context is None or not self.context.is_open:
            return
        try:
            seq, mac = self.context.session.trail.head()
        except VaultError:
            return
        self.status.set_trail_head(seq, mac)

    def _safely(self, action: Callable[[], object]) -> bool:
        """Run a page action; a service error becomes a calm message instead of a crash."""
        try:
            action()
        except VaultError as exc:
            if self.context is not None and self.context.is_open:
                self.context.message_boxes.warning(self, WINDOW_TITLE, str(exc))
            return False
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing the main window quits the app; the controller locks on aboutToQuit.
        event.accept()
