"""Writing a backup: a consistent snapshot of an unlocked vault into one encrypted file.

The database is copied with SQLite's online backup API (``Connection.backup``) into a keyed
SQLCipher file — never a raw copy of a live WAL database — while the database lock is held, and
``vault.keys`` is read under the same lock, so the snapshot and the key file always match
(an interrupted re-key leaves a pending key that still opens it). Documents are immutable CVF1
files and are streamed as they are, already encrypted, after the lock is released. The output
is written to a private temp file beside the target, fsynced and renamed into place; on any
failure or cancel nothing is left behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlcipher3

from vault.backup.records import (
    CHUNK,
    DATABASE_NAME,
    KIND_DATABASE,
    KIND_DOCUMENT,
    KIND_END,
    KIND_MANIFEST,
    MANIFEST_NAME,
    DocumentEntry,
    GeneratorReader,
    Manifest,
    record_header,
)
from vault.crypto import backup_stream, keyfile
from vault.crypto.secret import SecretKey
from vault.errors import IntegrityError, RefusedAction, StorageError
from vault.store.db import Database
from vault.store.fsutil import FILE_MODE, fsync_dir, storage_error
from vault.store.unlocked_vault import UnlockedVault

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]

SNAPSHOT_PREFIX = ".backup-snapshot-"
BACKUP_SUFFIX = ".cvbackup"


@dataclass(frozen=True)
class BackupResult:
    """What a finished backup holds (ids and counts only)."""

    path: Path
    backup_id: str
    created: dt.datetime
    size: int
    documents: int
    case_ids: tuple[str, ...]


def vault_master_key(vault: UnlockedVault) -> SecretKey:
    """The VMK of an unlocked vault (the backup key is derived from it).

    Raises:
        VaultLocked: the vault is locked.
    """
    return vault.keys.vmk()


def remove_stale_snapshots(vault_root: Path) -> int:
    """Delete snapshot files a crashed backup left in the vault folder (they are SQLCipher
    files under the vault's own key, so nothing leaks; they only take space)."""
    removed = 0
    for path in vault_root.glob(f"{SNAPSHOT_PREFIX}*"):
        with contextlib.suppress(OSError):
            path.unlink()
            removed += 1
    return removed


def write_backup(
    vault: UnlockedVault,
    out: Path,
    *,
    now: dt.datetime,
    progress: Progress | None = None,
    cancelled: CancelFlag | None = None,
) -> BackupResult:
    """Write a backup of ``vault`` to ``out`` (which must not exist yet).

    Raises:
        RefusedAction: ``out`` already exists, or the vault changed under the backup (a
            document disappeared part-way); run it again.
        InvalidInput: the folder of ``out`` does not exist.
        StorageError: the disk refused a write; nothing is left behind.
        Cancelled: ``cancelled()`` turned true; nothing is left behind.
        VaultLocked: the vault was locked.
    """
    out = Path(out)
    if out.exists():
        raise RefusedAction("A file with that name already exists; choose a new name.")
    if not out.parent.is_dir():
        raise StorageError("The folder for the backup does not exist.")
    root = vault.paths.root
    remove_stale_snapshots(root)
    vmk = vault_master_key(vault)
    backup_id = os.urandom(backup_stream.BACKUP_ID_LEN)
    snapshot = root / f"{SNAPSHOT_PREFIX}{backup_id.hex()}.db"
    tmp = out.parent / f".{out.name}.{backup_id.hex()[:8]}.part"
    placed = False  # once renamed, a failure (the folder's fsync) removes the file again
    try:
        keys_bytes, manifest = _snapshot(vault, snapshot, vmk, backup_id.hex(), now)
        prefix = backup_stream.make_prefix(backup_id, keys_bytes)
        total = manifest.total_bytes

        def on_progress(done: int) -> None:
            if progress is not None:
                progress(min(done, total), total)

        with backup_stream.backup_key(vmk, prefix, manifest.vault_id) as key:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            with os.fdopen(fd, "wb") as fh:
                fh.write(prefix)
                backup_stream.encrypt_payload(
                    GeneratorReader(_records(vault, snapshot, manifest)),  # type: ignore[arg-type]
                    fh, key, backup_id,
                    progress=on_progress, cancelled=cancelled,
                )
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, out)
        placed = True
        fsync_dir(out.parent)
    except OSError as exc:
        _discard(tmp, out if placed else None)
        log.warning("backup not written: %s", type(exc).__name__)
        raise storage_error(exc) from exc
    except BaseException:
        _discard(tmp, out if placed else None)
        raise
    finally:
        with contextlib.suppress(OSError):
            snapshot.unlink()
    size = out.stat().st_size
    log.info("backup written: %s (%d documents)", backup_id.hex()[:8], len(manifest.documents))
    return BackupResult(out, backup_id.hex(), now, size, len(manifest.documents),
                        manifest.case_ids)


