"""The canary erase test (issue 9): plant unique words everywhere a case reaches, destroy the
case, then find none of them — not by search, not in any byte under the vault folder, not in
the decrypted database — and the old wrapped case key and old database key are useless.

The same check is shown to fail when the full-text indexes are built without FTS5
secure-delete (the fixture also turns FTS5 automerge off, so an incidental merge cannot hide
the residue by chance): deleting the case's index rows then leaves its words in the index
segments, where the decrypted scan finds them. The erase does not depend on that option: it
rewrites each index as one segment after deleting (``RetentionRepository._fts_bulk_delete``),
and the same vault then scans clean.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlcipher3

from tests.conftest import STRONG
from vault.clock import FixedClock
from vault.domain import Category
from vault.retention.policy import RetentionStatus

# Unique words (FTS5 tokens); each is scanned for by a distinctive tail, because FTS5 stores a
# term after the first in a leaf with its prefix shared with the term before it.
CANARIES = {
    "member name": "Vorpalquinn",
    "member email": "jabberwockmail@example.org",
    "member number": "BANDERSNATCH7731",
    "case title": "Tumtumtitle",
    "first meeting": "Frabjousnarrative",
    "action point": "Galumphaction",
    "trail entry": "Brilligentry",
    "party": "Slithytove",
    "conflict finding": "Mimsyfinding",
    "document": "BOROGOVEDOCUMENTBODY",
    "case description": "Vorpaldescription",
    "key date note": "Tulgeyhearingnote",
}
TAILS = {k: v.lower()[3:] for k, v in CANARIES.items()}
FTS_TABLES = ("search_fts", "text_fts", "trail_fts")


def _needles() -> dict[str, bytes]:
    out: dict[str, bytes] = {}
    for key, tail in TAILS.items():
        out[key] = tail.encode()
        out[key + " (UTF-16)"] = tail.encode("utf-16-le")
    return out


def scan_files(root: Path, extra: dict[str, bytes]) -> list[str]:
    """Every (file, canary) where a file under ``root`` holds a canary, case-insensitively."""
    needles = {**_needles(), **extra}
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            low = data.lower()
            for key, needle in needles.items():
                if needle in low or needle in data:
                    hits.append(f"{path.name}: {key}")
    return hits


def scan_decrypted(conn: sqlcipher3.Connection, extra: dict[str, bytes]) -> list[str]:
    """Every (table, canary) where any value of any table (the FTS5 shadow tables included)
    holds a canary, read through the database's current key."""
    needles = {**_needles(), **extra}
    hits = []
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'")]
    for table in tables:
        for row in conn.execute(f'SELECT * FROM "{table}"'):
            for value in row:
                if value is None or isinstance(value, int | float):
                    continue
                raw = value.encode() if isinstance(value, str) else bytes(value)
                low = raw.lower()
                for key, needle in needles.items():
                    if needle in low or needle in raw:
                        hits.append(f"{table}: {key}")
    return sorted(set(hits))


def _vmk(session):  # type: ignore[no-untyped-def]
    vault = session.vault
    keys = getattr(vault, "keys", None)
    return keys.vmk() if keys is not None and hasattr(keys, "vmk") else vault._vmk


def _plant(session, tmp_path: Path, clock: FixedClock):  # type: ignore[no-untyped-def]
    member = session.members.add(f"Dora {CANARIES['member name']}",
                                 membership_number=CANARIES["member number"],
                                 email=CANARIES["member email"])
    case = session.cases.open(member.id, f"{CANARIES['case title']} about rota",
                              Category.GRIEVANCE)
    # Another member and case that stay: the conflict finding matches their member.
    other = session.members.add("Bartholomew Otherly")
    session.cases.open(other.id, "Unrelated", Category.OTHER)
    session.first_meeting.record(case.ref, held_on=clock.today(), place="Union office")
    session.first_meeting.set_narrative(case.ref, f"The member said {CANARIES['first meeting']}.")
    session.first_meeting.add_action(case.ref, f"Send {CANARIES['action point']}", "rep")
    session.trail_log.log(case.ref, "note", f"Called about {CANARIES['trail entry']}")
    session.cases.edit(case.ref, reason="fuller account",
                       description=f"About {CANARIES['case description']}")
    session.key_dates.add(case.ref, "hearing", clock.today(),
                          note=f"Room of {CANARIES['key date note']}")
    session.parties.add(case.ref, f"Sam {CANARIES['party']}", "manager")
    added = session.parties.add(case.ref, "Bartholomew Otherly", "witness")
    findings = [f for f in session.conflicts.pending(case.ref)]
    assert findings, "the party named like another member should be flagged"
    session.conflicts.decide(findings[0].id, "proceed",
                             f"Different person: {CANARIES['conflict finding']}")
    assert added
    src = tmp_path / "evidence.txt"
    src.write_text((CANARIES["document"] + "\n") * 2000)
    session.documents.import_file(case.ref, src)
    session.escalation.record_not_escalating(case.ref, "Straightforward; handled locally")
    row = session.retention.close(case.ref, outcome="Settled", paper_copies_shredded=True,
                                  retain_days=0, reason="Member asked, rep agreed")
    assert row.status is RetentionStatus.DUE
    return case, member


def _disable_fts_secure_delete(session) -> None:  # type: ignore[no-untyped-def]
    with session.vault.db.transaction() as conn:
        for table in FTS_TABLES:
            conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('secure-delete', 0)")
            conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('automerge', 0)")
            conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('crisismerge', 64)")


