"""Pages, case tabs and Home sections are registrable (for Training, Retention, Paper trail...)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QVBoxLayout

from tests.ui.helpers import add_member_and_case, loaded_home
from vault.domain import Case
from vault.ui.case_tabs.case_tab import CaseTab
from vault.ui.page_context import PageContext
from vault.ui.pages.vault_page import VaultPage
from vault.ui.registry import HomeItem, UiRegistry


class _TrainingPage(VaultPage):
    def __init__(self, context: PageContext) -> None:
        super().__init__(context)
        self.refreshed = 0
        QVBoxLayout(self).addWidget(QLabel("Training record", self))

    def refresh(self) -> None:
        self.refreshed += 1


class _TrailTab(CaseTab):
    def __init__(self, context: PageContext) -> None:
        super().__init__(context)
        self.loaded: list[str] = []

    def load(self, case: Case) -> None:
        super().load(case)
        self.loaded.append(case.ref)
        self.badge_changed.emit("1 owed")


def test_duplicate_keys_are_refused():
    registry = UiRegistry()
    registry.add_page("x", "X", _TrainingPage)
    with pytest.raises(ValueError):
        registry.add_page("x", "X again", _TrainingPage)


def test_pages_are_ordered_with_bottom_group_last():
    from vault.ui.builtin_pages import default_registry

    specs = default_registry().pages()
    keys = [s.key for s in specs]
    assert keys[:3] == ["home", "members", "cases"]
    assert keys[-2:] == ["settings", "help"]
    assert [s.bottom for s in specs] == sorted(s.bottom for s in specs)


def test_add_page_while_unlocked_builds_it_and_shows_it_in_the_rail(unlocked, qtbot):
    window = unlocked.main_window
    window.add_page("example", "Example", _TrainingPage, icon="document", order=35,
                    shortcut="Ctrl+9")
    keys = list(window.rail.buttons)
    assert keys.index("example") == keys.index("cases") + 1
    assert keys[-2:] == ["settings", "help"]
    window.rail.buttons["example"].click()
    page = window.pages["example"]
    assert window.stack.currentWidget() is page and page.refreshed >= 1
    unlocked.lock()
    assert window.pages == {}


def test_case_tab_registration_and_badges(unlocked, qtbot):
    window = unlocked.main_window
    window.add_case_tab("test-tab", "Test tab", _TrailTab, order=35)
    _m, case = add_member_and_case(unlocked.session)
    window.open_case(case.ref, "test-tab")
    page = window.case_page
    titles = [page.tabs.tabText(i) for i in range(page.tabs.count())]
    # Between Paper trail (order 30) and Documents (order 40), with the badge it emitted.
    position = titles.index("Test tab (1 owed)")
    assert titles[position - 1].startswith("Paper trail")
    assert titles[position + 1].startswith("Documents")
    tab = page.tab_by_key["test-tab"]
    assert page.tabs.currentWidget() is tab and tab.loaded == [case.ref]


def test_home_sections_show_items_that_open_cases(controller, ui_manager, qtbot):
    def follow_ups(context: PageContext) -> list[HomeItem]:
        return [HomeItem(text=f"{s.case.ref}: written follow-up owed", case_ref=s.case.ref,
                         tab="documents", urgent=True) for s in context.session.cases.list()]

    controller.registry.add_home_section("follow-ups", "Follow-ups owed", follow_ups, order=10)
    session = ui_manager.create("correct horse battery staple orbit")
    _m, case = add_member_and_case(session)
    controller.open_session(session)
    home = loaded_home(controller.main_window)
    keys = [c.section.key for c in home.cards]
    assert keys[0] == "follow-ups" and "recent-cases" in keys
    card = home.cards[0]
    assert len(card.buttons) == 1 and "follow-up owed" in card.buttons[0].text()
    card.buttons[0].click()
    window = controller.main_window
    assert window.case_page.current_ref == case.ref
    assert window.case_page.tabs.currentWidget() is window.case_page.tab_by_key["documents"]
    assert home.members_stat.number.text() == "1" and home.open_stat.number.text() == "1"


def test_no_two_pages_share_a_shortcut() -> None:
    """Retention, Training and Policies each landed with their own; Ctrl+4 was taken twice."""
    from vault.ui.builtin_pages import default_registry

    shortcuts = [p.shortcut for p in default_registry().pages() if p.shortcut]
    assert len(shortcuts) == len(set(shortcuts)), shortcuts
