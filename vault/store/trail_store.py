"""The paper trail's storage: one append-only MAC chain over every entry in the vault.

``mac = HMAC-SHA256(trail key, seq ‖ ts ‖ kind ‖ case ref ‖ links ‖ payload hash ‖ prev mac
‖ case id)`` with every field length-prefixed, so no two field lists encode alike. The case id
is covered from the entry ``vault_meta.trail_v2_from`` on (every entry of a vault made since
migration 0004; older vaults keep their earlier entries as they were MACed): moving an entry to
another case then breaks the chain. ``payload hash`` is the
SHA-256 of the *encrypted* payload: the chain verifies without any case key, and keeps verifying
after secure deletion removes a destroyed case's payloads (only their hashes stay).
Database triggers refuse UPDATE and DELETE except that one path (``erase_payloads``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import sqlcipher3

from vault.crypto import aead
from vault.crypto.secret import SecretKey
from vault.errors import IntegrityError

log = logging.getLogger(__name__)

GENESIS = bytes(32)


def _field(value: bytes) -> bytes:
    return struct.pack(">I", len(value)) + value


V2_FROM_KEY = "trail_v2_from"


def mac_input(
    seq: int, ts: str, kind: str, case_ref: str, links: str, payload_hash: bytes,
    prev_mac: bytes, case_id: str | None = None, *, bind_case: bool = False,
) -> bytes:
    """The exact bytes an entry's MAC covers (see the module docstring)."""
    parts = [
        struct.pack(">Q", seq), _field(ts.encode()), _field(kind.encode()),
        _field(case_ref.encode()), _field(links.encode()), _field(payload_hash), _field(prev_mac),
    ]
    if bind_case:
        parts.append(_field((case_id or "").encode()))
    return b"".join(parts)


def entry_mac(
    key: SecretKey, seq: int, ts: str, kind: str, case_ref: str, links: str,
    payload_hash: bytes, prev_mac: bytes, case_id: str | None = None, *, bind_case: bool = False,
) -> bytes:
    """The MAC of one trail entry."""
    return aead.hmac_sha256(key, mac_input(seq, ts, kind, case_ref, links, payload_hash,
                                           prev_mac, case_id, bind_case=bind_case))


def v2_from(conn: sqlcipher3.Connection) -> int:
    """The first entry whose MAC covers its case id (1 for a vault made since 0004)."""
    row = conn.execute("SELECT value FROM vault_meta WHERE key = ?", (V2_FROM_KEY,)).fetchone()
    return int(row[0]) if row is not None else 1


def payload_aad(case_id: str | None, seq: int) -> bytes:
    return b"trail" + (case_id or "").encode() + struct.pack(">Q", seq)


def format_links(links: Mapping[str, int]) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(links.items()))


