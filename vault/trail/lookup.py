"""Finding the case a command names, once, at the edge of every service call."""

from __future__ import annotations

from vault.domain import Case, CaseStatus
from vault.errors import RefusedAction
from vault.store.unit_of_work import Tx


def normalise_ref(ref: str) -> str:
    """A case reference as typed (``c-2026-0007 ``) in its stored form (``C-2026-0007``).

    Case ids (32 hex characters) are passed through in lower case.
    """
    text = ref.strip()
    if len(text) == 32 and all(ch in "0123456789abcdefABCDEF" for ch in text):
        return text.lower()
    return text.upper()


def load_case(tx: Tx, ref: str | Case, *, for_change: bool = True) -> Case:
    """The case with reference (or id) ``ref``, read inside ``tx``.

    Raises:
        NotFound: no such case.
        RefusedAction: ``for_change`` and the case has been destroyed.
    """
    key = ref.id if isinstance(ref, Case) else ref.strip()
    case = tx.cases.get(key)
    if for_change and case.status is CaseStatus.DESTROYED:
        raise RefusedAction(f"Case {case.ref} has been destroyed.")
    return case
