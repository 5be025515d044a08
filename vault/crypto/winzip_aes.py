"""WinZip AES (AE-2) zip archives: the encrypted bundles a regional officer opens with 7-Zip.

Owns the byte format of an exported bundle, written and read here on ``cryptography`` (AES) and
``hashlib`` (PBKDF2, HMAC-SHA1) — the primitives the format fixes:

* per member: a 16-byte random salt; ``PBKDF2-HMAC-SHA1(passphrase, salt, 1000, 66)`` gives a
  32-byte AES key, a 32-byte HMAC key and a 2-byte password verifier;
* the (stored or deflated) data is encrypted with AES-256 in CTR mode whose 16-byte counter is
  *little-endian* and starts at 1 (Gladman's ``fcrypt``, which WinZip and 7-Zip follow);
  ``cryptography``'s CTR mode counts big-endian, so the keystream is AES-ECB over counter
  blocks built a megabyte at a time with numpy, then XORed in (about 3 GB/s on one core);
* ``HMAC-SHA1(hmac key, ciphertext)`` truncated to 10 bytes follows the ciphertext;
* the member data is ``salt ‖ verifier ‖ ciphertext ‖ auth code``, method 99 with the 0x9901
  extra field (AE-2, vendor ``AE``, strength 3 = AES-256, the real method 0 or 8), CRC 0 as
  AE-2 requires (so the CRC cannot leak anything about the plaintext);
* ZIP64 records whenever a size or offset needs them (or always, when asked, for tests).

``AesZipWriter`` streams: members are fed as iterables of chunks and memory stays at a few
megabytes whatever their size. The source of a member (typically CVF1 decryption) runs on a
helper thread feeding a bounded queue, so decryption and encryption use both cores. The
writer only appends (each member's sizes follow it in a data descriptor), so the archive's
own SHA-256 is computed as it is written, on a helper thread. ``AesZipReader`` is the small
verifying reader the project uses to check its own bundles: it parses the central directory,
checks the AE-2 fields of every member, and decrypts and authenticates each one.

Member names are checked here: only short neutral names (``01-document.pdf``) of ASCII
letters, digits, ``.``, ``-`` and ``_``; a title can never become a path inside a bundle.
Errors are ``vault.errors`` types with one-line messages that name no member data.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import queue
import re
import stat
import struct
import threading
import zlib
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO, Final

import numpy as np
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from vault.errors import Cancelled, IntegrityError, InvalidInput, NotFound, WrongPassphrase

log = logging.getLogger(__name__)

SALT_LEN: Final = 16  # AES-256 (strength 3)
KEY_LEN: Final = 32
VERIFIER_LEN: Final = 2
AUTH_LEN: Final = 10  # HMAC-SHA1-80
PBKDF2_ITERATIONS: Final = 1000  # fixed by the format
AES_OVERHEAD: Final = SALT_LEN + VERIFIER_LEN + AUTH_LEN

METHOD_STORED: Final = 0
METHOD_DEFLATED: Final = 8
METHOD_AES: Final = 99
AES_EXTRA_ID: Final = 0x9901
AE_2: Final = 2
AES_VENDOR: Final = b"AE"
AES_STRENGTH_256: Final = 3
ZIP64_EXTRA_ID: Final = 0x0001

FLAG_ENCRYPTED: Final = 0x0001
FLAG_DATA_DESCRIPTOR: Final = 0x0008
FLAGS: Final = FLAG_ENCRYPTED | FLAG_DATA_DESCRIPTOR
VERSION_NEEDED_AES: Final = 51  # 5.1: AES encryption (also covers ZIP64's 4.5)
VERSION_MADE_BY: Final = (3 << 8) | 63  # Unix, spec 6.3
EXTERNAL_ATTR: Final = (stat.S_IFREG | 0o600) << 16

CHUNK: Final = 1 << 20  # the unit of keystream, of queued plaintext and of writes
QUEUE_DEPTH: Final = 6  # chunks in flight between the source thread and the encryptor
DEFLATE_LEVEL: Final = 1  # as 7-Zip -mx1 (its fastest): bundles are for sending, not archiving
MAX_NAME_LEN: Final = 120
# A local header gets ZIP64 fields when a member may come near 4 GiB (deflate can grow data a
# little, so the margin is wide); the central directory gets them exactly when needed.
ZIP64_LOCAL_THRESHOLD: Final = 0xF000_0000
_U32: Final = 0xFFFF_FFFF
_U16: Final = 0xFFFF

_LOCAL_SIG: Final = 0x04034B50
_DESCRIPTOR_SIG: Final = 0x08074B50
_CENTRAL_SIG: Final = 0x02014B50
_EOCD_SIG: Final = 0x06054B50
_ZIP64_EOCD_SIG: Final = 0x06064B50
_ZIP64_LOCATOR_SIG: Final = 0x07064B50
_LOCAL = struct.Struct("<IHHHHHIIIHH")  # 30 bytes
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")  # 46 bytes
_EOCD = struct.Struct("<IHHHHIIH")  # 22 bytes
_ZIP64_EOCD = struct.Struct("<IQHHIIQQQQ")  # 56 bytes
_ZIP64_LOCATOR = struct.Struct("<IIQI")  # 20 bytes
_AES_EXTRA = struct.Struct("<HHH2sBH")  # 11 bytes

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# A member's data in a test of the reader is decrypted this many bytes at a time.
_READ_CHUNK: Final = CHUNK

Progress = Callable[[int], None]
CancelFlag = Callable[[], bool]


# -- the cryptographic layer ------------------------------------------------------------------


@dataclass(frozen=True)
class _MemberKeys:
    aes_key: bytes
    hmac_key: bytes
    verifier: bytes


def derive_keys(passphrase: bytes, salt: bytes) -> tuple[bytes, bytes, bytes]:
    """The WinZip AES-256 key schedule: ``(aes key, hmac key, password verifier)``.

    ``PBKDF2-HMAC-SHA1(passphrase, salt, 1000 iterations, 66 bytes)`` split 32 / 32 / 2.

    Raises:
        ValueError: the salt is not 16 bytes.
    """
    if len(salt) != SALT_LEN:
        raise ValueError("WinZip AES-256 uses a 16-byte salt")
    # cryptography's PBKDF2 (its own OpenSSL) runs this in about half hashlib's time, which
    # matters for a bundle of thousands of small members.
    kdf = PBKDF2HMAC(hashes.SHA1(), 2 * KEY_LEN + VERIFIER_LEN, salt,  # noqa: S303 - the format
                     PBKDF2_ITERATIONS)
    material = kdf.derive(passphrase)
    return material[:KEY_LEN], material[KEY_LEN:2 * KEY_LEN], material[2 * KEY_LEN:]


def encode_passphrase(passphrase: str) -> bytes:
    """The bytes every reader agrees on: printable ASCII only.

    7-Zip, WinZip and Keka convert a non-ASCII password to bytes differently, so a bundle
    locked with one could not be opened with another; such a passphrase is refused.

    Raises:
        InvalidInput: empty, or a character outside printable ASCII.
    """
    if not passphrase:
        raise InvalidInput("The bundle passphrase is empty.")
    if any(not (" " <= ch <= "~") for ch in passphrase):
        raise InvalidInput(
            "Use only plain letters, digits, spaces and punctuation (A–Z, 0–9) in a bundle "
            "passphrase; other characters open differently in 7-Zip, WinZip and Keka."
        )
    return passphrase.encode("ascii")


class WinZipCtr:
    """AES-256-CTR with WinZip's little-endian 128-bit counter, starting at 1.

    ``process`` encrypts or decrypts (the same operation) any number of bytes, carrying the
    keystream position across calls. Keystream is made up to ``CHUNK`` bytes at a time, and no
    more than the data in hand needs (a small member costs a few blocks, not a megabyte):
    counter blocks are laid out as little-endian 64-bit pairs in a numpy array (the high half
    is always 0: 2**64 blocks is far beyond any file), encrypted with AES-ECB in one call and
    XORed into the data with numpy.
    """

    _BLOCKS: Final = CHUNK // 16

    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_LEN:
            raise ValueError("AES-256 needs a 32-byte key")
        self._ecb = Cipher(algorithms.AES(key), modes.ECB()).encryptor()  # noqa: S305 - CTR keystream
        self._next_block = 1  # the counter value of the next keystream block to make
        # Reused for every refill (fresh megabyte arrays cost page faults each time); the
        # high halves of the counter pairs stay 0.
        self._counters = np.zeros(0, dtype="<u8")
        self._stream = bytearray()
        self._keystream = np.zeros(0, dtype=np.uint8)
        self._used = 0

    def process(self, data: bytes | bytearray | memoryview) -> memoryview:
        """XOR ``data`` with the next ``len(data)`` bytes of keystream.

        A writable buffer (``bytearray``) is transformed in place and returned as a view (the
        plaintext is overwritten by the ciphertext); anything else gets a new buffer.
        """
        src = np.frombuffer(data, dtype=np.uint8)
        out = src if src.flags.writeable else np.empty(len(src), dtype=np.uint8)
        done = 0
        while done < len(src):
            if self._used == len(self._keystream):
                self._refill(len(src) - done)
            take = min(len(src) - done, len(self._keystream) - self._used)
            np.bitwise_xor(src[done:done + take], self._keystream[self._used:self._used + take],
                           out=out[done:done + take])
            done += take
            self._used += take
        return out.data

    def wipe(self) -> None:
        """Overwrite the keystream buffer (the ECB context is dropped with the object)."""
        self._keystream.fill(0)
        self._counters.fill(0)
        self._used = len(self._keystream)

    def _refill(self, wanted: int) -> None:
        blocks = min(self._BLOCKS, -(-wanted // 16))
        if len(self._counters) < 2 * blocks:
            self._counters = np.zeros(2 * blocks, dtype="<u8")
        counters = self._counters[:2 * blocks]
        np.add(_COUNTER_STEPS[:blocks], np.uint64(self._next_block), out=counters[0::2])
        self._next_block += blocks
        if len(self._stream) < 16 * blocks + 16:
            self._keystream.fill(0)
            self._stream = bytearray(16 * blocks + 16)  # update_into wants a spare block
        self._ecb.update_into(counters.view(np.uint8).data, self._stream)
        self._keystream = np.frombuffer(self._stream, dtype=np.uint8, count=16 * blocks)
        self._used = 0


# Block offsets 0, 1, 2 …; each refill adds its base into the low halves of its counters.
_COUNTER_STEPS = np.arange(CHUNK // 16, dtype="<u8")
_COUNTER_STEPS.setflags(write=False)


# -- writing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberInfo:
    """One member as written: its neutral name, plaintext size and SHA-256, how it was packed."""

    name: str
    size: int
    packed_size: int  # salt + verifier + ciphertext + auth code, as in the zip headers
    method: int  # the real method inside the AES layer: 0 stored, 8 deflated
    sha256: str
    offset: int


@dataclass
class _Entry:
    name: bytes
    offset: int
    method: int
    dos_time: int
    dos_date: int
    size: int = 0
    packed_size: int = 0
    zip64_local: bool = False


def check_member_name(name: str) -> bytes:
    """The ASCII bytes of a safe neutral member name.

    Raises:
        InvalidInput: the name is empty, too long, has a path separator, ``..``, a leading dot
            or any character outside ``A–Z a–z 0–9 . - _``.
    """
    if (
        not name
        or len(name) > MAX_NAME_LEN
        or not _SAFE_NAME.match(name)
        or ".." in name
    ):
        raise InvalidInput("A bundle member must have a short neutral name.")
    return name.encode("ascii")


def dos_datetime(when: datetime) -> tuple[int, int]:
    """MS-DOS ``(time, date)`` words for ``when`` (clamped to the 1980–2107 range)."""
    year = min(max(when.year, 1980), 2107)
    dos_date = ((year - 1980) << 9) | (when.month << 5) | when.day
    dos_time = (when.hour << 11) | (when.minute << 5) | (when.second // 2)
    return dos_time, dos_date


class AesZipWriter:
    """Write a WinZip AE-2 archive, member by member, to a binary stream (appending only).

    Use as a context manager or call ``close()`` to write the central directory. Every member
    gets its own salt and keys. ``cancelled()`` is polled between chunks. The writer never
    closes ``dst``; on any error the caller discards the partial file. ``sha256`` (after
    ``close``) is the SHA-256 of every byte written.
    """

    def __init__(
        self,
        dst: BinaryIO,
        passphrase: str,
        *,
        modified: datetime,
        force_zip64: bool = False,
        cancelled: CancelFlag | None = None,
    ) -> None:
        """Raises: InvalidInput for a passphrase 7-Zip, WinZip and Keka would read differently."""
        self._dst = dst
        self._password = encode_passphrase(passphrase)
        self._dos_time, self._dos_date = dos_datetime(modified)
        self._force_zip64 = force_zip64
        self._cancelled = cancelled
        self._entries: list[_Entry] = []
        self._names: set[bytes] = set()
        self._closed = False
        self._offset = 0
        self._hasher = _HashPipeline()
        self._behind = _WriteBehind(dst)
        self._keys = _KeySupply(self._password)
        self._sha256: str | None = None

    def __enter__(self) -> AesZipWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()

    @property
    def member_count(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        """Bytes written so far."""
        return self._offset

    @property
    def sha256(self) -> str:
        """The archive's SHA-256 (hex); only once ``close()`` has returned."""
        if self._sha256 is None:
            raise ValueError("the archive is not finished")
        return self._sha256

    def add_bytes(self, name: str, data: bytes, *, compress: bool) -> MemberInfo:
        """Add a member held in memory (a generated PDF, the manifest)."""
        view = memoryview(data)
        return self.add(name, (view[i:i + CHUNK] for i in range(0, len(view), CHUNK)),
                        compress=compress, size_hint=len(data))

    def add(
        self,
        name: str,
        chunks: Iterable[bytes | bytearray | memoryview],
        *,
        compress: bool,
        size_hint: int | None = None,
        known_sha256: str | None = None,
        progress: Progress | None = None,
    ) -> MemberInfo:
        """Add one member whose plaintext is the concatenation of ``chunks``.

        ``chunks`` is consumed on a helper thread (so a decrypting source runs alongside the
        encryption here) and may be of any sizes; a chunk must not be changed after it is
        yielded. ``size_hint`` (the expected plaintext size) decides whether the local
        header announces ZIP64 sizes; without it, it always does. ``known_sha256`` is the
        plaintext's SHA-256 when the source already guarantees it (an authenticated CVF1
        document whose digest the vault recorded at import): it is reported instead of
        hashing the plaintext again. ``progress(n)`` gets the plaintext bytes consumed.

        Raises:
            InvalidInput: an unsafe or repeated name.
            Cancelled: ``cancelled()`` turned true.
            OSError: writing ``dst`` failed.
            anything the source raises (``IntegrityError`` from CVF1), re-raised here.
        """
        if self._closed:
            raise ValueError("the archive is already closed")
        raw_name = check_member_name(name)
        if raw_name in self._names:
            raise InvalidInput("Two bundle members have the same name.")
        method = METHOD_DEFLATED if compress else METHOD_STORED
        entry = _Entry(raw_name, self._offset, method, self._dos_time, self._dos_date)
        zip64_local = (self._force_zip64 or size_hint is None
                       or size_hint >= ZIP64_LOCAL_THRESHOLD)
        salt, aes_key, hmac_key, verifier = self._keys.take()
        ctr = WinZipCtr(aes_key)
        mac = hmac.new(hmac_key, digestmod="sha1")
        self._write(self._local_header(entry, zip64_local))
        self._write(salt + verifier)
        deflater = zlib.compressobj(DEFLATE_LEVEL, zlib.DEFLATED, -15) if compress else None
        packed = 0
        # A small member is read inline: a helper thread would cost more than it overlaps.
        feed = _Prefetch(chunks, self._cancelled, hash_plaintext=known_sha256 is None,
                         threaded=size_hint is None or size_hint > 2 * CHUNK)
        try:
            for chunk in feed:
                data = deflater.compress(chunk) if deflater is not None else chunk
                if data:
                    cipher = ctr.process(data)
                    mac.update(cipher)
                    self._write(cipher)
                    packed += len(cipher)
                if progress is not None:
                    progress(feed.consumed)
            if deflater is not None:
                tail = deflater.flush()
                if tail:
                    cipher = ctr.process(tail)
                    mac.update(cipher)
                    self._write(cipher)
                    packed += len(cipher)
            self._write(mac.digest()[:AUTH_LEN])
        finally:
            feed.close()
            ctr.wipe()
        entry.size = feed.consumed
        entry.packed_size = packed + AES_OVERHEAD
        if not zip64_local and (entry.size >= _U32 or entry.packed_size >= _U32):
            raise InvalidInput("A bundle member was larger than its size hint allowed.")
        entry.zip64_local = zip64_local
        if zip64_local:
            self._write(struct.pack("<IIQQ", _DESCRIPTOR_SIG, 0, entry.packed_size, entry.size))
        else:
            self._write(struct.pack("<IIII", _DESCRIPTOR_SIG, 0, entry.packed_size, entry.size))
        self._entries.append(entry)
        self._names.add(raw_name)
        return MemberInfo(name, entry.size, entry.packed_size, method,
                          known_sha256 or feed.sha256(), entry.offset)

    def close(self) -> None:
        """Write the central directory (with ZIP64 end records when needed). Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            start = self._offset
            for entry in self._entries:
                self._write(self._central_record(entry))
            size = self._offset - start
            count = len(self._entries)
            needs64 = (self._force_zip64 or count >= _U16 or start >= _U32 or size >= _U32
                       or any(self._entry_needs64(e) for e in self._entries))
            if needs64:
                eocd64_at = self._offset
                self._write(_ZIP64_EOCD.pack(_ZIP64_EOCD_SIG, _ZIP64_EOCD.size - 12,
                                             VERSION_MADE_BY, VERSION_NEEDED_AES, 0, 0,
                                             count, count, size, start))
                self._write(_ZIP64_LOCATOR.pack(_ZIP64_LOCATOR_SIG, 0, eocd64_at, 1))
                self._write(_EOCD.pack(_EOCD_SIG, 0, 0, _U16, _U16, _U32, _U32, 0))
            else:
                self._write(_EOCD.pack(_EOCD_SIG, 0, 0, count, count, size, start, 0))
            self._dst.flush()
            self._sha256 = self._hasher.hexdigest()
        finally:
            self._behind.close()
            self._hasher.close()
            self._keys.close()

    def abort(self) -> None:
        """Stop the helper threads after a failure (the caller discards the file)."""
        self._closed = True
        self._behind.close()
        self._hasher.close()
        self._keys.close()

    # -- internals --

    def _write(self, data: bytes | memoryview) -> None:
        self._dst.write(data)
        self._hasher.submit(data)
        self._offset += len(data)
        self._behind.wrote(self._offset)

    def _aes_extra(self, method: int) -> bytes:
        return _AES_EXTRA.pack(AES_EXTRA_ID, 7, AE_2, AES_VENDOR, AES_STRENGTH_256, method)

    def _local_header(self, entry: _Entry, zip64: bool) -> bytes:
        extra = self._aes_extra(entry.method)
        if zip64:
            extra = struct.pack("<HHQQ", ZIP64_EXTRA_ID, 16, 0, 0) + extra
        sizes = _U32 if zip64 else 0
        return _LOCAL.pack(_LOCAL_SIG, VERSION_NEEDED_AES, FLAGS, METHOD_AES,
                           entry.dos_time, entry.dos_date, 0, sizes, sizes,
                           len(entry.name), len(extra)) + entry.name + extra

    def _entry_needs64(self, entry: _Entry) -> bool:
        return (self._force_zip64 or entry.size >= _U32 or entry.packed_size >= _U32
                or entry.offset >= _U32)

    def _central_record(self, entry: _Entry) -> bytes:
        zip64 = self._entry_needs64(entry)
        extra = b""
        usize, csize, offset = entry.size, entry.packed_size, entry.offset
        if zip64:
            fields = []
            if self._force_zip64 or usize >= _U32:
                fields.append(usize)
                usize = _U32
            if self._force_zip64 or csize >= _U32:
                fields.append(csize)
                csize = _U32
            if self._force_zip64 or offset >= _U32:
                fields.append(offset)
                offset = _U32
            extra = struct.pack(f"<HH{len(fields)}Q", ZIP64_EXTRA_ID, 8 * len(fields), *fields)
        extra += self._aes_extra(entry.method)
        return _CENTRAL.pack(
            _CENTRAL_SIG, VERSION_MADE_BY, VERSION_NEEDED_AES, FLAGS, METHOD_AES,
            entry.dos_time, entry.dos_date, 0, csize, usize, len(entry.name), len(extra), 0,
            0, 0, EXTERNAL_ATTR, offset,
        ) + entry.name + extra


class _KeySupply:
    """Fresh ``(salt, aes key, hmac key, verifier)`` for each member, derived ahead.

    PBKDF2's 1,000 iterations cost about a millisecond per member — most of the time of a
    bundle of small text files. The first member's keys are derived inline; from the second
    on, a helper thread keeps a few sets ready (the KDF releases the GIL), so derivation
    overlaps the compression and encryption of the member before. Every set is used once.
    """

    _DEPTH: Final = 8

    def __init__(self, password: bytes) -> None:
        self._password = password
        self._queue: queue.Queue[tuple[bytes, bytes, bytes, bytes]] = queue.Queue(
            maxsize=self._DEPTH)
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._taken = 0

    def take(self) -> tuple[bytes, bytes, bytes, bytes]:
        self._taken += 1
        if self._taken == 1:
            return self._derive()
        if not self._threads:
            # One deriving thread per core, at most two: the KDF is the bottleneck of a
            # bundle of thousands of small members, and it releases the GIL.
            for n in range(min(2, os.cpu_count() or 1)):
                thread = threading.Thread(target=self._run, name=f"zip-kdf-{n}", daemon=True)
                thread.start()
                self._threads.append(thread)
        return self._queue.get()

    def close(self) -> None:
        self._stop.set()
        for thread in self._threads:
            while thread.is_alive():
                try:
                    while True:
                        self._queue.get_nowait()
                except queue.Empty:
                    pass
                thread.join(timeout=0.05)
        self._threads = []

    def _derive(self) -> tuple[bytes, bytes, bytes, bytes]:
        salt = os.urandom(SALT_LEN)
        return (salt, *derive_keys(self._password, salt))

    def _run(self) -> None:
        while not self._stop.is_set():
            keys = self._derive()
            while not self._stop.is_set():
                try:
                    self._queue.put(keys, timeout=0.1)
                    break
                except queue.Full:
                    continue


class _HashPipeline:
    """SHA-256 of everything written, hashed on a helper thread for large buffers.

    hashlib releases the GIL on large inputs, so the archive is hashed while the next chunk
    is encrypted. A buffer passed to ``submit`` is never changed afterwards by the writer
    (each chunk of ciphertext is a new buffer).
    """

    _INLINE: Final = 64 * 1024

    def __init__(self) -> None:
        self._digest = hashlib.sha256()
        self._queue: queue.Queue[bytes | memoryview | None] = queue.Queue(maxsize=QUEUE_DEPTH)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def submit(self, data: bytes | memoryview) -> None:
        if self._thread is None:
            if len(data) < self._INLINE:
                self._digest.update(data)
                return
            self._thread = threading.Thread(target=self._run, name="zip-sha256", daemon=True)
            self._thread.start()
        self._queue.put(data)

    def hexdigest(self) -> str:
        self.close()
        if self._error is not None:
            raise self._error
        return self._digest.hexdigest()

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if self._error is None:
                try:
                    self._digest.update(item)
                except BaseException as exc:  # reported by hexdigest
                    self._error = exc


_END = object()


class _Prefetch:
    """Read a chunk source in ~1 MiB pieces, on a helper thread through a bounded queue
    (``threaded``) or inline; SHA-256 the plaintext as it goes (``hash_plaintext``).

    Iterating yields the pieces in order; an exception of the source is re-raised in the
    consumer. ``close()`` stops the source (closing it on its own thread, as a generator
    requires) and waits for the thread, whether the consumer finished or gave up.
    """

    def __init__(self, source: Iterable[bytes | bytearray | memoryview],
                 cancelled: CancelFlag | None, *, hash_plaintext: bool,
                 threaded: bool = True) -> None:
        self._source = source
        self._hash = hash_plaintext
        self._cancelled = cancelled
        self._queue: queue.Queue[object] = queue.Queue(maxsize=QUEUE_DEPTH)
        self._stop = threading.Event()
        self._digest = hashlib.sha256()
        self.consumed = 0
        self._thread: threading.Thread | None = None
        self._inline: Generator[bytearray, None, None] | None = None
        if threaded:
            self._thread = threading.Thread(target=self._run, name="zip-source", daemon=True)
            self._thread.start()
        else:
            self._inline = self._pieces(iter(self._source))

    def __iter__(self) -> Iterator[bytearray]:
        while True:
            if self._cancelled is not None and self._cancelled():
                raise Cancelled()
            if self._inline is not None:
                item: object = next(self._inline, _END)
            else:
                item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            assert isinstance(item, bytearray)
            self.consumed += len(item)
            yield item

    def sha256(self) -> str:
        return self._digest.hexdigest()

    def close(self) -> None:
        self._stop.set()
        if self._inline is not None:
            close = getattr(self._source, "close", None)
            self._inline.close()
            if close is not None:
                close()
            return
        while self._thread is not None and self._thread.is_alive():
            try:  # unblock a source waiting to put
                while True:
                    self._queue.get_nowait()
            except queue.Empty:
                pass
            self._thread.join(timeout=0.05)

    def _pieces(self, iterator: Iterator[bytes | bytearray | memoryview]
                ) -> Generator[bytearray, None, None]:
        parts: list[bytes | bytearray | memoryview] = []
        pending = 0
        for chunk in iterator:
            if self._stop.is_set():
                return
            if not chunk:
                continue
            parts.append(chunk)
            pending += len(chunk)
            if pending >= CHUNK:
                piece = _joined(parts, pending)
                parts, pending = [], 0
                if self._hash:
                    self._digest.update(piece)
                yield piece
        if parts:
            piece = _joined(parts, pending)
            if self._hash:
                self._digest.update(piece)
            yield piece

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _run(self) -> None:
        iterator = iter(self._source)
        try:
            for piece in self._pieces(iterator):
                if not self._put(piece):
                    return
            self._put(_END)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            self._put(exc)
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                with contextlib.suppress(Exception):  # closing an abandoned source: best effort
                    close()


def _joined(parts: list[bytes | bytearray | memoryview], size: int) -> bytearray:
    """One new writable buffer holding ``parts`` (the encryptor works on it in place)."""
    out = bytearray(size)
    at = 0
    for part in parts:
        out[at:at + len(part)] = part
        at += len(part)
    return out


class _WriteBehind:
    """Ask the OS to write a regular-file destination out while the archive is produced.

    A helper thread runs ``fdatasync`` every 64 MiB so the caller's final fsync does not wait
    for the whole archive; errors are left for that fsync to report.
    """

    STEP: Final = 64 << 20

    def __init__(self, dst: BinaryIO) -> None:
        self._fd: int | None = None
        self._next = self.STEP
        self._wake = threading.Event()
        self._stop = False
        self._thread: threading.Thread | None = None
        try:
            fd = dst.fileno()
            if stat.S_ISREG(os.fstat(fd).st_mode):
                self._fd = fd
        except (OSError, AttributeError, ValueError):
            self._fd = None

    def wrote(self, total: int) -> None:
        if self._fd is None or total < self._next:
            return
        self._next = total + self.STEP
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, args=(self._fd,),
                                            name="zip-write-behind", daemon=True)
            self._thread.start()
        self._wake.set()

    def close(self) -> None:
        if self._thread is not None:
            self._stop = True
            self._wake.set()
            self._thread.join()
            self._thread = None

    def _run(self, fd: int) -> None:
        sync = getattr(os, "fdatasync", os.fsync)
        while True:
            self._wake.wait()
            self._wake.clear()
            if self._stop:
                return
            try:
                sync(fd)
            except OSError:
                return


# -- reading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZipEntry:
    """One central-directory record, as parsed (nothing decrypted)."""

    name: str
    method: int  # 99 for every member of a bundle
    flags: int
    crc: int
    size: int
    packed_size: int
    offset: int
    zip64: bool
    aes_version: int | None  # 2 for AE-2
    aes_vendor: bytes | None
    aes_strength: int | None  # 3 for AES-256
    real_method: int | None


class AesZipReader:
    """Parse and verify a WinZip AES archive from a seekable binary stream.

    Raises (from the constructor): IntegrityError when the end records or the central
    directory are missing, truncated or inconsistent.
    """

    def __init__(self, src: BinaryIO) -> None:
        self._src = src
        self.entries: list[ZipEntry] = self._read_central_directory()

    def member_data(self, entry: ZipEntry, passphrase: str) -> Iterator[bytes]:
        """Yield the plaintext of ``entry``; the HMAC is checked before the last piece.

        A stored member's pieces are released as they decrypt (check the end of iteration
        before trusting them); a deflated one the same, inflated.

        Raises:
            WrongPassphrase: the password verifier does not match.
            IntegrityError: not AE-2 AES-256, the HMAC fails, the data is truncated or does
                not inflate, or the size differs from the directory's.
        """
        if (entry.method != METHOD_AES or entry.aes_version != AE_2
                or entry.aes_vendor != AES_VENDOR or entry.aes_strength != AES_STRENGTH_256
                or entry.real_method not in (METHOD_STORED, METHOD_DEFLATED)
                or entry.packed_size < AES_OVERHEAD):
            raise IntegrityError("A bundle member is not AES-256 (AE-2) encrypted.")
        self._src.seek(entry.offset)
        local = self._read_exact(_LOCAL.size)
        sig, _ver, _flags, _method, *_rest, name_len, extra_len = _LOCAL.unpack(local)
        if sig != _LOCAL_SIG:
            raise IntegrityError("A bundle member's header is damaged.")
        self._src.seek(entry.offset + _LOCAL.size + name_len + extra_len)
        head = self._read_exact(SALT_LEN + VERIFIER_LEN)
        aes_key, hmac_key, verifier = derive_keys(encode_passphrase(passphrase),
                                                  head[:SALT_LEN])
        if not hmac.compare_digest(verifier, head[SALT_LEN:]):
            raise WrongPassphrase("That passphrase does not open this bundle.")
        ctr = WinZipCtr(aes_key)
        mac = hmac.new(hmac_key, digestmod="sha1")
        inflater = zlib.decompressobj(-15) if entry.real_method == METHOD_DEFLATED else None
        remaining = entry.packed_size - AES_OVERHEAD
        produced = 0
        try:
            while remaining:
                cipher = self._read_exact(min(remaining, _READ_CHUNK))
                remaining -= len(cipher)
                mac.update(cipher)
                plain = bytes(ctr.process(cipher))
                if inflater is not None:
                    try:
                        plain = inflater.decompress(plain)
                    except zlib.error as exc:
                        raise IntegrityError("A bundle member does not decompress.") from exc
                if remaining == 0:
                    self._check_tag(mac)
                    if inflater is not None:
                        if not inflater.eof:
                            raise IntegrityError("A bundle member is truncated.")
                        plain += inflater.flush()
                produced += len(plain)
                if remaining == 0 and produced != entry.size:
                    raise IntegrityError("A bundle member has the wrong size.")
                if plain:
                    yield plain
            if entry.packed_size == AES_OVERHEAD:
                self._check_tag(mac)
                if entry.size != 0:
                    raise IntegrityError("A bundle member has the wrong size.")
        finally:
            ctr.wipe()

    def read(self, name: str, passphrase: str) -> bytes:
        """The whole plaintext of the member ``name``.

        Raises: NotFound when there is no such member, and as ``member_data``.
        """
        for entry in self.entries:
            if entry.name == name:
                return b"".join(self.member_data(entry, passphrase))
        raise NotFound("The bundle has no member of that name.")

    def verify(self, passphrase: str) -> dict[str, str]:
        """Decrypt and authenticate every member; returns ``{name: sha256 hex}``.

        Raises: as ``member_data`` for the first member that fails.
        """
        digests: dict[str, str] = {}
        for entry in self.entries:
            digest = hashlib.sha256()
            for piece in self.member_data(entry, passphrase):
                digest.update(piece)
            digests[entry.name] = digest.hexdigest()
        return digests

    # -- internals --

    def _check_tag(self, mac: hmac.HMAC) -> None:
        tag = self._read_exact(AUTH_LEN)
        if not hmac.compare_digest(mac.digest()[:AUTH_LEN], tag):
            raise IntegrityError("A bundle member failed its integrity check.")

    def _read_exact(self, n: int) -> bytes:
        data = self._src.read(n)
        if len(data) != n:
            raise IntegrityError("The bundle is truncated.")
        return data

    def _read_central_directory(self) -> list[ZipEntry]:
        src = self._src
        end = src.seek(0, os.SEEK_END)
        tail_len = min(end, _EOCD.size + _U16)
        src.seek(end - tail_len)
        tail = src.read(tail_len)
        at = tail.rfind(struct.pack("<I", _EOCD_SIG))
        if at < 0 or at + _EOCD.size > len(tail):
            raise IntegrityError("This is not a zip archive (no end record).")
        eocd_at = end - tail_len + at
        (_sig, _disk, _cd_disk, _n_disk, count, cd_size, cd_start,
         _comment) = _EOCD.unpack(tail[at:at + _EOCD.size])
        if _U16 in (count,) or _U32 in (cd_size, cd_start):
            if eocd_at < _ZIP64_LOCATOR.size:
                raise IntegrityError("The bundle's ZIP64 records are missing.")
            src.seek(eocd_at - _ZIP64_LOCATOR.size)
            sig, _d, eocd64_at, _disks = _ZIP64_LOCATOR.unpack(
                self._read_exact(_ZIP64_LOCATOR.size))
            if sig != _ZIP64_LOCATOR_SIG:
                raise IntegrityError("The bundle's ZIP64 locator is missing.")
            src.seek(eocd64_at)
            fields = _ZIP64_EOCD.unpack(self._read_exact(_ZIP64_EOCD.size))
            if fields[0] != _ZIP64_EOCD_SIG:
                raise IntegrityError("The bundle's ZIP64 end record is damaged.")
            count, cd_size, cd_start = fields[7], fields[8], fields[9]
        if cd_start + cd_size > end:
            raise IntegrityError("The bundle's central directory is truncated.")
        src.seek(cd_start)
        directory = self._read_exact(cd_size)
        entries: list[ZipEntry] = []
        pos = 0
        for _ in range(count):
            if pos + _CENTRAL.size > len(directory):
                raise IntegrityError("The bundle's central directory is truncated.")
            (sig, _made, _need, flags, method, _t, _d, crc, csize, usize, name_len, extra_len,
             comment_len, _disk, _int, _ext, offset) = _CENTRAL.unpack_from(directory, pos)
            if sig != _CENTRAL_SIG:
                raise IntegrityError("The bundle's central directory is damaged.")
            pos += _CENTRAL.size
            name = directory[pos:pos + name_len]
            extra = directory[pos + name_len:pos + name_len + extra_len]
            pos += name_len + extra_len + comment_len
            entry = _parse_extras(name, flags, method, crc, csize, usize, offset, extra)
            entries.append(entry)
        return entries


def _parse_extras(name: bytes, flags: int, method: int, crc: int, csize: int, usize: int,
                  offset: int, extra: bytes) -> ZipEntry:
    zip64 = False
    aes: tuple[int, bytes, int, int] | None = None
    pos = 0
    while pos + 4 <= len(extra):
        tag, size = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4:pos + 4 + size]
        if len(body) != size:
            raise IntegrityError("A bundle member's extra field is truncated.")
        if tag == ZIP64_EXTRA_ID:
            zip64 = True
            values = list(struct.unpack(f"<{size // 8}Q", body[:size - size % 8]))
            if usize == _U32 and values:
                usize = values.pop(0)
            if csize == _U32 and values:
                csize = values.pop(0)
            if offset == _U32 and values:
                offset = values.pop(0)
        elif tag == AES_EXTRA_ID and size == 7:
            version, vendor, strength, real = struct.unpack("<H2sBH", body)
            aes = (version, vendor, strength, real)
        pos += 4 + size
    try:
        text = name.decode("ascii")
    except UnicodeDecodeError:
        text = name.decode("utf-8", "replace")
    return ZipEntry(
        name=text, method=method, flags=flags, crc=crc, size=usize, packed_size=csize,
        offset=offset, zip64=zip64,
        aes_version=aes[0] if aes else None, aes_vendor=aes[1] if aes else None,
        aes_strength=aes[2] if aes else None, real_method=aes[3] if aes else None,
    )
