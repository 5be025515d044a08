"""Reading a backup: verify it end to end without restoring, or restore it into an empty folder.

Both walk the same path. The prefix gives the key file; the passphrase (or the recovery code)
valid when the backup was made opens it; the payload is then read record by record. The
database snapshot is written to a private folder (a temp folder for ``verify_backup``, the
restore's staging folder for ``restore_backup``), opened read-only with its key and checked
(``integrity_check``, ``cipher_integrity_check``, its rows against the manifest). Every
document is decrypted on the fly with its case key from that snapshot and its SHA-256 compared
with its row — so "verified" means every byte of every document would open.

A restore writes into a staging folder beside the target and renames it into place only after
the whole payload, including the final tag, has verified: an interrupted or failed restore
leaves the target as it was (absent or empty), and the staging folder is removed.
"""

from __future__ import annotations

import datetime as dt
import errno
import hmac
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import sqlcipher3

from vault.backup.records import (
    DATABASE_NAME,
    KIND_DATABASE,
    KIND_DOCUMENT,
    KIND_MANIFEST,
    MANIFEST_NAME,
    MAX_MANIFEST_BYTES,
    DocumentEntry,
    GeneratorReader,
    Manifest,
    PayloadReader,
)
from vault.backup.restore_names import READY_MARKER, STAGING_PREFIX
from vault.crypto import backup_stream, cvf1, keyfile
from vault.crypto.backup_stream import DAMAGED
from vault.crypto.secret import SecretKey
from vault.errors import (
    Cancelled,
    IntegrityError,
    InvalidInput,
    NotFound,
    RefusedAction,
    StorageError,
)
from vault.store.fsutil import DIR_MODE, FILE_MODE, fsync_dir, storage_error

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]



@dataclass(frozen=True)
class Credential:
    """What opens a backup: the passphrase valid when it was made, or the recovery code."""

    passphrase: str | None = None
    recovery_code: str | None = None


@dataclass(frozen=True)
class BackupSummary:
    """What a verified backup holds (ids and counts only)."""

    backup_id: str
    vault_id: str
    created: dt.datetime
    documents: int
    cases: int
    size: int
    schema_version: int
    trail_head: tuple[int, str] = (0, "")


class _NullSink:
    """A write-only stream that keeps nothing (plaintext of a verified document)."""

    def write(self, data: bytes | memoryview) -> int:
        return len(data)


def verify_backup(
    path: Path, credential: Credential, *,
    progress: Progress | None = None, cancelled: CancelFlag | None = None,
) -> BackupSummary:
    """Check every byte of a backup without restoring it.

    Raises:
        NotFound: there is no file at ``path``.
        IntegrityError: the backup is damaged, truncated, reordered or tampered with (one
            message for every kind of damage).
        UnsupportedFormat: made by a newer version.
        WrongPassphrase: the passphrase or recovery code does not open it.
        InvalidInput: a malformed recovery code, or no credential given.
        Cancelled: ``cancelled()`` turned true.
        StorageError: the temp folder could not be written.
    """
    with tempfile.TemporaryDirectory(prefix="casevault-verify-") as tmp:
        return _walk(Path(path), credential, Path(tmp), None, progress, cancelled)


def restore_backup(
    path: Path, target: Path, credential: Credential, *,
    progress: Progress | None = None, cancelled: CancelFlag | None = None,
) -> BackupSummary:
    """Restore a backup as a new vault in ``target``, which must be absent or an empty folder.

    All or nothing: on any error the target is left as it was.

    Raises:
        RefusedAction: ``target`` holds files (a restore never merges or overwrites).
        and everything ``verify_backup`` raises.
    """
    target = Path(target)
    _require_empty(target)
    parent = target.parent
    try:
        parent.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{target.name}-", dir=parent))
    except OSError as exc:
        raise storage_error(exc) from exc
    placed = False
    try:
        summary = _walk(Path(path), credential, staging, staging, progress, cancelled)
        _require_empty(target)
        try:
            os.replace(staging, target)  # POSIX: atomically replaces an empty folder too
        except OSError as exc:
            if exc.errno in (errno.ENOTEMPTY, errno.EEXIST):
                raise RefusedAction("The restore folder is not empty; nothing was restored."
                                    ) from exc
            raise
        placed = True
        fsync_dir(parent)
    except OSError as exc:
        shutil.rmtree(target if placed else staging, ignore_errors=True)
        raise storage_error(exc) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("backup restored: %s", summary.backup_id[:8])
    return summary


