"""CVF1: the encrypted document format (DESIGN §4), a STREAM construction over AES-256-GCM.

Layout (the byte-exact description is ``docs/crypto-format.md``)::

    header (64): "CVLT" | 0x01 version | 0x01 suite | 0x10 log2(segment) | 0x00 flags
                 | file id (16) | salt (32) | nonce prefix (7) | 0x00
    segment i:   AES-256-GCM(file key, nonce_i, plaintext_i, aad = header) = ct ‖ tag (16)
    nonce_i:     nonce prefix (7) ‖ uint32 BE i ‖ 0x01 if last else 0x00
    file key:    HKDF-SHA256(DEK, salt, info = "casevault/v1/file" ‖ case id ‖ file id
                 ‖ header[0:8])

Every segment but the last holds exactly 64 KiB of plaintext; the last holds 1..64 KiB, and is
empty only when the whole file is empty (a file that is an exact multiple of 64 KiB ends with a
full last segment, so there is one canonical encoding and the writer never needs to emit an
extra empty segment). Encryption and decryption run in constant memory (a few 1 MiB buffers,
whatever the file size); the plaintext's SHA-256 is computed on a helper thread alongside
AES-GCM, and a regular-file destination is written out behind the writer (``_WriteBehind``).

Reader rules: the case id and file id come from the caller (the database row), never from the
file; exactly one segment carries the last flag and it is the physical last; every failure —
bad magic/version/suite, another file id, a bad tag, truncation anywhere, trailing bytes,
reordered segments, another case's key — is one ``IntegrityError``. I/O errors of the source or
destination propagate as ``OSError`` for the caller to map.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import io
import logging
import os
import stat
import struct
import threading
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from vault.crypto import aead
from vault.crypto.secret import SecretKey
from vault.errors import Cancelled, IntegrityError

log = logging.getLogger(__name__)

MAGIC = b"CVLT"
VERSION = 0x01
SUITE_AES256GCM_HKDF_SHA256 = 0x01
LOG2_SEGMENT = 0x10
FLAGS = 0x00
SEGMENT = 1 << LOG2_SEGMENT  # 65536 bytes of plaintext per segment
TAG_LEN = 16
FRAME = SEGMENT + TAG_LEN  # one full segment on disk
HEADER_LEN = 64
FILE_ID_LEN = 16
SALT_LEN = 32
NONCE_PREFIX_LEN = 7
MAX_SEGMENTS = 1 << 32  # the segment counter is a uint32
FILE_KEY_INFO = b"casevault/v1/file"
# I/O moves 16 segments at a time: fewer calls per byte and a unit worth hashing in parallel.
BATCH_SEGMENTS = 16
BATCH_PLAINTEXT = BATCH_SEGMENTS * SEGMENT
BATCH_FRAMES = BATCH_SEGMENTS * FRAME
# A regular-file destination is written out behind us every this many bytes (see _WriteBehind).
WRITE_BEHIND_BYTES = 32 * 1024 * 1024

_FIXED_PREFIX = MAGIC + bytes((VERSION, SUITE_AES256GCM_HKDF_SHA256, LOG2_SEGMENT, FLAGS))
_FILE_ID_AT = 8
_SALT_AT = _FILE_ID_AT + FILE_ID_LEN  # 24
_PREFIX_AT = _SALT_AT + SALT_LEN  # 56
_RESERVED_AT = _PREFIX_AT + NONCE_PREFIX_LEN  # 63


@dataclass(frozen=True)
class EncryptResult:
    """What ``encrypt_stream`` wrote: sizes in bytes and the plaintext's SHA-256 (hex)."""

    plaintext_size: int
    ciphertext_size: int
    sha256: str


@dataclass(frozen=True)
class DecryptResult:
    """What ``decrypt_stream`` released: the plaintext size and its SHA-256 (hex)."""

    plaintext_size: int
    sha256: str


def new_file_id() -> bytes:
    """16 random bytes naming a new CVF1 file (a new one for every write; files are immutable)."""
    return os.urandom(FILE_ID_LEN)


