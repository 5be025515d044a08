"""Filesystem helpers for private, crash-safe writes.

Every helper creates directories 0700 and files 0600, and writes through a temp file in the
same directory so a crash leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from vault.errors import StorageError

DIR_MODE = 0o700
FILE_MODE = 0o600


def safe_mkdir(path: Path) -> None:
    """Create ``path`` (and parents) with mode 0700; tighten it if it exists.

    Raises:
        StorageError: the folder cannot be created.
    """
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        os.chmod(path, DIR_MODE)
    except OSError as exc:
        raise StorageError(f"Could not create a private folder ({exc.strerror}).") from exc


def fsync_dir(path: Path) -> None:
    """Flush a directory entry so a rename inside it survives power loss (POSIX only)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def storage_error(exc: OSError) -> StorageError:
    """A user-safe StorageError for an OSError (the disk full case gets its own words)."""
    if exc.errno == errno.ENOSPC:
        return StorageError("The disk is full; nothing was changed.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StorageError("The vault folder cannot be written to; nothing was changed.")
    return StorageError(f"The vault could not write to disk ({exc.strerror}); nothing was changed.")


@contextlib.contextmanager
def atomic_writer(target: Path) -> Iterator[BinaryIO]:
    """Yield a private temp file beside ``target``; on success fsync and rename it into place.

    On any exception the temp file is removed and ``target`` is untouched.

    Raises:
        StorageError: an OSError while writing (disk full, permissions).
    """
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, FILE_MODE) if hasattr(os, "fchmod") else None
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise storage_error(exc) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically with mode 0600."""
    with atomic_writer(target) as fh:
        fh.write(data)


def is_within(base: Path, candidate: Path) -> bool:
    """True when ``candidate`` resolves inside ``base`` (a path-traversal check)."""
    try:
        candidate.resolve().relative_to(base.resolve())
    except ValueError:
        return False
    return True