def parse_links(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for part in filter(None, text.split(";")):
        k, _, v = part.partition("=")
        out[k] = int(v)
    return out


@dataclass(frozen=True)
class StoredEntry:
    seq: int
    ts: dt.datetime
    kind: str
    case_ref: str
    case_id: str | None
    links: dict[str, int]
    payload: dict[str, Any] | None  # None once erased by secure deletion


@dataclass(frozen=True)
class ChainReport:
    """The outcome of verifying the whole chain."""

    ok: bool
    entries: int
    head_seq: int
    head_mac: str          # hex; the rep can note its first 12 characters down
    broken_at: int | None  # the first seq whose link fails
    problem: str

    @property
    def short_head(self) -> str:
        return f"#{self.head_seq}·{self.head_mac[:12]}"


class TrailStore:
    """Appends, reads and verifies entries. Callers pass the open connection of a transaction."""

    def __init__(self, trail_key: SecretKey) -> None:
        self._key = trail_key

    def append(
        self,
        conn: sqlcipher3.Connection,
        *,
        ts: dt.datetime,
        kind: str,
        case_ref: str,
        case_id: str | None,
        payload: Mapping[str, Any],
        payload_key: SecretKey,
        links: Mapping[str, int] | None = None,
    ) -> int:
        """Append one entry inside the caller's transaction; returns its sequence number."""
        last = conn.execute("SELECT seq, mac FROM trail ORDER BY seq DESC LIMIT 1").fetchone()
        seq = (last["seq"] + 1) if last else 1
        prev_mac = bytes(last["mac"]) if last else GENESIS
        ts_text = ts.astimezone(dt.UTC).isoformat(timespec="microseconds")
        link_text = format_links(links or {})
        plain = json.dumps(dict(payload), ensure_ascii=False, sort_keys=True).encode("utf-8")
        sealed = aead.seal(payload_key, plain, payload_aad(case_id, seq))
        payload_hash = hashlib.sha256(sealed).digest()
        mac = entry_mac(self._key, seq, ts_text, kind, case_ref, link_text, payload_hash, prev_mac,
                        case_id, bind_case=seq >= v2_from(conn))
        conn.execute(
            "INSERT INTO trail (seq, ts, kind, case_ref, case_id, links, payload, payload_hash,"
            " prev_mac, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, ts_text, kind, case_ref, case_id, link_text, sealed, payload_hash, prev_mac, mac),
        )
        return seq

    @staticmethod
    def decode(row: sqlcipher3.Row, payload_key: SecretKey | None) -> StoredEntry:
        """Turn a ``trail`` row into an entry, decrypting the payload when a key is given.

        Raises:
            IntegrityError: the payload does not decrypt under this case's key.
        """
        payload: dict[str, Any] | None = None
        if row["payload"] is not None and payload_key is not None:
            plain = aead.open_sealed(payload_key, bytes(row["payload"]),
                                     payload_aad(row["case_id"], row["seq"]))
            payload = json.loads(plain)
        return StoredEntry(
            seq=row["seq"], ts=dt.datetime.fromisoformat(row["ts"]), kind=row["kind"],
            case_ref=row["case_ref"], case_id=row["case_id"], links=parse_links(row["links"]),
            payload=payload,
        )

    def verify(self, conn: sqlcipher3.Connection) -> ChainReport:
        """Verify the whole chain in ``seq`` order: continuity, links, MACs, payload hashes.

        Reads plain tuples and keys the HMAC once (200,000 entries in about a second). A row
        whose columns were given the wrong types underneath is reported, not raised.
        """
        bind_from = v2_from(conn)
        cur = conn.cursor()
        cur.row_factory = None
        cur.execute("SELECT seq, ts, kind, case_ref, links, payload, payload_hash, prev_mac, mac,"
                    " case_id FROM trail ORDER BY seq")
        mac_of = aead.KeyedHmac(self._key).digest
        sha256 = hashlib.sha256
        expected = 1
        prev = GENESIS
        try:
            for (seq, ts, kind, case_ref, links, payload, payload_hash, prev_mac, mac,
                 case_id) in cur:
                problem = ""
                if seq != expected:
                    problem = f"entry #{expected} is missing or out of order"
                elif prev_mac != prev:
                    problem = f"entry #{seq} does not follow the entry before it"
                else:
                    tampered_payload = (payload is not None
                                        and sha256(payload).digest() != payload_hash)
                    expected_mac = mac_of(mac_input(seq, ts, kind, case_ref, links,
                                                    payload_hash, prev, case_id,
                                                    bind_case=seq >= bind_from))
                    if tampered_payload or not aead.constant_time_equal(expected_mac, mac):
                        problem = f"entry #{seq} was changed after it was written"
                if problem:
                    return ChainReport(False, expected - 1, expected - 1, prev.hex(), expected,
                                       problem)
                prev = mac
                expected += 1
        except (sqlcipher3.Error, TypeError, AttributeError):
            return ChainReport(False, expected - 1, expected - 1, prev.hex(), expected,
                               f"entry #{expected} cannot be read as a trail entry")
        finally:
            cur.close()
        return ChainReport(True, expected - 1, expected - 1, prev.hex(), None, "")

    @staticmethod
    def erase_payloads(conn: sqlcipher3.Connection, case_id: str) -> int:
        """Secure deletion: drop a case's payloads, keeping hashes so the chain still verifies.

        The database refuses this unless the case's status is already ``destroyed``
        (trigger ``trail_no_update``, migration 0004): a live case's trail cannot be emptied.
        """
        cur = conn.execute(
            "UPDATE trail SET payload = NULL WHERE case_id = ? AND payload IS NOT NULL", (case_id,)
        )
        return int(cur.rowcount)


def require_ok(report: ChainReport) -> None:
    """Raises IntegrityError with the report's one-line problem when the chain is broken."""
    if not report.ok:
        raise IntegrityError(f"The paper trail is broken: {report.problem}.")