def _plain_fts_delete(session, case_id: str) -> None:  # type: ignore[no-untyped-def]
    """What deleting the case's index rows does on its own (what an erase relying only on
    the FTS5 secure-delete option would do)."""
    with session.vault.uow.write() as tx:
        conn = tx.connection
        conn.execute("DELETE FROM trail_fts WHERE rowid IN"
                     " (SELECT seq FROM trail WHERE case_id = ?)", (case_id,))
        for table in ("search_fts", "text_fts"):
            conn.execute(f"DELETE FROM {table} WHERE rowid IN"
                         " (SELECT id FROM search_docs WHERE case_id = ?)", (case_id,))


def _erase_and_scan(manager, tmp_path: Path, clock: FixedClock, *,  # type: ignore[no-untyped-def]
                    fts_secure_delete: bool) -> tuple[list[str], list[str], object, list[str]]:
    session = manager.create(STRONG)
    if not fts_secure_delete:
        _disable_fts_secure_delete(session)
    case, _member = _plant(session, tmp_path, clock)
    # Everything is findable before the erase.
    for key in ("member name", "case title", "trail entry", "party", "first meeting"):
        assert session.search.search(CANARIES[key]), key
    # The conflict matcher holds the member and the party in memory (its index is built).
    assert session.conflicts.check(f"Dora {CANARIES['member name']}")
    assert session.conflicts.check(f"Sam {CANARIES['party']}")
    # The decrypted scan sees every canary the database holds before the erase (the document
    # body is only in its CVF1 file, encrypted).
    before = {h.split(": ", 1)[1] for h in scan_decrypted(session.vault.db.connection, {})}
    assert before >= {"member name", "member email", "member number", "case title",
                      "first meeting", "action point", "party", "conflict finding"}, before
    residue: list[str] = []
    if not fts_secure_delete:
        _plain_fts_delete(session, case.id)
        residue = [h for h in scan_decrypted(session.vault.db.connection, {})
                   if h.split(":")[0].endswith("_fts_data")]
    wrapped = bytes(session.vault.db.query_one(
        "SELECT wrapped_key FROM cases WHERE id = ?", (case.id,))[0])
    from vault.crypto import keyfile

    old_db_key = keyfile.unwrap_db_key(session.vault.keyfile, _vmk(session))
    clock.advance(days=1)
    cert = session.retention.destroy(case.ref)
    assert cert.verified
    # ...and no longer after the erase: the matcher's memory forgot them too.
    assert session.conflicts.check(f"Dora {CANARIES['member name']}") == []
    assert session.conflicts.check(f"Sam {CANARIES['party']}") == []
    searched = {k: session.search.search(v) for k, v in CANARIES.items()}
    assert not any(searched.values()), [k for k, v in searched.items() if v]
    decrypted = scan_decrypted(session.vault.db.connection, {"wrapped case key": wrapped})
    session.lock()
    on_disk = scan_files(manager.root, {"wrapped case key": wrapped})
    return on_disk, decrypted, old_db_key, residue


def test_canary_erase_leaves_nothing(manager, tmp_path: Path, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    on_disk, decrypted, old_db_key, _ = _erase_and_scan(manager, tmp_path, clock,
                                                        fts_secure_delete=True)
    assert on_disk == []
    assert decrypted == []
    # The database no longer opens with the key it had before the erase.
    conn = sqlcipher3.connect(str(manager.root / "vault.db"))
    try:
        conn.execute(f'PRAGMA key = "{old_db_key.sqlcipher_key()}"')
        with pytest.raises(sqlcipher3.DatabaseError):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()
    # The documents folder of the case is gone, and the vault still opens and verifies.
    session = manager.unlock(STRONG)
    assert session.verify().ok
    assert [c.ref for c in session.retention.certificates()] != []


def test_the_same_check_fails_without_fts5_secure_delete(manager, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                         clock: FixedClock) -> None:
    on_disk, decrypted, _, residue = _erase_and_scan(manager, tmp_path, clock,
                                                     fts_secure_delete=False)
    # Deleting the rows left the words in the FTS5 segments: the check catches it...
    found = {hit.split(": ", 1)[1] for hit in residue}
    assert {"trail entry", "party", "member name", "first meeting"} <= found, residue
    # ...and the erase's index rewrite removes them even without the option.
    assert on_disk == []
    assert decrypted == []


def test_an_erase_lists_and_rewrites_the_backups_that_held_the_case(
        manager, tmp_path: Path, clock: FixedClock) -> None:  # type: ignore[no-untyped-def]
    """Issue 11: a backup must not outlive the erase. Automatic backups holding the case are
    deleted and written afresh; a manual one is named on the certificate for the rep."""
    session = manager.create(STRONG)
    member = session.members.add("Kim Backupholder")
    case = session.cases.open(member.id, "Held in backups", Category.PAY_CONTRACT)
    manual = tmp_path / "manual.cvbackup"
    session.admin.backup(manual)
    session.retention.close(case.ref, outcome="Settled", paper_copies_shredded=True,
                            retain_days=0, reason="member asked")
    certificate = session.retention.destroy(case.ref)
    kinds = [c.kind for c in certificate.external_copies]
    assert "backup-manual" in kinds
    assert any(str(manual) in c.detail for c in certificate.external_copies)
