"""Search over members, cases, parties, first-meeting text and the trail; purging a case."""

from __future__ import annotations

import datetime as dt

import pytest

from vault.casework.search import SearchSource, fts_query
from vault.domain import Category, EntryKind
from vault.errors import InvalidInput


@pytest.fixture
def filled(session):  # type: ignore[no-untyped-def]
    m = session.members.add("José Núñez", membership_number="778899", employer="Uni of Leeds")
    ref = session.cases.open(m.id, "Restructure of the library", Category.REDUNDANCY).ref
    session.parties.add(ref, "Gertrude Featherstonehaugh", "manager")
    session.first_meeting.record(ref, held_on=dt.date(2026, 11, 20), place="Quaker meeting house")
    session.first_meeting.set_narrative(ref, "The member's post was deleted without consultation")
    session.first_meeting.add_issue(ref, "Selection pool drawn too narrowly")
    session.first_meeting.add_action(ref, "Request the equality impact assessment", "rep")
    session.trail_log.log(ref, EntryKind.PHONE_CALL, "Spoke to the member about redeployment",
                          detail="Possible vacancy in the archives department")
    other = session.members.add("Иван Петров")
    other_ref = session.cases.open(other.id, "Sick pay", Category.SICKNESS_ABSENCE).ref
    lonely = session.members.add("Hermione Caseless")
    return session, ref, other_ref, lonely.id


def _sources(groups, ref):  # type: ignore[no-untyped-def]
    [group] = [g for g in groups if g.ref == ref]
    return {h.source for h in group.hits}


@pytest.mark.parametrize("query,source", [
    ("jose nunez", SearchSource.MEMBER),       # accents ignored
    ("778899", SearchSource.MEMBER),
    ("library", SearchSource.CASE),
    ("redundancy", SearchSource.CASE),         # the category
    ("featherstone", SearchSource.PARTY),      # a prefix
    ("quaker", SearchSource.MEETING),
    ("consultation", SearchSource.MEETING),
    ("selection pool", SearchSource.ISSUE),
    ("equality impact", SearchSource.ACTION),
    ("redeployment", SearchSource.TRAIL),
    ("archives", SearchSource.TRAIL),          # the detail text
])
def test_finds_each_kind_of_record_grouped_by_case(filled, query, source) -> None:  # type: ignore[no-untyped-def]
    session, ref, _, _ = filled
    groups = session.search.search(query)
    assert source in _sources(groups, ref)
    group = next(g for g in groups if g.ref == ref)
    assert group.member_name == "José Núñez" and group.title == "Restructure of the library"
    hit = next(h for h in group.hits if h.source is source)
    assert "«" in hit.snippet and "»" in hit.snippet


def test_other_scripts_and_case_reference(filled) -> None:  # type: ignore[no-untyped-def]
    session, ref, other_ref, _ = filled
    assert [g.ref for g in session.search.search("петров")] == [other_ref]
    assert ref in [g.ref for g in session.search.search(ref)]


def test_member_without_a_case_has_no_reference(filled) -> None:  # type: ignore[no-untyped-def]
    session, _, _, lonely = filled
    [group] = session.search.search("hermione")
    assert group.ref is None and group.member_id == lonely


def test_nothing_found_and_bad_queries(filled) -> None:  # type: ignore[no-untyped-def]
    session, *_ = filled
    assert session.search.search("xylophone") == []
    for bad in ("", "   ", "!!! ---", "x" * 600):
        with pytest.raises(InvalidInput):
            session.search.search(bad)
    # FTS5 syntax in what the rep types is ignored, never interpreted (or an error)
    assert [g.ref for g in session.search.search('"library*" ^restructure:')] == ["C-2026-0001"]
    assert session.search.search('library" OR "xylophone') == []


def test_fts_query_quotes_every_word() -> None:
    assert fts_query('Smith, "Jo" -x') == '"smith"* "jo"* "x"'
    assert fts_query("NEAR(a b)") == '"near"* "a" "b"'


