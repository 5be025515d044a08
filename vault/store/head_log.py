"""A log of paper-trail heads kept outside the vault folder (issue 8, finding 5).

Each unlock and lock appends the head ``(seq, mac)`` to ``<config dir>/heads/<vault id>.log``.
Copying an older vault folder back (keys file and database together) cannot rewind this file,
so ``unlock`` and ``verify`` still notice that entries the log saw are gone. It holds entry
numbers and MACs only — nothing about any member — and keeps the newest ``KEEP`` lines.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from pathlib import Path

log = logging.getLogger(__name__)

KEEP = 200
_LINE = re.compile(r"^(\d{1,18}) ([0-9a-f]{64})$")
_VAULT_ID = re.compile(r"^[0-9a-f]{32}$")


class HeadLog:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, vault_id: str) -> Path:
        if not _VAULT_ID.fullmatch(vault_id):
            raise ValueError("vault id")
        return self.folder / f"{vault_id}.log"

    def heads(self, vault_id: str) -> list[tuple[int, str]]:
        """Every recorded head (oldest first); unreadable lines are skipped."""
        try:
            text = self._file(vault_id).read_text("ascii", errors="replace")
        except OSError:
            return []
        out: list[tuple[int, str]] = []
        for line in text.splitlines():
            match = _LINE.match(line.strip())
            if match:
                out.append((int(match.group(1)), match.group(2)))
        return out

    def append(self, vault_id: str, seq: int, mac: str) -> None:
        """Record a head (skipped when it is already the last line, or the trail is empty)."""
        if seq == 0 or not mac:
            return
        heads = self.heads(vault_id)
        if heads and heads[-1] == (seq, mac):
            return
        heads = [*heads, (seq, mac)][-KEEP:]
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            target = self._file(vault_id)
            tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0),
                         0o600)
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.writelines(f"{s} {m}\n" for s, m in heads)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            log.warning("head log not written: %s", type(exc).__name__)

    def restart(self, vault_id: str, seq: int, mac: str) -> None:
        """After a deliberate restore: keep only the heads the restored trail holds (up to
        ``(seq, mac)``), so the restored vault is not refused as a rollback. The restore is
        itself recorded in the restored vault's paper trail at its first unlock."""
        kept = [(s, m) for s, m in self.heads(vault_id) if s < seq]
        target = self._file(vault_id)
        with contextlib.suppress(OSError):
            target.unlink()
        for s, m in kept:
            self.append(vault_id, s, m)
        self.append(vault_id, seq, mac)
