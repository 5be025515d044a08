"""The casework models on their own: the timeline's order and marks, the first-meeting, party
and finding tables, and the search tree; each passes Qt's model tester."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from vault.casework.conflict_matcher import MatchReason
from vault.casework.conflicts import ConflictDecision, ConflictFinding, PossibleConflict
from vault.casework.first_meeting import ActionOwner, ActionPoint, Issue
from vault.casework.followups import FollowUp, FollowUpState
from vault.casework.parties import Party, PartyRole, UnionMembership
from vault.casework.search import SearchGroup, SearchHit, SearchSource
from vault.casework.trail_log import LogEntry
from vault.ui.models.first_meeting_table_models import ActionPointTableModel, IssueTableModel
from vault.ui.models.moments import format_moment, plural
from vault.ui.models.party_table_model import (
    ConflictFindingTableModel,
    FindingRow,
    PartyTableModel,
)
from vault.ui.models.search_results_model import SearchResultsModel, SearchTarget
from vault.ui.models.trail_table_model import (
    OWED_BACKGROUND,
    TrailFilterProxy,
    TrailTableModel,
    build_trail_rows,
)
from vault.ui.widgets.highlight_delegate import highlighted_html

T0 = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


def _entry(seq: int, kind: str, summary: str, *, corrects: int | None = None,
           corrected_by: int | None = None, follows_up: int | None = None) -> LogEntry:
    links = {}
    if corrects is not None:
        links["corrects"] = corrects
    if follows_up is not None:
        links["follows_up"] = follows_up
    return LogEntry(seq=seq, ts=T0, occurred=T0 + dt.timedelta(hours=seq), kind=kind,
                    case_ref="C-2026-0001", summary=summary, detail=None, links=links,
                    off_record=False, not_followed=False, corrected_by=corrected_by,
                    followed_up_by=None, erased=False, payload={"summary": summary})


def _followup(seq: int, *, overdue: bool = False) -> FollowUp:
    return FollowUp(advice_seq=seq, case_ref="C-2026-0001", advice_date=T0.date(),
                    due=dt.date(2026, 11, 24), state=FollowUpState.OWED, overdue=overdue,
                    days_overdue=2 if overdue else 0, summary="advice", discharged_by=None,
                    waived_on=None, waive_reason=None)


def test_timeline_is_newest_first_with_each_correction_under_what_it_corrects():
    entries = [
        _entry(1, "case-opened", "Case opened"),
        _entry(2, "oral-advice", "Advice v1", corrected_by=4),
        _entry(3, "note", "A note"),
        _entry(4, "oral-advice", "Advice v2", corrects=2, corrected_by=5),
        _entry(5, "oral-advice", "Advice v3", corrects=4),
    ]
    rows = build_trail_rows(entries, [_followup(2)])
    assert [r.seq for r in rows] == [3, 2, 4, 5, 1]
    assert [r.is_correction for r in rows] == [False, False, True, True, False]
    # The follow-up shows on the current version only.
    assert [r.seq for r in rows if r.followup is not None] == [5]
    model = TrailTableModel()
    model.set_rows(rows)
    assert model.index(2, TrailTableModel.SUMMARY).data() == "↳ Advice v2"
    assert model.index(1, TrailTableModel.STATUS).data() == "Corrected by #4"
    assert model.index(3, TrailTableModel.STATUS).data() == \
        "Correction of #4 · Written follow-up owed by 24 Nov 2026"
    assert model.index(3, 0).data(Qt.ItemDataRole.BackgroundRole) == OWED_BACKGROUND
    assert model.index(1, TrailTableModel.SUMMARY).data(
        Qt.ItemDataRole.AccessibleTextRole) == "Advice v1 (superseded)"
    assert model.index(0, TrailTableModel.KIND).data() == "Note"
    assert model.index(4, TrailTableModel.KIND).data() == "Case opened"


def test_trail_model_and_filter_pass_the_model_tester(qtmodeltester):
    model = TrailTableModel()
    model.set_rows(build_trail_rows([_entry(1, "note", "n"), _entry(2, "letter", "l",
                                                                    follows_up=1)]))
    qtmodeltester.check(model)
    proxy = TrailFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_kinds(["letter"])
    assert proxy.rowCount() == 1
    assert proxy.index(0, TrailTableModel.STATUS).data() == "Written follow-up of #1"
    qtmodeltester.check(proxy)
    model.set_rows([])
    assert proxy.rowCount() == 0


def test_first_meeting_models():
    issues = [Issue(1, "c", "Agreed issue", False, dt.date(2026, 11, 20),
                    dt.date(2026, 11, 21), "done"),
              Issue(2, "c", "Later issue", True, dt.date(2026, 11, 22), None, None)]
    model = IssueTableModel()
    model.set_rows(issues)
    assert [model.index(r, 1).data() for r in range(2)] == ["At first meeting",
                                                            "New, 22 Nov 2026"]
    assert [model.index(r, 2).data() for r in range(2)] == ["Yes, 21 Nov 2026", "Not yet"]
    actions = ActionPointTableModel()
    actions.today = dt.date(2026, 11, 23)
    actions.set_rows([ActionPoint(1, "c", "Write", ActionOwner.UNION, dt.date(2026, 11, 22),
                                  None, T0)])
    assert actions.index(0, 1).data() == "Union"
    assert actions.index(0, 2).data() == "22 Nov 2026 (overdue)"


def test_party_and_finding_models(qtmodeltester):
    parties = PartyTableModel()
    parties.set_rows([Party(1, "c", "C-2026-0001", "Alex", PartyRole.SUBJECT,
                            UnionMembership.UNKNOWN, T0)])
    assert [parties.index(0, c).data() for c in range(4)] == [
        "Alex", "Subject of the complaint", "Unknown", "20 Nov 2026"]
    qtmodeltester.check(parties)
    match = PossibleConflict(ref="C-2026-0002", role="member", name="Alex Other",
                             reason=MatchReason.FUZZY, score=80, person_kind="member",
                             person_id="M1")
    finding = ConflictFinding(id=7, checked_kind="party", checked_id="1",
                              case_ref="C-2026-0001", match=match, checked=T0, check_seq=3,
                              decision=ConflictDecision.REFER, decision_reason=None,
                              decided=T0)
    findings = ConflictFindingTableModel()
    findings.set_rows([FindingRow(finding, "C-2026-0001")])
    assert [findings.index(0, c).data() for c in range(5)] == [
        "Alex Other", "C-2026-0002", "Member", "Very similar name",
        "Refer to another rep (20 Nov 2026)"]
    # Seen from the other case, the other side is the case that ran the check.
    findings.set_rows([FindingRow(finding, "C-2026-0002")])
    assert findings.index(0, 1).data() == "C-2026-0001"
    assert findings.index(0, 2).data() == "Party"  # its role unknown to the model alone
    findings.set_rows([FindingRow(finding, "C-2026-0002", "witness")])
    assert findings.index(0, 2).data() == "Witness"
    qtmodeltester.check(findings)


def test_search_tree_and_targets(qtmodeltester):
    groups = [
        SearchGroup("C-2026-0001", "Grievance", "open", "M1", "Alex", [
            SearchHit(SearchSource.TRAIL, "12", "oral-advice", "the «rota» change"),
            SearchHit(SearchSource.PARTY, "3", "manager", "Sam «Rota»"),
        ]),
        SearchGroup(None, None, None, "M2", "Jo", [
            SearchHit(SearchSource.MEMBER, "M2", "", "Jo «Rota»")]),
    ]
    model = SearchResultsModel()
    model.set_groups(groups)
    qtmodeltester.check(model)
    top = model.item(0)
    assert top.text() == "C-2026-0001 · Grievance — Alex"
    assert top.child(0).text() == "Paper trail · Oral advice #12: the «rota» change"
    assert model.target(top.child(0).index()) == SearchTarget("C-2026-0001", "paper-trail",
                                                              seq=12)
    assert model.target(top.child(1).index()) == SearchTarget("C-2026-0001", "parties")
    assert model.target(model.item(1).index()) == SearchTarget(None, None, member_id="M2")
    assert model.hit_count == 3
    model.clear()
    assert model.rowCount() == 0 and model.hit_count == 0


def test_small_helpers():
    assert highlighted_html("<b>x</b> «rota»") == "&lt;b&gt;x&lt;/b&gt; <b>rota</b>"
    assert plural(1, "entry", "entries") == "1 entry" and plural(2, "day") == "2 days"
    assert format_moment(dt.date(2026, 11, 23)) == "23 Nov 2026"
    assert format_moment(None) == ""
    local = T0.astimezone()
    assert format_moment(T0) == f"{local.day} {local:%b %Y %H:%M}"
