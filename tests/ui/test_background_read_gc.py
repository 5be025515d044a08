"""The cyclic collector and whole-vault reads (issue 12): a full collection started by a worker
holds the interpreter lock, and at 50,000 cases froze the GUI thread for 50-160 ms. While a
read runs the collector waits; when reads end what they made is frozen out of later passes;
lock hands it back."""

from __future__ import annotations

import gc

from tests.ui.helpers import loaded_page
from vault.ui.background_read import BackgroundRead
from vault.ui.task_runner import TaskRunner


def test_the_collector_waits_during_a_read_and_resumes_after_with_its_rows_frozen(qtbot):
    gc.unfreeze()
    assert gc.isenabled()
    runner = TaskRunner()
    seen: dict[str, object] = {}

    def read(_control):  # type: ignore[no-untyped-def]
        seen["enabled_during"] = gc.isenabled()
        return [{"row": i} for i in range(20_000)]

    reader = BackgroundRead(runner, "test", read, lambda rows: seen.update(rows=rows))
    reader.start()
    qtbot.waitUntil(lambda: "rows" in seen)
    assert seen["enabled_during"] is False
    assert gc.isenabled()  # back on once the last read ended
    assert gc.get_freeze_count() >= 20_000  # the rows (and what existed) are out of later passes
    runner.shutdown()
    gc.unfreeze()


def test_a_collector_turned_off_by_someone_else_stays_off(qtbot):
    runner = TaskRunner()
    done: list[object] = []
    gc.disable()
    try:
        reader = BackgroundRead(runner, "test", lambda _c: 1, done.append)
        reader.start()
        qtbot.waitUntil(lambda: bool(done))
        assert not gc.isenabled()
    finally:
        gc.enable()
        gc.unfreeze()
        runner.shutdown()


def test_lock_hands_the_frozen_rows_back_to_the_collector(unlocked, qtbot):
    window = unlocked.main_window
    window.show_page("cases")
    loaded_page(window, "cases")
    assert gc.get_freeze_count() > 0
    unlocked.lock()
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
