"""Finding the backups a rep can restore from, without any key: the newest first.

Used when the vault cannot help (its database is damaged, or the laptop is new): the unlock
card and ``casevault status`` name the newest backup in the folders the vault or the app
settings know. Only each file's prefix is read (``backup_stream.read_prefix``: magic, version,
the key file in the clear and its SHA-256), so a file that is not a backup, or whose prefix is
damaged, is skipped; whether the rest verifies is known only once a credential opens it (a
restore checks every byte before it touches the vault folder).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from vault.backup.service import AUTO_PREFIX
from vault.backup.writer import BACKUP_SUFFIX
from vault.crypto import backup_stream
from vault.errors import VaultError

log = logging.getLogger(__name__)

_AUTO_STAMP = re.compile(re.escape(AUTO_PREFIX) + r"(\d{8}-\d{6})-[0-9a-f]{8}"
                         + re.escape(BACKUP_SUFFIX) + "$")
MAX_CANDIDATES = 200  # a folder of thousands of files is not read to the end


@dataclass(frozen=True)
class FoundBackup:
    """A file whose prefix is that of a backup (ids, time and size only)."""

    path: Path
    created: dt.datetime  # from an automatic backup's name (UTC), else the file's mtime
    vault_id: str
    size: int
    automatic: bool


def find_backups(folders: Iterable[Path | None], *,
                 vault_id: str | None = None) -> list[FoundBackup]:
    """Every backup in ``folders`` (not their subfolders), newest first; with ``vault_id``,
    only that vault's. Never raises: an unreadable folder or file is skipped."""
    seen: set[Path] = set()
    found: list[FoundBackup] = []
    for folder in folders:
        if folder is None:
            continue
        try:
            names = sorted(Path(folder).glob(f"*{BACKUP_SUFFIX}"), reverse=True)
        except OSError:
            continue
        for path in names[:MAX_CANDIDATES]:
            try:
                real = path.resolve()
            except OSError:
                continue
            if real in seen:
                continue
            seen.add(real)
            item = _read(path)
            if item is not None and (vault_id is None or item.vault_id == vault_id):
                found.append(item)
    found.sort(key=lambda b: b.created, reverse=True)
    return found


def _read(path: Path) -> FoundBackup | None:
    try:
        if not path.is_file():
            return None
        st = path.stat()
        with open(path, "rb") as src:
            prefix = backup_stream.read_prefix(src)
    except (OSError, VaultError) as exc:
        log.info("not a readable backup, skipped: %s", type(exc).__name__)
        return None
    match = _AUTO_STAMP.match(path.name)
    if match:
        created = dt.datetime.strptime(match.group(1), "%Y%m%d-%H%M%S").replace(tzinfo=dt.UTC)
    else:
        created = dt.datetime.fromtimestamp(st.st_mtime, dt.UTC)
    return FoundBackup(path=path, created=created, vault_id=prefix.keyfile.vault_id,
                       size=st.st_size, automatic=match is not None)
