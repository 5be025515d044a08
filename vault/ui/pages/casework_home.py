"""Home sections for casework: follow-ups owed, escalations outstanding, action points due this
week, and conflict decisions pending.

Each provider asks its service and returns ``HomeItem``s, most urgent first; activating an item
opens the case at the tab where the rep acts on it. Registered in ``vault.ui.builtin_pages``.
"""

from __future__ import annotations

from vault.casework.check_back import CheckBackDue
from vault.casework.conflicts import ConflictFinding
from vault.casework.escalation import EscalationStatus
from vault.casework.first_meeting import UpcomingAction
from vault.casework.followups import FollowUp
from vault.domain import format_uk_date
from vault.ui.models.first_meeting_table_models import OWNER_LABELS
from vault.ui.models.moments import plural
from vault.ui.models.party_table_model import reason_text, role_text
from vault.ui.models.search_results_model import (
    FIRST_MEETING_TAB,
    OVERVIEW_TAB,
    PAPER_TRAIL_TAB,
    PARTIES_TAB,
)
from vault.ui.page_context import PageContext
from vault.ui.registry import HomeItem

ACTION_DAYS_AHEAD = 7
MAX_TEXT = 60


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def _follow_up_item(f: FollowUp) -> HomeItem:
    if f.overdue:
        when = f"overdue by {plural(f.days_overdue, 'day')}"
        was = f" Was due {format_uk_date(f.due)}."
    else:
        when, was = f"due {format_uk_date(f.due)}", ""
    return HomeItem(
        text=f"{f.case_ref}: written follow-up {when}",
        detail=f"Oral advice #{f.advice_seq} of {format_uk_date(f.advice_date)}: "
               f"{_short(f.summary)}.{was}",
        case_ref=f.case_ref, tab=PAPER_TRAIL_TAB, urgent=f.overdue, entry=f.advice_seq)


def follow_ups_owed(context: PageContext) -> list[HomeItem]:
    """Written follow-ups of oral advice still owed: overdue first (urgent), then by due date."""
    return [_follow_up_item(f) for f in context.session.followups.owed()]


def follow_ups_owed_first(context: PageContext, n: int) -> tuple[list[HomeItem], int]:
    """The first ``n`` of ``follow_ups_owed`` (only those are decrypted) and the total."""
    owed, total = context.session.followups.owed_first(n)
    return [_follow_up_item(f) for f in owed], total


def _escalation_action(context: PageContext) -> str:
    """What to do, worded from the rep's union profile (who to tell, and how)."""
    wording = context.session.training.wording()
    return (f" Escalate to a more experienced branch caseworker and {wording.verb} "
            f"{wording.body}, or record why not.")


def _escalation_item(status: EscalationStatus, action: str) -> HomeItem:
    reason = status.outstanding_reason or "No escalation decision has been recorded."
    return HomeItem(
        text=f"{status.ref}: escalation decision outstanding",
        detail=reason + action,
        case_ref=status.ref, tab=OVERVIEW_TAB, urgent=True)


def escalations_outstanding(context: PageContext) -> list[HomeItem]:
    """Open cases still waiting for an escalation decision (all urgent)."""
    action = _escalation_action(context)
    return [_escalation_item(s, action) for s in context.session.escalation.outstanding()]


def escalations_outstanding_first(context: PageContext, n: int) -> tuple[list[HomeItem], int]:
    """The first ``n`` of ``escalations_outstanding`` and the total."""
    action = _escalation_action(context)
    statuses, total = context.session.escalation.outstanding_first(n)
    return [_escalation_item(s, action) for s in statuses], total


def _action_item(up: UpcomingAction) -> HomeItem:
    a = up.action
    due = format_uk_date(a.due) if a.due else ""
    when = f"overdue (was due {due})" if up.overdue else f"due {due}"
    return HomeItem(
        text=f"{up.case_ref}: action point {when}",
        detail=f"{OWNER_LABELS.get(a.owner, a.owner.value)}: {_short(a.text)}",
        case_ref=up.case_ref, tab=FIRST_MEETING_TAB, urgent=up.overdue)


