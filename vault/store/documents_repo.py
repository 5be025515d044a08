"""Rows of the ``documents`` table as ``Document`` objects, and import intents."""

from __future__ import annotations

import builtins
import datetime as dt

import sqlcipher3

from vault.domain import Document
from vault.errors import NotFound


def _document(row: sqlcipher3.Row) -> Document:
    return Document(
        id=row["id"], case_id=row["case_id"], name=row["name"], media_type=row["media_type"],
        size=row["size"], cipher_size=row["cipher_size"], sha256=row["sha256"],
        added=dt.datetime.fromisoformat(row["added"]), is_original=bool(row["is_original"]),
        returned=dt.datetime.fromisoformat(row["returned"]) if row["returned"] else None,
    )


class DocumentsRepository:
    def __init__(self, conn: sqlcipher3.Connection) -> None:
        self._conn = conn

    def insert(self, doc: Document) -> None:
        self._conn.execute(
            "INSERT INTO documents (id, case_id, name, media_type, size, cipher_size, sha256,"
            " added, is_original, returned) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.id, doc.case_id, doc.name, doc.media_type, doc.size, doc.cipher_size, doc.sha256,
             doc.added.isoformat(), int(doc.is_original), None),
        )

    def get(self, case_id: str, doc_id: str) -> Document:
        """Find a document of this case by id or by a unique id prefix (6+ characters)."""
        doc_id = doc_id.strip().lower()
        if len(doc_id) < 6:
            raise NotFound("Give at least 6 characters of the document id.")
        rows = self._conn.execute(
            "SELECT * FROM documents WHERE case_id = ? AND id LIKE ?", (case_id, doc_id + "%")
        ).fetchall()
        if len(rows) != 1:
            raise NotFound("There is no such document in this case." if not rows else
                           "That id matches more than one document; give more of it.")
        return _document(rows[0])

    def list(self, case_id: str) -> list[Document]:
        rows = self._conn.execute(
            "SELECT * FROM documents WHERE case_id = ? ORDER BY added, name", (case_id,)
        ).fetchall()
        return [_document(r) for r in rows]

    def all(self) -> builtins.list[Document]:
        return [_document(r) for r in self._conn.execute("SELECT * FROM documents").fetchall()]

    def mark_returned(self, doc_id: str, when: dt.datetime) -> None:
        self._conn.execute("UPDATE documents SET returned = ? WHERE id = ?",
                           (when.isoformat(), doc_id))

    def delete(self, doc_id: str) -> None:
        self._conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))

    def exists(self, doc_id: str) -> bool:
        return self._conn.execute("SELECT 1 FROM documents WHERE id = ?",
                                  (doc_id,)).fetchone() is not None

    def ids(self) -> set[str]:
        return {r[0] for r in self._conn.execute("SELECT id FROM documents")}

    def all_with_case(self) -> builtins.list[tuple[str, str, str]]:
        """``(document id, case id, case ref)`` of every document, by case then date added."""
        rows = self._conn.execute(
            "SELECT d.id, c.id, c.ref FROM documents d JOIN cases c ON c.id = d.case_id"
            " ORDER BY c.ref, d.added").fetchall()
        return [(r[0], r[1], r[2]) for r in rows]
