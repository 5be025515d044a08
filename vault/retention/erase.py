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

The intent (kind ``erase-case``, through the intent journal) is recorded with the counts and
the copies-outside list gathered up front — ids and numbers only — in the transaction that
checks the case may be destroyed. After each step the intent's data records it; every step is
idempotent, so a crash at any point is finished by running the remaining steps: the journal
hands the intent to :meth:`EraseJob.resume` at the next unlock (GUI or CLI). A crash between
``rekey`` and the key promotion is handled by the vault's unlock, which tries the current key
then the pending one.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

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
from vault.store.db import Database
from vault.store.intent_journal import IntentJournal
from vault.store.intents_repo import Intent
from vault.store.retention_repo import RetentionRecord, StoredCertificate
from vault.store.unit_of_work import Tx, UnitOfWork
from vault.store.unlocked_vault import VaultFiles
from vault.trail.kinds import TrailEvent
from vault.trail.service import PaperTrail

log = logging.getLogger(__name__)

ERASE_INTENT = "erase-case"

# Steps outside a database transaction (recorded done just after they ran).
_FILE_STEPS = frozenset({EraseStep.FILES, EraseStep.WAL, EraseStep.VACUUM, EraseStep.REKEY,
                         EraseStep.VERIFY})

ProgressFn = Callable[[int, int, EraseStep], None]
StepHook = Callable[[EraseStep], None]


class EraseStore:
    """What an erase needs beyond the rows of the database: the document folder, the key
    file's epoch, the WAL checkpoint and VACUUM, integrity checks and the key rotation."""

    def __init__(self, *, files: VaultFiles, db: Database, journal: IntentJournal,
                 rotate_db_key: Callable[[], None],
                 backups_holding: Callable[[str], list[tuple[str, str, str]]] | None = None,
                 after_erase: Callable[[str], object] | None = None) -> None:
        self._files = files
        self._db = db
        self.journal = journal
        self._rotate = rotate_db_key
        # Backups (issue 11): the kept backups that still hold a case — ``(kind, on (ISO
        # date), detail)`` for the certificate — and what to do with them once the erase has
        # committed (automatic ones deleted and written afresh; manual ones are the rep's).
        self.backups_holding = backups_holding or (lambda _case_id: [])
        self.after_erase = after_erase or (lambda _case_id: None)

    @property
    def vault_id(self) -> str:
        return self._files.vault_id

    @property
    def db_epoch(self) -> int:
        return self._files.keyfile.db_epoch

    @property
    def key_pending(self) -> bool:
        return self._files.keyfile.db_key_pending is not None

    def delete_files(self, case_id: str) -> bool:
        """Delete the case's document folder and quarantined files; True when gone.

        Raises:
            StorageError: the disk refused.
        """
        store = self._files.documents
        try:
            store.delete_case(case_id)
            if store.quarantine_dir.is_dir():
                for path in store.quarantine_dir.glob(f"{case_id}-*"):
                    path.unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError("The case's document files could not be deleted.") from exc
        return self.files_gone(case_id)

    def files_gone(self, case_id: str) -> bool:
        return not self._files.documents.case_dir(case_id).exists()

    def checkpoint(self) -> None:
        self._db.checkpoint()

    def vacuum(self) -> None:
        self._db.vacuum()

    def rotate_db_key(self) -> None:
        self._rotate()

    def pages_authenticate(self) -> bool:
        """SQLCipher's check of every page's HMAC under the current key (O(database))."""
        return not self._db.cipher_integrity_check()