def test_index_kept_current_on_writes(filled) -> None:  # type: ignore[no-untyped-def]
    import dataclasses

    session, ref, _, _ = filled
    member = session.members.get(session.cases.get(ref).member_id)
    session.members.update(dataclasses.replace(member, name="José Ramírez"))
    assert session.search.search("nunez") == []
    assert ref in [g.ref for g in session.search.search("ramirez")]


def test_purged_case_returns_nothing(filled) -> None:  # type: ignore[no-untyped-def]
    session, ref, other_ref, _ = filled
    assert session.search.purge_case(ref) > 0
    for query in ("library", "featherstone", "quaker", "selection", "equality",
                  "redeployment", "archives"):
        assert ref not in [g.ref for g in session.search.search(query)], query
    assert [g.ref for g in session.search.search("петров")] == [other_ref]


def test_destroyed_case_leaves_no_words_in_the_index(filled) -> None:  # type: ignore[no-untyped-def]
    session, ref, _, _ = filled
    assert session.search.secure_delete_enabled()
    conn = session.vault.db.connection

    def in_index(word: bytes) -> bool:
        stored: list[bytes] = []
        for table in ("search_fts", "text_fts", "trail_fts"):
            stored += [bytes(r[0]) for r in conn.execute(f"SELECT block FROM {table}_data")]
            stored += [str(r[0]).encode() for r in conn.execute(f"SELECT c0 FROM {table}_content")]
        return any(word in b for b in stored)

    assert in_index(b"featherstonehaugh") and in_index(b"redeployment")
    with session.vault.db.transaction() as c:  # the status change secure deletion makes
        c.execute("UPDATE cases SET status = 'destroyed' WHERE ref = ?", (ref,))
    assert session.search.search("featherstonehaugh") == []
    assert not in_index(b"featherstonehaugh") and not in_index(b"redeployment")
    assert session.search.search("library") == []


def test_trail_entries_written_before_the_index_are_indexed_at_unlock(manager, filled) -> None:  # type: ignore[no-untyped-def]
    session, ref, _, _ = filled
    with session.vault.db.transaction() as conn:
        conn.execute("DELETE FROM trail_fts")
        conn.execute("INSERT INTO vault_meta (key, value) VALUES ('trail_index_pending', '1')")
    session.lock()
    again = manager.unlock("correct horse battery staple orbit")
    assert ref in [g.ref for g in again.search.search("redeployment")]
    assert again.trail.ensure_indexed() == 0  # only once


def test_records_first_then_trail_entries_newest_first(session) -> None:  # type: ignore[no-untyped-def]
    m = session.members.add("Olive Oyl")
    ref = session.cases.open(m.id, "Grievance", Category.GRIEVANCE).ref
    first = session.trail_log.log(ref, EntryKind.NOTE, "Spinach supplier called")
    second = session.trail_log.log(ref, EntryKind.NOTE, "Spinach again")
    session.parties.add(ref, "Spinach Popeye", "witness")
    [group] = session.search.search("spinach")
    assert [(h.source, h.source_id) for h in group.hits][:1] == [(SearchSource.PARTY, "1")]
    trail = [int(h.source_id) for h in group.hits if h.source is SearchSource.TRAIL]
    assert trail[:2] == sorted(trail, reverse=True)[:2]
    assert {first.seq, second.seq} <= set(trail)
    assert next(h for h in group.hits if h.source_id == str(second.seq)).label == "note"


def test_a_search_is_its_three_index_queries_with_case_and_member_joined(filled) -> None:  # type: ignore[no-untyped-def]
    session, ref, _other, _lonely = filled
    statements: list[str] = []
    with session.vault.db.reading() as conn:  # this thread's reader: the one search uses
        conn.set_trace_callback(statements.append)
        try:
            groups = session.search.search("redeployment")
        finally:
            conn.set_trace_callback(None)
    # FTS5's own reads of its shadow tables ('main'.'…_config') are not ours.
    selects = [s for s in statements
               if s.lstrip().upper().startswith("SELECT") and "'main'." not in s]
    assert len(selects) == 3  # no lookups of cases or members after the index queries
    [group] = groups
    assert group.ref == ref and group.member_name == "José Núñez"
    assert group.title == "Restructure of the library" and group.status == "open"
