"""The employer's policies and procedures (UCU guide point 10): "Your employer will usually keep
a set of internal policies and procedures and it is worth finding out where these are kept and
familiarising yourself with the contents."

A library kept apart from every member's case: its files are CVF1 under a key of the library's
own (``Tx.library_key``, random, wrapped by the VMK), in a folder named by a random id like any
case's, so nothing on disk tells a policy from casework. A case links to the policies it relies
on; destroying a case drops its links, never the library. Importing records an intent first
(kind ``policy-import``), as document imports do.
"""

from __future__ import annotations

import builtins
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

from vault.casework.documents import display_name, media_type_of
from vault.casework.validation import clean_text
from vault.clock import Clock
from vault.crypto import cvf1
from vault.errors import InvalidInput
from vault.store.document_store import DocumentStore
from vault.store.intent_journal import IntentJournal
from vault.store.intents_repo import Intent
from vault.store.policies_repo import Policy
from vault.store.unit_of_work import Tx, UnitOfWork
from vault.trail.kinds import TrailEvent
from vault.trail.lookup import load_case
from vault.trail.service import PaperTrail

log = logging.getLogger(__name__)

POLICY_IMPORT = "policy-import"
LIBRARY_ID_KEY = "policy_library_id"

__all__ = ["POLICY_IMPORT", "Policy", "PolicyLibraryService"]


@dataclass(frozen=True)
class LinkedPolicy:
    case_ref: str
    policy: Policy


class PolicyLibraryService:
    def __init__(self, uow: UnitOfWork, clock: Clock, trail: PaperTrail, store: DocumentStore,
                 journal: IntentJournal) -> None:
        self._uow = uow
        self._clock = clock
        self._trail = trail
        self._store = store
        self._journal = journal
        journal.register(POLICY_IMPORT, self._resume_import)

    @staticmethod
    def _library_id(tx: Tx) -> str:
        library = tx.meta.get(LIBRARY_ID_KEY)
        if library is None:
            library = secrets.token_hex(16)
            tx.meta.set(LIBRARY_ID_KEY, library)
        return library

    def file_ids(self) -> set[str]:
        """Every policy file id (start-up reconciliation must not quarantine them)."""
        with self._uow.read() as tx:
            return tx.policies.ids()

    def add(self, source: Path, title: str | None = None, *, employer: str | None = None,
            version: str | None = None) -> Policy:
        """Encrypt a policy document into the library. All or nothing.

        Raises:
            InvalidInput: the file cannot be read; the title is too long.
            StorageError: the disk refused; nothing is kept.
        """
        clean_title = clean_text(title or Path(source).stem, "Title", max_len=300)
        assert clean_title is not None
        clean_employer = clean_text(employer, "Employer", required=False, max_len=200)
        clean_version = clean_text(version, "Version", required=False, max_len=60)
        try:
            src = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InvalidInput("That file cannot be read.") from exc
        with src:
            head = src.read(16)
            src.seek(0)
            file_id = cvf1.new_file_id()
            with self._uow.write() as tx:
                library = self._library_id(tx)
                key = tx.library_key()
                intent = self._journal.begin(tx, POLICY_IMPORT, case_id=library,
                                             file_id=file_id.hex())
            try:
                result = self._store.write(library, file_id, key, src)
                policy = Policy(file_id.hex(), clean_title, clean_employer, clean_version,
                                media_type_of(display_name(Path(source).name), head),
                                result.plaintext_size, result.ciphertext_size, result.sha256,
                                self._clock.now())
                with self._uow.write() as tx:
                    tx.policies.insert(policy)
                    self._journal.finish(tx, intent)
                    self._trail.record(tx, kind=TrailEvent.POLICY_ADDED.value, case=None,
                                       payload={"summary": f"Policy added: {clean_title}",
                                                "policy_id": policy.id,
                                                "sha256": policy.sha256})
            except BaseException:
                self._store.delete(library, file_id.hex())
                with self._uow.write() as tx:
                    self._journal.finish(tx, intent)
                raise
        log.info("policy added (%s)", policy.id[:8])
        return policy

    def _resume_import(self, intent: Intent) -> None:
        with self._uow.write() as tx:
            if intent.file_id and intent.case_id and intent.file_id not in tx.policies.ids():
                self._store.delete(intent.case_id, intent.file_id)
            self._journal.finish(tx, intent.id)

    def list(self) -> list[Policy]:
        with self._uow.read() as tx:
            return tx.policies.list()

    def read_bytes(self, policy_id: str) -> tuple[Policy, bytes]:
        """Decrypt a policy into memory (for the viewer or a deliberate copy)."""
        with self._uow.read() as tx:
            policy = tx.policies.get(policy_id)
            library = tx.meta.get(LIBRARY_ID_KEY)
        with self._uow.write() as tx:
            key = tx.library_key()
        assert library is not None
        with self._store.open(library, policy.id) as fh:
            data = cvf1.decrypt_to_bytes(fh, key, case_id=library,
                                         file_id=bytes.fromhex(policy.id))
        return policy, data

    def remove(self, policy_id: str, *, reason: str) -> Policy:
        why = clean_text(reason, "The reason", max_len=500)
        with self._uow.write() as tx:
            policy = tx.policies.get(policy_id)
            library = tx.meta.get(LIBRARY_ID_KEY)
            tx.policies.delete(policy.id)
            self._trail.record(tx, kind=TrailEvent.POLICY_REMOVED.value, case=None, payload={
                "summary": f"Policy removed: {policy.title}", "policy_id": policy.id,
                "detail": why})
        if library:
            self._store.delete(library, policy.id)
        return policy

    def link(self, ref: str, policy_id: str) -> Policy:
        """Link a policy to a case (recorded in the case's trail)."""
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            policy = tx.policies.get(policy_id)
            if not tx.policies.link(case.id, policy.id, self._clock.now()):
                raise InvalidInput(f"That policy is already linked to {case.ref}.")
            self._trail.record(tx, kind=TrailEvent.POLICY_LINKED.value, case=case, payload={
                "summary": f"Policy linked: {policy.title}", "policy_id": policy.id})
        return policy

    def unlink(self, ref: str, policy_id: str) -> Policy:
        with self._uow.write() as tx:
            case = load_case(tx, ref)
            policy = tx.policies.get(policy_id)
            if not tx.policies.unlink(case.id, policy.id):
                raise InvalidInput(f"That policy is not linked to {case.ref}.")
            self._trail.record(tx, kind=TrailEvent.POLICY_UNLINKED.value, case=case, payload={
                "summary": f"Policy unlinked: {policy.title}", "policy_id": policy.id})
        return policy

    def for_case(self, ref: str) -> builtins.list[Policy]:
        with self._uow.read() as tx:
            case = load_case(tx, ref, for_change=False)
            return tx.policies.for_case(case.id)
