"""pytest-qt probe run by ``bench_gui.py`` (never by the test suite): unlock, browse, lock.

Reads its setup from the environment (``BENCH_VAULT``, ``BENCH_PLAIN``, ``BENCH_PASSPHRASE``,
``BENCH_ROUNDS``, ``BENCH_OUT``) and writes raw samples as JSON; it asserts only that the app
did what was timed (every page emptied on lock, Home cards capped), never a duration.

Each round, interleaved with its peer:

- unlock (``VaultManager.unlock``: Argon2id, open the database, build the session), then the
  main window (``VaultController.open_session`` until the window is shown with Home filled);
  peer: stdlib sqlite3 SELECT of every case with its member from a plain copy, shown in a
  ``QTableView`` over a minimal model;
- the Cases page shown, and scrolled to the bottom (lazy fetching);
- the case page of the case with most trail entries, to a usable first screen (since issue 12
  the Paper trail tab reads one window of the trail: the newest ``WINDOW_GROUPS`` groups);
  peer: plain SELECT of the rows the page reads (that many trail rows, newest first, and the
  case's parties, first meeting, documents and follow-ups);
- lock (``VaultController.lock``) until every page is gone.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView

from vault.clock import SystemClock
from vault.crypto import kdf
from vault.session import VaultManager
from vault.settings import SettingsStore
from vault.ui.vault_controller import VaultController

_PEER_CASES = ("SELECT c.ref, m.name, c.title, c.category, c.status, c.opened, c.last_activity"
               " FROM cases c JOIN members m ON m.id = c.member_id")


class _PeerModel(QAbstractTableModel):
    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Any = QModelIndex()) -> int:  # noqa: B008
        return 7

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self.rows[index.row()][index.column()])
        return None


def _settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def _wait_for(done: Any, timeout: float = 120.0) -> None:
    """Spin the event loop until ``done()`` (a background read reported back)."""
    deadline = time.perf_counter() + timeout
    while not done():
        assert time.perf_counter() < deadline, "a page did not load"
        QApplication.processEvents()
        time.sleep(0.001)


class _PauseMeter:
    """The longest gap between GUI-thread timer ticks (1 ms timer): how long the window froze."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self._last)
        self._last = now

    def start(self) -> None:
        self.longest = 0.0
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> float:
        self._timer.stop()
        return self.longest