@dataclass(frozen=True)
class RestoreOutcome:
    """What a restore did: the backup's summary, and where the folder that was in the way
    went (``None`` when the target was absent or empty)."""

    summary: BackupSummary
    set_aside: Path | None = None


def restore_backup_replacing(
    path: Path, target: Path, credential: Credential, *, now: dt.datetime,
    label: str = "damaged", progress: Progress | None = None,
    cancelled: CancelFlag | None = None,
) -> RestoreOutcome:
    """Restore a backup as ``target`` even when a vault is there, keeping that vault aside.

    The backup is restored and checked completely in a staging folder first (as
    ``restore_backup``); only then is the folder in the way renamed to
    ``<target>.<label>-YYYYMMDD-HHMMSS`` (0700, beside it; never deleted) and the staging folder
    renamed onto ``target``. Each rename is atomic; if the second fails the first is undone.
    An absent or empty ``target`` is an ordinary restore (``set_aside`` is None).

    Raises:
        RefusedAction: ``target`` is a file, not a folder.
        and everything ``restore_backup`` raises.
    """
    target = Path(target)
    if not target.exists() or (target.is_dir() and not any(target.iterdir())):
        return RestoreOutcome(restore_backup(path, target, credential, progress=progress,
                                             cancelled=cancelled))
    if not target.is_dir() or target.is_symlink():
        raise RefusedAction("The vault location is not a folder; nothing was restored.")
    parent = target.parent
    try:
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{target.name}-", dir=parent))
    except OSError as exc:
        raise storage_error(exc) from exc
    try:
        summary = _walk(Path(path), credential, staging, staging, progress, cancelled)
        if cancelled is not None and cancelled():
            raise Cancelled()  # the last moment before the vault folder is touched
        # The staging folder is complete and checked: say so on disk, so a crash between the
        # two renames below is finished at the next start (``finish_interrupted_restore``).
        _write_file(staging / READY_MARKER, iter((json.dumps({
            "vault_id": summary.vault_id, "trail_head": list(summary.trail_head),
        }).encode("ascii"),)))
        fsync_dir(staging)
        aside = _aside_path(target, label, now)
        os.rename(target, aside)
        try:
            os.rename(staging, target)
        except OSError:
            os.rename(aside, target)
            raise
        os.chmod(aside, DIR_MODE)
        fsync_dir(parent)
        _drop_marker(target)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise storage_error(exc) from exc
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    log.info("backup restored over a %s vault, which was kept aside: %s", label,
             summary.backup_id[:8])
    return RestoreOutcome(summary, aside)


