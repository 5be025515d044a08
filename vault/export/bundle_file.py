"""The archive file on disk: written privately under a random name, then renamed into place.

``BundleFile`` opens ``.casevault-<random>.part`` in the destination folder with
``O_CREAT | O_EXCL | O_NOFOLLOW`` and mode 0600, hands it out for writing, and on ``commit``
flushes, fsyncs, renames it to the chosen name with ``os.replace`` and fsyncs the folder. Any
exception (a full disk, a failed document, Cancel) removes the temp file: a failed or
cancelled export leaves nothing behind.
"""

from __future__ import annotations

import errno
import logging
import os
import secrets
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from vault.errors import InvalidInput, StorageError

log = logging.getLogger(__name__)

TEMP_PREFIX = ".casevault-"
TEMP_SUFFIX = ".part"
_OPEN_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))


def export_error(exc: OSError) -> StorageError:
    """A one-line message for an OSError while writing an export (no paths, no names)."""
    if exc.errno == errno.ENOSPC:
        return StorageError("The disk is full; no bundle was written.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StorageError("That folder cannot be written to; no bundle was written.")
    return StorageError(f"The bundle could not be written ({exc.strerror}); nothing was kept.")


class BundleFile:
    """A private temp file that becomes ``target`` only on ``commit()``."""

    def __init__(self, target: Path, *, overwrite: bool = False) -> None:
        """Raises: InvalidInput when the folder is missing or the target exists (unless
        ``overwrite``)."""
        self.target = Path(target)
        folder = self.target.parent
        if not folder.is_dir():
            raise InvalidInput("That folder does not exist.")
        if self.target.is_dir():
            raise InvalidInput("That is a folder; give a file name for the bundle.")
        if (self.target.exists() or self.target.is_symlink()) and not overwrite:
            raise InvalidInput("A file with that name already exists there.")
        self.temp = folder / f"{TEMP_PREFIX}{secrets.token_hex(8)}{TEMP_SUFFIX}"
        self._fh: BinaryIO | None = None
        self._committed = False

    def __enter__(self) -> BundleFile:
        try:
            fd = os.open(self.temp, _OPEN_FLAGS, 0o600)
        except OSError as exc:
            raise export_error(exc) from exc
        # Buffered: a member's small header and trailer writes would each be a system call.
        self._fh = os.fdopen(fd, "wb", buffering=1 << 20)
        return self

    @property
    def stream(self) -> BinaryIO:
        if self._fh is None:
            raise ValueError("the bundle file is not open")
        return self._fh

    def commit(self) -> None:
        """fsync, rename into place, fsync the folder.

        Raises: StorageError when the disk refuses.
        """
        fh = self.stream
        try:
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
            os.replace(self.temp, self.target)
            self._committed = True
            _fsync_dir(self.target.parent)
        except OSError as exc:
            raise export_error(exc) from exc

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._fh is not None and not self._fh.closed:
            try:
                self._fh.close()
            except OSError:
                log.warning("closing a discarded bundle temp file failed")
        if not self._committed:
            try:
                self.temp.unlink(missing_ok=True)
            except OSError:
                log.warning("could not remove a discarded bundle temp file")


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