class EraseJob:
    """Runs and resumes erases. Registers itself with the journal for ``ERASE_INTENT``."""

    def __init__(self, uow: UnitOfWork, clock: Clock, trail: PaperTrail, store: EraseStore, *,
                 product_version: str, on_people_changed: Callable[[], None]) -> None:
        self._uow = uow
        self._clock = clock
        self._trail = trail
        self._store = store
        self._version = product_version
        self._people_changed = on_people_changed
        store.journal.register(ERASE_INTENT, self.resume)

    # -- starting and resuming -----------------------------------------------------------------

    def run(self, record: RetentionRecord, *, rule: str, progress: ProgressFn | None,
            cancelled: Callable[[], bool] | None, step_hook: StepHook | None,
            keep_member: bool = False) -> CertificateView:
        """Record the intent and run every step; returns the certificate.

        ``keep_member``: leave the member's record even when this was their last case (a case
        opened by mistake says nothing about the member)."""
        for pending in self._store.journal.pending(ERASE_INTENT):
            # One erase at a time: finish an interrupted one first (it reserved its id).
            self.resume(pending)
        if cancelled is not None and cancelled():
            raise Cancelled()
        now = self._clock.now()
        with self._uow.write() as tx:
            repo = tx.retention
            current = repo.record(record.case_id)
            if current.status != "closed":
                raise IntegrityError("The case changed before its destruction began.")
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
                "counts": repo.counts_for_case(current.case_id),
                "copies": [{"seq": c.seq, "kind": c.kind, "on": c.on.isoformat()}
                           for c in repo.external_copies(current.case_id)],
                "backups": [{"kind": kind, "on": on, "detail": detail} for kind, on, detail
                            in self._store.backups_holding(current.case_id)],
                "destroyed_at": now.isoformat(),
                "certificate_id": repo.next_certificate_id(now.year),
                "epoch_before": self._store.db_epoch,
                "keep_member": keep_member,
            }
            intent = self._store.journal.begin(tx, ERASE_INTENT, case_id=current.case_id,
                                               data=data)
        log.info("erase of case %s begun (intent %d)", current.case_id[:8], intent)
        return self._continue(intent, current.case_id, data, progress, step_hook)

    def resume(self, intent: Intent, step_hook: StepHook | None = None) -> None:
        """The journal's handler: finish an erase interrupted by a crash."""
        if intent.case_id is None:
            raise IntegrityError("An erase intent without its case.")
        log.warning("resuming the erase of case %s (intent %d)", intent.case_id[:8], intent.id)
        self._continue(intent.id, intent.case_id, dict(intent.data), None, step_hook)

    # -- the steps -----------------------------------------------------------------------------

    def _continue(self, intent: int, case_id: str, data: dict[str, Any],
                  progress: ProgressFn | None, step_hook: StepHook | None) -> CertificateView:
        total = len(ERASE_STEPS)
        result: CertificateView | None = None
        for index, step in enumerate(ERASE_STEPS):
            if step.value in data.get("done", []):
                continue
            if progress is not None:
                progress(index, total, step)
            if step_hook is not None:
                step_hook(step)
            if step is EraseStep.CERTIFICATE:
                result = self._certify(intent, case_id, data)
                break
            self._run_step(step, intent, case_id, data)
        if progress is not None:
            progress(total, total, EraseStep.CERTIFICATE)
        if result is None:  # the certificate step ran in an earlier process
            with self._uow.read() as tx:
                stored = tx.retention.certificate_for(case_id)
            if stored is None:
                raise IntegrityError("The erase finished without its certificate.")
            result = destruction_certificate.parse_certificate(stored.body)
        log.info("erase of case %s finished", case_id[:8])
        return result

    def _run_step(self, step: EraseStep, intent: int, case_id: str,
                  data: dict[str, Any]) -> None:
        """Run one step and record it done. A step that writes rows records itself in the
        same transaction, so it is never half-recorded; the others are idempotent and are
        recorded just after."""
        store = self._store
        when = dt.datetime.fromisoformat(data["destroyed_at"])
        if step in _FILE_STEPS:
            if step is EraseStep.FILES:
                if not store.delete_files(case_id):
                    raise StorageError("The case's document files could not be deleted.")
            elif step is EraseStep.WAL:
                store.checkpoint()
            elif step is EraseStep.VACUUM:
                store.vacuum()
            elif step is EraseStep.REKEY:
                store.rotate_db_key()
                store.checkpoint()
            elif step is EraseStep.VERIFY:
                data["checks"] = [[name, ok] for name, ok in self._verify(case_id, data)]
            with self._uow.write() as tx:
                self._mark(tx, intent, data, step)
            return
        with self._uow.write() as tx:
            if step is EraseStep.KEY:
                tx.retention.destroy_key_and_tombstone(case_id, when)
                tx.forget_case_key(case_id)
            elif step is EraseStep.ROWS:
                tx.retention.delete_case_rows(case_id)
            elif step is EraseStep.SEARCH:
                tx.retention.purge_full_text(case_id)
            elif step is EraseStep.TRAIL:
                tx.trail.erase_payloads(case_id)
                # A vault-level entry (the case key is gone): counts and ids, no names.
                data["trail_seq"] = self._trail.record(
                    tx, kind=TrailEvent.CASE_DESTROYED.value, case=None, ts=when, payload={
                        "summary": f"Case {data['ref']} destroyed by cryptographic erase",
                        "case_ref": data["ref"],
                        "certificate_id": data["certificate_id"],
                        "counts": data["counts"],
                    })
            elif (step is EraseStep.MEMBER and not data.get("keep_member")
                  and tx.retention.erase_member(data["member_id"], when)):
                data["member_removed"] = True
            self._mark(tx, intent, data, step)
        if step is EraseStep.MEMBER:
            self._people_changed()

    def _mark(self, tx: Tx, intent: int, data: dict[str, Any], step: EraseStep) -> None:
        data["done"] = [*data.get("done", []), step.value]
        self._store.journal.advance(tx, intent, data)

    def _verify(self, case_id: str, data: dict[str, Any]) -> list[tuple[str, bool]]:
        store = self._store
        with self._uow.read() as tx:
            repo = tx.retention
            key_gone = not repo.wrapped_key_present(case_id)
            remaining = repo.remaining_rows(case_id)
            member_ok = (not repo.member_present(data["member_id"])
                         or repo.member_has_live_case(data["member_id"]))
        # The structural check ran inside the key rotation (quick_check after the rekey, which
        # raises if it fails); a second full integrity_check here would cost as much again.
        cipher = store.pages_authenticate()
        rotated = store.db_epoch > int(data["epoch_before"]) and not store.key_pending
        chain = self._trail.verify().ok
        return [
            ("Case key destroyed (no wrapped key left in the database)", key_gone),
            ("No record, search entry or paper-trail text of the case remains", remaining == 0),
            ("Document files of the case deleted", store.files_gone(case_id)),
            ("Member removed, or still has another case", member_ok),
            ("Database structure check after the re-key (quick_check)", True),
            ("Every database page authenticates under the new key (SQLCipher)", cipher),
            (f"Database re-encrypted under a new key (epoch {store.db_epoch})", rotated),
            ("Paper-trail chain verifies", chain),
        ]

    def _certify(self, intent: int, case_id: str, data: dict[str, Any]) -> CertificateView:
        counts = dict(data["counts"])
        counts["members"] = 1 if data.get("member_removed") else 0
        seq, mac = self._trail.head()
        view = CertificateView(
            certificate_id=data["certificate_id"],
            vault_id=self._store.vault_id,
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
                             f"paper-trail entry #{c['seq']}") for c in data["copies"])
            + tuple(ExternalCopy(b["kind"], dt.date.fromisoformat(b["on"]), b["detail"])
                    for b in data.get("backups", [])),
            product_version=self._version,
            trail_head=TrailHead(seq, mac),
            db_epoch=self._store.db_epoch,
        )
        body = destruction_certificate.canonical_json(view)
        with self._uow.write() as tx:
            if tx.retention.certificate_for(case_id) is None:
                tx.retention.add_certificate(StoredCertificate(
                    view.certificate_id, case_id, view.case_ref, view.destroyed, body,
                    destruction_certificate.certificate_digest(body)))
            self._store.journal.finish(tx, intent)
        try:
            self._store.after_erase(case_id)
        except Exception:
            log.warning("backups holding the erased case were not all rewritten")
        if not view.verified:
            log.error("erase of case %s finished but a verification check failed", case_id[:8])
        return view


def _rule_code(r: RetentionRecord) -> str:
    if r.rule == "per-case":
        return f"per-case:{r.days}d"
    return f"profile:{r.years}y"