def test_probe_unlock_browse_lock(qtbot, qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    vault_dir = Path(os.environ["BENCH_VAULT"])
    plain = os.environ["BENCH_PLAIN"]
    passphrase = os.environ["BENCH_PASSPHRASE"]
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    samples: dict[str, list[float]] = {k: [] for k in (
        "unlock", "window", "home_filled", "peer_window", "cases_page", "scroll", "case_page",
        "case_page_peer", "lock", "kdf", "gui_pause")}
    facts: dict[str, Any] = {}
    manager = VaultManager(root=vault_dir, clock=SystemClock())
    controller = VaultController(qapp, manager,
                                 settings_store=SettingsStore(tmp_path / "settings.json"))
    peer_db = sqlite3.connect(plain)
    try:
        for i in range(rounds):
            order = ("ours", "peer") if i % 2 == 0 else ("peer", "ours")
            for who in order:
                if who == "ours":
                    _ours(controller, manager, passphrase, samples, facts)
                else:
                    _peer(peer_db, samples, facts)
        params = controller.manager.paths.keys  # the KDF alone, at the vault's parameters
        from vault.crypto import keyfile

        slot = keyfile.KeyFile.load(params).slots[0]
        assert slot.params is not None
        for _ in range(rounds):
            t = time.perf_counter()
            kdf.derive_key(passphrase, b"s" * 16, slot.params).wipe()
            samples["kdf"].append(time.perf_counter() - t)
        facts["kdf_params"] = slot.params.to_dict()
    finally:
        peer_db.close()
        controller.shutdown()
        controller.main_window.close()
        controller.main_window.deleteLater()
    Path(os.environ["BENCH_OUT"]).write_text(json.dumps({"samples": samples, "facts": facts}))


def _ours(controller: VaultController, manager: VaultManager, passphrase: str,
          samples: dict[str, list[float]], facts: dict[str, Any]) -> None:
    window = controller.main_window
    t0 = time.perf_counter()
    session = manager.unlock(passphrase)
    t1 = time.perf_counter()
    controller.open_session(session)
    _settle()
    t2 = time.perf_counter()
    assert window.isVisible() and window.current_page_key() == "home"
    home = window.pages["home"]
    meter = _PauseMeter()
    meter.start()  # the window is up: from here, how long does the GUI thread freeze?
    _wait_for(lambda: home.is_loaded)  # type: ignore[attr-defined]
    t3 = time.perf_counter()
    samples["unlock"].append(t1 - t0)
    samples["window"].append(t2 - t1)
    samples["home_filled"].append(t3 - t1)
    facts["home_buttons_max"] = max(len(c.buttons) for c in home.cards)  # type: ignore[attr-defined]
    facts["home_items_max"] = max(len(c.items) for c in home.cards)  # type: ignore[attr-defined]

    t = time.perf_counter()
    window.show_page("cases")
    cases = window.pages["cases"]
    _wait_for(lambda: cases.is_loaded)  # type: ignore[attr-defined]
    _settle()
    samples["cases_page"].append(time.perf_counter() - t)
    samples["gui_pause"].append(meter.stop())
    table = cases.table  # type: ignore[attr-defined]
    facts["cases_rows_fetched_at_first"] = table.model().rowCount()
    t = time.perf_counter()
    table.scrollToBottom()
    _settle()
    samples["scroll"].append(time.perf_counter() - t)

    ref, entries = _busiest_case(session)
    facts["busiest_case_entries"] = entries
    t = time.perf_counter()
    window.open_case(ref)
    _settle()
    samples["case_page"].append(time.perf_counter() - t)

    window.show_page("home")  # unlock returns to where the rep was: each round starts at Home
    _settle()
    t = time.perf_counter()
    controller.lock()
    _settle()
    samples["lock"].append(time.perf_counter() - t)
    assert controller.session is None and not window.pages and window.case_page is None
    assert not window.isVisible()
    if controller.unlock_window is not None:
        controller.unlock_window.hide()


def _busiest_case(session: Any) -> tuple[str, int]:
    with session.vault.db.lock:
        row = session.vault.db.connection.execute(
            "SELECT c.ref, count(*) FROM trail t JOIN cases c ON c.id = t.case_id"
            " GROUP BY t.case_id ORDER BY count(*) DESC LIMIT 1").fetchone()
    return str(row[0]), int(row[1])


def _window_rows(db: sqlite3.Connection, case_id: str) -> int:
    """The rows of the first window: WINDOW_GROUPS roots and the corrections under them."""
    from vault.trail.window import WINDOW_GROUPS

    roots = [r[0] for r in db.execute(
        "SELECT t.seq FROM trail t WHERE t.case_id = ? AND NOT EXISTS (SELECT 1 FROM"
        " trail_links l WHERE l.seq = t.seq AND l.rel = 'corrects') ORDER BY t.seq DESC"
        " LIMIT ?", (case_id, WINDOW_GROUPS)).fetchall()]
    corrections = db.execute(
        "WITH RECURSIVE chain(seq) AS (SELECT value FROM json_each(?) UNION ALL"
        " SELECT l.seq FROM chain JOIN trail_links l ON l.rel = 'corrects'"
        " AND l.target = chain.seq) SELECT count(*) FROM chain", (json.dumps(roots),)
    ).fetchone()[0]
    return int(corrections)


def _peer(db: sqlite3.Connection, samples: dict[str, list[float]], facts: dict[str, Any]) -> None:
    t = time.perf_counter()
    rows = db.execute(_PEER_CASES).fetchall()
    model = _PeerModel(rows)
    view = QTableView()
    view.setModel(model)
    view.resize(1180, 760)
    view.show()
    _settle()
    samples["peer_window"].append(time.perf_counter() - t)
    facts["peer_rows"] = len(rows)
    view.close()
    view.deleteLater()
    if "peer_case_id" not in facts:  # found once, outside the timing
        facts["peer_case_id"] = db.execute(
            "SELECT case_id FROM trail WHERE case_id IS NOT NULL GROUP BY case_id"
            " ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()[0]
    case_id = facts["peer_case_id"]
    if "peer_window_rows" not in facts:  # as many rows as the page's first window holds
        facts["peer_window_rows"] = _window_rows(db, case_id)
    t = time.perf_counter()
    db.execute("SELECT * FROM trail WHERE case_id = ? ORDER BY seq DESC LIMIT ?",
               (case_id, facts["peer_window_rows"])).fetchall()
    db.execute("SELECT * FROM parties WHERE case_id = ?", (case_id,)).fetchall()
    db.execute("SELECT * FROM followups WHERE case_id = ?", (case_id,)).fetchall()
    db.execute("SELECT * FROM first_meetings WHERE case_id = ?", (case_id,)).fetchall()
    db.execute("SELECT * FROM documents WHERE case_id = ?", (case_id,)).fetchall()
    samples["case_page_peer"].append(time.perf_counter() - t)
