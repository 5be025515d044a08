"""Fault injection for the attack suite: make the N-th ``os.fsync``, ``os.replace`` or file
write raise ENOSPC or EIO, counting calls first so every call site is hit in turn."""

from __future__ import annotations

import builtins
import contextlib
import errno
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

SITES = ("fsync", "replace", "write")
ERRNOS = (errno.ENOSPC, errno.EIO)


class _FaultyFile:
    """A file object whose writes go through the plan (everything else passes through)."""

    def __init__(self, inner: Any, plan: FaultPlan) -> None:
        self._inner = inner
        self._plan = plan

    def write(self, data: Any) -> int:
        self._plan.hit("write")
        return int(self._inner.write(data))

    def __enter__(self) -> _FaultyFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class FaultPlan:
    """Counts calls per site; raises ``OSError(err)`` on call number ``fail_at`` of ``site``."""

    def __init__(self, site: str | None = None, fail_at: int = 0, err: int = errno.ENOSPC):
        self.site = site
        self.fail_at = fail_at
        self.err = err
        self.counts = dict.fromkeys(SITES, 0)
        self.fired = False

    def hit(self, site: str) -> None:
        self.counts[site] += 1
        if site == self.site and self.counts[site] == self.fail_at:
            self.fired = True
            raise OSError(self.err, os.strerror(self.err))


@contextlib.contextmanager
def injected(monkeypatch: pytest.MonkeyPatch, plan: FaultPlan) -> Iterator[FaultPlan]:
    real_fsync, real_replace = os.fsync, os.replace
    real_fdopen, real_open = os.fdopen, builtins.open

    def fsync(fd: int) -> None:
        plan.hit("fsync")
        real_fsync(fd)

    def replace(src: Any, dst: Any, **kw: Any) -> None:
        plan.hit("replace")
        real_replace(src, dst, **kw)

    def wrap(opener: Callable[..., Any]) -> Callable[..., Any]:
        def opened(file: Any, mode: str = "r", *args: Any, **kw: Any) -> Any:
            fh = opener(file, mode, *args, **kw)
            if any(flag in mode for flag in "wax+"):
                return _FaultyFile(fh, plan)
            return fh
        return opened

    with monkeypatch.context() as m:
        m.setattr(os, "fsync", fsync)
        m.setattr(os, "replace", replace)
        m.setattr(os, "fdopen", wrap(real_fdopen))
        m.setattr(builtins, "open", wrap(real_open))
        yield plan
