"""Where things live on disk: the default vault folder, bundled resources, and safety checks.

A leaf module: it imports nothing else from the vault, so every layer may use it.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import platformdirs

from vault.errors import UnsafeLocation

APP_NAME = "casevault"
ENV_VAULT_DIR = "CASEVAULT_DIR"

# Folder names used by common sync clients. A vault inside one is copied to somebody's cloud.
_SYNC_MARKERS = ("dropbox", "onedrive", "google drive", "googledrive", "icloud", "nextcloud",
                 "owncloud", "mega", "pcloud", "box sync", "sync.com")


def default_vault_dir() -> Path:
    """The vault folder: ``$CASEVAULT_DIR`` if set, else the per-user data dir for casevault."""
    env = os.environ.get(ENV_VAULT_DIR)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def resources_dir() -> Path:
    """The bundled resources folder (union profiles, stylesheet, icons, word lists).

    Looks beside the package first (a source checkout or editable install), then where a wheel
    install puts them (``<prefix>/share/casevault``).
    """
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "resources", Path(sys.prefix) / "share" / APP_NAME):
        if candidate.is_dir():
            return candidate
    return here.parent / "resources"


def check_private_dir(path: Path) -> None:
    """Refuse a folder that other users could write to (or, on POSIX, read).

    Raises:
        UnsafeLocation: the folder is group/other-writable, or owned by somebody else.
    """
    if os.name != "posix":
        return
    st = path.stat()
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise UnsafeLocation("The vault folder can be changed by other users; refusing to use it.")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise UnsafeLocation("The vault folder belongs to another user; refusing to use it.")


def looks_cloud_synced(path: Path) -> bool:
    """True when a folder on the path looks like a cloud-sync folder (a warning, not a refusal)."""
    parts = [p.casefold() for p in path.resolve().parts]
    return any(marker in part for part in parts for marker in _SYNC_MARKERS)
