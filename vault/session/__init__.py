"""A session: every service of one unlocked vault, and the manager that opens it.

``VaultManager`` (``vault.session.manager``; created once by the composition root,
``vault.app``) creates and unlocks vaults and hands out ``Session``s
(``vault.session.services``). The GUI and the CLI both hold a ``Session`` while the vault is
unlocked and drop it on lock.

``Session`` is loaded on first use (PEP 562 ``__getattr__``): importing it imports every
service, which is most of the app's import time, and the unlock window must not wait for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from vault.session.manager import QUICK_UNLOCK_TIMEOUT_SECONDS, VaultManager, builtin_profiles

if TYPE_CHECKING:
    from vault.session.services import Session, UowTrainingStore

__all__ = ["QUICK_UNLOCK_TIMEOUT_SECONDS", "Session", "UowTrainingStore", "VaultManager",
           "builtin_profiles"]

_LAZY = ("Session", "UowTrainingStore")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from vault.session import services

        return getattr(services, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
