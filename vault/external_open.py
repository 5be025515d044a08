"""The private folder for "Open with…": decrypted copies another program has open.

A leaf (no Qt, nothing above ``errors`` and ``paths``). The folder is, in order of preference:

- ``$XDG_RUNTIME_DIR/casevault-open-<12 hex of the vault path's SHA-256>`` where the user
  runtime dir exists, is ours and is private (on Linux it is a per-user tmpfs, so the copy never
  reaches a disk and vanishes at logout);
- otherwise ``<vault dir>/external-open`` (Windows, macOS, or no runtime dir), already 0700.

Each copy sits in its own random 0700 sub-folder under its display name, so the other program
shows a sensible name. ``scrub`` overwrites each file with zeros before unlinking it (a best
effort: SSDs and the other program's own caches may keep copies) and removes the folder; it
runs on lock, on quit and at every start.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import stat
import tempfile
from pathlib import Path

from vault.errors import StorageError, UnsafeLocation

log = logging.getLogger(__name__)

RUNTIME_PREFIX = "casevault-open-"
VAULT_SUBFOLDER = "external-open"
_ZERO_CHUNK = 1 << 20


def open_with_folder(vault_root: Path, runtime_dir: str | None = None) -> Path:
    """Where "Open with…" copies of the vault at ``vault_root`` go (not created here).

    ``runtime_dir`` defaults to ``$XDG_RUNTIME_DIR``; it is used only when it is a private
    folder of the current user.
    """
    runtime = runtime_dir if runtime_dir is not None else os.environ.get("XDG_RUNTIME_DIR")
    if runtime and _is_private_dir(Path(runtime)):
        digest = hashlib.sha256(str(Path(vault_root).resolve()).encode("utf-8")).hexdigest()
        return Path(runtime) / f"{RUNTIME_PREFIX}{digest[:12]}"
    return Path(vault_root) / VAULT_SUBFOLDER


def prepare(folder: Path) -> Path:
    """Create ``folder`` 0700 (its parent must exist) and check nobody else can use it.

    Raises:
        UnsafeLocation: the folder is a symlink, not ours, or open to others.
        StorageError: it cannot be created.
    """
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        st = os.lstat(folder)
    except OSError as exc:
        raise StorageError(f"Could not create the private folder ({exc.strerror}).") from exc
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        raise UnsafeLocation("The private folder for opened documents is not a real folder.")
    if os.name == "posix":
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            raise UnsafeLocation("The private folder for opened documents belongs to someone "
                                 "else.")
        os.chmod(folder, 0o700)
    return folder


def new_copy_path(folder: Path, name: str) -> Path:
    """A fresh path ``folder/<random>/name`` whose sub-folder is 0700 (``name`` is already a
    safe display name: no separators, no control characters).

    Raises:
        UnsafeLocation, StorageError: as ``prepare``.
    """
    prepare(folder)
    try:
        slot = Path(tempfile.mkdtemp(prefix="", dir=folder))
    except OSError as exc:
        raise StorageError(f"Could not create the private folder ({exc.strerror}).") from exc
    return slot / name


def scrub(folder: Path) -> int:
    """Overwrite and delete every file under ``folder``, then the folder; returns how many.

    Never raises: a file still locked by another program (Windows) is left and logged, and the
    next scrub tries again.
    """
    if not folder.exists() or folder.is_symlink():
        return 0
    count = 0
    for path in sorted(folder.rglob("*"), reverse=True):
        try:
            if path.is_symlink():
                path.unlink()
            elif path.is_file():
                _overwrite(path)
                path.unlink()
                count += 1
            elif path.is_dir():
                path.rmdir()
        except OSError as exc:
            log.warning("could not scrub an opened copy: %s", type(exc).__name__)
    shutil.rmtree(folder, ignore_errors=True)
    if count:
        log.info("scrubbed %d opened cop%s", count, "y" if count == 1 else "ies")
    return count


def _overwrite(path: Path) -> None:
    size = path.stat().st_size
    with open(path, "r+b") as fh:
        remaining = size
        zeros = bytes(min(_ZERO_CHUNK, max(1, size)))
        while remaining > 0:
            n = min(remaining, len(zeros))
            fh.write(zeros[:n])
            remaining -= n
        fh.flush()
        os.fsync(fh.fileno())


def _is_private_dir(path: Path) -> bool:
    try:
        st = os.stat(path)
    except OSError:
        return False
    if not stat.S_ISDIR(st.st_mode):
        return False
    if os.name == "posix":
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return False
        if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            return False
    return True
