"""The paper trail's MAC chain: triggers refuse edits, and verify finds edits made underneath."""

from __future__ import annotations

import pytest

from vault.domain import Category

# Connections below bypass the triggers the way an attacker with the DB key would.


@pytest.fixture
def filled(session):  # type: ignore[no-untyped-def]
    m = session.members.add("Chain Person")
    case = session.cases.open(m.id, "Chain", Category.GRIEVANCE)
    for flag in (True, False, True):
        session.cases.set_consent_to_share(case.ref, flag)
    return session


def test_clean_chain_verifies(filled) -> None:  # type: ignore[no-untyped-def]
    report = filled.trail.verify()
    assert report.ok and report.entries == 5 and report.head_seq == 5
    assert report.head_mac == filled.trail.head()[1]


def test_triggers_refuse_update_and_delete(filled) -> None:  # type: ignore[no-untyped-def]
    import sqlcipher3

    conn = filled.vault.db.connection
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        conn.execute("DELETE FROM trail WHERE seq = 2")
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        conn.execute("UPDATE trail SET kind = 'note' WHERE seq = 2")
    with pytest.raises(sqlcipher3.DatabaseError, match="append-only"):
        conn.execute("UPDATE trail SET payload = x'00' WHERE seq = 2")


def _without_triggers(session, sql: str, params=()) -> None:  # type: ignore[no-untyped-def]
    conn = session.vault.db.connection
    conn.execute("DROP TRIGGER trail_no_update")
    conn.execute("DROP TRIGGER trail_no_delete")
    conn.execute(sql, params)


@pytest.mark.parametrize("sql,broken", [
    ("UPDATE trail SET kind = 'note' WHERE seq = 3", 3),
    ("UPDATE trail SET ts = '2020-01-01T00:00:00.000000+00:00' WHERE seq = 2", 2),
    ("UPDATE trail SET payload = randomblob(length(payload)) WHERE seq = 4", 4),
    ("DELETE FROM trail WHERE seq = 3", 3),
    ("DELETE FROM trail WHERE seq = 5", None),  # removing the head: caught by the noted head
])
def test_changes_underneath_are_found(filled, sql: str, broken: int | None) -> None:  # type: ignore[no-untyped-def]
    head_before = filled.trail.verify()
    _without_triggers(filled, sql)
    report = filled.trail.verify()
    if broken is None:
        assert report.ok and report.head_mac != head_before.head_mac
    else:
        assert not report.ok and report.broken_at == broken


def test_reordered_rows_are_found(filled) -> None:  # type: ignore[no-untyped-def]
    _without_triggers(filled, "UPDATE trail SET seq = 100 WHERE seq = 2")
    conn = filled.vault.db.connection
    conn.execute("UPDATE trail SET seq = 2 WHERE seq = 3")
    conn.execute("UPDATE trail SET seq = 3 WHERE seq = 100")
    report = filled.trail.verify()
    assert not report.ok and report.broken_at == 2


def test_erasing_payloads_keeps_the_chain_valid(filled) -> None:  # type: ignore[no-untyped-def]
    case = filled.cases.list()[0].case
    with filled.vault.db.transaction() as conn:
        conn.execute("UPDATE cases SET status = 'destroyed' WHERE id = ?", (case.id,))
        n = filled.vault.trail.erase_payloads(conn, case.id)
    assert n == 4
    assert filled.trail.verify().ok
    assert all(e.erased for e in filled.trail.entries(case))
