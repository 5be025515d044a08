"""Building the branch audit for a period from plain case facts.

Owns the counting rules of the audit (the report's layout is ``vault.reports.audit_report``):

* the counts are a snapshot **as of the period's end** (``period_to``): a case opened after it
  is left out; a case closed after it counts as open;
* ``due``/``overdue``/``held`` follow :func:`vault.retention.policy.retention_status` on that
  date; ``closed`` counts every closed case still in the vault (kept, due, overdue or held);
* ``destroyed`` counts the destruction certificates dated within the period, and every one of
  them is listed.

Inputs are :class:`RetentionCase` rows (reference, category, dates, rule, hold): no names,
titles or free text ever reach the report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from vault.reports.audit_report import (
    AuditCaseLine,
    AuditCertificateLine,
    AuditCounts,
    AuditReportView,
)
from vault.reports.destruction_certificate import TrailHead
from vault.retention.policy import RetentionStatus, retention_status

__all__ = ["RetentionCase", "build_audit"]


@dataclass(frozen=True, slots=True)
class RetentionCase:
    """A case as retention sees it. ``closed``/``retain_until`` are None while it is open."""

    ref: str
    category: str
    opened: dt.date
    closed: dt.date | None
    retain_until: dt.date | None
    rule: str
    held: bool
    destroyed: dt.date | None = None

    def status(self, as_of: dt.date) -> RetentionStatus | None:
        """The retention status on ``as_of`` (None while open)."""
        return retention_status(retain_until=self.retain_until, held=self.held,
                                destroyed=self.destroyed is not None, as_of=as_of)


def build_audit(
    cases: Iterable[RetentionCase],
    certificates: Iterable[AuditCertificateLine],
    *,
    period_from: dt.date,
    period_to: dt.date,
    generated: dt.datetime,
    vault_id: str,
    union: str,
    trail_head: TrailHead,
    product_version: str,
) -> AuditReportView:
    """The audit view of the period (see the module docstring for the counting rules)."""
    open_count = closed_count = due = overdue = held = 0
    lines: list[AuditCaseLine] = []
    for case in cases:
        if case.destroyed is not None or case.opened > period_to:
            continue
        if case.closed is None or case.closed > period_to or case.retain_until is None:
            open_count += 1
            continue
        closed_count += 1
        status = case.status(period_to)
        if status is RetentionStatus.HELD:
            held += 1
        elif status in (RetentionStatus.DUE, RetentionStatus.OVERDUE):
            if status is RetentionStatus.DUE:
                due += 1
            else:
                overdue += 1
            lines.append(AuditCaseLine(case.ref, case.category, case.opened, case.closed,
                                       case.retain_until, case.rule, status.value))
    in_period = tuple(sorted(
        (c for c in certificates if period_from <= c.destroyed <= period_to),
        key=lambda c: (c.destroyed, c.ref)))
    lines.sort(key=lambda x: (x.retention_date, x.ref))
    return AuditReportView(
        vault_id=vault_id, union=union, period_from=period_from, period_to=period_to,
        generated=generated,
        counts=AuditCounts(open=open_count, closed=closed_count, due=due, overdue=overdue,
                           held=held, destroyed=len(in_period)),
        cases=tuple(lines), certificates=in_period, trail_head=trail_head,
        product_version=product_version,
    )
