"""The cryptographic envelope of a backup file: a plaintext prefix and one CVF1 stream.

Layout (byte-exact description in ``docs/backup-format.md``)::

    prefix:   "CVBK" | 0x01 version | 0x00 0x00 0x00 | backup id (16)
              | uint32 BE n | vault.keys as written on disk (n bytes) | SHA-256(all before) (32)
    payload:  a CVF1 stream (DESIGN §4) under the backup key, case id "backup", file id = the
              backup id
    backup key = HKDF-SHA256(VMK, salt = SHA-256(prefix), info = "casevault/v1/backup" ‖ vault id)

The key file travels in the clear because it has to: it is what turns the passphrase (or the
recovery code) back into the VMK when the vault it came from is gone. It holds only wrapped
keys, exactly as ``vault.keys`` does on disk. The whole prefix, hash included, is the HKDF salt
of the backup key, so changing any byte of it changes the key and the first segment fails;
the unkeyed SHA-256 at its end only turns accidental damage to the prefix into the same
``IntegrityError`` before a passphrase is tried (so a bit flip is never reported as a wrong
passphrase). CVF1 then gives the payload STREAM's guarantees: a truncated, extended,
reordered or altered payload is one ``IntegrityError``.

This module knows nothing of what the payload holds; ``vault.backup`` frames the records.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from vault.crypto import aead, cvf1, keyfile
from vault.crypto.secret import SecretKey
from vault.errors import (
    IntegrityError,
    KeyFileError,
    UnsupportedFormat,
)

MAGIC = b"CVBK"
VERSION = 0x01
BACKUP_ID_LEN = cvf1.FILE_ID_LEN
BACKUP_INFO = b"casevault/v1/backup"
BACKUP_CASE_CONTEXT = "backup"  # the CVF1 "case id" of a backup payload
_FIXED_LEN = 4 + 1 + 3 + BACKUP_ID_LEN + 4
_DIGEST_LEN = 32

DAMAGED = "The backup file is damaged or has been tampered with."


@dataclass(frozen=True)
class BackupPrefix:
    """The parsed prefix. ``keys_bytes`` is ``vault.keys`` exactly as it was on disk."""

    backup_id: bytes
    keys_bytes: bytes
    raw: bytes

    @property
    def keyfile(self) -> keyfile.KeyFile:
        """The key file inside (already validated by ``read_prefix``)."""
        return keyfile.KeyFile.from_json(json.loads(self.keys_bytes.decode("utf-8")))


def make_prefix(backup_id: bytes, keys_bytes: bytes) -> bytes:
    """The prefix bytes for a new backup.

    Raises:
        ValueError: ``backup_id`` is not 16 bytes or ``keys_bytes`` is too large.
    """
    if len(backup_id) != BACKUP_ID_LEN:
        raise ValueError("backup id must be 16 bytes")
    if len(keys_bytes) > keyfile.MAX_KEYFILE_BYTES:
        raise ValueError("key file too large")
    body = MAGIC + bytes((VERSION, 0, 0, 0)) + backup_id + struct.pack(">I", len(keys_bytes))
    body += keys_bytes
    return body + hashlib.sha256(body).digest()


def read_prefix(src: BinaryIO) -> BackupPrefix:
    """Read and check the prefix from the start of ``src``; leaves ``src`` at the payload.

    Raises:
        IntegrityError: not a backup file, or its prefix is damaged (one message for all).
        UnsupportedFormat: a backup written by a newer version.
        OSError: reading failed.
    """
    fixed = _read_exact(src, _FIXED_LEN)
    if fixed[:4] != MAGIC:
        raise IntegrityError(DAMAGED)
    if fixed[4] > VERSION:
        raise UnsupportedFormat("This backup was made by a newer version of Casework Vault.")
    if fixed[4] != VERSION or fixed[5:8] != b"\x00\x00\x00":
        raise IntegrityError(DAMAGED)
    backup_id = bytes(fixed[8:8 + BACKUP_ID_LEN])
    (length,) = struct.unpack(">I", fixed[8 + BACKUP_ID_LEN:])
    if length > keyfile.MAX_KEYFILE_BYTES:
        raise IntegrityError(DAMAGED)
    keys_bytes = _read_exact(src, length)
    digest = _read_exact(src, _DIGEST_LEN)
    body = fixed + keys_bytes
    if not hmac.compare_digest(hashlib.sha256(body).digest(), digest):
        raise IntegrityError(DAMAGED)
    prefix = BackupPrefix(backup_id=backup_id, keys_bytes=keys_bytes, raw=body + digest)
    try:
        prefix.keyfile  # noqa: B018 - validates the key file now, so later use cannot fail
    except (KeyFileError, UnicodeDecodeError, ValueError):
        raise IntegrityError(DAMAGED) from None
    return prefix


def backup_key(vmk: SecretKey, prefix: bytes, vault_id: str) -> SecretKey:
    """HKDF-SHA256(VMK, salt = SHA-256(prefix), info = ``casevault/v1/backup`` ‖ vault id)."""
    salt = hashlib.sha256(prefix).digest()
    return aead.derive_subkey(vmk, BACKUP_INFO + vault_id.encode("ascii"), salt)


def encrypt_payload(
    src: BinaryIO, dst: BinaryIO, key: SecretKey, backup_id: bytes, *,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> cvf1.EncryptResult:
    """Encrypt the record stream readable from ``src`` into ``dst`` (after the prefix).

    Raises: as ``cvf1.encrypt_stream`` (``Cancelled``, ``OSError``).
    """
    return cvf1.encrypt_stream(src, dst, key, case_id=BACKUP_CASE_CONTEXT, file_id=backup_id,
                               progress=progress, cancelled=cancelled)


def iter_payload(src: BinaryIO, key: SecretKey, backup_id: bytes) -> Iterator[bytes]:
    """The payload's plaintext, one verified 64 KiB segment at a time.

    The payload is only known whole when the iterator ends without error (see
    ``cvf1.iter_plaintext``): the consumer keeps nothing it was given if it raises.

    Raises (while iterating):
        IntegrityError: any damage to the payload, with the backup's message.
        OSError: reading failed.
    """
    try:
        yield from cvf1.iter_plaintext(src, key, case_id=BACKUP_CASE_CONTEXT,
                                       file_id=backup_id)
    except IntegrityError:
        raise IntegrityError(DAMAGED) from None


def _read_exact(src: BinaryIO, n: int) -> bytes:
    data = b""
    while len(data) < n:
        chunk = src.read(n - len(data))
        if not chunk:
            raise IntegrityError(DAMAGED)
        data += chunk
    return data
