"""Case documents: encrypted import, in-memory reading, deliberate decrypted copies, checks.

Import records an intent in the journal first (``vault.store.intent_journal``), so a crash or
a full disk half-way leaves nothing the next start cannot explain: ``resume_import`` is the
journal's handler for the ``import`` kind, and ``reconcile_files`` quarantines any file with
neither a row nor an intent. Reading for the in-app viewer decrypts
into memory only. A decrypted copy on disk is only ever written where the rep chose, through a
temp file that is removed on any error, and the copy is recorded in the trail.
"""

from __future__ import annotations

import builtins
import contextlib
import logging
import mimetypes
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from vault import external_open
from vault.casework.outside_copies import OutsideCopy, record_outside_copy
from vault.casework.validation import clean_text
from vault.clock import Clock
from vault.crypto import cvf1
from vault.crypto.secret import SecretKey
from vault.domain import Case, CaseStatus, Document
from vault.errors import Cancelled, IntegrityError, InvalidInput, RefusedAction, StorageError
from vault.store.document_store import DocumentStore
from vault.store.intent_journal import IntentJournal
from vault.store.intents_repo import Intent
from vault.store.safe_output import private_output
from vault.store.unit_of_work import UnitOfWork
from vault.trail.kinds import SystemEvent, TrailEvent
from vault.trail.service import PaperTrail

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
CancelFlag = Callable[[], bool]

_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF8", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
)


def display_name(raw: str) -> str:
    """The name shown for a document: NFC, no control characters, no path separators.

    The name only ever lives inside the encrypted database; on disk the file is named by id.
    """
    name = unicodedata.normalize("NFC", raw)
    name = "".join(
        "_" if ch in "/\\" or unicodedata.category(ch) in ("Cc", "Cf") else ch for ch in name
    ).strip()
    name = name.lstrip(".") or "document"
    return name[:255]


def media_type_of(name: str, head: bytes) -> str:
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            if kind == "application/zip":
                guessed = mimetypes.guess_type(name)[0]
                return guessed or kind
            return kind
    guessed, _ = mimetypes.guess_type(name)
    if guessed:
        return guessed
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "application/octet-stream"
    return "text/plain"


class PlaintextSink(Protocol):
    """Where ``read_into`` puts plaintext: the in-app viewer's buffer."""

    def append(self, chunk: bytes) -> None: ...

    def wipe(self) -> None: ...


@dataclass(frozen=True)
class DocumentCheck:
    case_ref: str
    document_id: str
    ok: bool
    problem: str = ""


IMPORT = "import"


@dataclass(frozen=True)
class ReconcileReport:
    """What start-up reconciliation did (counts only)."""

    rolled_back_imports: int = 0
    finished_imports: int = 0
    quarantined_files: int = 0


