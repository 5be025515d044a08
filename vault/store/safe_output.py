"""The one way plaintext leaves the vault: a private, crash-safe write into a folder the rep chose.

Every decrypted copy, PDF, draft, and later every export and backup, is written through
``private_output`` (or ``write_private_output``). The rules, each against an attack a shared
folder allows (issue 8, finding 4):

- the output folder is opened once and used by its file descriptor from then on, so a folder
  swapped for a symlink half-way cannot redirect the write;
- a folder other users can change is refused (they could read, replace or unlink the copy)
  unless the caller passes ``allow_shared_folder`` because the rep insisted;
- a folder inside the vault is always refused (a plaintext copy there would outlive an erase
  and sit beside the ciphertext it came from);
- the temp file has a random name and is created ``O_CREAT|O_EXCL|O_NOFOLLOW`` with mode 0600,
  so a planted file or symlink of any name is never opened, followed or shared;
- the data is fsynced, renamed into place and the folder fsynced; on any error (cancel, bad tag,
  full disk) the temp file is removed and the target is untouched.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from vault.errors import InvalidInput, RefusedAction, StorageError, UnsafeLocation

log = logging.getLogger(__name__)

OUTPUT_MODE = 0o600
TEMP_PREFIX = ".casevault-"
TEMP_SUFFIX = ".part"

_POSIX = os.name == "posix"
_O_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_O_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_O_DIRECTORY = getattr(os, "O_DIRECTORY", 0)
_O_BINARY = getattr(os, "O_BINARY", 0)


class SharedOutputFolder(UnsafeLocation):
    """The output folder can be changed by other users; the caller may let the rep insist."""

    default_message = ("That folder can be changed by other users, who could read or replace "
                       "the decrypted copy; choose a folder only you can change.")


def inside_vault_message() -> str:
    return "A decrypted copy cannot be written inside the vault folder; choose another folder."


@contextlib.contextmanager
def private_output(
    target: Path,
    *,
    vault_root: Path | None = None,
    allow_shared_folder: bool = False,
    overwrite: bool = False,
) -> Iterator[BinaryIO]:
    """Yield a private temp file beside ``target``; on success it becomes ``target``.

    ``vault_root`` is the open vault's folder (refused as a destination, with everything under
    it). ``overwrite`` allows replacing an existing regular file at ``target`` (never a folder).

    Raises:
        InvalidInput: the folder does not exist, or ``target`` exists (without ``overwrite``) or
            is a folder.
        RefusedAction: ``target`` is inside the vault folder.
        SharedOutputFolder: the folder is writable by other users (without
            ``allow_shared_folder``).
        StorageError: the disk refused the write (full, read-only, permissions).
    """
    target = Path(target)
    name = target.name
    if not name or name in (".", ".."):
        raise InvalidInput("Give a file name to write to.")
    folder = target.parent
    if vault_root is not None and _is_inside(folder, vault_root):
        raise RefusedAction(inside_vault_message())
    dir_fd = _open_folder(folder)
    tmp_name = f"{TEMP_PREFIX}{secrets.token_hex(12)}{TEMP_SUFFIX}"
    created = False
    try:
        folder_stat = os.fstat(dir_fd) if dir_fd is not None else os.stat(folder)
        if vault_root is not None and _same_file_as_vault(folder_stat, vault_root):
            raise RefusedAction(inside_vault_message())
        if not allow_shared_folder and _shared(folder_stat):
            raise SharedOutputFolder()
        if allow_shared_folder and _shared(folder_stat):
            log.warning("plaintext written to a shared folder at the rep's request")
        _check_target(name, folder, dir_fd, overwrite=overwrite)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O_NOFOLLOW | _O_CLOEXEC | _O_BINARY
        fd = _open_in(tmp_name, folder, dir_fd, flags, OUTPUT_MODE)
        created = True
        with os.fdopen(fd, "wb") as fh:
            if hasattr(os, "fchmod"):
                os.fchmod(fh.fileno(), OUTPUT_MODE)  # whatever the umask was
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _rename_in(tmp_name, name, folder, dir_fd)
        created = False
        if dir_fd is not None:
            os.fsync(dir_fd)
    except OSError as exc:
        log.warning("plaintext output not written: %s", errno.errorcode.get(exc.errno or 0, "?"))
        raise _output_error(exc) from None
    finally:
        if created:
            with contextlib.suppress(OSError):
                _unlink_in(tmp_name, folder, dir_fd)
        if dir_fd is not None:
            os.close(dir_fd)


def write_private_output(
    target: Path,
    data: bytes,
    *,
    vault_root: Path | None = None,
    allow_shared_folder: bool = False,
    overwrite: bool = True,
) -> None:
    """Write ``data`` to ``target`` through ``private_output`` (same rules, same errors).

    ``overwrite`` defaults to True here: the callers (PDF writers) have already asked the rep,
    through a save dialog, whether to replace the file.
    """
    with private_output(target, vault_root=vault_root, allow_shared_folder=allow_shared_folder,
                        overwrite=overwrite) as fh:
        fh.write(data)


def folder_is_shared(folder: Path) -> bool:
    """True when other users can create, rename or remove files in ``folder`` (POSIX only).

    A group-writable folder counts as shared unless its group is the user's own private group
    (the Debian/Ubuntu "user private group" with nobody else in it). A folder owned by another
    user (other than root) counts as shared: its owner can do anything in it.

    Raises:
        OSError: the folder cannot be examined.
    """
    return _shared(os.stat(folder))


# -- helpers -----------------------------------------------------------------------------------


def _shared(st: os.stat_result) -> bool:
    if not _POSIX:
        return False
    uid = os.getuid()
    if st.st_uid not in (uid, 0):
        return True
    if st.st_mode & stat.S_IWOTH:
        return True
    if st.st_mode & stat.S_IWGRP:
        return not _private_group(st.st_gid, uid)
    return False


def _private_group(gid: int, uid: int) -> bool:
    """True when ``gid`` is the user's own group (named after them) with no other members."""
    import grp  # POSIX only, like every caller of this
    import pwd

    try:
        group = grp.getgrgid(gid)
        user = pwd.getpwuid(uid)
    except KeyError:
        return False
    if user.pw_gid != gid or group.gr_name != user.pw_name:
        return False
    return all(member == user.pw_name for member in group.gr_mem)


