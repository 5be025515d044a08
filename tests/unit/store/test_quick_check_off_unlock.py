"""The database quick check is off the unlock path: at open only after an unclean close, else
on a reader in the background (cancellable); the page cache is enlarged while unlocked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import STRONG
from vault.errors import Cancelled
from vault.session import VaultManager
from vault.store.db import CACHE_KIB


def test_clean_close_means_no_check_at_the_next_unlock(manager: VaultManager) -> None:
    s = manager.create(STRONG)
    s.members.add("Alex Example")
    s.lock()
    s2 = manager.unlock(STRONG)
    assert not s2.vault.db.unclean and s2.needs_background_check
    s2.quick_check(lambda: False)  # the background check: on this thread's reader
    assert not s2.needs_background_check
    s2.lock()


def test_a_left_over_write_ahead_log_makes_unlock_check_first(manager: VaultManager,
                                                             tmp_path: Path) -> None:
    s = manager.create(STRONG)
    s.members.add("Alex Example")
    root = s.root
    crashed = tmp_path / "crashed"
    crashed.mkdir(mode=0o700)
    for path in root.iterdir():  # a copy taken while open: what a crash leaves on disk
        if path.is_file():
            shutil.copy2(path, crashed / path.name)
    s.lock()
    assert (crashed / "vault.db-wal").stat().st_size > 0
    copy = VaultManager(root=crashed, clock=manager.clock, kdf_params=manager.kdf_params,
                        enforce_strength=False)
    s2 = copy.unlock(STRONG)
    try:
        assert s2.vault.db.unclean and s2.vault.db.checked
        assert not s2.needs_background_check
        assert [m.member.name for m in s2.members.list()] == ["Alex Example"]
    finally:
        s2.lock()


def test_the_background_check_stops_when_cancelled(manager: VaultManager) -> None:
    s = manager.create(STRONG)
    for i in range(30):
        s.members.add(f"Member Number{i}")
    with pytest.raises(Cancelled):
        s.quick_check(lambda: True)
    assert s.needs_background_check  # still to do
    s.members.add("Still Writable")  # the reader held nothing the writer needs
    s.lock()


def test_the_page_cache_is_enlarged_on_every_connection(manager: VaultManager) -> None:
    s = manager.create(STRONG)
    db = s.vault.db
    with db.lock:
        assert db.connection.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KIB
    with db.reading() as conn:
        assert conn.execute("PRAGMA cache_size").fetchone()[0] == -CACHE_KIB
    s.lock()
