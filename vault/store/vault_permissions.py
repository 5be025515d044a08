"""The vault folder's permissions: checked and repaired at every unlock, refused at ``init``.

DESIGN §5 wants the folder 0700 and every file in it 0600. A vault copied with ``cp -r``, a
restore, or an unzip can come back 0755/0644. At unlock (``check_and_repair``):

- a folder or file readable by others, but owned by the rep, is tightened (0700 folders, 0600
  files) and a one-line warning is returned for the caller to show;
- the vault folder writable by others, or anything owned by another user, is refused: somebody
  else could have replaced files, and chmod cannot undo that;
- ``vault.keys``, ``vault.db`` and their companions must be ordinary files: a symlink, FIFO or
  device in their place is refused (a FIFO would hang the open, a symlink would redirect it).

At ``init`` (``prepare_new_vault_dir``) an existing folder is used only if it is empty and
private to the rep; a non-empty or shared folder is refused, never chmod-ed into shape (that
would drop a sticky bit or hide other people's files).

POSIX only: on Windows the checks are skipped (ACLs are the OS's business).
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

from vault.errors import RefusedAction, UnsafeLocation

log = logging.getLogger(__name__)

DIR_MODE = 0o700
FILE_MODE = 0o600

# The files at the top of a vault folder that must be ordinary, private files.
VAULT_FILES = ("vault.keys", "vault.db", "vault.db-wal", "vault.db-shm")
# Folders whose whole tree must be private.
VAULT_TREES = ("documents", "quarantine", "external-open")


def check_and_repair(root: Path) -> list[str]:
    """Check the vault folder at ``root``; tighten what is safe to tighten.

    Returns one user-safe warning line per kind of repair made (empty when all was private).

    Raises:
        UnsafeLocation: the folder (or a file or folder in it) belongs to another user, the
            folder is writable by others, or a vault file is not an ordinary file.
    """
    if os.name != "posix":
        return []
    repairs: list[str] = []
    st = _stat(root, follow=True)
    if st is None or not stat.S_ISDIR(st.st_mode):
        return []  # the caller reports a missing vault
    _require_owner(st, "The vault folder belongs to another user; refusing to use it.")
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeLocation("The vault folder can be changed by other users; refusing to use "
                             "it. Check it has not been tampered with, then make it private "
                             "(chmod 700).")
    if stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(root, DIR_MODE)
        repairs.append("The vault folder was open to other users; it is now private (0700).")

    loose_files: list[str] = []
    for name in VAULT_FILES:
        fst = _stat(root / name, follow=False)
        if fst is None:
            continue
        if not stat.S_ISREG(fst.st_mode):
            raise UnsafeLocation(f"{name} in the vault folder is not an ordinary file (a link, "
                                 "pipe or device); refusing to open the vault.")
        _require_owner(fst, f"{name} belongs to another user; refusing to open the vault.")
        if stat.S_IMODE(fst.st_mode) & 0o077:
            os.chmod(root / name, FILE_MODE)
            loose_files.append(name)
    for fst_path in sorted(root.glob("vault.db.before-v*")):
        fst = _stat(fst_path, follow=False)
        if fst is not None and stat.S_ISREG(fst.st_mode) and stat.S_IMODE(fst.st_mode) & 0o077:
            _require_owner(fst, "A file in the vault folder belongs to another user; refusing "
                                "to open the vault.")
            os.chmod(fst_path, FILE_MODE)
            loose_files.append(fst_path.name)
    if loose_files:
        repairs.append(f"{', '.join(loose_files)} could be read by other users; "
                       "now private (0600).")

    tightened = 0
    for tree in VAULT_TREES:
        tightened += _repair_tree(root / tree)
    if tightened:
        repairs.append(f"{tightened} document folder(s) or file(s) were open to other users; "
                       "now private. Run 'verify' to check nothing was changed.")
    for line in repairs:
        log.warning("vault permissions repaired: %s", line)
    return repairs


def prepare_new_vault_dir(root: Path) -> None:
    """Make ``root`` a new private folder for a vault (0700), or accept it if empty and private.

    An existing empty folder owned by the rep, not writable by others and without a sticky bit,
    is used (its read bits tightened to 0700). Anything else is refused.

    Raises:
        RefusedAction: ``root`` exists and is not an empty folder.
        UnsafeLocation: ``root`` exists and belongs to another user or can be changed by others.
        OSError: the folder could not be created (the caller maps it).
    """
    try:
        root.mkdir(mode=DIR_MODE, parents=True)
    except FileExistsError:
        _accept_existing(root)
        return
    if os.name == "posix":
        os.chmod(root, DIR_MODE)  # mkdir's mode is filtered by the umask
    log.info("vault folder created")


def _accept_existing(root: Path) -> None:
    st = _stat(root, follow=True)
    if st is None or not stat.S_ISDIR(st.st_mode):
        raise RefusedAction("Something that is not a folder is already there; choose a new "
                            "folder for the vault.")
    if os.name == "posix":
        _require_owner(st, "That folder belongs to another user; choose a folder of your own "
                           "for the vault.")
        if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH | stat.S_ISVTX):
            raise UnsafeLocation("That folder can be changed by other users; choose a new, "
                                 "private folder for the vault.")
    if any(root.iterdir()):
        raise RefusedAction("That folder is not empty; choose a new or empty folder for the "
                            "vault.")
    if os.name == "posix" and stat.S_IMODE(st.st_mode) != DIR_MODE:
        os.chmod(root, DIR_MODE)


def _repair_tree(top: Path) -> int:
    """Tighten a folder tree owned by the rep; returns how many entries were tightened."""
    st = _stat(top, follow=False)
    if st is None:
        return 0
    if not stat.S_ISDIR(st.st_mode):
        raise UnsafeLocation(f"{top.name} in the vault folder is not a folder; refusing to open "
                             "the vault.")
    count = 0
    for dirpath, dirnames, filenames in os.walk(top, followlinks=False):
        here = Path(dirpath)
        count += _tighten(here, DIR_MODE)
        for name in dirnames + filenames:
            path = here / name
            est = _stat(path, follow=False)
            if est is None:
                continue
            if stat.S_ISLNK(est.st_mode):
                raise UnsafeLocation("A link was planted in the vault's documents folder; "
                                     "refusing to open the vault.")
            if stat.S_ISREG(est.st_mode):
                count += _tighten(path, FILE_MODE)
    return count


def _tighten(path: Path, mode: int) -> int:
    st = os.lstat(path)
    _require_owner(st, "A file in the vault folder belongs to another user; refusing to open "
                       "the vault.")
    if stat.S_IMODE(st.st_mode) & 0o077:
        os.chmod(path, mode)  # a folder or regular file, checked with lstat just before
        return 1
    return 0


def _require_owner(st: os.stat_result, message: str) -> None:
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise UnsafeLocation(message)


def _stat(path: Path, *, follow: bool) -> os.stat_result | None:
    try:
        return os.stat(path) if follow else os.lstat(path)
    except FileNotFoundError:
        return None
