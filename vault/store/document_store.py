"""The encrypted document store: ``documents/<case id>/<file id>.cvf``, immutable CVF1 files.

Folders and files are named by opaque ids only. Writes go to a temp file in the case folder,
are fsynced and renamed into place; nothing is ever written in plaintext.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from vault.crypto import cvf1
from vault.crypto.secret import SecretKey
from vault.errors import Cancelled, IntegrityError, NotFound
from vault.store.fsutil import FILE_MODE, fsync_dir, safe_mkdir, storage_error

log = logging.getLogger(__name__)

_HEX_ID = re.compile(r"^[0-9a-f]{32}$")
SUFFIX = ".cvf"


def _check_id(value: str) -> str:
    if not _HEX_ID.match(value):
        raise NotFound("No such document.")
    return value


class DocumentStore:
    """Owns the ``documents/`` tree of one vault."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.quarantine_dir = root.parent / "quarantine"

    def case_dir(self, case_id: str) -> Path:
        return self.root / _check_id(case_id)

    def path_for(self, case_id: str, file_id: str) -> Path:
        return self.case_dir(case_id) / f"{_check_id(file_id)}{SUFFIX}"

    def write(
        self,
        case_id: str,
        file_id: bytes,
        dek: SecretKey,
        src: BinaryIO,
        *,
        progress: Callable[[int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> cvf1.EncryptResult:
        """Encrypt ``src`` into a new immutable file; on any failure nothing is left behind.

        Raises:
            Cancelled: ``cancelled()`` turned true.
            StorageError: the disk refused the write (full, read-only).
        """
        folder = self.case_dir(case_id)
        safe_mkdir(folder)
        target = folder / f"{file_id.hex()}{SUFFIX}"
        tmp = folder / f".{file_id.hex()}.part"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            with os.fdopen(fd, "wb", buffering=0) as raw:
                result = cvf1.encrypt_stream(
                    src, raw, dek, case_id=case_id, file_id=file_id,
                    progress=progress, cancelled=cancelled,
                )
                os.fsync(raw.fileno())
            os.replace(tmp, target)
            fsync_dir(folder)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise storage_error(exc) from exc
        except (Cancelled, BaseException):
            tmp.unlink(missing_ok=True)
            raise
        return result

    def open(self, case_id: str, file_id: str) -> BinaryIO:
        """Open an encrypted file for reading.

        Raises:
            IntegrityError: the file is missing (a row without its file is damage, not absence).
        """
        path = self.path_for(case_id, file_id)
        try:
            return path.open("rb")
        except FileNotFoundError as exc:
            raise IntegrityError("A document's encrypted file is missing.") from exc

    def delete(self, case_id: str, file_id: str) -> None:
        """Remove one file; missing is fine (used by rollback)."""
        folder = self.case_dir(case_id)
        for name in (f"{file_id}{SUFFIX}", f".{file_id}.part"):
            (folder / name).unlink(missing_ok=True)

    def delete_case(self, case_id: str) -> None:
        shutil.rmtree(self.case_dir(case_id), ignore_errors=True)

    def iter_files(self) -> Iterator[tuple[str, str, Path]]:
        """Every (case id, file id, path) on disk, including leftover ``.part`` files."""
        if not self.root.is_dir():
            return
        for case_dir in sorted(self.root.iterdir()):
            if not case_dir.is_dir():
                continue
            for path in sorted(case_dir.iterdir()):
                name = path.name
                if name.endswith(SUFFIX):
                    yield case_dir.name, name[: -len(SUFFIX)], path
                elif name.endswith(".part"):
                    yield case_dir.name, name[1:-5], path

    def quarantine(self, path: Path) -> Path:
        """Move an unexplained file aside (never silently delete what we cannot explain)."""
        safe_mkdir(self.quarantine_dir)
        target = self.quarantine_dir / f"{path.parent.name}-{path.name}"
        os.replace(path, target)
        log.warning("quarantined an unexplained file in documents/ (%s)", path.parent.name)
        return target
