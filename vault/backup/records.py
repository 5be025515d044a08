"""The record stream inside a backup's encrypted payload, and its strict reader.

Each record is ``kind (1 byte) | uint16 BE name length | uint64 BE size | name (UTF-8) |
data (size bytes)``. A payload is exactly: one ``M`` manifest (JSON), one ``D`` database
snapshot, one ``F`` record per document in the manifest's order, one empty ``E`` end record,
and nothing after it. Names and sizes are checked against the manifest, and every name is
checked against a fixed pattern before it is used as a path, so even a forged payload (one
made by somebody holding the vault key) cannot write outside the restore folder.
"""

from __future__ import annotations

import io
import json
import re
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from vault.crypto.backup_stream import DAMAGED
from vault.errors import IntegrityError

KIND_MANIFEST = b"M"
KIND_DATABASE = b"D"
KIND_DOCUMENT = b"F"
KIND_END = b"E"
RECORD_HEADER = struct.Struct(">cHQ")
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MANIFEST_FORMAT = "casevault-backup-manifest"
MANIFEST_VERSION = 1
DATABASE_NAME = "vault.db"
MANIFEST_NAME = "manifest.json"
CHUNK = 1024 * 1024

_HEX32 = r"[0-9a-f]{32}"
_DOC_NAME = re.compile(rf"documents/({_HEX32})/({_HEX32})\.cvf")
_HEX32_RE = re.compile(_HEX32)


@dataclass(frozen=True)
class DocumentEntry:
    """One document file in a backup: its case id, file id and ciphertext size."""

    case_id: str
    file_id: str
    size: int

    @property
    def name(self) -> str:
        return f"documents/{self.case_id}/{self.file_id}.cvf"


@dataclass(frozen=True)
class Manifest:
    """What a backup holds. ``case_ids`` lists every case in the database snapshot (for the
    retention hook: a destroyed case tells which kept backups still hold it)."""

    vault_id: str
    backup_id: str
    created: str
    schema_version: int
    db_size: int
    documents: tuple[DocumentEntry, ...]
    case_ids: tuple[str, ...]
    trail_head: tuple[int, str] = (0, "")  # (seq, mac hex) of the snapshot's last trail entry

    @property
    def total_bytes(self) -> int:
        return self.db_size + sum(d.size for d in self.documents)

    def to_bytes(self) -> bytes:
        data = {
            "format": MANIFEST_FORMAT,
            "version": MANIFEST_VERSION,
            "vault_id": self.vault_id,
            "backup_id": self.backup_id,
            "created": self.created,
            "schema_version": self.schema_version,
            "db_size": self.db_size,
            "documents": [[d.case_id, d.file_id, d.size] for d in self.documents],
            "case_ids": list(self.case_ids),
            "trail_head": list(self.trail_head),
        }
        return json.dumps(data, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Manifest:
        """Parse strictly. Raises IntegrityError on anything unexpected."""
        try:
            data = json.loads(raw.decode("utf-8"))
            return cls._parse(data)
        except (ValueError, TypeError, KeyError, UnicodeDecodeError):
            raise IntegrityError(DAMAGED) from None

    @classmethod
    def _parse(cls, data: Any) -> Manifest:
        if not isinstance(data, dict) or data["format"] != MANIFEST_FORMAT:
            raise ValueError("manifest")
        if data["version"] != MANIFEST_VERSION:
            raise ValueError("manifest version")
        docs = []
        seen: set[str] = set()
        for item in data["documents"]:
            case_id, file_id, size = item
            _hex32(case_id)
            _hex32(file_id)
            if file_id in seen:
                raise ValueError("duplicate document")
            seen.add(file_id)
            docs.append(DocumentEntry(case_id, file_id, _size(size)))
        case_ids = tuple(_hex32(c) for c in data["case_ids"])
        created = data["created"]
        if not isinstance(created, str):
            raise ValueError("created")
        head_seq, head_mac = data["trail_head"]
        if not isinstance(head_mac, str) or not re.fullmatch(r"(|[0-9a-f]{64})", head_mac):
            raise ValueError("trail head")
        return cls(
            vault_id=_hex32(data["vault_id"]),
            backup_id=_hex32(data["backup_id"]),
            created=created,
            schema_version=_size(data["schema_version"]),
            db_size=_size(data["db_size"]),
            documents=tuple(docs),
            case_ids=case_ids,
            trail_head=(_size(head_seq), head_mac),
        )


def record_header(kind: bytes, name: str, size: int) -> bytes:
    encoded = name.encode("utf-8")
    return RECORD_HEADER.pack(kind, len(encoded), size) + encoded


class GeneratorReader(io.RawIOBase):
    """A readable stream over an iterable of byte chunks (the writer's record producer)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks: Iterator[bytes] = iter(chunks)
        self._buffer = b""
        self._offset = 0

    def readable(self) -> bool:
        return True

    def readinto(self, target: Any) -> int:
        view = memoryview(target).cast("B")
        while self._offset >= len(self._buffer):
            try:
                self._buffer = next(self._chunks)
            except StopIteration:
                return 0
            self._offset = 0
        n = min(len(view), len(self._buffer) - self._offset)
        view[:n] = self._buffer[self._offset:self._offset + n]
        self._offset += n
        return n


class PayloadReader:
    """Pull exact byte counts out of the verified plaintext segments of a payload."""

    def __init__(self, segments: Iterator[bytes]) -> None:
        self._segments = segments
        self._buffer = bytearray()

    def read_exact(self, n: int) -> bytes:
        while len(self._buffer) < n:
            try:
                self._buffer += next(self._segments)
            except StopIteration:
                raise IntegrityError(DAMAGED) from None
        out = bytes(self._buffer[:n])
        del self._buffer[:n]
        return out

    def iter_exact(self, n: int) -> Iterator[bytes]:
        """``n`` bytes in chunks of at most ``CHUNK``."""
        left = n
        while left:
            chunk = self.read_exact(min(left, CHUNK))
            left -= len(chunk)
            yield chunk

    def header(self) -> tuple[bytes, str, int]:
        """The next record's ``(kind, name, size)``."""
        kind, name_len, size = RECORD_HEADER.unpack(self.read_exact(RECORD_HEADER.size))
        try:
            name = self.read_exact(name_len).decode("utf-8")
        except UnicodeDecodeError:
            raise IntegrityError(DAMAGED) from None
        return kind, name, size

    def expect(self, kind: bytes, name: str, size: int | None = None) -> int:
        """Read a record header and require its kind, name (and size); returns the size."""
        got_kind, got_name, got_size = self.header()
        if got_kind != kind or got_name != name or (size is not None and got_size != size):
            raise IntegrityError(DAMAGED)
        return got_size

    def finish(self) -> None:
        """Require the end record and then the end of the payload."""
        self.expect(KIND_END, "", 0)
        if self._buffer:
            raise IntegrityError(DAMAGED)
        for extra in self._segments:  # drains the iterator, which checks the last tag
            if extra:
                raise IntegrityError(DAMAGED)


def document_name_parts(name: str) -> tuple[str, str]:
    """``(case id, file id)`` of a document record name; IntegrityError if it is not one."""
    match = _DOC_NAME.fullmatch(name)
    if match is None:
        raise IntegrityError(DAMAGED)
    return match.group(1), match.group(2)


def _hex32(value: Any) -> str:
    if not isinstance(value, str) or not _HEX32_RE.fullmatch(value):
        raise ValueError("id")
    return value


def _size(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value >= 1 << 63:
        raise ValueError("size")
    return value
