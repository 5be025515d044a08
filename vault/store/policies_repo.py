"""Rows of ``policies`` and ``case_policies``: the employer's policy library and case links."""

from __future__ import annotations

import builtins
import datetime as dt
from dataclasses import dataclass

import sqlcipher3

from vault.errors import NotFound


@dataclass(frozen=True)
class Policy:
    id: str
    title: str
    employer: str | None
    version: str | None
    media_type: str
    size: int
    cipher_size: int
    sha256: str
    added: dt.datetime


def _policy(r: sqlcipher3.Row) -> Policy:
    return Policy(r["id"], r["title"], r["employer"], r["version"], r["media_type"],
                  int(r["size"]), int(r["cipher_size"]), r["sha256"],
                  dt.datetime.fromisoformat(r["added"]))


class PoliciesRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def insert(self, p: Policy) -> None:
        self._conn.execute(
            "INSERT INTO policies (id, title, employer, version, media_type, size, cipher_size,"
            " sha256, added) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (p.id, p.title, p.employer, p.version, p.media_type, p.size, p.cipher_size,
             p.sha256, p.added.isoformat()))

    def get(self, policy_id: str) -> Policy:
        """By id or a unique prefix of 6+ characters."""
        key = policy_id.strip().lower()
        if len(key) < 6:
            raise NotFound("Give at least 6 characters of the policy id.")
        rows = self._conn.execute("SELECT * FROM policies WHERE id LIKE ?",
                                  (key + "%",)).fetchall()
        if len(rows) != 1:
            raise NotFound("There is no such policy." if not rows else
                           "That id matches more than one policy; give more of it.")
        return _policy(rows[0])

    def list(self) -> builtins.list[Policy]:
        rows = self._conn.execute("SELECT * FROM policies ORDER BY title COLLATE NOCASE, added")
        return [_policy(r) for r in rows]

    def ids(self) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT id FROM policies")}

    def delete(self, policy_id: str) -> None:
        self._conn.execute("DELETE FROM case_policies WHERE policy_id = ?", (policy_id,))
        self._conn.execute("DELETE FROM policies WHERE id = ?", (policy_id,))

    def link(self, case_id: str, policy_id: str, when: dt.datetime) -> bool:
        cur = self._conn.execute(
            "INSERT OR IGNORE INTO case_policies (case_id, policy_id, linked) VALUES (?, ?, ?)",
            (case_id, policy_id, when.isoformat()))
        return cur.rowcount > 0

    def unlink(self, case_id: str, policy_id: str) -> bool:
        cur = self._conn.execute(
            "DELETE FROM case_policies WHERE case_id = ? AND policy_id = ?", (case_id, policy_id))
        return cur.rowcount > 0

    def for_case(self, case_id: str) -> builtins.list[Policy]:
        rows = self._conn.execute(
            "SELECT p.* FROM policies p JOIN case_policies l ON l.policy_id = p.id"
            " WHERE l.case_id = ? ORDER BY p.title COLLATE NOCASE", (case_id,))
        return [_policy(r) for r in rows]

    def unlink_case(self, case_id: str) -> int:
        """Secure deletion of a case: drop its links (the library itself is not the case's)."""
        return int(self._conn.execute("DELETE FROM case_policies WHERE case_id = ?",
                                      (case_id,)).rowcount)