def _is_inside(folder: Path, vault_root: Path) -> bool:
    try:
        resolved = folder.resolve()
        root = vault_root.resolve()
    except OSError:
        return False
    return resolved == root or root in resolved.parents


def _same_file_as_vault(folder_stat: os.stat_result, vault_root: Path) -> bool:
    """The opened folder is the vault folder or one of its sub-folders (by inode, after open)."""
    try:
        root_stat = os.stat(vault_root)
    except OSError:
        return False
    return (folder_stat.st_dev, folder_stat.st_ino) == (root_stat.st_dev, root_stat.st_ino)


def _open_folder(folder: Path) -> int | None:
    if not _POSIX:
        if not folder.is_dir():
            raise InvalidInput("That folder does not exist.")
        return None
    try:
        return os.open(folder, os.O_RDONLY | _O_DIRECTORY | _O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):
        raise InvalidInput("That folder does not exist.") from None
    except OSError as exc:
        raise _output_error(exc) from None


def _check_target(name: str, folder: Path, dir_fd: int | None, *, overwrite: bool) -> None:
    try:
        st = (os.stat(name, dir_fd=dir_fd, follow_symlinks=False) if dir_fd is not None
              else os.lstat(folder / name))
    except FileNotFoundError:
        return
    if stat.S_ISDIR(st.st_mode):
        raise InvalidInput("There is a folder with that name there.")
    if not overwrite:
        raise InvalidInput("A file with that name already exists there.")
    if not stat.S_ISREG(st.st_mode):
        # A symlink, FIFO or device would be replaced, not followed, but it was not the rep's
        # file: say so rather than silently swap it.
        raise InvalidInput("Something other than a file has that name there; choose another.")


def _open_in(name: str, folder: Path, dir_fd: int | None, flags: int, mode: int) -> int:
    if dir_fd is not None:
        return os.open(name, flags, mode, dir_fd=dir_fd)
    return os.open(folder / name, flags, mode)


def _rename_in(src: str, dst: str, folder: Path, dir_fd: int | None) -> None:
    if dir_fd is not None:
        # POSIX rename replaces an existing target atomically (os.replace has no dir_fd form).
        os.rename(src, dst, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    else:
        os.replace(folder / src, folder / dst)


def _unlink_in(name: str, folder: Path, dir_fd: int | None) -> None:
    if dir_fd is not None:
        os.unlink(name, dir_fd=dir_fd)
    else:
        (folder / name).unlink()


def _output_error(exc: OSError) -> StorageError:
    if exc.errno == errno.ENOSPC:
        return StorageError("The disk is full; no copy was written.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return StorageError("That folder cannot be written to; no copy was written.")
    if exc.errno == errno.ELOOP:
        return StorageError("A link was planted where the copy was to go; no copy was written.")
    return StorageError("The copy could not be written; nothing was left behind.")