def action_points_due(context: PageContext) -> list[HomeItem]:
    """Undone action points due within a week (overdue ones first)."""
    upcoming = context.session.first_meeting.upcoming(within_days=ACTION_DAYS_AHEAD)
    return [_action_item(up) for up in upcoming]


def action_points_due_first(context: PageContext, n: int) -> tuple[list[HomeItem], int]:
    """The first ``n`` of ``action_points_due`` and the total (a LIMIT and a count)."""
    upcoming, total = context.session.first_meeting.upcoming_first(
        n, within_days=ACTION_DAYS_AHEAD)
    return [_action_item(up) for up in upcoming], total


def _conflict_item(f: ConflictFinding) -> HomeItem | None:
    where = f"in {f.match.ref}" if f.match.ref else "with no case yet"
    detail = (f"May be {f.match.name}, {role_text(f.match.role).lower()} {where} "
              f"({reason_text(f.match.reason, f.match.score)}).")
    if f.case_ref:
        return HomeItem(text=f"{f.case_ref}: conflict decision needed", detail=detail,
                        case_ref=f.case_ref, tab=PARTIES_TAB, urgent=True)
    if f.match.ref:
        # A new member's check: it is decided from the case of the person matched.
        return HomeItem(text=f"{f.match.ref}: conflict decision needed (new member)",
                        detail=detail, case_ref=f.match.ref, tab=PARTIES_TAB, urgent=True)
    # A new member matched to a member with no case: no case page can show it yet; the
    # check runs again, on a case, when their case is opened.
    return None


def conflicts_pending(context: PageContext) -> list[HomeItem]:
    """Possible conflicts of interest with no decision yet, each opening a Parties tab."""
    items = (_conflict_item(f) for f in context.session.conflicts.pending_all())
    return [i for i in items if i is not None]


def conflicts_pending_first(context: PageContext, n: int) -> tuple[list[HomeItem], int]:
    """The first ``n`` of ``conflicts_pending`` (only those names are looked up), the total."""
    findings, total = context.session.conflicts.pending_on_cases_first(n)
    items = (_conflict_item(f) for f in findings)
    return [i for i in items if i is not None], total


def key_dates_soon(context: PageContext) -> list[HomeItem]:
    """Hearings, deadlines and time limits of open cases in the next 14 days (overdue first)."""
    items = []
    for d in sorted(context.session.key_dates.upcoming(), key=lambda d: d.on):
        items.append(HomeItem(
            text=f"{d.case_ref}: {d.kind.label.lower()} {d.countdown}",
            detail=f"{format_uk_date(d.on)}." + (f" {d.note}" if d.note else "")
                   + (" Check the date with your regional office." if d.advice else ""),
            case_ref=d.case_ref, tab=OVERVIEW_TAB, urgent=d.overdue or d.days_left <= 2))
    return sorted(items, key=lambda i: not i.urgent)


def _check_back_item(d: CheckBackDue) -> HomeItem:
    return HomeItem(
        text=f"{d.case_ref}: check back against the first meeting",
        detail=f"No check-back since {format_uk_date(d.since)}; "
               f"{plural(d.open_issues, 'agreed issue')} still open. Have you covered all the "
               "issues, and have any new ones been raised?",
        case_ref=d.case_ref, tab=FIRST_MEETING_TAB, urgent=False)


def check_backs_due(context: PageContext) -> list[HomeItem]:
    """Open cases not checked against their first meeting for a while (UCU guide point 8)."""
    return [_check_back_item(d) for d in context.session.check_back.due()]


def check_backs_due_first(context: PageContext, n: int) -> tuple[list[HomeItem], int]:
    """The first ``n`` of ``check_backs_due`` (only those count their issues), the total."""
    due, total = context.session.check_back.due_first(n)
    return [_check_back_item(d) for d in due], total