def finish_interrupted_restore(target: Path) -> tuple[str, tuple[int, str]] | None:
    """After a crash between the two renames of ``restore_backup_replacing``: put the complete,
    checked staging folder in place of the missing (or empty) ``target``. Returns the restored
    vault's id and trail head (for the head log) when it did, else None.
    A stray marker left in a restored vault is removed. Staging folders without the marker
    (a restore stopped while it was still checking) are left for ``remove_stale_staging``.

    Raises:
        StorageError: the rename failed (the staging folder is left as it is).
    """
    target = Path(target)
    _drop_marker(target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        return None
    parent = target.parent
    ready = sorted(p for p in parent.glob(f"{STAGING_PREFIX}{target.name}-*")
                   if p.is_dir() and (p / READY_MARKER).is_file())
    if not ready:
        return None
    try:
        marker = json.loads((ready[-1] / READY_MARKER).read_text("ascii"))
        restored = (str(marker["vault_id"]),
                    (int(marker["trail_head"][0]), str(marker["trail_head"][1])))
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        log.warning("a restore marker is unreadable; that staging folder is left as it is")
        return None
    try:
        os.replace(ready[-1], target)
        fsync_dir(parent)
    except OSError as exc:
        raise storage_error(exc) from exc
    _drop_marker(target)
    log.warning("an interrupted restore was finished at start")
    return restored


def _drop_marker(folder: Path) -> None:
    marker = folder / READY_MARKER
    try:
        marker.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        log.warning("restore marker not removed: %s", type(exc).__name__)
        return
    fsync_dir(folder)


def _aside_path(target: Path, label: str, now: dt.datetime) -> Path:
    """``<target>.<label>-YYYYMMDD-HHMMSS`` (local time), with ``-2``, ``-3``… if taken."""
    stamp = now.astimezone().strftime("%Y%m%d-%H%M%S")
    base = target.with_name(f"{target.name}.{label}-{stamp}")
    candidate, n = base, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = base.with_name(f"{base.name}-{n}")
    return candidate


def remove_stale_staging(parent: Path) -> int:
    """Remove staging folders a crashed restore left in ``parent``; returns how many."""
    removed = 0
    if not parent.is_dir():
        return 0
    for path in parent.glob(f"{STAGING_PREFIX}*"):
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def _require_empty(target: Path) -> None:
    if not target.exists():
        return
    if not target.is_dir() or any(target.iterdir()):
        raise RefusedAction("Restore only goes into a new or empty folder; that one holds files.")


def _unlock(kf: keyfile.KeyFile, credential: Credential) -> SecretKey:
    if credential.recovery_code is not None:
        return keyfile.unlock_vmk_with_recovery(kf, credential.recovery_code)
    if credential.passphrase is not None:
        return keyfile.unlock_vmk(kf, credential.passphrase)
    raise InvalidInput("A passphrase or recovery code is needed to open a backup.")


def _walk(
    path: Path, credential: Credential, db_dir: Path, out_dir: Path | None,
    progress: Progress | None, cancelled: CancelFlag | None,
) -> BackupSummary:
    try:
        src = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise NotFound("There is no backup file there.") from None
    except IsADirectoryError:
        raise InvalidInput("That is a folder, not a backup file.") from None
    except OSError as exc:
        raise StorageError(f"The backup file could not be read ({exc.strerror}).") from exc
    with src:
        try:
            return _walk_open(src, credential, db_dir, out_dir, progress, cancelled)
        except OSError as exc:
            raise storage_error(exc) from exc


def _walk_open(
    src: BinaryIO, credential: Credential, db_dir: Path, out_dir: Path | None,
    progress: Progress | None, cancelled: CancelFlag | None,
) -> BackupSummary:
    size = os.fstat(src.fileno()).st_size
    prefix = backup_stream.read_prefix(src)
    kf = prefix.keyfile
    with _unlock(kf, credential) as vmk, \
            backup_stream.backup_key(vmk, prefix.raw, kf.vault_id) as key:
        reader = PayloadReader(backup_stream.iter_payload(src, key, prefix.backup_id))
        manifest_size = reader.expect(KIND_MANIFEST, MANIFEST_NAME)
        if manifest_size > MAX_MANIFEST_BYTES:
            raise IntegrityError(DAMAGED)
        manifest = Manifest.from_bytes(reader.read_exact(manifest_size))
        if manifest.vault_id != kf.vault_id or manifest.backup_id != prefix.backup_id.hex():
            raise IntegrityError(DAMAGED)
        total = manifest.total_bytes
        done = 0

        def advanced(n: int) -> None:
            nonlocal done
            if cancelled is not None and cancelled():
                raise Cancelled()
            done += n
            if progress is not None:
                progress(done, total)

        if out_dir is not None:
            _write_file(out_dir / "vault.keys", iter((prefix.keys_bytes,)))
        reader.expect(KIND_DATABASE, DATABASE_NAME, manifest.db_size)
        db_path = db_dir / "vault.db"
        _write_file(db_path, _counted(reader.iter_exact(manifest.db_size), advanced))
        rows = _check_database(db_path, kf, vmk, manifest)
        for entry in manifest.documents:
            reader.expect(KIND_DOCUMENT, entry.name, entry.size)
            chunks = _counted(reader.iter_exact(entry.size), advanced)
            _document(entry, chunks, rows, vmk, out_dir)
        reader.finish()
    if out_dir is not None:
        fsync_dir(out_dir)
    try:
        created = dt.datetime.fromisoformat(manifest.created)
    except ValueError:
        raise IntegrityError(DAMAGED) from None
    return BackupSummary(
        backup_id=manifest.backup_id, vault_id=manifest.vault_id, created=created,
        documents=len(manifest.documents), cases=len(manifest.case_ids), size=size,
        schema_version=manifest.schema_version, trail_head=manifest.trail_head,
    )


def _counted(chunks: Iterator[bytes], advanced: Callable[[int], None]) -> Iterator[bytes]:
    for chunk in chunks:
        advanced(len(chunk))
        yield chunk


@dataclass(frozen=True)
class _Row:
    case_id: str
    sha256: str
    wrapped_key: bytes | None


def _check_database(
    db_path: Path, kf: keyfile.KeyFile, vmk: SecretKey, manifest: Manifest
) -> dict[str, _Row]:
    """Open the snapshot read-only and check it; the document rows with their case keys."""
    keys = [False] + ([True] if kf.db_key_pending is not None else [])
    for pending in keys:
        with keyfile.unwrap_db_key(kf, vmk, pending=pending) as db_key:
            conn = sqlcipher3.connect(f"file:{db_path}?mode=ro", uri=True)
            try:
                conn.execute(f'PRAGMA key = "{db_key.sqlcipher_key()}"')
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlcipher3.DatabaseError:
                conn.close()
                continue
        try:
            return _database_rows(conn, manifest)
        except sqlcipher3.DatabaseError:
            raise IntegrityError(DAMAGED) from None
        finally:
            conn.close()
    raise IntegrityError(DAMAGED)


def _database_rows(conn: sqlcipher3.Connection, manifest: Manifest) -> dict[str, _Row]:
    if [r[0] for r in conn.execute("PRAGMA integrity_check")] != ["ok"]:
        raise IntegrityError(DAMAGED)
    if conn.execute("PRAGMA cipher_integrity_check").fetchall():
        raise IntegrityError(DAMAGED)
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) != manifest.schema_version:
        raise IntegrityError(DAMAGED)
    last = conn.execute("SELECT seq, mac FROM trail ORDER BY seq DESC LIMIT 1").fetchone()
    if ((int(last[0]), bytes(last[1]).hex()) if last else (0, "")) != manifest.trail_head:
        raise IntegrityError(DAMAGED)
    cases = tuple(r[0] for r in conn.execute("SELECT id FROM cases ORDER BY id"))
    if cases != manifest.case_ids:
        raise IntegrityError(DAMAGED)
    rows: dict[str, _Row] = {}
    listed = set()
    for case_id, file_id, cipher_size, sha256, wrapped in conn.execute(
        "SELECT d.case_id, d.id, d.cipher_size, d.sha256, c.wrapped_key "
        "FROM documents d JOIN cases c ON c.id = d.case_id"
    ):
        rows[str(file_id)] = _Row(str(case_id), str(sha256), wrapped)
        listed.add((str(case_id), str(file_id), int(cipher_size)))
    if listed != {(d.case_id, d.file_id, d.size) for d in manifest.documents}:
        raise IntegrityError(DAMAGED)
    return rows


