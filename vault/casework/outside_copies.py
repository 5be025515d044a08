"""Copies known to exist outside the vault: one way to record them in the paper trail.

``doc get`` (a decrypted document saved out) and every export (an encrypted bundle, a subject
access export) record their copy here, with the same payload shape, so the destruction
certificate can list every copy of a case from the trail alone (kinds ``document-exported``
and ``case-exported``). The payload is encrypted with the case key like any entry; it holds
what was copied, for whom, when, and — for a bundle — the archive's SHA-256 and member count.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from vault.domain import Case
from vault.store.unit_of_work import Tx
from vault.trail.kinds import TrailEvent
from vault.trail.service import PaperTrail

log = logging.getLogger(__name__)

KINDS = (TrailEvent.DOCUMENT_EXPORTED.value, TrailEvent.CASE_EXPORTED.value,
         TrailEvent.SUBJECT_ACCESS_EXPORT.value)


@dataclass(frozen=True)
class OutsideCopy:
    """One copy outside the vault.

    ``what`` is ``decrypted-document``, ``case-bundle`` or ``subject-access-bundle``;
    ``for_whom`` who it was made for, in the rep's words or the product's ("the member",
    an address); ``document_ids`` the documents it holds; ``sha256`` and ``members`` describe
    an archive (None for a single decrypted file).
    """

    what: str
    summary: str
    for_whom: str = ""
    document_ids: tuple[str, ...] = ()
    sha256: str | None = None
    members: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        copy: dict[str, Any] = {"what": self.what, "for": self.for_whom,
                                "documents": list(self.document_ids)}
        if self.sha256 is not None:
            copy["sha256"] = self.sha256
        if self.members is not None:
            copy["members"] = self.members
        copy.update(self.extra)
        out: dict[str, Any] = {"summary": self.summary, "copy": copy}
        if len(self.document_ids) == 1:
            out["document_id"] = self.document_ids[0]  # the key doc get always wrote
        return out


def record_outside_copy(trail: PaperTrail, tx: Tx, case: Case | None, kind: TrailEvent,
                        copy: OutsideCopy) -> int:
    """Append the entry for ``copy`` inside the caller's write transaction; returns its seq."""
    if kind.value not in KINDS:
        raise ValueError("not a kind of copy outside the vault")
    seq = trail.record(tx, kind=kind.value, case=case, payload=copy.payload())
    log.info("copy outside the vault recorded (%s, entry %d)", copy.what, seq)
    return seq
