"""The intent journal: multi-step operations are recorded before they start, resumed after.

A service that does work in several steps (a document import, a case erase, a passphrase
re-key, an export, a restore) calls ``begin`` inside the transaction that starts it, records
progress with ``advance`` where a step must not run twice, and ``finish``es in the transaction
that ends it. If the process dies in between, the intent is still there at the next unlock:
the session registers one handler per kind (``register``), and ``resume`` hands every pending
intent to its handler once all the services exist. A handler either completes the work or rolls
it back, and finishes the intent. An intent of a kind nobody registered is left in place and
reported (never dropped), so a newer version can still complete it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vault.clock import Clock
from vault.errors import VaultError
from vault.store.intents_repo import Intent
from vault.store.unit_of_work import Tx, UnitOfWork

log = logging.getLogger(__name__)

Handler = Callable[[Intent], None]


@dataclass
class ResumeReport:
    """What ``resume`` did, by kind (counts only)."""

    resumed: dict[str, int] = field(default_factory=dict)
    failed: dict[str, int] = field(default_factory=dict)
    unknown: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.resumed.values())


class IntentJournal:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock
        self._handlers: dict[str, Handler] = {}

    def register(self, kind: str, handler: Handler) -> None:
        """The handler that resumes intents of ``kind`` at the next unlock."""
        self._handlers[kind] = handler

    def begin(self, tx: Tx, kind: str, *, case_id: str | None = None,
              file_id: str | None = None, data: dict[str, Any] | None = None) -> int:
        """Record an intent inside ``tx``; returns its id."""
        return tx.intents.add(kind, case_id=case_id, file_id=file_id, when=self._clock.now(),
                              data=data)

    @staticmethod
    def advance(tx: Tx, intent: int, data: dict[str, Any]) -> None:
        """Record how far the operation got (step names, ids — never member data)."""
        tx.intents.update_data(intent, data)

    @staticmethod
    def finish(tx: Tx, intent: int) -> None:
        tx.intents.remove(intent)

    def pending(self, kind: str | None = None) -> list[Intent]:
        with self._uow.read() as tx:
            return tx.intents.pending(kind)

    def resume(self) -> ResumeReport:
        """Hand every pending intent to its handler, oldest first.

        A handler that raises a ``VaultError`` leaves its intent for the next start (the error
        is logged by kind and id); the other intents still run.
        """
        report = ResumeReport()
        for intent in self.pending():
            handler = self._handlers.get(intent.kind)
            if handler is None:
                report.unknown[intent.kind] = report.unknown.get(intent.kind, 0) + 1
                log.warning("intent %d of unknown kind %s left in place", intent.id, intent.kind)
                continue
            try:
                handler(intent)
            except (VaultError, OSError) as exc:
                report.failed[intent.kind] = report.failed.get(intent.kind, 0) + 1
                log.warning("intent %d (%s) not resumed: %s", intent.id, intent.kind,
                            type(exc).__name__)
                continue
            report.resumed[intent.kind] = report.resumed.get(intent.kind, 0) + 1
            log.info("intent %d (%s) resumed", intent.id, intent.kind)
        return report
