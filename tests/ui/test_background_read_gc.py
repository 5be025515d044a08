"""Whole-vault reads leave Python's cyclic collector alone.

A version of issue 12 paused the collector during every read and ``gc.freeze``-d the heap when
the last read ended (unfrozen at lock), to keep full collections off the GUI thread at 50,000
cases. CI then crashed twice in the collector itself (``gc.collect`` in test_qt_refcounts),
after Qt garbage cycles had lived frozen across many tests; the change was withdrawn (see
docs/performance.md). These tests fail if a read turns the collector off or freezes the heap
again.
"""

from __future__ import annotations

import gc

from tests.ui.helpers import loaded_page
from vault.ui.background_read import BackgroundRead
from vault.ui.task_runner import TaskRunner


def test_a_read_runs_with_the_collector_as_it_was_and_freezes_nothing(qtbot):
    assert gc.isenabled()
    frozen_before = gc.get_freeze_count()
    runner = TaskRunner()
    seen: dict[str, object] = {}

    def read(_control):  # type: ignore[no-untyped-def]
        seen["enabled_during"] = gc.isenabled()
        return [{"row": i} for i in range(20_000)]

    reader = BackgroundRead(runner, "test", read, lambda rows: seen.update(rows=rows))
    try:
        reader.start()
        qtbot.waitUntil(lambda: "rows" in seen)
        assert seen["enabled_during"] is True
        assert gc.isenabled()
        assert gc.get_freeze_count() == frozen_before
    finally:
        runner.shutdown()


def test_loading_a_page_and_locking_leave_nothing_frozen(unlocked, qtbot):
    window = unlocked.main_window
    window.show_page("cases")
    loaded_page(window, "cases")
    assert gc.get_freeze_count() == 0
    unlocked.lock()
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
