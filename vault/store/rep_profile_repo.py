"""The one ``rep_profile`` row: the rep's own name and contact details, inside the vault."""

from __future__ import annotations

from dataclasses import dataclass

import sqlcipher3


@dataclass(frozen=True)
class RepProfile:
    """Used by follow-up notes, PDFs and email drafts. Every field may be empty."""

    name: str | None = None
    role: str | None = None
    branch: str | None = None
    email: str | None = None
    phone: str | None = None
    signature: str | None = None


class RepProfileRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def load(self) -> RepProfile:
        row = self._conn.execute("SELECT * FROM rep_profile WHERE id = 1").fetchone()
        if row is None:
            return RepProfile()
        return RepProfile(row["name"], row["role"], row["branch"], row["email"], row["phone"],
                          row["signature"])

    def save(self, profile: RepProfile) -> None:
        self._conn.execute(
            "INSERT INTO rep_profile (id, name, role, branch, email, phone, signature)"
            " VALUES (1, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
            " role = excluded.role, branch = excluded.branch, email = excluded.email,"
            " phone = excluded.phone, signature = excluded.signature",
            (profile.name, profile.role, profile.branch, profile.email, profile.phone,
             profile.signature))
