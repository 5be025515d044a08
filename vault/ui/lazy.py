"""``Lazy``: a callable named by its module and attribute, imported the first time it is called.

The registry of pages, case tabs and Home sections (``vault.ui.builtin_pages``) names its
factories this way, so the main window and its navigation rail exist before any page's module
(and the services and reports those import) is loaded: the unlock window shows without them.
``preload`` imports modules without Qt (the services) on a worker thread while the rep types
the passphrase (docs/performance.md, start-up).
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any, Generic, TypeVar

R = TypeVar("R")
log = logging.getLogger(__name__)


class Lazy(Generic[R]):
    """``Lazy("vault.ui.pages.home_page", "HomePage")(context)`` imports the module on the
    first call, then calls the attribute with the same arguments."""

    __slots__ = ("_target", "module", "name")

    def __init__(self, module: str, name: str) -> None:
        self.module = module
        self.name = name
        self._target: Callable[..., R] | None = None

    def resolve(self) -> Callable[..., R]:
        """The named callable (imported now if it was not yet).

        Raises:
            ImportError, AttributeError: the name is wrong (a test resolves every one).
        """
        if self._target is None:
            target = getattr(importlib.import_module(self.module), self.name)
            if not callable(target):
                raise TypeError(f"{self.module}.{self.name} is not callable")
            self._target = target
        return self._target

    def __call__(self, *args: Any, **kwargs: Any) -> R:
        return self.resolve()(*args, **kwargs)

    def __repr__(self) -> str:
        return f"Lazy({self.module}.{self.name})"


def preload(modules: Iterable[str]) -> threading.Thread:
    """Import ``modules`` on a daemon thread (Python's import lock keeps a module imported at
    the same moment by the GUI thread whole); an import that fails is left for the first real
    use to report."""

    names = list(modules)

    def run() -> None:
        for name in names:
            try:
                importlib.import_module(name)
            except Exception as exc:  # reported again where the module is first used
                log.warning("preloading a module failed: %s", type(exc).__name__)

    thread = threading.Thread(target=run, name="preload", daemon=True)
    thread.start()
    return thread
