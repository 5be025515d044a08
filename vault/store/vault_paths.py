"""Where the files of one vault folder are (DESIGN.md §5). No I/O beyond ``exists``: the
unlock window asks whether a vault is there before anything heavier is imported."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class VaultPaths:
    """The files of one vault folder (DESIGN.md §5)."""

    root: Path

    @property
    def keys(self) -> Path:
        return self.root / "vault.keys"

    @property
    def db(self) -> Path:
        return self.root / "vault.db"

    @property
    def documents(self) -> Path:
        return self.root / "documents"

    @property
    def external_tmp(self) -> Path:
        """Private folder for documents the rep chose to open in another program."""
        return self.root / "external-open"

    def exists(self) -> bool:
        return self.keys.exists()
