"""The cryptographic erase of one case: a resumable job of eleven steps, and its certificate.

Owns the order and the bookkeeping of secure deletion (DESIGN.md §3 and §5, issue 9):

 1. ``key``     the wrapped case key is dropped and the case row becomes a tombstone
                (status destroyed, title blanked); the key is wiped from memory; the search
                triggers purge its index rows in the same transaction;
 2. ``rows``    its first meeting, issues, action points, follow-ups, escalation decision,
                consents, hold, documents, own conflict findings and the parties no other case
                refers to are deleted;
 3. ``files``   its document folder (and any quarantined file of the case) is deleted;
 4. ``search``  an explicit FTS5 purge of anything of the case left in the indexes (FTS5
                ``secure-delete`` is on, so the words leave the index b-tree itself);
 5. ``trail``   its paper-trail payloads are removed (hashes kept, the chain still verifies)
                and a vault-level system entry records the destruction (counts, no names);
 6. ``member``  a member with no remaining case is erased the same way (every personal field
                cleared, search entry and conflict findings deleted) and the conflict
                matcher's in-memory index is refreshed;
 7. ``wal``     ``wal_checkpoint(TRUNCATE)``: nothing of the case stays in the -wal file;
 8. ``vacuum``  ``VACUUM`` rebuilds the file, so no freed page keeps old content;
 9. ``rekey``   the database key is rotated two-phase (stage → rekey → check → promote):
                any copy of the old file is unreadable once the old key is gone;
10. ``verify``  every check the certificate lists;
11. ``certificate`` the certificate is stored and the intent finished in one transaction,
                so it exists exactly once.

The intent is recorded (with the counts and copies-outside list gathered up front, ids and
numbers only) in the transaction that checks the case may be destroyed. After each step the
intent records it; every step is idempotent, so a crash at any point is finished by running
the remaining steps at the next unlock (``resume_all``). A crash between ``rekey`` and the
key promotion is handled by the vault's unlock, which tries the current key then the pending.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable
from typing import Any

from vault.casework.paper_trail import PaperTrail
from vault.clock import Clock
from vault.domain import Category
from vault.errors import Cancelled, IntegrityError, StorageError
from vault.reports import destruction_certificate
from vault.reports.destruction_certificate import (
    CertificateView,
    DestroyedCounts,
    ExternalCopy,
    TrailHead,
    VerificationCheck,
)
from vault.retention.views import ERASE_STEPS, EraseStep
from vault.store.retention_repo import RetentionRecord, RetentionRepository, StoredCertificate
from vault.store.search_index import SearchIndex
from vault.store.unlocked_vault import UnlockedVault

log = logging.getLogger(__name__)

ERASE_INTENT = "erase-case"
CASE_DESTROYED = "case-destroyed"

ProgressFn = Callable[[int, int, EraseStep], None]
StepHook = Callable[[EraseStep], None]


class EraseJob:
    """Runs and resumes erases over one unlocked vault."""

    def __init__(self, vault: UnlockedVault, clock: Clock, trail: PaperTrail, *,
                 product_version: str, on_people_changed: Callable[[], None]) -> None:
        self._vault = vault
        self._clock = clock
        self._trail = trail
        self._version = product_version
        self._people_changed = on_people_changed

    # -- starting ------------------------------------------------------------------------------

    def run(self, record: RetentionRecord, *, rule: str, progress: ProgressFn | None,
            cancelled: Callable[[], bool] | None, step_hook: StepHook | None
            ) -> CertificateView:
        """Record the intent and run every step; returns the certificate."""
        if self._pending():
            # One erase at a time: finish an interrupted one first (it reserved its id).
            self.resume_all(step_hook=None)
        if cancelled is not None and cancelled():
            raise Cancelled()
        now = self._clock.now()
        with self._vault.db.transaction() as conn:
            repo = RetentionRepository(conn)
            current = repo.record(record.case_id)
            if current.status != "closed":
                raise IntegrityError("The case changed before its destruction began.")
            counts = repo.counts_for_case(current.case_id)
            copies = [{"seq": c.seq, "kind": c.kind, "on": c.on.isoformat()}
                      for c in repo.external_copies(current.case_id)]
            data: dict[str, Any] = {
                "done": [],
                "ref": current.ref,
                "member_id": current.member_id,
                "category": current.category,
                "opened": current.opened.isoformat(),
                "closed": current.closed.isoformat() if current.closed else None,
                "retain_until": (current.retain_until.isoformat()
                                 if current.retain_until else None),
                "rule": rule,
                "rule_code": _rule_code(current),
                "counts": counts,
                "copies": copies,
                "destroyed_at": now.isoformat(),
                "certificate_id": repo.next_certificate_id(now.year),
                "epoch_before": self._vault.keyfile.db_epoch,
            }
            intent = _begin(conn, current.case_id, data, now)
        log.info("erase of case %s begun (intent %d)", current.case_id[:8], intent)
        return self._continue(intent, current.case_id, data, progress, step_hook)

    def resume_all(self, *, step_hook: StepHook | None) -> int:
        """Finish every interrupted erase; returns how many were finished."""
        done = 0
        for intent, case_id, data in self._pending():
            self._continue(intent, case_id, data, None, step_hook)
            done += 1
        if done:
            log.warning("resumed %d interrupted erase(s)", done)
        return done

    def _pending(self) -> list[tuple[int, str, dict[str, Any]]]:
        return _pending(self._vault)

    # -- the steps -----------------------------------------------------------------------------

    def _continue(self, intent: int, case_id: str, data: dict[str, Any],
                  progress: ProgressFn | None, step_hook: StepHook | None) -> CertificateView:
        total = len(ERASE_STEPS)
        done: list[str] = list(data.get("done", []))
        result: CertificateView | None = None
        for index, step in enumerate(ERASE_STEPS):
            if step.value in done:
                continue
            if progress is not None:
                progress(index, total, step)
            if step_hook is not None:
                step_hook(step)
            outcome = self._run_step(step, intent, case_id, data)
            if step is EraseStep.CERTIFICATE:
                assert isinstance(outcome, CertificateView)
                result = outcome
                break
            done.append(step.value)
            data["done"] = done
            with self._vault.db.transaction() as conn:
                _advance(conn, intent, data)
        if progress is not None:
            progress(total, total, EraseStep.CERTIFICATE)
        if result is None:  # the certificate step ran in an earlier process
            with self._vault.db.lock:
                stored = RetentionRepository(self._vault.db.connection).certificate_for(case_id)
            assert stored is not None
            result = destruction_certificate.parse_certificate(stored.body)
        log.info("erase of case %s finished", case_id[:8])
        return result

    def _run_step(self, step: EraseStep, intent: int, case_id: str,
                  data: dict[str, Any]) -> object:
        vault = self._vault
        when = dt.datetime.fromisoformat(data["destroyed_at"])
        if step is EraseStep.KEY:
            with vault.db.transaction() as conn:
                RetentionRepository(conn).destroy_key_and_tombstone(case_id, when)
            vault.forget_case_key(case_id)
        elif step is EraseStep.ROWS:
            with vault.db.transaction() as conn:
                RetentionRepository(conn).delete_case_rows(case_id)
        elif step is EraseStep.FILES:
            _delete_files(vault, case_id)
        elif step is EraseStep.SEARCH:
            with vault.db.transaction() as conn:
                SearchIndex(conn).purge_case(case_id)
        elif step is EraseStep.TRAIL:
            with vault.db.transaction() as conn:
                vault.trail.erase_payloads(conn, case_id)
                if "trail_seq" not in data:
                    data["trail_seq"] = self._trail.record(
                        conn, kind=CASE_DESTROYED, case=None, ts=when, payload={
                            "summary": f"Case {data['ref']} destroyed by cryptographic erase",
                            "case_ref": data["ref"],
                            "certificate_id": data["certificate_id"],
                            "counts": data["counts"],
                        })
                    _advance(conn, intent, data)
        elif step is EraseStep.MEMBER:
            with vault.db.transaction() as conn:
                removed = RetentionRepository(conn).erase_member(data["member_id"], when)
                if removed:
                    data["member_removed"] = True
                    _advance(conn, intent, data)
            self._people_changed()
        elif step is EraseStep.WAL:
            _checkpoint(vault)
        elif step is EraseStep.VACUUM:
            _vacuum(vault)
        elif step is EraseStep.REKEY:
            vault.rotate_db_key()
            _checkpoint(vault)
        elif step is EraseStep.VERIFY:
            data["checks"] = [[name, ok] for name, ok in self._verify(case_id, data)]
            with vault.db.transaction() as conn:
                _advance(conn, intent, data)
        elif step is EraseStep.CERTIFICATE:
            return self._certify(intent, case_id, data)
        return None

    def _verify(self, case_id: str, data: dict[str, Any]) -> list[tuple[str, bool]]:
        vault = self._vault
        with vault.db.lock:
            repo = RetentionRepository(vault.db.connection)
            key_gone = not repo.wrapped_key_present(case_id)
            remaining = repo.remaining_rows(case_id)
            member_gone = not repo.member_present(data["member_id"]) or \
                repo.member_has_live_case(data["member_id"])
        files_gone = not vault.documents.case_dir(case_id).exists()
        integrity = not vault.db.integrity_check()
        cipher = not vault.db.cipher_integrity_check()
        kf = vault.keyfile
        rotated = kf.db_epoch > int(data["epoch_before"]) and kf.db_key_pending is None
        chain = self._trail.verify().ok
        return [
            ("Case key destroyed (no wrapped key left in the database)", key_gone),
            ("No record, search entry or paper-trail text of the case remains", remaining == 0),
            ("Document files of the case deleted", files_gone),
            ("Member removed, or still has another case", member_gone),
            ("Database integrity check", integrity),
            ("Database page authentication check (SQLCipher)", cipher),
            (f"Database re-encrypted under a new key (epoch {kf.db_epoch})", rotated),
            ("Paper-trail chain verifies", chain),
        ]

    def _certify(self, intent: int, case_id: str, data: dict[str, Any]) -> CertificateView:
        counts = dict(data["counts"])
        counts["members"] = 1 if data.get("member_removed") else 0
        seq, mac = self._trail.head()
        view = CertificateView(
            certificate_id=data["certificate_id"],
            vault_id=self._vault.vault_id,
            case_ref=data["ref"],
            category=Category(data["category"]).label,
            opened=dt.date.fromisoformat(data["opened"]),
            closed=dt.date.fromisoformat(data["closed"]),
            destroyed=dt.datetime.fromisoformat(data["destroyed_at"]),
            rule=data["rule"],
            rule_code=data["rule_code"],
            retention_date=dt.date.fromisoformat(data["retain_until"]),
            counts=DestroyedCounts(**{k: int(v) for k, v in counts.items()}),
            verification=tuple(VerificationCheck(str(n), bool(ok)) for n, ok in data["checks"]),
            external_copies=tuple(
                ExternalCopy(c["kind"], dt.date.fromisoformat(c["on"]),
                             f"paper-trail entry #{c['seq']}") for c in data["copies"]),
            product_version=self._version,
            trail_head=TrailHead(seq, mac),
            db_epoch=self._vault.keyfile.db_epoch,
        )
        body = destruction_certificate.canonical_json(view)
        with self._vault.db.transaction() as conn:
            repo = RetentionRepository(conn)
            if repo.certificate_for(case_id) is None:
                repo.add_certificate(StoredCertificate(
                    view.certificate_id, case_id, view.case_ref, view.destroyed, body,
                    destruction_certificate.certificate_digest(body)))
            _finish(conn, intent)
        if not view.verified:
            log.error("erase of case %s finished but a verification check failed", case_id[:8])
        return view


# -- the intent journal (current store API) ---------------------------------------------------

def _begin(conn: Any, case_id: str, data: dict[str, Any], when: dt.datetime) -> int:
    cur = conn.execute(
        "INSERT INTO intents (kind, case_id, file_id, created) VALUES (?, ?, ?, ?)",
        (ERASE_INTENT, case_id, json.dumps(data, sort_keys=True), when.isoformat()))
    return int(cur.lastrowid or 0)


def _advance(conn: Any, intent: int, data: dict[str, Any]) -> None:
    conn.execute("UPDATE intents SET file_id = ? WHERE id = ?",
                 (json.dumps(data, sort_keys=True), intent))


def _finish(conn: Any, intent: int) -> None:
    conn.execute("DELETE FROM intents WHERE id = ?", (intent,))


def _pending(vault: UnlockedVault) -> list[tuple[int, str, dict[str, Any]]]:
    rows = vault.db.query("SELECT id, case_id, file_id FROM intents WHERE kind = ? ORDER BY id",
                          (ERASE_INTENT,))
    return [(int(r[0]), r[1], json.loads(r[2])) for r in rows]


# -- steps outside a transaction -----------------------------------------------------------------

def _delete_files(vault: UnlockedVault, case_id: str) -> None:
    try:
        vault.documents.delete_case(case_id)
        quarantine = vault.documents.quarantine_dir
        if quarantine.is_dir():
            for path in quarantine.glob(f"{case_id}-*"):
                path.unlink(missing_ok=True)
    except OSError as exc:
        raise StorageError("The case's document files could not be deleted.") from exc
    if vault.documents.case_dir(case_id).exists():
        raise StorageError("The case's document files could not be deleted.")


def _checkpoint(vault: UnlockedVault) -> None:
    with vault.db.lock:
        vault.db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def _vacuum(vault: UnlockedVault) -> None:
    with vault.db.lock:
        vault.db.connection.execute("VACUUM")


def _rule_code(r: RetentionRecord) -> str:
    if r.rule == "per-case":
        return f"per-case:{r.days}d"
    return f"profile:{r.years}y"
