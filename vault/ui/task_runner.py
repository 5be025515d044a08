"""Long work off the GUI thread: a QRunnable runs a plain job and reports through queued signals.

The job is ordinary Python calling a service (key derivation, import, verify, passphrase
change). It gets a ``TaskControl`` whose ``progress`` is a plain callback and whose
``is_cancelled`` reads a ``threading.Event``, so the core never sees Qt. A job succeeds by
returning; it fails by raising. ``VaultError`` reaches the page as is (its message is
user-safe); anything else is logged by type only and reported as a generic ``VaultError``.

Results travel worker → ``_WorkerBridge`` (queued) → ``Task`` relay (GUI thread) → the public
``TaskSignals``. Locking calls ``TaskRunner.shutdown()``, which cancels, waits and *discards*
every task, so a result still queued when the vault locks never reaches a page.

References: the worker thread never drops the last reference to anything. The ``Task`` (GUI
thread) holds the job and its bridge too; the worker lets go of its own references and strips
the traceback off an exception before it sets ``ended``, and the task is deleted only after
that. So a closure that holds a page or a dialog is freed on the GUI thread, never on a pool
thread (a Qt object destroyed on the wrong thread corrupts memory).
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot

from vault.errors import Cancelled, VaultError

log = logging.getLogger(__name__)


class TaskControl:
    """What a job sees: a progress callback and a cancel flag (no Qt)."""

    def __init__(self, bridge: _WorkerBridge, cancel_event: threading.Event) -> None:
        self._bridge = bridge
        self.cancel_event = cancel_event

    def progress(self, value: Any) -> None:
        """Report progress (an int, or a ``(done, total)`` tuple); safe from any thread."""
        self._bridge.progress.emit(value)

    def is_cancelled(self) -> bool:
        return self.cancel_event.is_set()

    def check_cancelled(self) -> None:
        """Raise ``Cancelled`` if the rep pressed Cancel."""
        if self.cancel_event.is_set():
            raise Cancelled()


Job = Callable[[TaskControl], Any]


class TaskSignals(QObject):
    """Public signals of one task, always emitted on the GUI thread."""

    progress = Signal(object)
    finished = Signal(object)   # the job's return value
    failed = Signal(object)     # a VaultError (``Cancelled`` when the rep cancelled)
    done = Signal()             # after finished or failed


class _WorkerBridge(QObject):
    """Signals emitted from the worker thread; connected queued to the task's relay.

    Tests may connect to ``progress`` with a blocking queued connection to pause the worker
    at a known point (e.g. to press Cancel deterministically).
    """

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)


class Task(QObject):
    """One piece of long work: its signals, its cancel flag, and whether it is still running.

    ``abandon_on_shutdown``: a read-only job whose result only fills a view (Home's cards).
    ``TaskRunner.shutdown`` cancels it but does not wait for it: the database's close waits
    for a read it has open, and its next read raises ``VaultLocked``. Jobs that write must
    never set it.
    """

    def __init__(self, task_id: int, name: str, parent: QObject | None = None, *,
                 abandon_on_shutdown: bool = False) -> None:
        super().__init__(parent)
        self.task_id = task_id
        self.name = name
        self.abandon_on_shutdown = abandon_on_shutdown
        self.cancel_event = threading.Event()
        self.ended = threading.Event()  # set by the worker when the job has returned
        self.signals = TaskSignals(self)
        self.bridge = _WorkerBridge(self)
        self.running = True
        self.job: Job | None = None  # held here so the GUI thread frees it (see the module doc)
        self._discarded = False
        queued = Qt.ConnectionType.QueuedConnection
        self.bridge.progress.connect(self._relay_progress, queued)
        self.bridge.finished.connect(self._relay_finished, queued)
        self.bridge.failed.connect(self._relay_failed, queued)

    def cancel(self) -> None:
        """Ask the job to stop at its next check; it then fails with ``Cancelled``."""
        self.cancel_event.set()

    def discard(self) -> None:
        """Swallow anything the worker still reports (used on lock)."""
        self._discarded = True
        self.cancel_event.set()

    @Slot(object)
    def _relay_progress(self, value: Any) -> None:
        if not self._discarded:
            self.signals.progress.emit(value)

    @Slot(object)
    def _relay_finished(self, result: Any) -> None:
        self.running = False
        if not self._discarded:
            self.signals.finished.emit(result)
            self.signals.done.emit()

    @Slot(object)
    def _relay_failed(self, error: Any) -> None:
        self.running = False
        if not self._discarded:
            self.signals.failed.emit(error)
            self.signals.done.emit()


def _bare(exc: BaseException) -> BaseException:
    """``exc`` with no traceback on it or on its causes: the frames stay on the worker."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        link = todo.pop()
        if link is None or id(link) in seen:
            continue
        seen.add(id(link))
        link.__traceback__ = None
        todo += [link.__cause__, link.__context__]
    return exc


class _Runnable(QRunnable):
    """Runs one job on a pool thread. Everything it holds is also held by its ``Task``, and it
    lets go of all of it before ``ended`` is set (see the module doc)."""

    def __init__(self, name: str, job: Job, bridge: _WorkerBridge,
                 cancel_event: threading.Event, ended: threading.Event) -> None:
        super().__init__()
        self._name = name
        self._job: Job | None = job
        self._bridge: _WorkerBridge | None = bridge
        self._control: TaskControl | None = TaskControl(bridge, cancel_event)
        self._ended = ended

    def run(self) -> None:
        try:
            self._run()
        finally:
            self._job = self._bridge = self._control = None
            self._ended.set()

    def _run(self) -> None:
        job, bridge, control = self._job, self._bridge, self._control
        assert job is not None and bridge is not None and control is not None
        try:
            result = job(control)
        except Cancelled as exc:
            log.info("task %s cancelled", self._name)
            bridge.failed.emit(_bare(exc))
        except VaultError as exc:
            log.info("task %s failed: %s", self._name, type(exc).__name__)
            bridge.failed.emit(_bare(exc))
        except Exception as exc:
            # Type only: an exception's text can carry member data.
            log.error("task %s crashed: %s", self._name, type(exc).__name__)
            bridge.failed.emit(VaultError("Something went wrong; nothing was changed."))
        else:
            bridge.finished.emit(result)
            del result


class TaskRunner(QObject):
    """Starts tasks on a thread pool and keeps them alive until they report back."""

    about_to_start = Signal(object)  # the Task, before its worker runs (a test hook)

    def __init__(self, pool: QThreadPool | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool(self)
        self._ids = itertools.count(1)
        self._tasks: dict[int, Task] = {}
        self._abandoned: list[Task] = []
        self._reaper = QTimer(self)
        self._reaper.setInterval(100)
        self._reaper.timeout.connect(self._reap_abandoned)

    @property
    def active(self) -> list[Task]:
        return [t for t in self._tasks.values() if t.running]

    def start(self, name: str, job: Job, *, abandon_on_shutdown: bool = False) -> Task:
        """Run ``job`` on the pool. ``name`` is for the log: never put member data in it.

        ``abandon_on_shutdown`` only for read-only jobs (see ``Task``)."""
        task = Task(next(self._ids), name, self, abandon_on_shutdown=abandon_on_shutdown)
        task.job = job
        self._tasks[task.task_id] = task
        task.signals.done.connect(self._forget_finished)
        self.about_to_start.emit(task)
        self._pool.start(_Runnable(name, job, task.bridge, task.cancel_event, task.ended))
        return task

    @Slot()
    def _forget_finished(self) -> None:
        for task_id, task in list(self._tasks.items()):
            # ``ended``: the worker no longer touches the task's bridge (deleting a QObject a
            # worker still emits on corrupts memory).
            if not task.running and task.ended.is_set():
                del self._tasks[task_id]
                task.deleteLater()

    @Slot()
    def _reap_abandoned(self) -> None:
        """Delete tasks abandoned at shutdown once their workers have returned."""
        still = []
        for task in self._abandoned:
            if task.ended.is_set():
                task.deleteLater()
            else:
                still.append(task)
        self._abandoned = still
        if not still:
            self._reaper.stop()

    def cancel_all(self) -> None:
        for task in self._tasks.values():
            task.cancel()

    def wait(self, timeout_ms: int = 30_000) -> bool:
        """Block until every worker returned (True) or the timeout passed (False)."""
        return bool(self._pool.waitForDone(timeout_ms))

    def shutdown(self, timeout_ms: int = 30_000) -> None:
        """Cancel and wait for every task (not those abandoned on shutdown), then discard
        whatever they still report."""
        self.cancel_all()
        deadline = time.monotonic() + timeout_ms / 1000
        for task in list(self._tasks.values()):
            if task.abandon_on_shutdown:
                continue
            if not task.ended.wait(max(0.0, deadline - time.monotonic())):
                log.warning("a background task did not stop in time")
                break
        for task in self._tasks.values():
            task.discard()
            if task.ended.is_set():
                task.deleteLater()
            else:  # abandoned, still running: deleted once its worker returns
                self._abandoned.append(task)
        self._tasks.clear()
        if self._abandoned:
            self._reaper.start()
