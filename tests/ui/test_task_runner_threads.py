"""The task runner's pool threads never free what a job holds: the GUI thread does.

A job's closure often holds a page or a dialog. If a pool thread dropped the last reference,
the Qt object would be destroyed on the wrong thread, which corrupts memory (a crash much later,
in the collector or the event loop). These tests fail if the worker frees the job, its result or
the frames of an exception it raised.
"""

from __future__ import annotations

import gc
import threading

from vault.errors import VaultError
from vault.ui.task_runner import TaskRunner


class _Witness:
    """Records the thread it is freed on."""

    def __init__(self, freed_on: list[str]) -> None:
        self._freed_on = freed_on

    def __del__(self) -> None:
        self._freed_on.append(threading.current_thread().name)


def _settle(qtbot, runner: TaskRunner) -> None:  # type: ignore[no-untyped-def]
    assert runner.wait(10_000)
    qtbot.wait(50)  # deferred deletes and queued relays
    gc.collect()
    qtbot.wait(10)


def test_a_finished_jobs_closure_is_freed_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    freed_on: list[str] = []
    results: list[object] = []

    def start() -> None:
        witness = _Witness(freed_on)

        def job(_control):  # type: ignore[no-untyped-def]
            return id(witness)

        task = runner.start("witness", job)
        task.signals.finished.connect(results.append)

    start()
    qtbot.waitUntil(lambda: bool(results), timeout=10_000)
    _settle(qtbot, runner)
    assert freed_on == [threading.main_thread().name]


def test_a_failed_jobs_frames_are_not_carried_to_the_gui(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    freed_on: list[str] = []
    errors: list[object] = []

    def job(_control):  # type: ignore[no-untyped-def]
        local = _Witness(freed_on)  # noqa: F841 - lives in the frame the traceback holds
        try:
            raise KeyError("inner")
        except KeyError as exc:
            raise VaultError("the job failed") from exc

    runner.start("fails", job).signals.failed.connect(errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    error = errors[0]
    assert isinstance(error, VaultError)
    assert error.__traceback__ is None
    assert error.__cause__ is not None and error.__cause__.__traceback__ is None
    _settle(qtbot, runner)
    assert len(freed_on) == 1  # the frame local went with the worker's frame, not the error


def test_a_result_is_freed_on_the_gui_thread(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner()
    freed_on: list[str] = []
    got: list[bool] = []

    def job(_control):  # type: ignore[no-untyped-def]
        return _Witness(freed_on)

    runner.start("result", job).signals.finished.connect(
        lambda result: got.append(isinstance(result, _Witness)))
    qtbot.waitUntil(lambda: bool(got), timeout=10_000)
    _settle(qtbot, runner)
    assert got == [True]
    assert freed_on == [threading.main_thread().name]
