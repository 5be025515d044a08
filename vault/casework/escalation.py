"""Escalation: when a case needs an escalation decision, recording it, and what is outstanding.

Two rules (DOMAIN.md "Escalation"):

- ``dismissal-or-discrimination``: dismissal is threatened or the complaint is one of
  discrimination, by category or by flag. The UCU guide: escalate to a more experienced branch
  caseworker and notify the regional office.
- ``not-accredited``: the rep is not yet an accredited case handler and the case is a personal
  case (``domain.PERSONAL_CATEGORIES``). Accreditation comes from the training record through
  the injected ``is_accredited`` callable (the composition root wires it; until then every rep
  counts as accredited).

While a rule applies to an open case, the case needs a recorded decision: escalated (to whom,
when, and when the regional office was notified) or not escalating (with a reason). A decision
answers the rules that applied when it was made; if another rule starts to apply later (a flag
is set, say), the case is outstanding again. An "escalated" decision without the regional
office's notification date stays outstanding until that date is recorded. Each decision is a
new paper-trail entry; the latest is kept for the case page.

Every sentence that names the body to tell is in the rep's union's words (``NotifyWords``,
injected by the session from the union profile: "notify your UCU regional office", "tell your
Bectu dedicated officer"); before a union is chosen they name no union.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from vault.casework.validation import clean_text
from vault.clock import Clock
from vault.domain import PERSONAL_CATEGORIES, Case, CaseStatus, Category, format_uk_date
from vault.errors import InvalidInput
from vault.store.escalations_repo import (
    ESCALATED,
    NOT_ESCALATING,
    EscalationRecord,
    OpenCaseBrief,
)
from vault.store.unit_of_work import UnitOfWork
from vault.trail.service import CaseworkEvent, PaperTrail, load_case

log = logging.getLogger(__name__)

MAX_REASON = 2_000
MAX_WHO = 200


class EscalationRule(StrEnum):
    """Why a case needs an escalation decision. Values are shown in the CLI's JSON."""

    DISMISSAL_OR_DISCRIMINATION = "dismissal-or-discrimination"
    NOT_ACCREDITED = "not-accredited"

    @property
    def explanation(self) -> str:
        return _EXPLANATIONS[self]


_EXPLANATIONS = {
    EscalationRule.DISMISSAL_OR_DISCRIMINATION: (
        "Dismissal is threatened or discrimination is alleged: the UCU guide says to escalate "
        "to a more experienced branch caseworker and notify the regional office."
    ),
    EscalationRule.NOT_ACCREDITED: (
        "You are not yet an accredited case handler and this is a personal case: escalate to "
        "a more experienced branch caseworker and notify the regional office."
    ),
}


@dataclass(frozen=True)
class NotifyWords:
    """Who to tell and how: ``verb`` "tell", ``told`` "told", ``body`` "your Bectu dedicated
    officer". Built from the union profile by the session (training is independent of
    casework, so the words come in as plain data)."""

    verb: str = "tell"
    told: str = "told"
    body: str = "your union's regional office or officer"

    @property
    def body_capitalised(self) -> str:
        return self.body[:1].upper() + self.body[1:]


def _reason_text(rule: EscalationRule, case: Case, words: NotifyWords) -> str:
    action = f"escalate to a more experienced branch caseworker and {words.verb} {words.body}."
    if rule is EscalationRule.NOT_ACCREDITED:
        return ("You are not yet an accredited case handler and this is a personal case: "
                + action)
    dismissal = case.category.value == "dismissal" or case.flags.dismissal_threatened
    discrimination = (case.category.value == "discrimination"
                      or case.flags.discrimination_alleged)
    if dismissal and discrimination:
        why = "Dismissal is threatened and discrimination is alleged"
    elif discrimination:
        why = "Discrimination is alleged"
    else:
        why = "Dismissal is threatened"
    return f"{why}: {action}"


class DecisionKind(StrEnum):
    ESCALATED = ESCALATED
    NOT_ESCALATING = NOT_ESCALATING


@dataclass(frozen=True)
class EscalationDecision:
    kind: DecisionKind
    escalated_to: str | None
    escalated_on: dt.date | None
    regional_notified_on: dt.date | None
    reason: str | None
    rules: tuple[EscalationRule, ...]   # the rules this decision answered
    recorded: dt.datetime
    trail_seq: int


