"""The names a restore over an existing vault leaves beside it while it works, so start-up can
see whether one was interrupted without importing the backup reader."""

from __future__ import annotations

from pathlib import Path

STAGING_PREFIX = ".restore-"
READY_MARKER = ".restore-ready"  # in a staging folder: complete and checked


def restore_may_be_pending(target: Path) -> bool:
    """True when a restore over ``target`` may have been interrupted: a marker inside it, or a
    staging folder beside it (``vault.backup.reader.finish_interrupted_restore`` decides)."""
    return ((target / READY_MARKER).exists()
            or any(target.parent.glob(f"{STAGING_PREFIX}{target.name}-*")))
