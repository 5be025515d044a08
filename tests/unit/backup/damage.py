"""Damaging a real vault's database the way a bad disk sector does: bytes overwritten in the
middle of a page, so SQLCipher's per-page HMAC fails when that page is read."""

from __future__ import annotations

import os
from pathlib import Path

PAGE = 4096  # SQLCipher 4's default page size


def page_count(db: Path) -> int:
    return db.stat().st_size // PAGE


def corrupt_page(db: Path, page: int, *, length: int = 256) -> None:
    """Overwrite ``length`` bytes in the middle of 1-based ``page`` with random bytes."""
    assert 1 <= page <= page_count(db), (page, page_count(db))
    with open(db, "r+b") as fh:
        fh.seek((page - 1) * PAGE + PAGE // 2 - length // 2)
        fh.write(os.urandom(length))
        fh.flush()
        os.fsync(fh.fileno())


def root_pages(session) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Each table's root page (read while the vault is still intact)."""
    rows = session.vault.db.query("SELECT name, rootpage FROM sqlite_master WHERE type='table'")
    return {str(r[0]): int(r[1]) for r in rows}