def _document(
    entry: DocumentEntry, chunks: Iterator[bytes], rows: dict[str, _Row], vmk: SecretKey,
    out_dir: Path | None,
) -> None:
    """Decrypt one document as it streams past (and write its ciphertext when restoring)."""
    row = rows[entry.file_id]
    if row.wrapped_key is None:
        raise IntegrityError(DAMAGED)  # a destroyed case keeps no documents
    try:
        dek = keyfile.unwrap_case_key(vmk, entry.case_id, row.wrapped_key)
    except IntegrityError:
        raise IntegrityError(DAMAGED) from None
    with dek:
        if out_dir is None:
            _decrypt_check(chunks, dek, entry, row)
            return
        case_dir = out_dir / "documents" / entry.case_id
        for folder in (out_dir / "documents", case_dir):
            if not folder.exists():
                folder.mkdir(mode=DIR_MODE)
        target = case_dir / f"{entry.file_id}.cvf"
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "wb") as fh:

            def teed() -> Iterator[bytes]:
                for chunk in chunks:
                    fh.write(chunk)
                    yield chunk

            _decrypt_check(teed(), dek, entry, row)
            fh.flush()
            os.fsync(fh.fileno())


def _decrypt_check(chunks: Iterator[bytes], dek: SecretKey, entry: DocumentEntry,
                   row: _Row) -> None:
    try:
        result = cvf1.decrypt_stream(
            GeneratorReader(chunks), _NullSink(), dek,  # type: ignore[arg-type]
            case_id=entry.case_id, file_id=bytes.fromhex(entry.file_id),
        )
    except IntegrityError:
        raise IntegrityError(DAMAGED) from None
    if not hmac.compare_digest(result.sha256, row.sha256):
        raise IntegrityError(DAMAGED)


def _write_file(path: Path, chunks: Iterator[bytes]) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with os.fdopen(fd, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
        fh.flush()
        os.fsync(fh.fileno())

