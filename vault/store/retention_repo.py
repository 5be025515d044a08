"""Rows of retention: the closing record, legal holds, certificates, and the erase of a case.

The SQL of issue 9 (migration 0005_retention). The retention service decides *what* to do;
this repository does it inside the caller's transaction, and never logs or returns names:
the erase methods return counts only.

Erase order matters and is the service's; the pieces here are each idempotent (running one
twice changes nothing the second time), so an erase interrupted at any step is resumed by
running the remaining steps again.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import sqlcipher3

from vault.errors import NotFound

# Trail kinds that mean a decrypted copy left the vault (certificate: copies outside).
EXTERNAL_COPY_KINDS = {
    "document-exported": "document-saved-out",          # doc get / open in another program
    "follow-up-drafted": "follow-up-note-drafted",      # a follow-up note written to a file
    "case-exported": "bundle-exported",                 # an encrypted bundle (issue: export)
    "subject-access-export": "subject-access-export",   # a subject access bundle
}

_FTS_TABLES = ("search_fts", "text_fts", "trail_fts")

# Tables whose rows belong to one case (case_id column), deleted by the erase.
_CASE_TABLES = ("case_issues", "action_points", "first_meetings", "followups",
                "escalation_decisions", "off_record_consents", "retention_holds", "documents",
                "case_dates", "case_policies")

# The parties of a case (bound twice: the case id) that no conflict finding of another case
# matched: those are deleted with the case; the others are kept for that case's record.
_UNREFERRED = (
    " FROM parties WHERE case_id = ? AND NOT EXISTS (SELECT 1 FROM conflict_findings f"
    " WHERE f.matched_kind = 'party' AND f.matched_id = CAST(parties.id AS TEXT)"
    " AND f.case_id IS NOT ?)"
)
_COUNT_UNREFERRED_PARTIES = "SELECT count(*)" + _UNREFERRED
_DELETE_UNREFERRED_PARTIES = "DELETE" + _UNREFERRED


@dataclass(frozen=True, slots=True)
class RetentionRecord:
    """One case as retention sees it (no title, no member, no free text but the rule reason)."""

    case_id: str
    ref: str
    member_id: str
    category: str
    status: str
    opened: dt.date
    closed: dt.date | None
    retain_until: dt.date | None
    rule: str | None
    years: int | None
    days: int | None
    reason: str | None
    held: bool
    hold_reason: str | None
    hold_since: dt.datetime | None
    destroyed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class ClosingDocument:
    id: str
    name: str
    is_original: bool
    returned: bool


@dataclass(frozen=True, slots=True)
class ClosingFollowUp:
    advice_seq: int
    advice_date: dt.date
    discharged: bool
    waived: bool
    waive_reason: str | None


@dataclass(frozen=True, slots=True)
class StoredCertificate:
    id: str
    case_id: str
    case_ref: str
    destroyed: dt.datetime
    body: bytes
    digest: str


@dataclass(frozen=True, slots=True)
class ExternalCopyRow:
    seq: int
    kind: str
    on: dt.date


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _moment(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


_RECORD_SQL = (
    "SELECT c.id, c.ref, c.member_id, c.category, c.status, c.opened, c.closed,"
    " c.retain_until, c.retention_rule, c.retention_years, c.retention_days,"
    " c.retention_reason, c.destroyed_at, h.reason AS hold_reason, h.since AS hold_since"
    " FROM cases c LEFT JOIN retention_holds h ON h.case_id = c.id"
)


def _record(r: sqlcipher3.Row) -> RetentionRecord:
    return RetentionRecord(
        case_id=r["id"], ref=r["ref"], member_id=r["member_id"], category=r["category"],
        status=r["status"], opened=dt.date.fromisoformat(r["opened"]),
        closed=_date(r["closed"]), retain_until=_date(r["retain_until"]),
        rule=r["retention_rule"], years=r["retention_years"], days=r["retention_days"],
        reason=r["retention_reason"], held=r["hold_reason"] is not None,
        hold_reason=r["hold_reason"], hold_since=_moment(r["hold_since"]),
        destroyed_at=_moment(r["destroyed_at"]),
    )


class RetentionRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    # -- reading -------------------------------------------------------------------------------

    def record(self, ref_or_id: str) -> RetentionRecord:
        """Raises NotFound for an unknown reference."""
        row = self._conn.execute(_RECORD_SQL + " WHERE c.ref = ? OR c.id = ?",
                                 (ref_or_id.strip().upper(), ref_or_id.strip())).fetchone()
        if row is None:
            raise NotFound(f"There is no case {ref_or_id.strip()[:20]}.")
        return _record(row)

    def due_counts(self, as_of: dt.date, overdue_from: dt.date) -> tuple[int, int]:
        """``(due, overdue)``: closed cases, not destroyed or held, whose retention date is on
        or before ``as_of`` (overdue: on or before ``overdue_from``). One aggregate; the rule is
        ``policy.retention_status``, which the tests hold this to."""
        row = self._conn.execute(
            "SELECT coalesce(sum(c.retain_until > ?), 0), coalesce(sum(c.retain_until <= ?), 0)"
            " FROM cases c LEFT JOIN retention_holds h ON h.case_id = c.id"
            " WHERE c.status = 'closed' AND c.destroyed_at IS NULL AND h.reason IS NULL"
            " AND c.retain_until IS NOT NULL AND c.retain_until <= ?",
            (overdue_from.isoformat(), overdue_from.isoformat(), as_of.isoformat())).fetchone()
        return int(row[0]), int(row[1])

    def records(self) -> builtins.list[RetentionRecord]:
        """Every case, by reference."""
        return [_record(r) for r in self._conn.execute(_RECORD_SQL + " ORDER BY c.ref")]

    def closing_documents(self, case_id: str) -> builtins.list[ClosingDocument]:
        rows = self._conn.execute(
            "SELECT id, name, is_original, returned FROM documents WHERE case_id = ?"
            " ORDER BY added, id", (case_id,)).fetchall()
        return [ClosingDocument(r[0], r[1], bool(r[2]), r[3] is not None) for r in rows]

    def closing_follow_ups(self, case_id: str) -> builtins.list[ClosingFollowUp]:
        rows = self._conn.execute(
            "SELECT advice_seq, advice_date, discharged_seq, waived_on, waive_reason"
            " FROM followups WHERE case_id = ? ORDER BY advice_seq", (case_id,)).fetchall()
        return [ClosingFollowUp(int(r[0]), dt.date.fromisoformat(r[1]), r[2] is not None,
                                r[3] is not None, r[4]) for r in rows]

    def escalation_decided(self, case_id: str) -> bool:
        return self._conn.execute("SELECT 1 FROM escalation_decisions WHERE case_id = ?",
                                  (case_id,)).fetchone() is not None

    def external_copies(self, case_id: str) -> builtins.list[ExternalCopyRow]:
        """Trail entries of the case that put a decrypted copy outside the vault."""
        marks = ",".join("?" * len(EXTERNAL_COPY_KINDS))
        rows = self._conn.execute(
            f"SELECT seq, kind, ts FROM trail WHERE case_id = ? AND kind IN ({marks})"  # noqa: S608
            " ORDER BY seq", (case_id, *EXTERNAL_COPY_KINDS)).fetchall()
        return [ExternalCopyRow(int(r[0]), EXTERNAL_COPY_KINDS[r[1]],
                                dt.datetime.fromisoformat(r[2]).date()) for r in rows]

    # -- closing, reopening, holds -------------------------------------------------------------

    def set_closed(self, case_id: str, *, closed: dt.date, outcome: str, shredded: dt.date,
                   retain_until: dt.date, rule: str, years: int | None, days: int | None,
                   reason: str | None, when: dt.datetime) -> None:
        self._conn.execute(
            "UPDATE cases SET status = 'closed', closed = ?, outcome = ?, paper_shredded = ?,"
            " retain_until = ?, retention_rule = ?, retention_years = ?, retention_days = ?,"
            " retention_reason = ?, last_activity = ? WHERE id = ? AND status = 'open'",
            (closed.isoformat(), outcome, shredded.isoformat(), retain_until.isoformat(), rule,
             years, days, reason, when.isoformat(), case_id))

    def set_reopened(self, case_id: str, when: dt.datetime) -> None:
        self._conn.execute(
            "UPDATE cases SET status = 'open', closed = NULL, paper_shredded = NULL,"
            " retain_until = NULL, retention_rule = NULL, retention_years = NULL,"
            " retention_days = NULL, retention_reason = NULL, last_activity = ?"
            " WHERE id = ? AND status = 'closed'", (when.isoformat(), case_id))

    def set_hold(self, case_id: str, reason: str, since: dt.datetime, trail_seq: int) -> None:
        self._conn.execute(
            "INSERT INTO retention_holds (case_id, reason, since, trail_seq) VALUES (?, ?, ?, ?)",
            (case_id, reason, since.isoformat(), trail_seq))

    def release_hold(self, case_id: str) -> None:
        self._conn.execute("DELETE FROM retention_holds WHERE case_id = ?", (case_id,))

    # -- certificates --------------------------------------------------------------------------

    def next_certificate_id(self, year: int) -> str:
        prefix = f"CERT-{year}-"
        row = self._conn.execute(
            "SELECT max(CAST(substr(id, 11) AS INTEGER)) FROM destruction_certificates"
            " WHERE id LIKE ?", (prefix + "%",)).fetchone()
        return f"{prefix}{(row[0] or 0) + 1:04d}"

    def add_certificate(self, cert: StoredCertificate) -> None:
        self._conn.execute(
            "INSERT INTO destruction_certificates (id, case_id, case_ref, destroyed, body, digest)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (cert.id, cert.case_id, cert.case_ref, cert.destroyed.isoformat(), cert.body,
             cert.digest))

    def certificate_for(self, ref_or_id: str) -> StoredCertificate | None:
        key = ref_or_id.strip()
        row = self._conn.execute(
            "SELECT * FROM destruction_certificates WHERE case_ref = ? OR case_id = ? OR id = ?",
            (key.upper(), key, key.upper())).fetchone()
        return _certificate(row) if row else None

    def certificates(self) -> builtins.list[StoredCertificate]:
        rows = self._conn.execute(
            "SELECT * FROM destruction_certificates ORDER BY destroyed, id").fetchall()
        return [_certificate(r) for r in rows]

    # -- the erase (each piece idempotent) -----------------------------------------------------

    def destroy_key_and_tombstone(self, case_id: str, when: dt.datetime) -> None:
        """Drop the wrapped case key and leave a tombstone: status destroyed, title blanked,
        outcome, flags and retention reason cleared; purge the case from the full-text
        indexes (see :meth:`purge_full_text`)."""
        with self._fts_bulk_delete():
            self._tombstone(case_id, when)

    @contextlib.contextmanager
    def _fts_bulk_delete(self) -> Iterator[None]:
        """Delete from the FTS5 indexes in bulk, then rewrite each as one segment.

        FTS5 ``secure-delete`` removes a deleted row's words from the index b-tree one token at
        a time: for a case with 5,000 trail entries that is ~20 s on this machine. Instead,
        inside the caller's transaction, secure-delete is switched off, the rows are deleted
        (FTS5 then only appends delete markers) and ``optimize`` merges every segment of each
        index into one, which drops the deleted entries physically — the same end state, in
        about a second (docs/retention.md). The old segment pages are freed (zeroed by
        ``PRAGMA secure_delete``), and the erase's VACUUM rebuilds the file. Secure-delete is
        switched back on before the transaction ends (the option is stored in the index, so a
        rollback restores it too).
        """
        for table in _FTS_TABLES:
            self._conn.execute(
                f"INSERT INTO {table} ({table}, rank) VALUES ('secure-delete', 0)")  # noqa: S608
        yield
        for table in _FTS_TABLES:
            self._conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")  # noqa: S608
            self._conn.execute(
                f"INSERT INTO {table} ({table}, rank) VALUES ('secure-delete', 1)")  # noqa: S608

    def full_text_rows(self, case_id: str) -> int:
        """How many full-text rows of the case remain (0 once purged)."""
        return int(self._conn.execute(
            "SELECT (SELECT count(*) FROM search_docs WHERE case_id = ?)"
            " + (SELECT count(*) FROM trail_fts WHERE rowid IN"
            "    (SELECT seq FROM trail WHERE case_id = ?))", (case_id, case_id)).fetchone()[0])

    def purge_full_text(self, case_id: str) -> int:
        """Delete every full-text row of the case left (records, first meeting, trail
        entries) and rewrite the indexes so none of its words remain; returns how many rows
        were left (idempotent: nothing to do once purged)."""
        left = self.full_text_rows(case_id)
        if not left:
            return 0
        with self._fts_bulk_delete():
            self._conn.execute(
                "DELETE FROM trail_fts WHERE rowid IN (SELECT seq FROM trail WHERE case_id = ?)",
                (case_id,))
            for table in ("search_fts", "text_fts"):
                self._conn.execute(
                    f"DELETE FROM {table} WHERE rowid IN"  # noqa: S608
                    " (SELECT id FROM search_docs WHERE case_id = ?)", (case_id,))
            self._conn.execute("DELETE FROM search_docs WHERE case_id = ?", (case_id,))
        return left

    def _tombstone(self, case_id: str, when: dt.datetime) -> None:
        self._conn.execute(
            "UPDATE cases SET wrapped_key = NULL, status = 'destroyed', title = '',"
            " outcome = NULL, description = NULL, dismissal_threatened = 0,"
            " discrimination_alleged = 0,"
            " legal_action_contemplated = 0, consent_to_share = 0, retention_reason = NULL,"
            " destroyed_at = coalesce(destroyed_at, ?), last_activity = ? WHERE id = ?",
            (when.isoformat(), when.isoformat(), case_id))

    def wrapped_key_present(self, case_id: str) -> bool:
        row = self._conn.execute("SELECT wrapped_key FROM cases WHERE id = ?",
                                 (case_id,)).fetchone()
        return row is not None and row[0] is not None

    def document_totals(self, case_id: str) -> tuple[int, int]:
        """(count, plaintext bytes) of the case's documents still in the database."""
        row = self._conn.execute(
            "SELECT count(*), coalesce(sum(size), 0) FROM documents WHERE case_id = ?",
            (case_id,)).fetchone()
        return int(row[0]), int(row[1])

    def counts_for_case(self, case_id: str) -> dict[str, int]:
        """What an erase of the case would remove now (counts only)."""
        def one(sql: str, *args: object) -> int:
            return int(self._conn.execute(sql, args).fetchone()[0])

        docs, size = self.document_totals(case_id)
        return {
            "documents": docs,
            "document_bytes": size,
            "trail_payloads": one("SELECT count(*) FROM trail WHERE case_id = ?"
                                  " AND payload IS NOT NULL", case_id),
            "first_meeting": one("SELECT count(*) FROM first_meetings WHERE case_id = ?",
                                 case_id)
            + one("SELECT count(*) FROM case_issues WHERE case_id = ?", case_id)
            + one("SELECT count(*) FROM action_points WHERE case_id = ?", case_id),
            "follow_ups": one("SELECT count(*) FROM followups WHERE case_id = ?", case_id),
            "parties": one(_COUNT_UNREFERRED_PARTIES, case_id, case_id),
            "conflict_findings": one("SELECT count(*) FROM conflict_findings WHERE case_id = ?",
                                     case_id),
            "search_entries": one("SELECT count(*) FROM search_docs WHERE case_id = ?", case_id)
            + one("SELECT count(*) FROM trail_fts WHERE rowid IN"
                  " (SELECT seq FROM trail WHERE case_id = ?)", case_id),
        }

    def delete_case_rows(self, case_id: str) -> None:
        """Delete every row of the case but its tombstone and its trail entries (whose payloads
        are erased separately): first meeting, issues, action points, follow-ups, escalation,
        consents, hold, documents, its own conflict findings, and its parties that no other
        case refers to (a conflict finding of another case that matched one keeps it)."""
        for table in _CASE_TABLES:
            self._conn.execute(f"DELETE FROM {table} WHERE case_id = ?", (case_id,))  # noqa: S608
        self._conn.execute("DELETE FROM conflict_findings WHERE case_id = ?", (case_id,))
        self._conn.execute(_DELETE_UNREFERRED_PARTIES, (case_id, case_id))

    def remaining_rows(self, case_id: str) -> int:
        """Rows of the case still held outside its tombstone, its referred-to parties and its
        erased trail entries (0 after a complete erase)."""
        def one(sql: str, *args: object) -> int:
            return int(self._conn.execute(sql, args).fetchone()[0])

        total = sum(one(f"SELECT count(*) FROM {t} WHERE case_id = ?", case_id)  # noqa: S608
                    for t in (*_CASE_TABLES, "search_docs"))
        total += one(_COUNT_UNREFERRED_PARTIES, case_id, case_id)
        total += one("SELECT count(*) FROM conflict_findings WHERE case_id = ?", case_id)
        total += one("SELECT count(*) FROM trail WHERE case_id = ? AND payload IS NOT NULL",
                     case_id)
        total += one("SELECT count(*) FROM trail_fts WHERE rowid IN (SELECT seq FROM trail"
                     " WHERE case_id = ?)", case_id)
        return total

    def member_has_live_case(self, member_id: str) -> bool:
        return self._conn.execute(
            "SELECT 1 FROM cases WHERE member_id = ? AND status <> 'destroyed' LIMIT 1",
            (member_id,)).fetchone() is not None

    def member_present(self, member_id: str) -> bool:
        """True while the member's personal fields are still held."""
        return self._conn.execute(
            "SELECT 1 FROM members WHERE id = ? AND removed IS NULL",
            (member_id,)).fetchone() is not None

    def erase_member(self, member_id: str, when: dt.datetime) -> int:
        """Clear every personal field of a member with no live case and drop their search
        entry and conflict findings; returns 1 if erased now, 0 if already gone or kept."""
        if self.member_has_live_case(member_id) or not self.member_present(member_id):
            return 0
        self._conn.execute(
            "UPDATE members SET name = '', membership_number = NULL, employer = NULL,"
            " department = NULL, email = NULL, phone = NULL, removed = ? WHERE id = ?",
            (when.isoformat(), member_id))
        self._conn.execute(
            "DELETE FROM search_fts WHERE rowid IN"
            " (SELECT id FROM search_docs WHERE source = 'member' AND source_id = ?)",
            (member_id,))
        self._conn.execute("DELETE FROM search_docs WHERE source = 'member' AND source_id = ?",
                           (member_id,))
        self._conn.execute(
            "DELETE FROM conflict_findings WHERE (subject_kind = 'member' AND subject_id = ?)"
            " OR (matched_kind = 'member' AND matched_id = ?)", (member_id, member_id))
        return 1


def _certificate(r: sqlcipher3.Row) -> StoredCertificate:
    return StoredCertificate(r["id"], r["case_id"], r["case_ref"],
                             dt.datetime.fromisoformat(r["destroyed"]), bytes(r["body"]),
                             r["digest"])
