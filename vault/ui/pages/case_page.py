"""The case page: a heading (reference, title, member) and the registered case tabs.

Tabs come from ``UiRegistry.case_tabs()`` and are built once per unlock; each gets
``load(case)`` and ``clear()`` on lock or before another case loads. Tabs load on demand: the
tab shown loads at once; the others load one per turn of the event loop after the page has
shown (so their badges appear a moment later), or at once when one is shown or asked for
through ``tab_by_key`` — so opening a case costs one tab, not all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from vault.domain import Case, format_uk_date
from vault.ui import theme
from vault.ui.case_tabs.case_tab import CaseTab
from vault.ui.dialogs.export_bundle_dialog import ExportBundleDialog
from vault.ui.page_context import PageContext
from vault.ui.pages.vault_page import VaultPage
from vault.ui.widgets.page_header import PageHeader

log = logging.getLogger(__name__)



class _Tabs(dict[str, CaseTab]):
    """The tabs by key; asking for one (``[key]`` or ``get``) loads it first if it is stale."""

    def __init__(self, ensure_loaded: Callable[[str], None]) -> None:
        super().__init__()
        self._ensure_loaded = ensure_loaded

    def __getitem__(self, key: str) -> CaseTab:
        tab = super().__getitem__(key)
        self._ensure_loaded(key)
        return tab

    def get(self, key: str, default: CaseTab | None = None) -> CaseTab | None:  # type: ignore[override]
        if key not in self:
            return default
        return self[key]


class CasePage(VaultPage):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.case: Case | None = None
        self.back_button = QPushButton(theme.icon("back", 18), "All cases", self)
        self.back_button.setAccessibleName("Back to all cases")
        self.back_button.clicked.connect(lambda: context.navigator.show_page("cases"))
        self.export_button = QPushButton(theme.icon("save-copy", 18), "Export bundle…", self)
        self.export_button.setAccessibleName("Export an encrypted bundle of this case")
        self.export_button.setToolTip("An AES-256 encrypted zip of the case's documents, "
                                      "summary and paper trail, to send to an officer.")
        self.export_button.clicked.connect(self.open_export)
        self.export_dialog: ExportBundleDialog | None = None
        self.header = PageHeader("", "", self)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Case sections")
        self.tabs.setDocumentMode(True)
        self.tab_by_key: dict[str, CaseTab] = _Tabs(self._ensure_loaded)
        self._titles: dict[str, str] = {}
        self._stale: set[str] = set()  # tabs not yet loaded with the current case
        self._generation = 0  # a deferred load of an earlier show_case is dropped
        self.tabs.currentChanged.connect(self._current_changed)

        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.export_button)
        top.addWidget(self.back_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.rebuild_tabs()

    @property
    def current_ref(self) -> str | None:
        return self.case.ref if self.case else None

    def rebuild_tabs(self) -> None:
        """(Re)create the tabs from the registry, keeping the case shown."""
        for tab in self.tab_by_key.values():
            tab.clear()
            tab.deleteLater()
        self._stale.clear()
        self.tabs.clear()
        self.tab_by_key.clear()
        for spec in self.context.registry.case_tabs():
            tab = spec.factory(self.context)
            tab.setObjectName(f"case-tab-{spec.key}")
            tab.setAccessibleName(spec.title)
            self.tab_by_key[spec.key] = tab
            self._titles[spec.key] = spec.title
            self.tabs.addTab(tab, spec.title)
            tab.badge_changed.connect(lambda text, key=spec.key: self._set_badge(key, text))
        if self.case is not None:
            self.show_case(self.case.ref)

    def show_case(self, ref: str, tab: str | None = None) -> None:
        """Load ``ref`` into every tab and show ``tab`` (default: keep the current tab).

        Raises:
            NotFound: no such case (the caller shows the message).
        """
        case = self.context.session.cases.get(ref)
        member = self.context.session.cases.member_of(case)
        previous_id = self.case.id if self.case is not None else None
        if previous_id is not None and previous_id != case.id:
            for existing in self.tab_by_key.values():
                existing.clear()
        self.case = case
        self.header.set_title(f"{case.ref} · {case.title}")
        closed = f", closed {format_uk_date(case.closed)}" if case.closed else ""
        self.header.set_subtitle(f"{member.name} · {case.category.label} · "
                                 f"{case.status.value.capitalize()} · opened "
                                 f"{format_uk_date(case.opened)}{closed}")
        self._generation += 1
        self._stale = set(dict.keys(self.tab_by_key))
        if tab and tab in self.tab_by_key:
            self.tabs.setCurrentWidget(dict.__getitem__(self.tab_by_key, tab))
        elif previous_id != case.id:
            self.tabs.setCurrentIndex(0)
        self._ensure_loaded(self._current_key())
        generation = self._generation
        QTimer.singleShot(0, lambda: self._load_next_stale(generation))

    def open_export(self) -> ExportBundleDialog | None:
        """Open Export bundle… for the case shown."""
        if self.case is None:
            return None
        dialog = ExportBundleDialog(self.context, self.case.ref, self)
        dialog.finished.connect(dialog.deleteLater)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def show_entry(self, seq: int) -> bool:
        """Select entry ``seq`` in the tab shown (the paper trail), scrolled into view."""
        current = self.tabs.currentWidget()
        return isinstance(current, CaseTab) and current.show_entry(seq)

    def show_tab(self, key: str) -> CaseTab | None:
        tab = self.tab_by_key.get(key)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)
        return tab

    # -- loading on demand ---------------------------------------------------------------------

    def _current_key(self) -> str:
        current = self.tabs.currentWidget()
        return next((k for k, t in dict.items(self.tab_by_key) if t is current), "")

    def _ensure_loaded(self, key: str) -> None:
        if key not in self._stale or self.case is None or not self.context.is_open:
            return
        self._stale.discard(key)
        dict.__getitem__(self.tab_by_key, key).load(self.case)

    def _current_changed(self, _index: int) -> None:
        self._ensure_loaded(self._current_key())

    def _load_next_stale(self, generation: int) -> None:
        """Load one more tab (for its badge), then yield to the event loop again."""
        if generation != self._generation or not self._stale:
            return
        self._ensure_loaded(next(k for k in dict.keys(self.tab_by_key) if k in self._stale))
        if self._stale:
            QTimer.singleShot(0, lambda: self._load_next_stale(generation))

    def reload(self) -> None:
        if self.case is not None and self.context.is_open:
            self.show_case(self.case.ref)

    def clear(self) -> None:
        self._generation += 1
        self._stale.clear()
        for tab in self.tab_by_key.values():
            tab.clear()
        self.case = None
        self.header.set_title("")
        self.header.set_subtitle("")

    def _set_badge(self, key: str, text: str) -> None:
        if key not in self.tab_by_key:
            return
        tab = dict.__getitem__(self.tab_by_key, key)
        title = self._titles.get(key, key)
        self.tabs.setTabText(self.tabs.indexOf(tab), f"{title} ({text})" if text else title)
