"""The case page: a heading (reference, title, member) and the registered case tabs.

Tabs come from ``UiRegistry.case_tabs()`` and are built once per unlock; each gets
``load(case)`` when a case is shown and ``clear()`` on lock or before another case loads.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from vault.domain import Case, format_uk_date
from vault.ui import theme
from vault.ui.case_tabs.case_tab import CaseTab
from vault.ui.dialogs.export_bundle_dialog import ExportBundleDialog
from vault.ui.page_context import PageContext
from vault.ui.pages.vault_page import VaultPage
from vault.ui.widgets.page_header import PageHeader

log = logging.getLogger(__name__)

CASE_PAGE_KEY = "case"


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
        self.tab_by_key: dict[str, CaseTab] = {}
        self._titles: dict[str, str] = {}

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
        for existing in self.tab_by_key.values():
            existing.load(case)
        if tab and tab in self.tab_by_key:
            self.tabs.setCurrentWidget(self.tab_by_key[tab])
        elif previous_id != case.id:
            self.tabs.setCurrentIndex(0)

    def open_export(self) -> ExportBundleDialog | None:
        """Open Export bundle… for the case shown."""
        if self.case is None:
            return None
        dialog = ExportBundleDialog(self.context, self.case.ref, self)
        dialog.finished.connect(dialog.deleteLater)
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def show_tab(self, key: str) -> CaseTab | None:
        tab = self.tab_by_key.get(key)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)
        return tab

    def reload(self) -> None:
        if self.case is not None and self.context.is_open:
            self.show_case(self.case.ref)

    def clear(self) -> None:
        for tab in self.tab_by_key.values():
            tab.clear()
        self.case = None
        self.header.set_title("")
        self.header.set_subtitle("")

    def _set_badge(self, key: str, text: str) -> None:
        tab = self.tab_by_key.get(key)
        if tab is None:
            return
        title = self._titles.get(key, key)
        self.tabs.setTabText(self.tabs.indexOf(tab), f"{title} ({text})" if text else title)
