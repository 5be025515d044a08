"""``verify``: the whole-vault check — database pages, schema, the trail chain, every document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from vault.casework.documents import DocumentCheck, DocumentService
from vault.casework.paper_trail import PaperTrail
from vault.errors import IntegrityError
from vault.store.trail_store import ChainReport
from vault.store.unlocked_vault import UnlockedVault


@dataclass(frozen=True)
class VaultCheckReport:
    database_problems: list[str]
    cipher_problems: list[str]
    trail: ChainReport
    documents: list[DocumentCheck] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            not self.database_problems
            and not self.cipher_problems
            and self.trail.ok
            and all(d.ok for d in self.documents)
        )

    @property
    def damaged_documents(self) -> list[DocumentCheck]:
        return [d for d in self.documents if not d.ok]


def check_vault(
    vault: UnlockedVault,
    trail: PaperTrail,
    documents: DocumentService,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> VaultCheckReport:
    """Run every check and return what was found; never raises for damage it can report."""
    db = vault.db
    try:
        db_problems = db.integrity_check()
    except IntegrityError as exc:
        db_problems = [str(exc)]
    cipher_problems = db.cipher_integrity_check()
    chain = trail.verify()
    docs = documents.verify_all(progress=progress, cancelled=cancelled)
    return VaultCheckReport(db_problems, cipher_problems, chain, docs)