@dataclass(frozen=True)
class EscalationStatus:
    """Where a case stands on escalation.

    ``rules`` apply now (empty for a case that needs no decision, or is not open).
    ``outstanding`` is true while a decision is needed; ``outstanding_reason`` says why.
    """

    ref: str
    rules: tuple[EscalationRule, ...]
    decision: EscalationDecision | None
    outstanding: bool
    outstanding_reason: str
    # One sentence per rule, in the union's words, naming only the reason that applies.
    reason_texts: tuple[str, ...] = ()

    @property
    def required(self) -> bool:
        return bool(self.rules)

    @property
    def reasons(self) -> list[str]:
        """One sentence per rule that applies, saying which rule triggered the prompt."""
        return list(self.reason_texts) or [rule.explanation for rule in self.rules]


def _decision(rec: EscalationRecord) -> EscalationDecision:
    rules = tuple(EscalationRule(r) for r in rec.rules if r in EscalationRule._value2member_map_)
    return EscalationDecision(
        kind=DecisionKind(rec.decision), escalated_to=rec.escalated_to,
        escalated_on=rec.escalated_on, regional_notified_on=rec.regional_notified_on,
        reason=rec.reason, rules=rules, recorded=rec.recorded, trail_seq=rec.trail_seq,
    )


class EscalationService:
    def __init__(self, uow: UnitOfWork, clock: Clock, trail: PaperTrail,
                 is_accredited: Callable[[], bool] = lambda: True,
                 notify_words: Callable[[], NotifyWords] = NotifyWords) -> None:
        """``is_accredited`` answers whether the rep is an accredited case handler now;
        ``notify_words`` who to tell, in the union's words."""
        self._uow = uow
        self._clock = clock
        self._trail = trail
        self._is_accredited = is_accredited
        self._words = notify_words

    def rules_for(self, case: Case, *,
                  accredited: bool | None = None) -> tuple[EscalationRule, ...]:
        """The rules that apply to ``case`` now (none unless the case is open)."""
        if case.status is not CaseStatus.OPEN:
            return ()
        if accredited is None:
            accredited = self._is_accredited()
        return _rules(case.category, prompt=case.needs_escalation_prompt, accredited=accredited)

    def status(self, ref: str) -> EscalationStatus:
        """The escalation status of one case.

        Raises:
            NotFound: no such case.
        """
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            rec = tx.escalations.get(case.id)
        return self._status(case, rec, self.rules_for(case))

    def outstanding(self) -> list[EscalationStatus]:
        """Open cases still needing an escalation decision (for the home page), by reference."""
        accredited = self._is_accredited()
        words = self._words()  # once: it reads the training record
        with self._uow.read() as tx:
            cases = tx.cases.list()
            decisions = tx.escalations.all()
        out = []
        for case in cases:
            rules = self.rules_for(case, accredited=accredited)
            if not rules:
                continue
            status = self._status(case, decisions.get(case.id), rules, words)
            if status.outstanding:
                out.append(status)
        return out

    def outstanding_first(self, limit: int) -> tuple[list[EscalationStatus], int]:
        """The first ``limit`` of ``outstanding()`` and how many there are in all (the others
        are counted, not described)."""
        accredited = self._is_accredited()
        words = self._words()
        out: list[EscalationStatus] = []
        total = 0
        with self._uow.read() as tx:
            # One brief row per open case with its decision's outline: only the cases shown
            # are decoded whole (50,000 decoded cases took 0.9 s of Home).
            for brief in tx.escalations.open_case_briefs():
                rules = _rules(Category(brief.category), prompt=_prompts(brief),
                               accredited=accredited)
                decided = (None if brief.decision is None else
                           (DecisionKind(brief.decision), _known_rules(brief.decided_rules),
                            brief.regional_notified))
                if not _outstanding_parts(decided, rules):
                    continue
                total += 1
                if len(out) < limit:
                    case = tx.cases.get(brief.case_id)
                    out.append(self._status(case, tx.escalations.get(case.id), rules, words))
        return out, total

    def record_escalated(self, ref: str, *, to: str, on: dt.date,
                         regional_notified_on: dt.date | None = None) -> EscalationStatus:
        """Record that the case was escalated to ``to`` on ``on``.

        Raises:
            InvalidInput: empty ``to``; a date in the future.
            NotFound / RefusedAction: no such case; the case is destroyed.
        """
        who = clean_text(to, "Who the case was escalated to", max_len=MAX_WHO)
        today = self._clock.today()
        _past(on, today, "The escalation date")
        words = self._words()
        if regional_notified_on is not None:
            _past(regional_notified_on, today, f"The date {words.body} was {words.told}")
        summary = f"Escalated to {who} on {format_uk_date(on)}"
        if regional_notified_on:
            summary += f"; {words.told} {words.body} on {format_uk_date(regional_notified_on)}"
        return self._record(ref, ESCALATED, summary, escalated_to=who, escalated_on=on,
                            regional_notified_on=regional_notified_on, reason=None)

    def record_not_escalating(self, ref: str, reason: str) -> EscalationStatus:
        """Record the decision not to escalate, with the reason.

        Raises:
            InvalidInput: empty reason.
            NotFound / RefusedAction: no such case; the case is destroyed.
        """
        why = clean_text(reason, "The reason for not escalating", max_len=MAX_REASON)
        return self._record(ref, NOT_ESCALATING, "Decided not to escalate", escalated_to=None,
                            escalated_on=None, regional_notified_on=None, reason=why)

    # -- internals -----------------------------------------------------------------------------

    def _record(self, ref: str, decision: str, summary: str, *, escalated_to: str | None,
                escalated_on: dt.date | None, regional_notified_on: dt.date | None,
                reason: str | None) -> EscalationStatus:
        now = self._clock.now()
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            rules = self.rules_for(case)
            payload: dict[str, object] = {
                "summary": summary, "decision": decision,
                "rules": [r.value for r in rules],
            }
            if reason:
                payload["detail"] = reason
            seq = self._trail.record(tx, kind=CaseworkEvent.ESCALATION_DECISION.value,
                                     case=case, payload=payload)
            rec = EscalationRecord(
                case_id=case.id, decision=decision, escalated_to=escalated_to,
                escalated_on=escalated_on, regional_notified_on=regional_notified_on,
                reason=reason, rules=tuple(r.value for r in rules), recorded=now, trail_seq=seq,
            )
            tx.escalations.save(rec)
            tx.cases.touch(case.id, now)
        log.info("escalation decision recorded on %s: %s", case.ref, decision)
        return self._status(case, rec, rules)

    def _status(self, case: Case, rec: EscalationRecord | None,
                rules: tuple[EscalationRule, ...],
                words: NotifyWords | None = None) -> EscalationStatus:
        words = words or self._words()
        decision = _decision(rec) if rec else None
        outstanding = False
        reason = ""
        if rules:
            if decision is None:
                outstanding, reason = True, "No escalation decision has been recorded."
            elif any(r not in decision.rules for r in rules):
                outstanding = True
                reason = "A new reason to escalate applies since the last decision."
            elif decision.kind is DecisionKind.ESCALATED and decision.regional_notified_on is None:
                outstanding = True
                reason = f"{words.body_capitalised} has not been {words.told} yet."
        texts = tuple(_reason_text(rule, case, words) for rule in rules)
        return EscalationStatus(case.ref, rules, decision, outstanding, reason, texts)


