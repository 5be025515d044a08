"""Locking while another thread reads (Home's cards are read on a worker that the GUI does
not wait for): the close waits for the open read, and every read after it is refused."""

from __future__ import annotations

import threading
import time

import pytest

from tests.conftest import STRONG
from vault.errors import VaultLocked
from vault.session import VaultManager


def test_close_waits_for_an_open_read_and_later_reads_are_refused(
        manager: VaultManager) -> None:
    s = manager.create(STRONG)
    s.members.add("Alex Example")
    db = s.vault.db
    inside = threading.Event()
    finished: list[str] = []

    def reader() -> None:
        with db.reading() as conn:
            inside.set()
            time.sleep(0.3)  # still reading when the lock comes
            finished.append(conn.execute("SELECT count(*) FROM members").fetchone()[0] and "ok")

    worker = threading.Thread(target=reader)
    worker.start()
    assert inside.wait(5)
    t = time.perf_counter()
    s.lock()
    waited = time.perf_counter() - t
    worker.join(5)
    assert finished == ["ok"], "the connection was closed under an open read"
    assert waited >= 0.15  # the close waited for it
    with pytest.raises(VaultLocked), db.reading():
        pass


LONG_QUERY = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
              " WHERE i < 500000000) SELECT count(*) FROM n")


def test_a_long_read_is_interrupted_by_the_lock_and_ends_as_vault_locked(
        manager: VaultManager) -> None:
    s = manager.create(STRONG)
    uow = s.vault.uow
    started = threading.Event()
    outcome: list[BaseException] = []

    def reader() -> None:
        try:
            with uow.read() as tx:
                started.set()
                tx.members.count()
                s.vault.db.reader().execute(LONG_QUERY).fetchone()  # minutes, uninterrupted
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=reader)
    worker.start()
    assert started.wait(5)
    time.sleep(0.2)  # inside the long query now
    t = time.perf_counter()
    s.lock()
    took = time.perf_counter() - t
    worker.join(10)
    assert not worker.is_alive()
    assert took < 2.0, f"the lock waited {took:.1f} s for a read"
    assert len(outcome) == 1 and isinstance(outcome[0], VaultLocked)
