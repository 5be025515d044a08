"""The built-in pages, case tabs and Home sections, registered on a fresh ``UiRegistry``.

Features built later register theirs here too (Retention, Training pages; First meeting,
Paper trail, Parties tabs; follow-ups and escalations on Home) — see ``vault.ui.registry``
for the orders in use.
"""

from __future__ import annotations

from vault.ui.case_tabs.documents_tab import DocumentsTab
from vault.ui.case_tabs.first_meeting_tab import FirstMeetingTab
from vault.ui.case_tabs.overview_tab import OverviewTab
from vault.ui.case_tabs.paper_trail_tab import PaperTrailTab
from vault.ui.case_tabs.parties_tab import PartiesTab
from vault.ui.pages.cases_page import CasesPage
from vault.ui.pages.casework_home import (
    action_points_due,
    action_points_due_first,
    check_backs_due,
    check_backs_due_first,
    conflicts_pending,
    conflicts_pending_first,
    escalations_outstanding,
    escalations_outstanding_first,
    follow_ups_owed,
    follow_ups_owed_first,
    key_dates_soon,
)
from vault.ui.pages.help_page import HelpPage
from vault.ui.pages.home_page import HomePage, recent_cases
from vault.ui.pages.members_page import MembersPage
from vault.ui.pages.policies_page import PoliciesPage
from vault.ui.pages.retention_page import (
    RETENTION_PAGE_KEY,
    RetentionPage,
    retention_reminders,
)
from vault.ui.pages.search_results_page import SEARCH_PAGE_KEY, SearchResultsPage
from vault.ui.pages.settings_page import SettingsPage
from vault.ui.pages.training_page import register_training
from vault.ui.registry import UiRegistry


def default_registry() -> UiRegistry:
    registry = UiRegistry()
    registry.add_page("home", "Home", HomePage, icon="home", order=10, shortcut="Ctrl+1")
    registry.add_page("members", "Members", MembersPage, icon="members", order=20,
                      shortcut="Ctrl+2")
    registry.add_page("cases", "Cases", CasesPage, icon="cases", order=30, shortcut="Ctrl+3")
    registry.add_page("policies", "Policies", PoliciesPage, icon="document", order=60,
                      shortcut="Ctrl+6")
    registry.add_page("settings", "Settings", SettingsPage, icon="settings", bottom=True,
                      order=900, shortcut="Ctrl+,")
    registry.add_page("help", "Help", HelpPage, icon="help", bottom=True, order=910,
                      shortcut="F1")
    registry.add_case_tab("overview", "Overview", OverviewTab, order=10)
    registry.add_case_tab("documents", "Documents", DocumentsTab, order=40)
    registry.add_home_section("recent-cases", "Recent open cases", recent_cases,
                              empty_text="No open cases. Open one with New case (Ctrl+N).",
                              order=90)
    register_training(registry)  # the Training page (order 50) and its Home section (70)
    # Casework (issue 3): search results, the case tabs and what needs the rep today.
    registry.add_page(SEARCH_PAGE_KEY, "Search", SearchResultsPage, icon="search", order=38,
                      shortcut="Ctrl+Shift+F")
    registry.add_case_tab("first-meeting", "First meeting", FirstMeetingTab, order=20)
    registry.add_case_tab("paper-trail", "Paper trail", PaperTrailTab, order=30)
    registry.add_case_tab("parties", "Parties", PartiesTab, order=50)
    registry.add_home_section("follow-ups-owed", "Follow-ups owed", follow_ups_owed,
                              empty_text="No written follow-ups owed.", order=12,
                              first=follow_ups_owed_first)
    registry.add_home_section("escalations", "Escalations outstanding",
                              escalations_outstanding,
                              empty_text="No escalation decisions outstanding.", order=14,
                              first=escalations_outstanding_first)
    registry.add_home_section("action-points", "Action points due this week",
                              action_points_due,
                              empty_text="No action points due in the next 7 days.", order=16,
                              first=action_points_due_first)
    registry.add_home_section("key-dates", "Dates in the next 14 days", key_dates_soon,
                              empty_text="No hearings, deadlines or time limits in the next "
                                         "14 days.", order=15)
    registry.add_home_section("check-back", "Check back against the first meeting",
                              check_backs_due,
                              empty_text="Every open case was checked back recently.", order=17,
                              first=check_backs_due_first)
    registry.add_home_section("conflicts", "Conflict decisions pending", conflicts_pending,
                              empty_text="No possible conflicts waiting for a decision.",
                              order=18, first=conflicts_pending_first)
    # Retention (issue 9): the page on the rail and the due/overdue counts on Home.
    registry.add_page(RETENTION_PAGE_KEY, "Retention", RetentionPage, icon="retention",
                      order=40, shortcut="Ctrl+4")
    registry.add_home_section("retention", "Due for destruction", retention_reminders,
                              empty_text="No case is due for destruction.", order=20)
    return registry