def _rules(category: Category, *, prompt: bool, accredited: bool
           ) -> tuple[EscalationRule, ...]:
    """The rules for an open case of ``category`` (``prompt``: dismissal threatened or
    discrimination, by category or flag)."""
    rules: list[EscalationRule] = []
    if prompt:
        rules.append(EscalationRule.DISMISSAL_OR_DISCRIMINATION)
    if not accredited and category in PERSONAL_CATEGORIES:
        rules.append(EscalationRule.NOT_ACCREDITED)
    return tuple(rules)


def _prompts(brief: OpenCaseBrief) -> bool:
    """``Case.needs_escalation_prompt`` from a brief row."""
    return (brief.category in (Category.DISMISSAL.value, Category.DISCRIMINATION.value)
            or brief.dismissal_threatened or brief.discrimination_alleged)


def _known_rules(values: tuple[str, ...]) -> tuple[EscalationRule, ...]:
    return tuple(EscalationRule(r) for r in values if r in EscalationRule._value2member_map_)


def _outstanding(decision: EscalationDecision | None,
                 rules: tuple[EscalationRule, ...]) -> bool:
    """Whether ``_status`` would call the case outstanding (without its wording)."""
    return _outstanding_parts(
        None if decision is None else (decision.kind, decision.rules,
                                       decision.regional_notified_on is not None), rules)


def _outstanding_parts(decided: tuple[DecisionKind, tuple[EscalationRule, ...], bool] | None,
                       rules: tuple[EscalationRule, ...]) -> bool:
    """``_outstanding`` from a decision's kind, the rules it answered and whether the region
    was told."""
    if not rules:
        return False
    if decided is None:
        return True
    kind, answered, notified = decided
    if any(r not in answered for r in rules):
        return True
    return kind is DecisionKind.ESCALATED and not notified


def _past(value: dt.date, today: dt.date, field: str) -> None:
    if not isinstance(value, dt.date):
        raise InvalidInput(f"{field} must be a date.")
    if (value.date() if isinstance(value, dt.datetime) else value) > today:
        raise InvalidInput(f"{field} cannot be in the future.")
