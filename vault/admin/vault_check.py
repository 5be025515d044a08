"""``verify``: the whole-vault check — database pages, schema, the trail chain against the heads
recorded outside the database (the key file's anchor and the head log), every document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from vault.casework.documents import DocumentCheck, DocumentService
from vault.errors import IntegrityError
from vault.store.db import Database
from vault.store.trail_store import ChainReport
from vault.trail.service import PaperTrail


@dataclass(frozen=True)
class VaultCheckReport:
    database_problems: list[str]
    cipher_problems: list[str]
    trail: ChainReport
    documents: list[DocumentCheck] = field(default_factory=list)
    recorded_heads: int = 0
    missing_heads: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.database_problems
            and not self.cipher_problems
            and self.trail.ok
            and not self.missing_heads
            and all(d.ok for d in self.documents)
        )

    @property
    def damaged_documents(self) -> list[DocumentCheck]:
        return [d for d in self.documents if not d.ok]


def check_vault(
    db: Database,
    trail: PaperTrail,
    documents: DocumentService,
    recorded_heads: list[tuple[int, str]],
    mac_at: Callable[[int], str | None],
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> VaultCheckReport:
    """Run every check and return what was found; never raises for damage it can report.

    ``recorded_heads`` are ``(seq, mac)`` pairs written outside the database; an entry the
    trail no longer has (or has with another MAC) is listed in ``missing_heads``.
    """
    try:
        db_problems = db.integrity_check()
    except IntegrityError as exc:
        db_problems = [str(exc)]
    cipher_problems = db.cipher_integrity_check()
    chain = trail.verify()
    missing = sorted({seq for seq, mac in recorded_heads if seq and mac_at(seq) != mac})
    docs = documents.verify_all(progress=progress, cancelled=cancelled)
    return VaultCheckReport(db_problems, cipher_problems, chain, docs,
                            len({s for s, _ in recorded_heads}), missing)