def _discard(tmp: Path, placed: Path | None) -> None:
    """Remove what a failed backup wrote, so "not written" is true."""
    for path in (tmp, placed):
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()


def _snapshot(
    vault: UnlockedVault, snapshot: Path, vmk: SecretKey, backup_id: str, now: dt.datetime
) -> tuple[bytes, Manifest]:
    """Copy the database and read the key file under the database lock."""
    db = vault.db
    with db.lock:
        keys_bytes = vault.paths.keys.read_bytes()
        kf = keyfile.KeyFile.from_json(json.loads(keys_bytes.decode("utf-8")))
        if kf.rotation is not None:
            raise RefusedAction("A passphrase change is still being finished; lock and unlock "
                                "the vault, then back up again.")
        with _live_db_key(db, kf, vmk) as db_key:
            fd = os.open(snapshot, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            os.close(fd)
            target = sqlcipher3.connect(str(snapshot), isolation_level=None)
            try:
                # SQLCipher's backup re-encrypts every page under the target's key: here the
                # live database's own key, so the snapshot opens with the key file beside it.
                target.execute(f'PRAGMA key = "{db_key.sqlcipher_key()}"')
                db.connection.backup(target)
                docs = target.execute(
                    "SELECT case_id, id, cipher_size FROM documents ORDER BY case_id, id"
                ).fetchall()
                case_ids = tuple(r[0] for r in target.execute("SELECT id FROM cases ORDER BY id"))
                schema = int(target.execute("PRAGMA user_version").fetchone()[0])
                last = target.execute(
                    "SELECT seq, mac FROM trail ORDER BY seq DESC LIMIT 1").fetchone()
                target.execute("PRAGMA journal_mode = DELETE")
            except sqlcipher3.DatabaseError as exc:
                raise IntegrityError("The vault database could not be copied.") from exc
            finally:
                target.close()
        fd = os.open(snapshot, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    manifest = Manifest(
        vault_id=kf.vault_id,
        backup_id=backup_id,
        created=now.astimezone(dt.UTC).isoformat(timespec="seconds"),
        schema_version=schema,
        db_size=snapshot.stat().st_size,
        documents=tuple(DocumentEntry(str(c), str(f), int(s)) for c, f, s in docs),
        case_ids=case_ids,
        trail_head=(int(last[0]), bytes(last[1]).hex()) if last else (0, ""),
    )
    return keys_bytes, manifest


def _live_db_key(db: Database, kf: keyfile.KeyFile, vmk: SecretKey) -> SecretKey:
    """The key the database is open with, as the key file holds it (current, or pending in
    the middle of a re-key): the snapshot is keyed with it, so it opens beside that file."""
    pending = [True] if kf.db_key_pending is not None else []
    for is_pending in [False, *pending]:
        key = keyfile.unwrap_db_key(kf, vmk, pending=is_pending)
        if db.key_matches(key):
            return key
        key.wipe()
    raise RefusedAction("The vault's keys are changing; try the backup again.")


def _records(vault: UnlockedVault, snapshot: Path, manifest: Manifest) -> Iterator[bytes]:
    body = manifest.to_bytes()
    yield record_header(KIND_MANIFEST, MANIFEST_NAME, len(body)) + body
    yield record_header(KIND_DATABASE, DATABASE_NAME, manifest.db_size)
    yield from _file_chunks(snapshot, manifest.db_size)
    for entry in manifest.documents:
        path = vault.documents.path_for(entry.case_id, entry.file_id)
        yield record_header(KIND_DOCUMENT, entry.name, entry.size)
        yield from _file_chunks(path, entry.size)
    yield record_header(KIND_END, "", 0)


def _file_chunks(path: Path, size: int) -> Iterator[bytes]:
    """Exactly ``size`` bytes of ``path``; a file that vanished or changed size is refused."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below
    except FileNotFoundError:
        raise RefusedAction("The vault changed while the backup was written (a document was "
                            "removed); run the backup again.") from None
    with fh:
        left = size
        while left:
            chunk = fh.read(min(CHUNK, left))
            if not chunk:
                raise RefusedAction("The vault changed while the backup was written; "
                                    "run the backup again.")
            left -= len(chunk)
            yield chunk
        if fh.read(1):
            raise RefusedAction("The vault changed while the backup was written; "
                                "run the backup again.")

