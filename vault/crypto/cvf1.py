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
whatever the file size); the plaintext's SHA-256 is computed on one helper thread and the
destination is written on another (``_Writer``) while AES-GCM runs on the caller's thread.

Reader rules: the case id and file id come from the caller (the database row), never from the
file; exactly one segment carries the last flag and it is the physical last; every failure —
bad magic/version/suite, another file id, a bad tag, truncation anywhere, trailing bytes,
reordered segments, another case's key — is one ``IntegrityError``. I/O errors of the source or
destination propagate as ``OSError`` for the caller to map.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import hmac
import io
import logging
import mmap
import os
import struct
import sys
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
# I/O moves 32 segments (2 MiB) at a time: few calls per byte, and a unit worth hashing and
# writing on helper threads while the next one is encrypted.
BATCH_SEGMENTS = 32
BATCH_PLAINTEXT = BATCH_SEGMENTS * SEGMENT
BATCH_FRAMES = BATCH_SEGMENTS * FRAME
# Writes end on file offsets that are a multiple of the page size.
ALIGN = 4096

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

    Reads ``src`` in batches of 32 segments (2 MiB) with one batch of look-ahead, which is how
    the last segment is known (a short read, or a full one followed by end of file); memory
    stays constant whatever the size. Three things run at once: AES-GCM on the calling
    thread (``encrypt_into`` straight into a preallocated, page-aligned output buffer), the
    plaintext's SHA-256 on one helper thread and the writes on another (``_Writer``: large
    writes that end on 4 KiB file offsets). ``progress(plaintext_bytes_done)`` is called after
    each segment is encrypted and queued; ``cancelled()`` is checked before each segment. The
    caller writes ``dst`` to a temp file and removes it if this raises, and fsyncs it once on
    success (every byte has been handed to ``dst`` when this returns). ``_salt`` and
    ``_nonce_prefix`` exist only for known-answer tests; the product always leaves them random.

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
    nonce = bytearray(prefix + bytes(5))
    hasher = _Sha256Pipeline()
    writer = _Writer(dst, BATCH_FRAMES + HEADER_LEN + ALIGN)
    try:
        writer.put(header)
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
                cipher.encrypt_into(nonce, plain, header, writer.reserve(len(plain) + TAG_LEN))
                written += len(plain) + TAG_LEN
                done += len(plain)
                index += 1
                if progress is not None:
                    progress(done)
            writer.flush(final=final)
            if final:
                break
            slot, n = 1 - slot, next_n
        digest = hasher.hexdigest()
        writer.finish()
    finally:
        writer.close(raise_error=False)
        hasher.close()
        for buf in batches:
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
    error, moving it into place only after this returns (and fsync it once; every byte has
    been handed to ``dst`` when this returns). Batches of 32 verified segments are written on
    a helper thread while the next batch is decrypted, and hashed on another.
    ``progress(plaintext_bytes_done)`` after each segment is verified and queued;
    ``cancelled()`` is checked before each segment.

    Raises:
        IntegrityError: any failure of the file (see the module docstring).
        Cancelled: ``cancelled()`` returned true.
        ValueError: ``case_id`` is empty or ``file_id`` is not 16 bytes.
        VaultLocked: ``dek`` has been wiped.
        OSError: reading ``src`` or writing ``dst`` failed.
    """
    done = 0
    hasher = _Sha256Pipeline()
    writer = _Writer(dst, 0)  # writes the generator's own buffers, no copy
    batches = _verified_batches(src, dek, case_id, file_id)
    try:
        for batch, final in batches:
            hasher.submit(batch)  # the batch stays untouched until the next-but-one is read
            for offset in range(0, max(1, len(batch)), SEGMENT):
                if cancelled is not None and cancelled():
                    raise Cancelled()
                done += len(batch[offset:offset + SEGMENT])
                if progress is not None:
                    progress(done)
            writer.write_view(batch)  # returns once the previous batch is written
            if final:
                # Do not resume the generator: finishing would zero the buffer being hashed.
                break
        digest = hasher.hexdigest()
        writer.finish()
    finally:
        writer.close(raise_error=False)  # before the generator zeroes the buffers it writes
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


class _Writer:
    """Writes a destination on a helper thread while the caller produces the next batch.

    Two modes. With ``capacity > 0`` the writer owns two page-aligned buffers (anonymous
    ``mmap``): the caller ``reserve``s room and encrypts straight into it, then ``flush``es;
    the buffer goes to the helper thread and the caller fills the other one meanwhile. Each
    write ends on a 4 KiB file offset (the few bytes past it are carried to the front of the
    next buffer), so the page cache never sees a partial page twice. With ``capacity == 0``
    the caller hands over views of its own buffers with ``write_view``; each call waits for
    the previous write, so a view must stay unchanged until the next ``write_view``,
    ``finish`` or ``close`` returns.

    There is no fsync here: the caller makes one at the end (a sync every few MiB would make
    the writes wait behind write-back). Errors of the helper are raised by the next call.
    Streams without a file descriptor (``BytesIO``) are written inline, without a thread.
    """

    def __init__(self, dst: BinaryIO, capacity: int) -> None:
        self._dst = dst
        self._threaded = _has_fd(dst)
        self._buffers = [mmap.mmap(-1, capacity), mmap.mmap(-1, capacity)] if capacity else []
        self._views = [memoryview(b) for b in self._buffers]
        self._slot = 0
        self._fill = 0
        self._offset = 0  # file offset of the first byte of the current buffer
        self._idle = threading.Semaphore(1)  # released when the helper has nothing in hand
        self._error: BaseException | None = None
        self._queue: list[memoryview | None] = []
        self._ready = threading.Condition()
        self._thread: threading.Thread | None = None
        self._written = 0  # bytes the helper has written (for write-back ranges)

    # -- producing into our own buffers --------------------------------------------------------

    def put(self, data: bytes) -> None:
        view = self.reserve(len(data))
        view[:] = data

    def reserve(self, size: int) -> memoryview:
        """``size`` bytes of the current buffer for the caller to fill now."""
        start = self._fill
        self._fill += size
        if self._fill > len(self._views[self._slot]):
            raise ValueError("batch larger than the write buffer")
        return self._views[self._slot][start:self._fill]

    def flush(self, *, final: bool) -> None:
        """Hand what was produced to the helper; keep the unaligned tail unless ``final``."""
        end = self._fill
        if not final:
            end -= (self._offset + end) % ALIGN
        current = self._views[self._slot]
        self._submit(current[:end])
        tail = self._fill - end
        nxt = 1 - self._slot
        if tail:
            self._views[nxt][:tail] = current[end:self._fill]  # before the helper can reuse it
        self._offset += end
        self._slot, self._fill = nxt, tail

    # -- writing the caller's buffers ----------------------------------------------------------

    def write_view(self, view: memoryview) -> None:
        self._submit(view)

    # -- the helper ----------------------------------------------------------------------------

    def _submit(self, view: memoryview) -> None:
        self._raise_pending()
        if not self._threaded:
            _write_all(self._dst, view)
            return
        self._idle.acquire()  # the previous write is done: its buffer may be reused
        if self._error is not None:  # it failed: hand the slot back, or close() waits forever
            self._idle.release()
            self._raise_pending()
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="cvf1-writer", daemon=True)
            self._thread.start()
        with self._ready:
            self._queue.append(view)
            self._ready.notify()

    def _run(self) -> None:
        while True:
            with self._ready:
                while not self._queue:
                    self._ready.wait()
                view = self._queue.pop(0)
            if view is None:
                return
            try:
                if self._error is None:
                    _write_all(self._dst, view)
                    self._start_writeback(len(view))
            except BaseException as exc:  # handed to the producer by the next call
                self._error = exc
            finally:
                del view
                self._idle.release()

    def _start_writeback(self, size: int) -> None:
        """Ask the kernel to start writing these bytes out now, without waiting for it.

        Linux ``sync_file_range(SYNC_FILE_RANGE_WRITE)`` is not a sync (it guarantees nothing;
        the caller's one fsync does): it only starts write-back early, so the disk works while
        the next batches are encrypted instead of all at the final fsync.
        """
        start = self._written
        self._written += size
        if _sync_file_range is not None and size:
            with contextlib.suppress(OSError):
                _sync_file_range(self._dst.fileno(), start, size)

    def _raise_pending(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def finish(self) -> None:
        """Wait until every byte handed over is written; raise the helper's error if any."""
        if self._thread is not None:
            self._idle.acquire()
            self._idle.release()
        self._raise_pending()

    def close(self, *, raise_error: bool = True) -> None:
        """Stop the helper (after any write in progress) and free the buffers."""
        if self._thread is not None:
            self._idle.acquire()
            with self._ready:
                self._queue.append(None)
                self._ready.notify()
            self._thread.join()
            self._thread = None
            self._idle.release()
        self._views.clear()
        for buf in self._buffers:
            with contextlib.suppress(BufferError):  # a caller still holding a view: GC frees it
                buf.close()
        self._buffers.clear()
        if raise_error:
            self._raise_pending()


def _load_sync_file_range() -> Callable[[int, int, int], None] | None:
    """``sync_file_range(fd, offset, n, SYNC_FILE_RANGE_WRITE)`` from libc on Linux, else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        func = libc.sync_file_range
    except (OSError, AttributeError):
        return None
    func.argtypes = (ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint)
    func.restype = ctypes.c_int
    write_flag = 2  # SYNC_FILE_RANGE_WRITE

    def start(fd: int, offset: int, size: int) -> None:
        if func(fd, offset, size, write_flag) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, os.strerror(errno))

    return start


_sync_file_range = _load_sync_file_range()


def _has_fd(dst: BinaryIO) -> bool:
    try:
        dst.fileno()
    except (OSError, AttributeError, ValueError, io.UnsupportedOperation):
        return False
    return True


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