class DocumentService:
    def __init__(self, uow: UnitOfWork, clock: Clock, trail: PaperTrail,
                 store: DocumentStore, journal: IntentJournal) -> None:
        self._uow = uow
        self._clock = clock
        self._trail = trail
        self._store = store
        self._journal = journal
        self._resumed = {"rolled_back": 0, "finished": 0}
        journal.register(IMPORT, self.resume_import)

    # -- import --------------------------------------------------------------------------------

    def import_file(
        self,
        case_ref: str,
        source: Path,
        *,
        is_original: bool = False,
        progress: Progress | None = None,
        cancelled: CancelFlag | None = None,
        name: str | None = None,
    ) -> Document:
        """Encrypt ``source`` into the case. All or nothing.

        Raises:
            InvalidInput: the file does not exist, is a folder, or cannot be read.
            Cancelled: the rep cancelled; nothing is kept.
            StorageError: the disk filled up or refused; nothing is kept.
            RefusedAction: the case is closed or destroyed.
        """
        case = self._writable_case(case_ref)
        try:
            src = open(source, "rb")  # noqa: SIM115 - closed below in all paths
        except FileNotFoundError as exc:
            raise InvalidInput("That file does not exist.") from exc
        except IsADirectoryError as exc:
            raise InvalidInput("That is a folder; choose files to import.") from exc
        except PermissionError as exc:
            raise InvalidInput("That file cannot be read (permission denied).") from exc
        except OSError as exc:
            raise InvalidInput(f"That file cannot be read ({exc.strerror}).") from exc
        with src:
            if not os.path.isfile(source):
                raise InvalidInput("Only ordinary files can be imported.")
            try:
                head = src.read(16)
                src.seek(0)
            except OSError as exc:
                raise InvalidInput(f"That file cannot be read ({exc.strerror}).") from exc
            doc_name = display_name(name or Path(source).name)
            return self._import_stream(
                case, src, doc_name, media_type_of(doc_name, head), is_original, progress, cancelled
            )

    def _import_stream(
        self,
        case: Case,
        src: BinaryIO,
        name: str,
        media_type: str,
        is_original: bool,
        progress: Progress | None,
        cancelled: CancelFlag | None,
    ) -> Document:
        file_id = cvf1.new_file_id()
        file_hex = file_id.hex()
        with self._uow.write() as tx:
            dek = tx.case_key(case)
            intent = self._journal.begin(tx, IMPORT, case_id=case.id, file_id=file_hex)
        try:
            result = self._store.write(
                case.id,
                file_id,
                dek,
                src,
                progress=progress,
                cancelled=cancelled,
            )
            now = self._clock.now()
            doc = Document(
                id=file_hex,
                case_id=case.id,
                name=name,
                media_type=media_type,
                size=result.plaintext_size,
                cipher_size=result.ciphertext_size,
                sha256=result.sha256,
                added=now,
                is_original=is_original,
                returned=None,
            )
            with self._uow.write() as tx:
                tx.documents.insert(doc)
                self._journal.finish(tx, intent)
                tx.cases.touch(case.id, now)
                self._trail.record(tx,
                    kind=SystemEvent.DOCUMENT_ADDED.value,
                    case=case,
                    payload={
                        "summary": f"Document added: {name}",
                        "document_id": file_hex,
                        "sha256": result.sha256,
                        "size": result.plaintext_size,
                        "original": is_original,
                    },
                )
        except BaseException:
            self._roll_back(case.id, file_hex, intent)
            raise
        log.info("document imported into %s (%s)", case.ref, file_hex[:8])
        return doc

    def _roll_back(self, case_id: str, file_hex: str, intent: int) -> None:
        self._store.delete(case_id, file_hex)
        try:
            with self._uow.write() as tx:
                tx.documents.delete(file_hex)
                self._journal.finish(tx, intent)
        except (StorageError, OSError):
            log.warning("import rollback left its intent for the next start")

    # -- recovery ------------------------------------------------------------------------------

    def resume_import(self, intent: Intent) -> None:
        """The journal's handler: an import whose row exists was finished (the intent is
        cleared); one without a row is rolled back (its partial file removed)."""
        with self._uow.write() as tx:
            if intent.file_id is not None and tx.documents.exists(intent.file_id):
                self._resumed["finished"] += 1
            else:
                if intent.case_id and intent.file_id:
                    self._store.delete(intent.case_id, intent.file_id)
                self._resumed["rolled_back"] += 1
            self._journal.finish(tx, intent.id)

    def reconcile_files(self) -> ReconcileReport:
        """Quarantine (never delete) every file under ``documents/`` with no row and no
        intent; report what the journal's import handler did as well."""
        with self._uow.read() as tx:
            known = tx.documents.ids() | tx.policies.ids()
            pending = tx.intents.file_ids()
        quarantined = 0
        for _case_id, file_id, path in list(self._store.iter_files()):
            if path.name.endswith(".cvf") and file_id in known:
                continue
            if file_id in pending:
                continue
            self._store.quarantine(path)
            quarantined += 1
        report = ReconcileReport(self._resumed["rolled_back"], self._resumed["finished"],
                                 quarantined)
        if quarantined or report.rolled_back_imports or report.finished_imports:
            log.warning("recovery: %d import(s) rolled back, %d finished, %d file(s) quarantined",
                        report.rolled_back_imports, report.finished_imports, quarantined)
        return report

    # -- reading -------------------------------------------------------------------------------

    def list(self, case_ref: str) -> list[Document]:
        with self._uow.read() as tx:
            case = tx.cases.get(case_ref.strip())
            return tx.documents.list(case.id)

    def get(self, case_ref: str, doc_id: str) -> tuple[Case, Document]:
        with self._uow.read() as tx:
            case = tx.cases.get(case_ref.strip())
            return case, tx.documents.get(case.id, doc_id)

    def read_bytes(self, case_ref: str, doc_id: str, *, progress: Progress | None = None,
                   cancelled: CancelFlag | None = None) -> bytes:
        """Decrypt a whole document into memory; all or nothing.

        ``progress(plaintext_bytes_done)`` as it goes; ``cancelled()`` is checked per batch.

        Raises:
            IntegrityError: the file is damaged, tampered, truncated or misplaced.
            Cancelled: ``cancelled()`` returned true.
        """
        case, doc = self.get(case_ref, doc_id)
        dek = self._case_key(case)
        with self._store.open(case.id, doc.id) as fh:
            return cvf1.decrypt_to_bytes(fh, dek, case_id=case.id, file_id=bytes.fromhex(doc.id),
                                         progress=progress, cancelled=cancelled)

    def read_into(
        self,
        case_ref: str,
        doc_id: str,
        sink: PlaintextSink,
        *,
        progress: Progress | None = None,
        cancelled: CancelFlag | None = None,
    ) -> Document:
        """Decrypt a document into ``sink`` one verified 64 KiB segment at a time (the in-app
        viewer's buffer).

        All or nothing: on any failure or cancel ``sink.wipe()`` runs before the error
        propagates, so the caller may show the sink's contents only once this returned. Small
        appends (never one huge copy) keep a worker from holding the interpreter for long, so
        the GUI thread stays responsive while a 200 MB PDF decrypts.

        Raises:
            IntegrityError, Cancelled (nothing is left in ``sink``).
        """
        case, doc = self.get(case_ref, doc_id)
        dek = self._case_key(case)
        done = 0
        try:
            with self._store.open(case.id, doc.id) as fh:
                for segment in cvf1.iter_plaintext(fh, dek, case_id=case.id,
                                                   file_id=bytes.fromhex(doc.id)):
                    if cancelled is not None and cancelled():
                        raise Cancelled()
                    sink.append(segment)
                    done += len(segment)
                    if progress is not None:
                        progress(done)
        except BaseException:
            sink.wipe()
            raise
        return doc

    def save_copy(
        self,
        case_ref: str,
        doc_id: str,
        out: Path,
        *,
        progress: Progress | None = None,
        cancelled: CancelFlag | None = None,
        overwrite: bool = False,
        allow_shared_folder: bool = False,
        opened_externally: bool = False,
    ) -> Document:
        """Write a decrypted copy to ``out`` — the rep's explicit choice; logged in the trail.

        ``opened_externally`` records the copy as opened in another program ("Open with…")
        rather than saved; either way it is a copy outside the vault, for the certificate.

        Written through ``vault.store.safe_output.private_output``: a random-named 0600 temp
        file beside ``out``, renamed only after the last segment verifies; on any error the temp
        file is removed and ``out`` is untouched. A folder inside the vault is refused, and so
        is a folder other users can change unless ``allow_shared_folder`` (the rep insisted).

        Raises:
            IntegrityError, Cancelled, StorageError, InvalidInput (out exists / no folder),
            RefusedAction (inside the vault), SharedOutputFolder (a shared folder),
            ReadOnlyVault (a damaged vault: the copy could not be recorded, so none is made).
        """
        self._uow.refuse_if_read_only()
        case, doc = self.get(case_ref, doc_id)
        out = Path(out)
        if out.is_dir():
            out = out / doc.name
        dek = self._case_key(case)
        # The store owns <vault>/documents; its parent is the vault folder, refused as a place
        # for plaintext (issue 8, finding 8) — except the private "Open with…" folder, which
        # ``external_open`` made (0700, ours) and which is scrubbed on lock, quit and start.
        vault_root = None if opened_externally else self._store.root.parent
        with private_output(out, vault_root=vault_root, overwrite=overwrite,
                            allow_shared_folder=allow_shared_folder) as dst, \
                self._store.open(case.id, doc.id) as src:
            cvf1.decrypt_stream(
                src,
                dst,
                dek,
                case_id=case.id,
                file_id=bytes.fromhex(doc.id),
                progress=progress,
                cancelled=cancelled,
            )
        try:
            self._record_copy(case, doc, opened_externally)
        except BaseException:
            # A copy the trail does not know of must not stay behind (as for a bundle).
            with contextlib.suppress(OSError):
                out.unlink()
            raise
        return doc

    def _record_copy(self, case: Case, doc: Document, opened_externally: bool) -> None:
        with self._uow.write() as tx:
            record_outside_copy(self._trail, tx, case, TrailEvent.DOCUMENT_EXPORTED, OutsideCopy(
                what="opened-externally" if opened_externally else "decrypted-document",
                summary=(f"Decrypted copy opened in another program: {doc.name}"
                         if opened_externally
                         else f"Decrypted copy saved outside the vault: {doc.name}"),
                for_whom=("the rep (opened in another program)" if opened_externally
                          else "the rep (saved to a file)"),
                document_ids=(doc.id,),
            ))

    def open_copy(
        self,
        case_ref: str,
        doc_id: str,
        folder: Path,
        *,
        progress: Progress | None = None,
        cancelled: CancelFlag | None = None,
    ) -> Path:
        """Decrypt a copy into a fresh private sub-folder of ``folder`` for "Open with…" and
        record it in the trail as a copy outside the vault; returns the copy's path.

        Raises:
            IntegrityError, Cancelled, StorageError, UnsafeLocation.
        """
        _case, doc = self.get(case_ref, doc_id)
        out = external_open.new_copy_path(folder, display_name(doc.name))
        try:
            self.save_copy(case_ref, doc_id, out, progress=progress, cancelled=cancelled,
                           opened_externally=True)
        except BaseException:
            external_open.scrub(out.parent)
            raise
        log.info("document %s decrypted for another program", doc.id[:8])
        return out

    def mark_returned(self, case_ref: str, doc_id: str) -> Document:
        """Record that an original belonging to the member was given back."""
        case, doc = self.get(case_ref, doc_id)
        if not doc.is_original:
            raise RefusedAction("That document is not marked as the member's original.")
        now = self._clock.now()
        with self._uow.write() as tx:
            tx.documents.mark_returned(doc.id, now)
            self._trail.record(tx,
                kind=SystemEvent.DOCUMENT_RETURNED.value,
                case=case,
                payload={
                    "summary": f"Original returned to member: {doc.name}",
                    "document_id": doc.id,
                },
            )
        return self.get(case_ref, doc.id)[1]

    # -- corrections ---------------------------------------------------------------------------

    def rename(self, case_ref: str, doc_id: str, name: str, *, reason: str) -> Document:
        """Give a document a new title (the file on disk is named by id and does not change).

        Raises:
            InvalidInput: no reason, or the same name.
        """
        why = clean_text(reason, "The reason", max_len=500)
        new_name = display_name(name)
        case, doc = self.get(case_ref, doc_id)
        if new_name == doc.name:
            raise InvalidInput("The document already has that name.")
        with self._uow.write() as tx:
            tx.documents.rename(doc.id, new_name)
            self._trail.record(tx, kind=SystemEvent.DOCUMENT_RENAMED.value, case=case, payload={
                "summary": f"Document renamed: {doc.name} → {new_name}",
                "document_id": doc.id, "detail": why})
        return self.get(case_ref, doc.id)[1]

    def set_original(self, case_ref: str, doc_id: str, original: bool, *,
                     reason: str) -> Document:
        """Change whether a document is the member's original (to be returned at closing)."""
        why = clean_text(reason, "The reason", max_len=500)
        case, doc = self.get(case_ref, doc_id)
        if doc.is_original == original:
            raise InvalidInput("The document is already marked that way.")
        with self._uow.write() as tx:
            tx.documents.set_original(doc.id, original)
            self._trail.record(tx, kind=SystemEvent.CASE_UPDATED.value, case=case, payload={
                "summary": (f"Marked as the member's original: {doc.name}" if original
                            else f"No longer marked as the member's original: {doc.name}"),
                "document_id": doc.id, "detail": why})
        return self.get(case_ref, doc.id)[1]

    def remove(self, case_ref: str, doc_id: str, *, reason: str,
               original_reason: str | None = None) -> Document:
        """Remove a document imported by mistake: its row, then its encrypted file.

        The file's key is derived from the case key and the file id and is never stored, so
        deleting the ciphertext is its erasure here; the case key itself stays (the case
        lives on) and the whole case is crypto-shredded when it is destroyed.

        Raises:
            RefusedAction: the document is the member's original and not yet returned, and no
                ``original_reason`` was given.
            InvalidInput: no reason.
        """
        why = clean_text(reason, "The reason", max_len=500)
        case, doc = self.get(case_ref, doc_id)
        if case.status is CaseStatus.DESTROYED:
            raise RefusedAction(f"Case {case.ref} has been destroyed.")
        extra: dict[str, str] = {}
        if doc.is_original and doc.returned is None:
            if not original_reason or not original_reason.strip():
                raise RefusedAction("That document is the member's original and has not been "
                                    "returned: mark it returned first, or say why it can go.")
            extra["original_reason"] = clean_text(original_reason, "The reason",
                                                  max_len=500) or ""
        with self._uow.write() as tx:
            tx.documents.delete(doc.id)
            self._trail.record(tx, kind=SystemEvent.DOCUMENT_REMOVED.value, case=case, payload={
                "summary": f"Document removed: {doc.name}", "document_id": doc.id,
                "sha256": doc.sha256, "detail": why, **extra})
        self._store.delete(case.id, doc.id)
        log.info("document removed from %s (%s)", case.ref, doc.id[:8])
        return doc

    # -- checks --------------------------------------------------------------------------------

    def verify_all(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancelled: CancelFlag | None = None,
    ) -> builtins.list[DocumentCheck]:
        """Decrypt every document end to end (into nothing) and report each by case and id."""
        with self._uow.read() as tx:
            rows = tx.documents.all_with_case()
        results: builtins.list[DocumentCheck] = []
        for index, (doc_id, case_id, ref) in enumerate(rows):
            if cancelled is not None and cancelled():
                raise Cancelled()
            try:
                with self._uow.read() as tx:
                    dek = tx.case_key(case_id)
                with self._store.open(case_id, doc_id) as fh:
                    for _chunk in cvf1.iter_plaintext(
                        fh, dek, case_id=case_id, file_id=bytes.fromhex(doc_id)
                    ):
                        pass
                results.append(DocumentCheck(ref, doc_id, True))
            except IntegrityError as exc:
                results.append(DocumentCheck(ref, doc_id, False, str(exc)))
            if progress is not None:
                progress(index + 1, len(rows))
        return results

    # -- helpers -------------------------------------------------------------------------------

    def _case_key(self, case: Case) -> SecretKey:
        with self._uow.read() as tx:
            return tx.case_key(case)

    def _writable_case(self, case_ref: str) -> Case:
        with self._uow.read() as tx:
            case = tx.cases.get(case_ref.strip())
        if case.status is not CaseStatus.OPEN:
            raise RefusedAction(
                f"Case {case.ref} is {case.status.value}; documents cannot be added."
            )
        return case
