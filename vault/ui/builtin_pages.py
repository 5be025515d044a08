"""The built-in pages, case tabs and Home sections, registered on a fresh ``UiRegistry``.

Features built later register theirs here too (Retention, Training pages; First meeting,
Paper trail, Parties tabs; follow-ups and escalations on Home) — see ``vault.ui.registry``
for the orders in use. Each is named by module and attribute (``vault.ui.lazy.Lazy``) and
imported when first built, on the GUI thread. ``tests/ui/test_start_up_imports.py`` resolves
every name.
"""

from __future__ import annotations

from typing import Any

from vault.ui.lazy import Lazy
from vault.ui.page_keys import RETENTION_PAGE_KEY, SEARCH_PAGE_KEY, TRAINING_PAGE_KEY
from vault.ui.registry import UiRegistry


def _page(module: str, name: str) -> Lazy[Any]:
    return Lazy("vault.ui.pages." + module, name)


def _tab(module: str, name: str) -> Lazy[Any]:
    return Lazy("vault.ui.case_tabs." + module, name)


def _home(name: str) -> Lazy[Any]:
    return Lazy("vault.ui.pages.casework_home", name)


def default_registry() -> UiRegistry:
    """Every built-in page, tab and section, named lazily (``vault.ui.lazy``): no page module
    is imported until the page is built."""
    registry = UiRegistry()
    registry.add_page("home", "Home", _page("home_page", "HomePage"), icon="home", order=10,
                      shortcut="Ctrl+1")
    registry.add_page("members", "Members", _page("members_page", "MembersPage"),
                      icon="members", order=20, shortcut="Ctrl+2")
    registry.add_page("cases", "Cases", _page("cases_page", "CasesPage"), icon="cases",
                      order=30, shortcut="Ctrl+3")
    registry.add_page("policies", "Policies", _page("policies_page", "PoliciesPage"),
                      icon="document", order=60, shortcut="Ctrl+6")
    registry.add_page("settings", "Settings", _page("settings_page", "SettingsPage"),
                      icon="settings", bottom=True, order=900, shortcut="Ctrl+,")
    registry.add_page("help", "Help", _page("help_page", "HelpPage"), icon="help",
                      bottom=True, order=910, shortcut="F1")
    registry.add_case_tab("overview", "Overview", _tab("overview_tab", "OverviewTab"),
                          order=10)
    registry.add_case_tab("documents", "Documents", _tab("documents_tab", "DocumentsTab"),
                          order=40)
    registry.add_home_section("recent-cases", "Recent open cases",
                              _page("home_page", "recent_cases"),
                              empty_text="No open cases. Open one with New case (Ctrl+N).",
                              order=90)
    # The Training page (order 50) and its Home section (70): a reminder or the next step.
    registry.add_page(TRAINING_PAGE_KEY, "Training", _page("training_page", "TrainingPage"),
                      icon="training", order=50, shortcut="Ctrl+5")
    registry.add_home_section(TRAINING_PAGE_KEY, "Training",
                              _page("training_page", "training_home_items"),
                              empty_text="Nothing due for your training today.", order=70)
    # Casework (issue 3): search results, the case tabs and what needs the rep today.
    registry.add_page(SEARCH_PAGE_KEY, "Search",
                      _page("search_results_page", "SearchResultsPage"), icon="search",
                      order=38, shortcut="Ctrl+Shift+F")
    registry.add_case_tab("first-meeting", "First meeting",
                          _tab("first_meeting_tab", "FirstMeetingTab"), order=20)
    registry.add_case_tab("paper-trail", "Paper trail",
                          _tab("paper_trail_tab", "PaperTrailTab"), order=30)
    registry.add_case_tab("parties", "Parties", _tab("parties_tab", "PartiesTab"), order=50)
    registry.add_home_section("follow-ups-owed", "Follow-ups owed", _home("follow_ups_owed"),
                              empty_text="No written follow-ups owed.", order=12,
                              first=_home("follow_ups_owed_first"))
    registry.add_home_section("escalations", "Escalations outstanding",
                              _home("escalations_outstanding"),
                              empty_text="No escalation decisions outstanding.", order=14,
                              first=_home("escalations_outstanding_first"))
    registry.add_home_section("action-points", "Action points due this week",
                              _home("action_points_due"),
                              empty_text="No action points due in the next 7 days.", order=16,
                              first=_home("action_points_due_first"))
    registry.add_home_section("key-dates", "Dates in the next 14 days",
                              _home("key_dates_soon"),
                              empty_text="No hearings, deadlines or time limits in the next "
                                         "14 days.", order=15)
    registry.add_home_section("check-back", "Check back against the first meeting",
                              _home("check_backs_due"),
                              empty_text="Every open case was checked back recently.", order=17,
                              first=_home("check_backs_due_first"))
    registry.add_home_section("conflicts", "Conflict decisions pending",
                              _home("conflicts_pending"),
                              empty_text="No possible conflicts waiting for a decision.",
                              order=18, first=_home("conflicts_pending_first"))
    # Retention (issue 9): the page on the rail and the due/overdue counts on Home.
    registry.add_page(RETENTION_PAGE_KEY, "Retention", _page("retention_page", "RetentionPage"),
                      icon="retention", order=40, shortcut="Ctrl+4")
    registry.add_home_section("retention", "Due for destruction",
                              _page("retention_page", "retention_reminders"),
                              empty_text="No case is due for destruction.", order=20)
    return registry
