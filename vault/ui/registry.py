"""What the main window is made of: registered pages, case tabs and Home sections.

Features add themselves here instead of editing the main window. ``vault.ui.builtin_pages``
registers the built-in ones; a new feature adds its own lines there (or calls the same methods
on ``MainWindow``, which forwards them and builds the page at once when unlocked).

    registry.add_page("training", "Training", TrainingPage, icon="training", order=50)
    registry.add_case_tab("paper-trail", "Paper trail", PaperTrailTab, order=30)
    registry.add_home_section("follow-ups", "Follow-ups owed", follow_ups_owed, order=10)

Orders in use: pages Home 10, Members 20, Cases 30 (Retention 40, Training 50 to come);
bottom of the rail Settings 900, Help 910. Case tabs Overview 10, Documents 40 (First meeting
20, Paper trail 30, Parties 50 to come). Home sections: Recent cases 90.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from vault.ui.case_tabs.case_tab import CaseTab
from vault.ui.page_context import PageContext
from vault.ui.pages.vault_page import VaultPage

PageFactory = Callable[[PageContext], VaultPage]
CaseTabFactory = Callable[[PageContext], CaseTab]


@dataclass(frozen=True)
class HomeItem:
    """One line on Home. Activating it opens ``case_ref`` at ``tab`` (with the paper-trail entry
    ``entry`` selected, if given), or the page ``page``."""

    text: str
    detail: str = ""
    case_ref: str | None = None
    tab: str | None = None
    page: str | None = None
    urgent: bool = False
    entry: int | None = None


HomeProvider = Callable[[PageContext], list[HomeItem]]
# ``first(context, n)``: the section's first ``n`` items and how many it has in all, for
# sections whose whole list costs more than a glance (it grows with the vault).
HomeFirst = Callable[[PageContext, int], tuple[list[HomeItem], int]]


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    factory: PageFactory
    icon: str = ""
    bottom: bool = False   # True: in the lower group of the rail (Settings, Help)
    order: int = 100
    shortcut: str = ""     # e.g. "Ctrl+1"; empty for none


@dataclass(frozen=True)
class CaseTabSpec:
    key: str
    title: str
    factory: CaseTabFactory
    order: int = 100


@dataclass(frozen=True)
class HomeSection:
    key: str
    title: str
    provider: HomeProvider
    empty_text: str = "Nothing here today."
    order: int = 100
    first: HomeFirst | None = None


class UiRegistry:
    """The pages, case tabs and Home sections the main window builds at each unlock."""

    def __init__(self) -> None:
        self._pages: dict[str, PageSpec] = {}
        self._case_tabs: dict[str, CaseTabSpec] = {}
        self._home: dict[str, HomeSection] = {}

    def add_page(self, key: str, title: str, factory: PageFactory, *, icon: str = "",
                 bottom: bool = False, order: int = 100, shortcut: str = "") -> PageSpec:
        """Register a navigation page. Raises ValueError if ``key`` is taken."""
        _check_new(key, self._pages)
        spec = PageSpec(key, title, factory, icon, bottom, order, shortcut)
        self._pages[key] = spec
        return spec

    def add_case_tab(self, key: str, title: str, factory: CaseTabFactory, *,
                     order: int = 100) -> CaseTabSpec:
        """Register a tab of the case page. Raises ValueError if ``key`` is taken."""
        _check_new(key, self._case_tabs)
        spec = CaseTabSpec(key, title, factory, order)
        self._case_tabs[key] = spec
        return spec

    def add_home_section(self, key: str, title: str, provider: HomeProvider, *,
                         empty_text: str = "Nothing here today.",
                         order: int = 100, first: HomeFirst | None = None) -> HomeSection:
        """Register a Home section; ``provider(context)`` returns its items, most urgent first.
        ``first(context, n)``, when given, returns the first ``n`` and the total without
        building the rest: Home's card uses it, and the whole list waits for "N more…".

        Raises ValueError if ``key`` is taken.
        """
        _check_new(key, self._home)
        section = HomeSection(key, title, provider, empty_text, order, first)
        self._home[key] = section
        return section

    def pages(self) -> list[PageSpec]:
        return sorted(self._pages.values(), key=lambda s: (s.bottom, s.order, s.key))

    def page(self, key: str) -> PageSpec | None:
        return self._pages.get(key)

    def case_tabs(self) -> list[CaseTabSpec]:
        return sorted(self._case_tabs.values(), key=lambda s: (s.order, s.key))

    def home_sections(self) -> list[HomeSection]:
        return sorted(self._home.values(), key=lambda s: (s.order, s.key))


def _check_new(key: str, taken: Mapping[str, object]) -> None:
    if not key or key in taken:
        raise ValueError(f"UI registry key already used or empty: {key!r}")