def ciphertext_size(plaintext_size: int) -> int:
    """The exact size of the CVF1 file for ``plaintext_size`` bytes of plaintext."""
    if plaintext_size < 0:
        raise ValueError("size must not be negative")
    segments = max(1, -(-plaintext_size // SEGMENT))
    return HEADER_LEN + plaintext_size + segments * TAG_LEN


def encrypt_stream(
    src: BinaryIO,
    dst: BinaryIO,
    dek: SecretKey,
    *,
    case_id: str,
    file_id: bytes,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    _salt: bytes | None = None,
    _nonce_prefix: bytes | None = None,
) -> EncryptResult:
    """Encrypt everything readable from ``src`` into ``dst`` as one CVF1 file.

    Reads ``src`` in batches of 16 segments (1 MiB) with one batch of look-ahead, which is how
    the last segment is known (a short read, or a full one followed by end of file); memory
    stays constant whatever the size. ``progress(plaintext_bytes_done)`` is called after each
    segment is written; ``cancelled()`` is checked before each segment. The caller writes
    ``dst`` to a temp file and removes it if this raises, and flushes and fsyncs it on success
    (when ``dst`` is a regular file this already asks the OS to write it out every 32 MiB, so
    that final fsync does not wait for the whole file). ``_salt`` and ``_nonce_prefix`` exist
    only for known-answer tests; the product always leaves them random.

    Raises:
        Cancelled: ``cancelled()`` returned true; ``dst`` holds a partial file.
        ValueError: ``case_id`` is empty, ``file_id`` is not 16 bytes, or a test value has the
            wrong length.
        VaultLocked: ``dek`` has been wiped.
        OSError: reading ``src`` or writing ``dst`` failed (or a callback raised it).
    """
    _check_ids(case_id, file_id)
    salt = os.urandom(SALT_LEN) if _salt is None else bytes(_salt)
    prefix = os.urandom(NONCE_PREFIX_LEN) if _nonce_prefix is None else bytes(_nonce_prefix)
    if len(salt) != SALT_LEN or len(prefix) != NONCE_PREFIX_LEN:
        raise ValueError("wrong salt or nonce prefix length")
    header = _FIXED_PREFIX + bytes(file_id) + salt + prefix + b"\x00"
    cipher = _file_cipher(dek, case_id, file_id, header)

    batches = (bytearray(BATCH_PLAINTEXT), bytearray(BATCH_PLAINTEXT))
    views = (memoryview(batches[0]), memoryview(batches[1]))
    out = bytearray(FRAME)
    out_view = memoryview(out)
    nonce = bytearray(prefix + bytes(5))
    hasher = _Sha256Pipeline()
    behind = _WriteBehind(dst)
    try:
        _write_all(dst, header)
        written = HEADER_LEN
        done = 0
        index = 0
        slot = 0
        n = _read_into(src, views[slot])
        while True:
            current = views[slot][:n]
            hasher.submit(current)  # hashes on a helper thread while this batch is encrypted
            if n < BATCH_PLAINTEXT:
                final, next_n = True, 0
            else:
                next_n = _read_into(src, views[1 - slot])  # that batch's hash has finished
                final = next_n == 0
            count = max(1, -(-n // SEGMENT))  # an empty file is one empty segment
            for k in range(count):
                if cancelled is not None and cancelled():
                    raise Cancelled()
                if index >= MAX_SEGMENTS:
                    raise ValueError("file too large for CVF1")
                plain = current[k * SEGMENT:(k + 1) * SEGMENT]
                _set_nonce(nonce, index, final and k == count - 1)
                frame = out_view[:len(plain) + TAG_LEN]
                cipher.encrypt_into(nonce, plain, header, frame)
                _write_all(dst, frame)
                written += len(frame)
                behind.wrote(written)
                done += len(plain)
                index += 1
                if progress is not None:
                    progress(done)
            if final:
                break
            slot, n = 1 - slot, next_n
        digest = hasher.hexdigest()
    finally:
        behind.close()
        hasher.close()
        for buf in (*batches, out):
            buf[:] = bytes(len(buf))
    return EncryptResult(plaintext_size=done, ciphertext_size=written, sha256=digest)


def decrypt_stream(
    src: BinaryIO,
    dst: BinaryIO,
    dek: SecretKey,
    *,
    case_id: str,
    file_id: bytes,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> DecryptResult:
    """Verify and decrypt a CVF1 file from ``src`` into ``dst``.

    Every segment is verified before it is written, but the file as a whole is only known good
    when this returns (reader rule 3): ``dst`` may already hold a prefix of the plaintext when
    it raises. The CALLER must therefore write to a private temp file and delete it on any
    error, moving it into place only after this returns (and flush and fsync it; a regular
    file is already written out behind us every 32 MiB). ``progress(plaintext_bytes_done)``
    after each segment is written; ``cancelled()`` is checked before each segment.

    Raises:
        IntegrityError: any failure of the file (see the module docstring).
        Cancelled: ``cancelled()`` returned true.
        ValueError: ``case_id`` is empty or ``file_id`` is not 16 bytes.
        VaultLocked: ``dek`` has been wiped.
        OSError: reading ``src`` or writing ``dst`` failed.
    """
    done = 0
    hasher = _Sha256Pipeline()
    behind = _WriteBehind(dst)
    batches = _verified_batches(src, dek, case_id, file_id)
    try:
        for batch, final in batches:
            hasher.submit(batch)  # the batch stays untouched until the next-but-one is read
            for offset in range(0, max(1, len(batch)), SEGMENT):
                if cancelled is not None and cancelled():
                    raise Cancelled()
                segment = batch[offset:offset + SEGMENT]
                _write_all(dst, segment)
                done += len(segment)
                behind.wrote(done)
                if progress is not None:
                    progress(done)
            if final:
                # Do not resume the generator: finishing would zero the buffer being hashed.
                break
        digest = hasher.hexdigest()
    finally:
        behind.close()
        hasher.close()  # before the generator zeroes the buffers the helper may be reading
        batches.close()
    return DecryptResult(plaintext_size=done, sha256=digest)


def decrypt_to_bytes(
    src: BinaryIO | bytes | bytearray,
    dek: SecretKey,
    *,
    case_id: str,
    file_id: bytes,
    progress: Callable[[int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> bytes:
    """Verify and decrypt a whole CVF1 file into memory (for the in-app viewer).

    All or nothing: plaintext is returned only once the last segment has verified; on failure
    or cancel the partial plaintext is overwritten before the error propagates.
    ``progress(plaintext_bytes_done)`` after each verified batch; ``cancelled()`` before each.

    Raises:
        IntegrityError: any failure of the file.
        Cancelled: ``cancelled()`` returned true.
        ValueError: ``case_id`` is empty or ``file_id`` is not 16 bytes.
        VaultLocked: ``dek`` has been wiped.
        OSError: reading ``src`` failed.
    """
    stream = _as_stream(src)
    # Size the buffer once when the source can say how long it is, so growing it does not
    # leave stray copies of plaintext in freed memory.
    collected = bytearray(max(0, (_remaining(stream) or 0) - HEADER_LEN))
    done = 0
    batches = _verified_batches(stream, dek, case_id, file_id)
    try:
        for plain, _final in batches:
            if cancelled is not None and cancelled():
                raise Cancelled()
            end = done + len(plain)
            if end > len(collected):
                collected.extend(bytes(end - len(collected)))
            collected[done:end] = plain
            done = end
            if progress is not None:
                progress(done)
        return bytes(memoryview(collected)[:done])
    finally:
        batches.close()
        collected[:] = bytes(len(collected))


def iter_plaintext(
    src: BinaryIO | bytes | bytearray, dek: SecretKey, *, case_id: str, file_id: bytes
) -> Iterator[bytes]:
    """Yield the plaintext one verified segment at a time (constant memory).

    A segment is yielded only after its own tag verifies, but the file is only known complete
    and untampered when the iterator finishes without error: a consumer that needs all or
    nothing must discard what it received if ``IntegrityError`` is raised part-way.

    Raises (while iterating):
        IntegrityError: any failure of the file.
        ValueError: ``case_id`` is empty or ``file_id`` is not 16 bytes.
        VaultLocked: ``dek`` has been wiped.
        OSError: reading ``src`` failed.
    """
    batches = _verified_batches(_as_stream(src), dek, case_id, file_id)
    try:
        for batch, _final in batches:
            for offset in range(0, max(1, len(batch)), SEGMENT):
                yield bytes(batch[offset:offset + SEGMENT])
    finally:
        batches.close()


def read_header_file_id(src: BinaryIO | bytes | bytearray) -> bytes:
    """The file id in a CVF1 header, after checking magic, version, suite, segment size, flags
    and the reserved byte. Consumes the 64 header bytes of a stream. Authenticates nothing: the
    id is only a hint until the file is decrypted with the id from the database.

    Raises:
        IntegrityError: the header is short or not a CVF1 version 1 header.
        OSError: reading ``src`` failed.
    """
    header = _read_header(_as_stream(src))
    return bytes(header[_FILE_ID_AT:_SALT_AT])


# -- internals ---------------------------------------------------------------------------------


def _verified_batches(
    src: BinaryIO, dek: SecretKey, case_id: str, file_id: bytes
) -> Generator[tuple[memoryview, bool], None, None]:
    """Yield ``(plaintext, final)`` for up to 16 verified segments at a time (reader rules 1, 2
    and 5); ``final`` is true for the batch holding the verified physical last segment.

    Reads a batch of frames with one batch of look-ahead, which tells whether the batch holds
    the physical last segment; only that one is opened with the last flag. Each yielded view
    stays valid and unchanged until the generator is resumed twice (two plaintext buffers
    alternate), so a consumer may hash one batch while the next is decrypted. Every buffer is
    zeroed when the generator ends or is closed.
    """
    _check_ids(case_id, file_id)
    header = _read_header(src)
    if not hmac.compare_digest(header[_FILE_ID_AT:_SALT_AT], bytes(file_id)):
        log.warning("cvf1: header file id does not match the expected one")
        raise IntegrityError()
    cipher = _file_cipher(dek, case_id, file_id, header)
    # A small file gets buffers of its own size: allocating and zeroing four 1 MiB buffers
    # per file dominated reading thousands of small documents (an export of 2,000 notes).
    remaining = _remaining(src)
    batch_segments = BATCH_SEGMENTS if remaining is None else max(
        1, min(BATCH_SEGMENTS, -(-remaining // FRAME)))
    batch_frames = batch_segments * FRAME
    frames = (bytearray(batch_frames), bytearray(batch_frames))
    frame_views = (memoryview(frames[0]), memoryview(frames[1]))
    plains = (bytearray(batch_segments * SEGMENT), bytearray(batch_segments * SEGMENT))
    plain_views = (memoryview(plains[0]), memoryview(plains[1]))
    nonce = bytearray(header[_PREFIX_AT:_RESERVED_AT] + bytes(5))
    try:
        index = 0
        slot = 0
        turn = 0
        n = _read_into(src, frame_views[slot])
        while True:
            if n < batch_frames:
                final, next_n = True, 0  # a short read means end of file was reached
            else:
                next_n = _read_into(src, frame_views[1 - slot])
                final = next_n == 0
            count = -(-n // FRAME)
            last_size = n - (count - 1) * FRAME
            if count == 0 or last_size < TAG_LEN:
                raise IntegrityError()  # no segment at all, or no room for the last tag
            if final and last_size == TAG_LEN and index + count > 1:
                raise IntegrityError()  # an empty last segment only ever ends an empty file
            cipher_batch = frame_views[slot]
            plain_batch = plain_views[turn]
            produced = 0
            for k in range(count):
                if index >= MAX_SEGMENTS:
                    raise IntegrityError()
                frame = cipher_batch[k * FRAME:min((k + 1) * FRAME, n)]
                size = len(frame) - TAG_LEN
                _set_nonce(nonce, index, final and k == count - 1)
                try:
                    cipher.decrypt_into(
                        nonce, frame, header, plain_batch[produced:produced + size]
                    )
                except InvalidTag:
                    plains[turn][:] = bytes(len(plains[turn]))  # may hold unverified plaintext
                    raise IntegrityError() from None
                produced += size
                index += 1
            yield plain_batch[:produced], final
            if final:
                return
            slot, n = 1 - slot, next_n
            turn = 1 - turn
    finally:
        for buf in (*frames, *plains):
            buf[:] = bytes(len(buf))


class _Sha256Pipeline:
    """SHA-256 over a sequence of buffers, hashed on one helper thread for large inputs.

    hashlib releases the GIL while it hashes a large buffer, so the caller can encrypt or write
    the same data meanwhile: import and export then cost about max(AES-GCM, SHA-256) rather
    than their sum. A buffer passed to ``submit`` must stay unchanged until the next
    ``submit``, ``hexdigest`` or ``close`` returns. Small inputs are hashed inline.
    """

    def __init__(self) -> None:
        self._digest = hashlib.sha256()
        self._executor: ThreadPoolExecutor | None = None
        self._pending: Future[None] | None = None

    def submit(self, data: memoryview) -> None:
        self._wait()
        if len(data) < BATCH_PLAINTEXT:
            self._digest.update(data)
            return
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cvf1-sha256")
        self._pending = self._executor.submit(self._digest.update, data)

    def hexdigest(self) -> str:
        self._wait()
        return self._digest.hexdigest()

    def close(self) -> None:
        """Wait for any hashing in flight (its result ignored) and stop the helper thread."""
        pending, self._pending = self._pending, None
        if pending is not None:
            with contextlib.suppress(Exception):
                pending.result()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None

    def _wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()


class _WriteBehind:
    """Ask the OS to write a regular-file destination out while we keep producing it.

    Without this, a large file sits dirty in the page cache and the caller's final fsync
    writes all of it while the CPU waits; with it, disk writes overlap encryption and the
    final fsync has little left to do. A helper thread runs ``fdatasync`` each time another
    ``WRITE_BEHIND_BYTES`` have been written; it never blocks the writer. Errors are ignored
    here: the caller's own fsync reports them. Streams without a file descriptor, pipes and
    files under 32 MiB get no thread at all.
    """

    def __init__(self, dst: BinaryIO) -> None:
        self._fd: int | None = None
        self._next_at = WRITE_BEHIND_BYTES
        self._wake = threading.Event()
        self._stop = False
        self._thread: threading.Thread | None = None
        try:
            fd = dst.fileno()
            if stat.S_ISREG(os.fstat(fd).st_mode):
                self._fd = fd
        except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
            self._fd = None

    def wrote(self, total: int) -> None:
        """Note that ``total`` bytes have been handed to the destination so far."""
        if self._fd is None or total < self._next_at:
            return
        self._next_at = total + WRITE_BEHIND_BYTES
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, args=(self._fd,), name="cvf1-write-behind", daemon=True
            )
            self._thread.start()
        self._wake.set()

    def close(self) -> None:
        """Stop the helper; returns once any write-out in progress has finished."""
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
                return  # the caller's final fsync will report it


def _read_header(src: BinaryIO) -> bytes:
    header = bytearray(HEADER_LEN)
    if _read_into(src, memoryview(header)) != HEADER_LEN:
        raise IntegrityError()
    if (
        header[:len(_FIXED_PREFIX)] != _FIXED_PREFIX
        or header[_RESERVED_AT] != 0
    ):
        raise IntegrityError()
    return bytes(header)


def _file_cipher(dek: SecretKey, case_id: str, file_id: bytes, header: bytes) -> AESGCM:
    """One AESGCM object per file (creating one per segment would cost speed)."""
    info = FILE_KEY_INFO + case_id.encode("utf-8") + file_id + header[:_FILE_ID_AT]
    file_key = aead.derive_subkey(dek, info, header[_SALT_AT:_PREFIX_AT])
    with file_key, file_key.view() as material:
        return AESGCM(material)


def _set_nonce(nonce: bytearray, index: int, last: bool) -> None:
    struct.pack_into(">IB", nonce, NONCE_PREFIX_LEN, index, 1 if last else 0)


def _check_ids(case_id: str, file_id: bytes) -> None:
    if not isinstance(case_id, str) or not case_id:
        raise ValueError("case_id is required")
    if not isinstance(file_id, bytes | bytearray) or len(file_id) != FILE_ID_LEN:
        raise ValueError(f"file_id must be {FILE_ID_LEN} bytes")


def _as_stream(src: BinaryIO | bytes | bytearray) -> BinaryIO:
    if isinstance(src, bytes | bytearray):
        return io.BytesIO(src)
    return src


def _remaining(src: BinaryIO) -> int | None:
    """Bytes left in a seekable source, or None when it cannot say."""
    try:
        position = src.tell()
        end = src.seek(0, io.SEEK_END)
        src.seek(position)
    except (OSError, AttributeError, ValueError):
        return None
    return max(0, end - position)


def _read_into(src: BinaryIO, view: memoryview) -> int:
    """Fill ``view`` from ``src``; return how many bytes were read (less only at end of file)."""
    readinto = getattr(src, "readinto", None)
    total = 0
    wanted = len(view)
    while total < wanted:
        if readinto is not None:
            got = readinto(view[total:])
        else:
            data = src.read(wanted - total)
            got = len(data)
            view[total:total + got] = data
        if not got:  # 0 at end of file; None from a non-blocking source that has nothing yet
            break
        total += got
    return total


def _write_all(dst: BinaryIO, data: bytes | memoryview) -> None:
    view = memoryview(data)
    total = 0
    while total < len(view):
        written = dst.write(view[total:])
        if not written:
            raise OSError("the destination accepted no bytes")
        total += written
