"""Fill a vault with fictional, realistic casework, through the session's public services.

``fill_demo_vault(session, DemoOptions(cases=N))`` writes members (some with two cases), cases
of every category, parties (a few of whom are also members elsewhere: genuine conflicts for the
rep to decide), first meetings with issues and action points (some due this week, some
overdue), paper trails with oral advice whose written follow-ups are owed, overdue or sent,
escalations recorded or outstanding, documents of realistic types and sizes, and a training
record part-way along the union's Reps 2 route.

The first ``DETAILED_CASES`` cases go through the same services the GUI and CLI use
(validation, conflict checks, trail MACs, the search index, follow-up deadlines); the rest are
written in bulk through the same repositories and ``PaperTrail.record`` (the same rows, trail
kinds and payloads, the same MAC chain and search triggers), with the conflicting parties
still added through the service so their checks are real. ``verify`` passes on the result.
Each group of cases is written inside one outer transaction, so every service call nests as a
savepoint and the group costs one commit (one fsync), not hundreds.

Closing cases and making some due for destruction belongs to the retention service (not built
yet): pass a ``ClosingHook`` (``closing_hook=``) and it is called once with every case made, after
the rest; ``DemoReport.closed`` counts what it closed.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import secrets
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vault.demo.documents import SampleFiles
from vault.demo.people import (
    ACTIONS,
    DEPARTMENTS,
    EMPLOYERS,
    FIRST_NAMES,
    ISSUES,
    SENTENCES,
    SURNAMES,
    TITLES,
)
from vault.domain import (
    Case,
    CaseFlags,
    CaseStatus,
    Category,
    EntryKind,
    Member,
    format_uk_date,
)
from vault.errors import Cancelled
from vault.session import Session
from vault.store.cases_repo import CasesRepository
from vault.store.first_meeting_repo import ActionOwner, MeetingDetails
from vault.store.parties_repo import PartyRole, UnionMembership
from vault.store.unit_of_work import Tx
from vault.trail.kinds import TrailEvent

log = logging.getLogger(__name__)

DEFAULT_CASES = 200
DEFAULT_SEED = 20261123
BATCH_CASES = 200  # cases per outer transaction (one commit each)
# The first cases go through every service call a rep would make; beyond these, cases are
# written in bulk straight through the repositories and ``PaperTrail.record`` (what the
# services do underneath, without re-reading each row a service returns) so 10,000 cases take
# a minute or two rather than a quarter of an hour.
DETAILED_CASES = 300

# (current cases so far, total)
Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]
# Called once with every case made; returns how many it closed (the retention issue's hook).
ClosingHook = Callable[[Session, Sequence[Case], random.Random], int]

_LOGGED_KINDS = (EntryKind.MEETING, EntryKind.PHONE_CALL, EntryKind.EMAIL_SENT,
                 EntryKind.EMAIL_RECEIVED, EntryKind.LETTER, EntryKind.NOTE, EntryKind.ACTION)


@dataclass(frozen=True)
class DemoOptions:
    """What to make. ``documents_every``: one case in that many gets 1–3 documents (0: none)."""

    cases: int = DEFAULT_CASES
    seed: int = DEFAULT_SEED
    documents_every: int = 4
    training: bool = True


@dataclass
class DemoReport:
    """What ``fill_demo_vault`` wrote (counts only)."""

    members: int = 0
    cases: int = 0
    parties: int = 0
    conflicts: int = 0
    entries: int = 0
    follow_ups_owed: int = 0
    documents: int = 0
    document_bytes: int = 0
    escalations_recorded: int = 0
    training_steps: int = 0
    closed: int = 0
    seconds: float = 0.0


class _Maker:
    def __init__(self, session: Session, options: DemoOptions, scratch: Path) -> None:
        self.s = session
        self.o = options
        self.rng = random.Random(options.seed)
        self.today = session.clock.today()
        self.now = session.clock.now()
        self.files = SampleFiles(self.rng)
        self.scratch = scratch
        self.report = DemoReport()
        self.members: list[Member] = []
        self.used_names: set[str] = set()
        self.refs: dict[int, int] = {}
        self.due_dates: dict[dt.date, dt.date] = {}

    # -- people --------------------------------------------------------------------------------

    def name(self) -> str:
        rng = self.rng
        for _ in range(20):
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            if name not in self.used_names:
                break
            name = f"{rng.choice(FIRST_NAMES)} {chr(65 + rng.randrange(26))}. " \
                   f"{rng.choice(SURNAMES)}"
            if name not in self.used_names:
                break
        self.used_names.add(name)
        return name

    def member(self, index: int) -> Member:
        name = self.name()
        first, last = name.split()[0], name.split()[-1]
        member = self.s.members.add(
            name, membership_number=f"DEMO-{100000 + index}",
            employer=self.rng.choice(EMPLOYERS), department=self.rng.choice(DEPARTMENTS),
            email=f"{first}.{last}@example.org".lower(),
            phone=f"07700 900{self.rng.randrange(1000):03d}",  # Ofcom's drama range
        )
        self.members.append(member)
        self.report.members += 1
        return member

    # -- one case ------------------------------------------------------------------------------

    def case(self, index: int) -> Case:
        rng = self.rng
        if self.members and rng.random() < 0.1:
            member = rng.choice(self.members)  # a second case for someone already known
        else:
            member = self.member(index)
        category = list(Category)[index % len(Category)]
        opened = self.today - dt.timedelta(days=rng.randint(1, 420))
        flags = CaseFlags(dismissal_threatened=rng.random() < 0.06,
                          discrimination_alleged=category is Category.DISCRIMINATION,
                          legal_action_contemplated=rng.random() < 0.02)
        case = self.s.cases.open(member.id, rng.choice(TITLES[category.value]), category,
                                 flags=flags, opened=opened)
        self.report.cases += 1
        self.report.entries += 1
        self.parties(case)
        if rng.random() < 0.8:
            self.first_meeting(case, opened)
        self.trail(case, opened)
        if flags.dismissal_threatened and rng.random() < 0.5:
            self.s.escalation.record_escalated(
                case.ref, to="Branch caseworker (demo)", on=min(self.today, opened
                                                                 + dt.timedelta(days=3)))
            self.report.escalations_recorded += 1
        if self.o.documents_every and index % self.o.documents_every == 0:
            for _ in range(rng.randint(1, 3)):
                self.document(case)
        return case

    def parties(self, case: Case) -> None:
        rng = self.rng
        for _ in range(rng.randint(1, 3)):
            if self.members and rng.random() < 0.03:
                # A member who is also a party here: the conflict check should find them.
                name = rng.choice(self.members).name
                role = rng.choice((PartyRole.SUBJECT, PartyRole.COMPLAINANT, PartyRole.WITNESS))
            else:
                name = self.name()
                role = rng.choice(list(PartyRole))
            added = self.s.parties.add(case.ref, name, role,
                                       rng.choice(list(UnionMembership)))
            self.report.parties += 1
            self.report.entries += 1
            self.report.conflicts += len(added.conflicts)

    def first_meeting(self, case: Case, opened: dt.date) -> None:
        rng = self.rng
        held = min(self.today, opened + dt.timedelta(days=rng.randint(0, 6)))
        fm = self.s.first_meeting
        fm.record(case.ref, held_on=held, place=rng.choice(("Union office", "Video call",
                                                            "Library café")))
        fm.set_narrative(case.ref, " ".join(f"{rng.choice(SENTENCES)}." for _ in range(4)))
        for text in rng.sample(ISSUES, rng.randint(1, 3)):
            fm.add_issue(case.ref, text)
        for text in rng.sample(ACTIONS, rng.randint(1, 2)):
            fm.add_action(case.ref, text, rng.choice(list(ActionOwner)),
                          self.today + dt.timedelta(days=rng.randint(-14, 20)))
        self.report.entries += 2

    def trail(self, case: Case, opened: dt.date) -> None:
        rng = self.rng
        start = dt.datetime.combine(opened, dt.time(9, 0)).astimezone()
        span = max(1.0, (self.now - start).total_seconds() - 3600)
        moments = sorted(start + dt.timedelta(seconds=rng.uniform(0, span))
                         for _ in range(rng.randint(2, 9)))
        log_ = self.s.trail_log
        advice_at = rng.randrange(len(moments)) if rng.random() < 0.85 else -1
        for i, when in enumerate(moments):
            if i == advice_at:
                entry = log_.log(case.ref, EntryKind.ORAL_ADVICE, rng.choice(SENTENCES),
                                 occurred=when, channel=rng.choice(("meeting", "phone call")))
                self.report.entries += 1
                later = [m for m in moments[i + 1:]]
                if later and rng.random() < 0.6:
                    log_.log(case.ref, EntryKind.WRITTEN_ADVICE, "Written follow-up of the "
                             "advice given", occurred=later[0], follows_up=entry.seq)
                    self.report.entries += 1
                else:
                    self.report.follow_ups_owed += 1
                continue
            detail = (" ".join(f"{rng.choice(SENTENCES)}." for _ in range(3))
                      if rng.random() < 0.3 else None)
            log_.log(case.ref, rng.choice(_LOGGED_KINDS), rng.choice(SENTENCES),
                     detail=detail, occurred=when)
            self.report.entries += 1

    def document(self, case: Case) -> None:
        sample = self.files.pick()
        path = self.scratch / "sample"
        path.write_bytes(sample.data)
        try:
            self.s.documents.import_file(case.ref, path, name=sample.name,
                                         is_original=self.rng.random() < 0.1)
        finally:
            path.unlink(missing_ok=True)
        self.report.documents += 1
        self.report.document_bytes += len(sample.data)
        self.report.entries += 1

    # -- bulk cases (repositories + PaperTrail.record) -----------------------------------------

    def bulk_case(self, tx: Tx, index: int) -> Case:
        rng = self.rng
        trail = self.s.trail
        now = self.now
        if self.members and rng.random() < 0.1:
            member = rng.choice(self.members)
        else:
            name = self.name()
            first, last = name.split()[0], name.split()[-1]
            members = tx.members
            member = Member(id=members.next_id(), name=name,
                            membership_number=f"DEMO-{100000 + index}",
                            employer=rng.choice(EMPLOYERS), department=rng.choice(DEPARTMENTS),
                            email=f"{first}.{last}@example.org".lower(),
                            phone=f"07700 900{rng.randrange(1000):03d}", created=now)
            members.insert(member)
            trail.record(tx, kind=TrailEvent.MEMBER_ADDED.value, case=None,
                         payload={"summary": "Member added", "member_id": member.id})
            self.members.append(member)
            self.report.members += 1
        category = list(Category)[index % len(Category)]
        opened = self.today - dt.timedelta(days=rng.randint(1, 420))
        title = rng.choice(TITLES[category.value])
        flags = CaseFlags(discrimination_alleged=category is Category.DISCRIMINATION)
        cases = tx.cases
        case_id = secrets.token_hex(16)
        case = Case(id=case_id, ref=self.next_ref(cases, opened.year), member_id=member.id,
                    title=title, category=category, status=CaseStatus.OPEN, opened=opened,
                    closed=None, outcome=None, flags=flags, consent_to_share=False,
                    last_activity=now)
        cases.insert(case, tx.new_case_key(case_id))
        trail.record(tx, kind=TrailEvent.CASE_OPENED.value, case=case, payload={
            "summary": f"Case opened: {title}", "category": category.value,
            "flags": {"dismissal_threatened": False,
                      "discrimination_alleged": flags.discrimination_alleged,
                      "legal_action_contemplated": False}})
        self.report.cases += 1
        self.report.entries += 1
        parties = tx.parties
        for _ in range(rng.randint(1, 3)):
            if self.members and rng.random() < 0.03:
                self.s.parties.add(case.ref, rng.choice(self.members).name,
                                   rng.choice((PartyRole.SUBJECT, PartyRole.WITNESS)),
                                   UnionMembership.UNKNOWN)
                self.report.parties += 1
                self.report.entries += 1
                continue
            name, role = self.name(), rng.choice(list(PartyRole))
            membership = rng.choice(list(UnionMembership))
            party_id = parties.insert(case_id, name, role, membership, now)
            trail.record(tx, kind=TrailEvent.PARTY_ADDED.value, case=case, payload={
                "summary": f"Party added: {name} ({role.label})", "party_id": party_id,
                "role": role.value, "union_member": membership.value})
            self.report.parties += 1
            self.report.entries += 1
        if rng.random() < 0.8:
            held = min(self.today, opened + dt.timedelta(days=rng.randint(0, 6)))
            meetings = tx.first_meeting
            place = rng.choice(("Union office", "Video call", "Library café"))
            meetings.save_details(case_id, MeetingDetails(
                held_on=held, place=place,
                narrative=" ".join(f"{rng.choice(SENTENCES)}." for _ in range(4)), updated=now))
            trail.record(tx, kind=TrailEvent.FIRST_MEETING.value, case=case, payload={
                "summary": f"First meeting recorded on {format_uk_date(held)} at {place}"})
            for text in rng.sample(ISSUES, rng.randint(1, 3)):
                meetings.add_issue(case_id, text, False, held)
            for text in rng.sample(ACTIONS, rng.randint(1, 2)):
                meetings.add_action(case_id, text, rng.choice(list(ActionOwner)),
                                    self.today + dt.timedelta(days=rng.randint(-14, 20)), now)
            self.report.entries += 1
        self.bulk_trail(tx, case, opened)
        return case

    def next_ref(self, cases: CasesRepository, year: int) -> str:
        last = self.refs.get(year)
        if last is None:
            ref = cases.next_ref(year)
            self.refs[year] = int(ref.rsplit("-", 1)[1])
            return ref
        self.refs[year] = last + 1
        return f"C-{year}-{last + 1:04d}"

    def bulk_trail(self, tx: Tx, case: Case, opened: dt.date) -> None:
        rng = self.rng
        trail = self.s.trail
        start = dt.datetime.combine(opened, dt.time(9, 0)).astimezone()
        span = max(1.0, (self.now - start).total_seconds() - 3600)
        moments = sorted(start + dt.timedelta(seconds=rng.uniform(0, span))
                         for _ in range(rng.randint(2, 9)))
        advice_at = rng.randrange(len(moments)) if rng.random() < 0.85 else -1
        followups = tx.followups
        for i, when in enumerate(moments):
            payload: dict[str, object] = {"summary": rng.choice(SENTENCES),
                                          "occurred": when.isoformat()}
            if i == advice_at:
                payload["channel"] = rng.choice(("meeting", "phone call"))
                seq = trail.record(tx, kind=EntryKind.ORAL_ADVICE.value, case=case,
                                   payload=payload)
                followups.open(seq, case.id, when.date(), self.due_date(when.date()))
                self.report.entries += 1
                if i + 1 < len(moments) and rng.random() < 0.6:
                    reply = trail.record(tx, kind=EntryKind.WRITTEN_ADVICE.value, case=case,
                                         payload={"summary": "Written follow-up of the advice "
                                                  "given",
                                                  "occurred": moments[i + 1].isoformat()},
                                         links={"follows_up": seq})
                    followups.discharge(seq, reply)
                    self.report.entries += 1
                else:
                    self.report.follow_ups_owed += 1
                continue
            if rng.random() < 0.3:
                payload["detail"] = " ".join(f"{rng.choice(SENTENCES)}." for _ in range(3))
            trail.record(tx, kind=rng.choice(_LOGGED_KINDS).value, case=case, payload=payload)
            self.report.entries += 1

    def due_date(self, advice: dt.date) -> dt.date:
        due = self.due_dates.get(advice)
        if due is None:
            due = self.due_dates[advice] = self.s.followups.due_date(advice)
        return due

    # -- training ------------------------------------------------------------------------------

    def training(self) -> None:
        profiles = self.s.training.profiles()
        profile = next((p for p in profiles if p.route), None)
        if profile is None:
            return
        self.s.training.choose_union(profile.key)
        steps = profile.route[:max(1, len(profile.route) // 2)]  # part-way along the route
        when = self.today - dt.timedelta(days=30 * (len(steps) + 2))
        if profile.courses:  # the first course opens the route (Reps 1 or its equivalent)
            self.s.training.record(profile.courses[0].id, when)
            when += dt.timedelta(days=60)
        for step in steps:
            self.s.training.record(step.id, when)
            when += dt.timedelta(days=30)
            self.report.training_steps += 1


def fill_demo_vault(session: Session, options: DemoOptions | None = None, *,
                    progress: Progress | None = None, cancelled: CancelFlag | None = None,
                    closing_hook: ClosingHook | None = None) -> DemoReport:
    """Write the demo casework into an open (normally new and empty) vault.

    ``progress(cases_done, cases_total)`` after each batch; ``cancelled()`` is checked between
    cases (what was committed so far stays: it is a valid, smaller demo vault).

    Raises:
        Cancelled: ``cancelled()`` turned true.
        VaultError: a service refused a write (a bug in the generator, never expected).
    """
    options = options or DemoOptions()
    started = time.perf_counter()
    cases: list[Case] = []
    with tempfile.TemporaryDirectory(prefix="casevault-demo-") as scratch:
        maker = _Maker(session, options, Path(scratch))
        if options.training:
            maker.training()
        uow = session.vault.uow
        for first in range(0, options.cases, BATCH_CASES):
            with uow.write() as tx:  # every service call below nests as a savepoint
                for index in range(first, min(options.cases, first + BATCH_CASES)):
                    if cancelled is not None and cancelled():
                        raise Cancelled()
                    if index < DETAILED_CASES:
                        cases.append(maker.case(index))
                    else:
                        cases.append(maker.bulk_case(tx, index))
                        if options.documents_every and index % (10 * options.documents_every) == 0:
                            maker.document(cases[-1])
            if progress is not None:
                progress(len(cases), options.cases)
        if closing_hook is not None:
            maker.report.closed = closing_hook(session, cases, maker.rng)
    maker.report.entries = session.trail.head()[0]  # every entry, the services' own included
    maker.report.seconds = time.perf_counter() - started
    log.info("demo vault filled: %d cases, %d entries", maker.report.cases,
             maker.report.entries)
    return maker.report
