"""A page's read of the whole vault, off the GUI thread (issue 12).

Listing every case, member or follow-up grows with the vault; a page asks for it here and is
called back on the GUI thread with the result. One read per page at a time: a newer request
discards the older one's result, and ``cancel`` (on lock, on clear) discards what is in flight.
The read is started with ``abandon_on_shutdown``: a lock cancels it without waiting (the
database close waits for a read it has open, and its next read raises ``VaultLocked``), so the
read must only read.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from vault.errors import VaultError
from vault.ui.task_runner import Task, TaskControl, TaskRunner

log = logging.getLogger(__name__)

T = TypeVar("T")


class BackgroundRead(Generic[T]):
    """Runs ``read`` on a worker and hands its result to ``show`` on the GUI thread."""

    def __init__(self, tasks: TaskRunner, name: str, read: Callable[[TaskControl], T],
                 show: Callable[[T], None], failed: Callable[[], None] | None = None) -> None:
        self._tasks = tasks
        self._name = name  # for the log only: never member data
        self._read = read
        self._show = show
        self._failed = failed
        self._task: Task | None = None
        self.done_once = False

    @property
    def loading(self) -> bool:
        return self._task is not None

    def start(self) -> None:
        """(Re)start the read; the result of one still running is discarded."""
        self.cancel()
        task = self._tasks.start(self._name, self._read, abandon_on_shutdown=True)
        self._task = task
        task.signals.finished.connect(lambda result, t=task: self._finished(t, result))
        task.signals.failed.connect(lambda error, t=task: self._failure(t, error))

    def cancel(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.discard()

    def _finished(self, task: Task, result: Any) -> None:
        if task is not self._task:
            return
        self._task = None
        self.done_once = True
        self._show(result)

    def _failure(self, task: Task, error: VaultError) -> None:
        if task is not self._task:
            return
        self._task = None
        self.done_once = True
        log.info("%s read failed: %s", self._name, type(error).__name__)
        if self._failed is not None:
            self._failed()
