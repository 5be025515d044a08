"""Case documents: encrypted import, in-memory reading, deliberate decrypted copies, checks.

Import records an intent first, so a crash or a full disk half-way leaves nothing the next
start cannot explain (see ``vault.store.recovery``). Reading for the in-app viewer decrypts
into memory only. A decrypted copy on disk is only ever written where the rep chose, through a
temp file that is removed on any error, and the copy is recorded in the trail.
"""

from __future__ import annotations

import builtins
import logging
import mimetypes
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from vault import external_open
from vault.casework.paper_trail import PaperTrail
from vault.clock import Clock
from vault.crypto import cvf1
from vault.crypto.secret import SecretKey
from vault.domain import Case, CaseStatus, Document, SystemEvent
from vault.errors import Cancelled, IntegrityError, InvalidInput, RefusedAction, StorageError
from vault.store.cases_repo import CasesRepository
from vault.store.documents_repo import DocumentsRepository
from vault.store.fsutil import FILE_MODE, storage_error
from vault.store.recovery import IMPORT
from vault.store.unlocked_vault import UnlockedVault

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


class DocumentService:
    def __init__(self, vault: UnlockedVault, clock: Clock, trail: PaperTrail) -> None:
        self._vault = vault
        self._clock = clock
        self._trail = trail

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
        db = self._vault.db
        file_id = cvf1.new_file_id()
        file_hex = file_id.hex()
        with db.transaction() as conn:
            wrapped = CasesRepository(conn).wrapped_key(case.id)
            intent = DocumentsRepository(conn).add_intent(
                IMPORT, case.id, file_hex, self._clock.now()
            )
        dek = self._vault.case_key(case.id, wrapped)
        try:
            result = self._vault.documents.write(
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
            with db.transaction() as conn:
                DocumentsRepository(conn).insert(doc)
                DocumentsRepository(conn).clear_intent(intent)
                CasesRepository(conn).touch(case.id, now)
                self._trail.record(
                    conn,
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
        self._vault.documents.delete(case_id, file_hex)
        try:
            with self._vault.db.transaction() as conn:
                conn.execute("DELETE FROM documents WHERE id = ?", (file_hex,))
                DocumentsRepository(conn).clear_intent(intent)
        except (StorageError, OSError):
            log.warning("import rollback left its intent for the next start")

    # -- reading -------------------------------------------------------------------------------

    def list(self, case_ref: str) -> list[Document]:
        with self._vault.db.lock:
            conn = self._vault.db.connection
            case = CasesRepository(conn).get(case_ref.strip())
            return DocumentsRepository(conn).list(case.id)

    def get(self, case_ref: str, doc_id: str) -> tuple[Case, Document]:
        with self._vault.db.lock:
            conn = self._vault.db.connection
            case = CasesRepository(conn).get(case_ref.strip())
            return case, DocumentsRepository(conn).get(case.id, doc_id)

    def read_bytes(self, case_ref: str, doc_id: str, *, progress: Progress | None = None,
                   cancelled: CancelFlag | None = None) -> bytes:
        """Decrypt a whole document into memory (for the in-app viewer); all or nothing.

        ``progress(plaintext_bytes_done)`` as it goes; ``cancelled()`` is checked per batch.

        Raises:
            IntegrityError: the file is damaged, tampered, truncated or misplaced.
            Cancelled: ``cancelled()`` returned true.
        """
        case, doc = self.get(case_ref, doc_id)
        dek = self._case_key(case)
        with self._vault.documents.open(case.id, doc.id) as fh:
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
        """Decrypt a document into ``sink`` one verified 64 KiB segment at a time.

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
            with self._vault.documents.open(case.id, doc.id) as fh:
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
        opened_externally: bool = False,
    ) -> Document:
        """Write a decrypted copy to ``out`` — the rep's explicit choice; logged in the trail.

        ``opened_externally`` records the copy as opened in another program ("Open with…")
        rather than saved; either way it is a copy outside the vault, for the certificate.

        The plaintext goes to a temp file beside ``out`` and is renamed only after the last
        segment verifies; on any error the temp file is removed and ``out`` is untouched.

        Raises:
            IntegrityError, Cancelled, StorageError, InvalidInput (out exists / no folder).
        """
        case, doc = self.get(case_ref, doc_id)
        out = Path(out)
        if out.is_dir():
            out = out / doc.name
        if out.exists() and not overwrite:
            raise InvalidInput("A file with that name already exists there.")
        if not out.parent.is_dir():
            raise InvalidInput("That folder does not exist.")
        dek = self._case_key(case)
        tmp = out.with_name(f".{out.name}.casevault-part")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
            with os.fdopen(fd, "wb") as dst, self._vault.documents.open(case.id, doc.id) as src:
                cvf1.decrypt_stream(
                    src,
                    dst,
                    dek,
                    case_id=case.id,
                    file_id=bytes.fromhex(doc.id),
                    progress=progress,
                    cancelled=cancelled,
                )
                dst.flush()
                os.fsync(dst.fileno())
            os.replace(tmp, out)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise storage_error(exc) from exc
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        with self._vault.db.transaction() as conn:
            self._trail.record(
                conn,
                kind=SystemEvent.DOCUMENT_EXPORTED.value,
                case=case,
                payload={
                    "summary": (f"Decrypted copy opened in another program: {doc.name}"
                                if opened_externally
                                else f"Decrypted copy saved outside the vault: {doc.name}"),
                    "document_id": doc.id,
                    "opened_externally": opened_externally,
                },
            )
        return doc

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
        with self._vault.db.transaction() as conn:
            DocumentsRepository(conn).mark_returned(doc.id, now)
            self._trail.record(
                conn,
                kind=SystemEvent.DOCUMENT_RETURNED.value,
                case=case,
                payload={
                    "summary": f"Original returned to member: {doc.name}",
                    "document_id": doc.id,
                },
            )
        return self.get(case_ref, doc.id)[1]

    # -- checks --------------------------------------------------------------------------------

    def verify_all(
        self,
        progress: Callable[[int, int], None] | None = None,
        cancelled: CancelFlag | None = None,
    ) -> builtins.list[DocumentCheck]:
        """Decrypt every document end to end (into nothing) and report each by case and id."""
        with self._vault.db.lock:
            conn = self._vault.db.connection
            rows = conn.execute(
                "SELECT d.id AS doc_id, c.id AS case_id, c.ref AS ref, c.wrapped_key AS wk"
                " FROM documents d JOIN cases c ON c.id = d.case_id ORDER BY c.ref, d.added"
            ).fetchall()
        results: builtins.list[DocumentCheck] = []
        for index, row in enumerate(rows):
            if cancelled is not None and cancelled():
                raise Cancelled()
            try:
                dek = self._vault.case_key(row["case_id"], bytes(row["wk"]) if row["wk"] else None)
                with self._vault.documents.open(row["case_id"], row["doc_id"]) as fh:
                    for _chunk in cvf1.iter_plaintext(
                        fh, dek, case_id=row["case_id"], file_id=bytes.fromhex(row["doc_id"])
                    ):
                        pass
                results.append(DocumentCheck(row["ref"], row["doc_id"], True))
            except IntegrityError as exc:
                results.append(DocumentCheck(row["ref"], row["doc_id"], False, str(exc)))
            if progress is not None:
                progress(index + 1, len(rows))
        return results

    # -- helpers -------------------------------------------------------------------------------

    def _case_key(self, case: Case) -> SecretKey:
        with self._vault.db.lock:
            wrapped = CasesRepository(self._vault.db.connection).wrapped_key(case.id)
        return self._vault.case_key(case.id, wrapped)

    def _writable_case(self, case_ref: str) -> Case:
        with self._vault.db.lock:
            case = CasesRepository(self._vault.db.connection).get(case_ref.strip())
        if case.status is not CaseStatus.OPEN:
            raise RefusedAction(
                f"Case {case.ref} is {case.status.value}; documents cannot be added."
            )
        return case
