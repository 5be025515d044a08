"""CVF1: frozen known answers, an independent reader written from the spec, round trips at every
segment edge, and every tamper case of DESIGN §4 through every reader."""

from __future__ import annotations

import hashlib
import io
import os
import struct
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from vault.crypto import cvf1
from vault.crypto.secret import SecretKey
from vault.errors import Cancelled, IntegrityError, VaultLocked

SEG = cvf1.SEGMENT
FRAME = SEG + 16
HDR = cvf1.HEADER_LEN

# -- known-answer vectors (generated once, then frozen: the format must never drift) ---------

KAT_KEY = bytes(range(32))
KAT_CASE = "c0ffee00-case-0001"
KAT_FILE_ID = bytes.fromhex("00112233445566778899aabbccddeeff")
KAT_SALT = bytes(range(0x20, 0x40))
KAT_PREFIX = bytes.fromhex("a0a1a2a3a4a5a6")


def kat_plaintext(size: int) -> bytes:
    return bytes((i * 7 + 3) % 256 for i in range(size))


KAT_HEADER_HEX = (
    "43564c5401011000" "00112233445566778899aabbccddeeff"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f" "a0a1a2a3a4a5a600"
)
# size -> (ciphertext length, SHA-256 of the ciphertext, first 100 bytes of it in hex)
KAT_VECTORS: dict[int, tuple[int, str, str]] = {
    0: (
        80,
        "f52cbc0a307ad05985e4a7efa228287e15b75d31fb798794a4c4ed2514dff7f7",
        KAT_HEADER_HEX + "17fce2a38bf73e0c95589274f97ab7de",
    ),
    13: (
        93,
        "33baa1557d93b5041210601b461caea55b67067a80e3f557099cdf1a76359df5",
        KAT_HEADER_HEX + "7376f6d7ab2f44f408664f94291c0993705b0a759bae5c2816862d00d9",
    ),
    65536: (
        65616,
        "d7d054437d41ba6870d037826b170ff90fcc966b16ea1be8b2768aadaf13b037",
        KAT_HEADER_HEX
        + "7376f6d7ab2f44f408664f9429fe7a23bcf7a4a97258e2caf2a9dcb03142be296eaa35e9",
    ),
    131172: (
        131284,
        "c2cab3826fa3b41fabfcc0ef25168df9941f954b94d3a59f8c4f618203d323ff",
        KAT_HEADER_HEX
        + "512feaf7f9cc182601db128625dae241c36675d19d76c9609e50961e22e3a5f1f976b8a9",
    ),
}


def _kat_encrypt(size: int) -> tuple[bytes, cvf1.EncryptResult]:
    out = io.BytesIO()
    result = cvf1.encrypt_stream(
        io.BytesIO(kat_plaintext(size)), out, SecretKey(KAT_KEY), case_id=KAT_CASE,
        file_id=KAT_FILE_ID, _salt=KAT_SALT, _nonce_prefix=KAT_PREFIX,
    )
    return out.getvalue(), result


@pytest.mark.parametrize("size", sorted(KAT_VECTORS))
def test_known_answer_vectors(size: int) -> None:
    length, digest, first100 = KAT_VECTORS[size]
    blob, result = _kat_encrypt(size)
    assert len(blob) == length == result.ciphertext_size
    assert hashlib.sha256(blob).hexdigest() == digest
    assert blob[:100].hex() == first100
    assert result.plaintext_size == size
    assert result.sha256 == hashlib.sha256(kat_plaintext(size)).hexdigest()


# -- an independent reader/writer written from docs/crypto-format.md -------------------------


def spec_file_key(dek: bytes, case_id: str, file_id: bytes, header: bytes) -> bytes:
    info = b"casevault/v1/file" + case_id.encode("utf-8") + file_id + header[0:8]
    return HKDF(hashes.SHA256(), 32, header[24:56], info).derive(dek)


def spec_nonce(header: bytes, index: int, last: bool) -> bytes:
    return header[56:63] + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


def spec_decrypt(blob: bytes, dek: bytes, case_id: str, file_id: bytes) -> bytes:
    header = blob[:64]
    assert header[:8] == b"CVLT\x01\x01\x10\x00" and header[63] == 0
    assert header[8:24] == file_id
    gcm = AESGCM(spec_file_key(dek, case_id, file_id, header))
    body = blob[64:]
    frames = [body[i:i + FRAME] for i in range(0, len(body), FRAME)]
    return b"".join(
        gcm.decrypt(spec_nonce(header, i, i == len(frames) - 1), frame, header)
        for i, frame in enumerate(frames)
    )


def spec_encrypt(segments: list[bytes], flags: list[bool], dek: bytes, case_id: str,
                 file_id: bytes) -> bytes:
    """Encrypt arbitrary segments with arbitrary last flags (to forge valid-tag bad files)."""
    header = b"CVLT\x01\x01\x10\x00" + file_id + os.urandom(32) + os.urandom(7) + b"\x00"
    gcm = AESGCM(spec_file_key(dek, case_id, file_id, header))
    return header + b"".join(
        gcm.encrypt(spec_nonce(header, i, last), seg, header)
        for i, (seg, last) in enumerate(zip(segments, flags, strict=True))
    )


@pytest.mark.parametrize("size", sorted(KAT_VECTORS))
def test_spec_reader_opens_the_known_answers(size: int) -> None:
    blob, _ = _kat_encrypt(size)
    assert spec_decrypt(blob, KAT_KEY, KAT_CASE, KAT_FILE_ID) == kat_plaintext(size)


def test_product_reader_opens_a_spec_written_file() -> None:
    data = os.urandom(2 * SEG + 9)
    segments = [data[:SEG], data[SEG:2 * SEG], data[2 * SEG:]]
    blob = spec_encrypt(segments, [False, False, True], KAT_KEY, "case-x", KAT_FILE_ID)
    assert _decrypt_bytes(blob, case_id="case-x") == data


# -- round trips ------------------------------------------------------------------------------

FILE_ID = bytes(range(0x40, 0x50))
CASE = "case-0001"
SIZES = [0, 1, SEG - 1, SEG, SEG + 1, 3 * SEG + 5,
         16 * SEG - 1, 16 * SEG, 16 * SEG + 1, 33 * SEG + 17]


def _encrypt(data: bytes, *, dek: SecretKey | None = None, **kw: object) -> bytes:
    out = io.BytesIO()
    cvf1.encrypt_stream(io.BytesIO(data), out, dek or SecretKey(KAT_KEY), case_id=CASE,
                        file_id=FILE_ID, **kw)  # type: ignore[arg-type]
    return out.getvalue()


def _decrypt_bytes(blob: bytes, *, case_id: str = CASE, file_id: bytes = FILE_ID,
                   dek: SecretKey | None = None) -> bytes:
    fid = KAT_FILE_ID if case_id == "case-x" else file_id
    return cvf1.decrypt_to_bytes(blob, dek or SecretKey(KAT_KEY), case_id=case_id, file_id=fid)


@pytest.mark.parametrize("size", SIZES)
def test_round_trip_every_reader(size: int) -> None:
    data = os.urandom(size)
    out = io.BytesIO()
    enc = cvf1.encrypt_stream(io.BytesIO(data), out, SecretKey(KAT_KEY), case_id=CASE,
                              file_id=FILE_ID)
    blob = out.getvalue()
    assert len(blob) == enc.ciphertext_size == cvf1.ciphertext_size(size)
    assert enc.plaintext_size == size
    assert enc.sha256 == hashlib.sha256(data).hexdigest()
    assert cvf1.read_header_file_id(blob) == FILE_ID

    assert _decrypt_bytes(blob) == data
    sink = io.BytesIO()
    dec = cvf1.decrypt_stream(io.BytesIO(blob), sink, SecretKey(KAT_KEY), case_id=CASE,
                              file_id=FILE_ID)
    assert sink.getvalue() == data
    assert dec.plaintext_size == size and dec.sha256 == enc.sha256
    chunks = list(cvf1.iter_plaintext(io.BytesIO(blob), SecretKey(KAT_KEY), case_id=CASE,
                                      file_id=FILE_ID))
    assert b"".join(chunks) == data
    assert all(len(c) == SEG for c in chunks[:-1])
    assert spec_decrypt(blob, KAT_KEY, CASE, FILE_ID) == data


def test_segment_layout_rules() -> None:
    # Empty file: one empty last segment (a bare tag).
    assert len(_encrypt(b"")) == HDR + 16
    # An exact multiple ends with a full last segment; no extra empty segment.
    assert len(_encrypt(os.urandom(2 * SEG))) == HDR + 2 * FRAME
    assert len(_encrypt(os.urandom(2 * SEG + 1))) == HDR + 2 * FRAME + 17


def test_each_file_gets_fresh_salt_and_nonce_prefix() -> None:
    a, b = _encrypt(b"same"), _encrypt(b"same")
    assert a[24:63] != b[24:63]
    assert a[HDR:] != b[HDR:]


class TrickleReader(io.RawIOBase):
    """A source that returns at most a few bytes per read (a pipe or a slow network share)."""

    def __init__(self, data: bytes, step: int = 1000) -> None:
        self._data, self._pos, self._step = data, 0, step

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        chunk = self._data[self._pos:self._pos + min(self._step, len(buffer))]
        buffer[:len(chunk)] = chunk
        self._pos += len(chunk)
        return len(chunk)


class ReadOnlyStream:
    """A source with read() but no readinto()."""

    def __init__(self, data: bytes) -> None:
        self._io = io.BytesIO(data)

    def read(self, n: int = -1) -> bytes:
        return self._io.read(min(n, 777))


class ShortWriter(io.RawIOBase):
    """A destination that accepts at most 1000 bytes per write."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:  # type: ignore[no-untyped-def]
        chunk = bytes(b[:1000])
        self.data += chunk
        return len(chunk)


def test_short_reads_and_writes_give_the_same_file() -> None:
    data = os.urandom(2 * SEG + 333)
    expected = _encrypt(data, _salt=KAT_SALT, _nonce_prefix=KAT_PREFIX)
    for src in (TrickleReader(data), ReadOnlyStream(data)):
        out = ShortWriter()
        cvf1.encrypt_stream(src, out, SecretKey(KAT_KEY), case_id=CASE,  # type: ignore[arg-type]
                            file_id=FILE_ID, _salt=KAT_SALT, _nonce_prefix=KAT_PREFIX)
        assert bytes(out.data) == expected
    sink = ShortWriter()
    cvf1.decrypt_stream(TrickleReader(expected, 4096), sink,  # type: ignore[arg-type]
                        SecretKey(KAT_KEY), case_id=CASE, file_id=FILE_ID)
    assert bytes(sink.data) == data


def test_real_files_through_the_writer_thread(tmp_path: Path) -> None:
    data = os.urandom(40 * SEG + 3)
    src, enc, back = tmp_path / "src", tmp_path / "enc.cvf", tmp_path / "back"
    src.write_bytes(data)
    with open(src, "rb") as fin, open(enc, "wb") as fout:
        result = cvf1.encrypt_stream(fin, fout, SecretKey(KAT_KEY), case_id=CASE, file_id=FILE_ID)
    assert enc.stat().st_size == result.ciphertext_size
    with open(enc, "rb") as fin, open(back, "wb") as fout:
        cvf1.decrypt_stream(fin, fout, SecretKey(KAT_KEY), case_id=CASE, file_id=FILE_ID)
    assert back.read_bytes() == data
    helpers = [t.name for t in threading.enumerate()
               if t.name.startswith(("cvf1-writer", "cvf1-sha256"))]
    assert helpers == []


def test_writer_thread_failure_surfaces_as_the_os_error(tmp_path: Path) -> None:
    class FailingFile(io.FileIO):
        def write(self, b) -> int:  # type: ignore[no-untyped-def, override]
            if self.tell() > 3 * SEG:
                raise OSError(28, "No space left on device")
            return super().write(b)

    data = os.urandom(200 * SEG + 7)  # several batches, so the failure is on the helper
    with FailingFile(tmp_path / "enc", "w") as dst, pytest.raises(OSError) as err:
        cvf1.encrypt_stream(io.BytesIO(data), dst, SecretKey(KAT_KEY), case_id=CASE,
                            file_id=FILE_ID)
    assert err.value.errno == 28
    assert [t for t in threading.enumerate() if t.name.startswith("cvf1-writer")] == []


def test_large_writes_end_on_page_offsets(tmp_path: Path) -> None:
    offsets: list[int] = []

    class RecordingFile(io.FileIO):
        def write(self, b) -> int:  # type: ignore[no-untyped-def, override]
            n = super().write(b)
            offsets.append(self.tell())
            return n

    data = os.urandom(100 * SEG + 11)
    with RecordingFile(tmp_path / "enc", "w") as dst:
        result = cvf1.encrypt_stream(io.BytesIO(data), dst, SecretKey(KAT_KEY), case_id=CASE,
                                     file_id=FILE_ID, _salt=KAT_SALT, _nonce_prefix=KAT_PREFIX)
    assert offsets[-1] == result.ciphertext_size
    assert all(o % cvf1.ALIGN == 0 for o in offsets[:-1])
    assert len(offsets) <= 100 // cvf1.BATCH_SEGMENTS + 2  # a few large writes, not 100 small
    assert (tmp_path / "enc").read_bytes() == _encrypt(data, _salt=KAT_SALT,
                                                       _nonce_prefix=KAT_PREFIX)


# -- progress, cancel, argument checks -------------------------------------------------------


def test_progress_after_each_segment() -> None:
    data = os.urandom(3 * SEG + 5)
    seen: list[int] = []
    blob = _encrypt(data, progress=seen.append)
    assert seen == [SEG, 2 * SEG, 3 * SEG, 3 * SEG + 5]
    seen_dec: list[int] = []
    cvf1.decrypt_stream(io.BytesIO(blob), io.BytesIO(), SecretKey(KAT_KEY), case_id=CASE,
                        file_id=FILE_ID, progress=seen_dec.append)
    assert seen_dec == seen


def test_progress_on_an_empty_file() -> None:
    seen: list[int] = []
    _encrypt(b"", progress=seen.append)
    assert seen == [0]


def _cancel_after(calls: int) -> Callable[[], bool]:
    count = {"n": 0}

    def cancelled() -> bool:
        count["n"] += 1
        return count["n"] > calls

    return cancelled


def test_cancel_during_encrypt_and_decrypt() -> None:
    data = os.urandom(5 * SEG)
    with pytest.raises(Cancelled):
        _encrypt(data, cancelled=_cancel_after(2))
    blob = _encrypt(data)
    out = io.BytesIO()
    with pytest.raises(Cancelled):
        cvf1.decrypt_stream(io.BytesIO(blob), out, SecretKey(KAT_KEY), case_id=CASE,
                            file_id=FILE_ID, cancelled=_cancel_after(2))
    # Writes go out a batch at a time: nothing past the segment where it was cancelled.
    assert len(out.getvalue()) <= 2 * SEG


def test_a_callback_error_propagates_unchanged() -> None:
    def disk_full(done: int) -> None:
        if done >= 2 * SEG:
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        _encrypt(os.urandom(4 * SEG), progress=disk_full)


@pytest.mark.parametrize(
    "kw",
    [{"case_id": "", "file_id": FILE_ID}, {"case_id": CASE, "file_id": b"short"},
     {"case_id": CASE, "file_id": FILE_ID, "_salt": b"s"},
     {"case_id": CASE, "file_id": FILE_ID, "_nonce_prefix": b"12345678"}],
)
def test_bad_arguments(kw: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        cvf1.encrypt_stream(io.BytesIO(b"x"), io.BytesIO(), SecretKey(KAT_KEY), **kw)  # type: ignore[arg-type]


def test_bad_reader_arguments() -> None:
    blob = _encrypt(b"x")
    with pytest.raises(ValueError):
        cvf1.decrypt_to_bytes(blob, SecretKey(KAT_KEY), case_id="", file_id=FILE_ID)
    with pytest.raises(ValueError):
        cvf1.decrypt_to_bytes(blob, SecretKey(KAT_KEY), case_id=CASE, file_id=FILE_ID[:15])


def test_wiped_dek_is_refused() -> None:
    dek = SecretKey(KAT_KEY)
    blob = _encrypt(b"data", dek=dek)
    dek.wipe()
    with pytest.raises(VaultLocked):
        _encrypt(b"data", dek=dek)
    with pytest.raises(VaultLocked):
        cvf1.decrypt_to_bytes(blob, dek, case_id=CASE, file_id=FILE_ID)


def test_new_file_id_is_random_16_bytes() -> None:
    a, b = cvf1.new_file_id(), cvf1.new_file_id()
    assert len(a) == 16 and a != b


def test_ciphertext_size_formula() -> None:
    assert cvf1.ciphertext_size(0) == 80
    assert cvf1.ciphertext_size(SEG) == HDR + FRAME
    assert cvf1.ciphertext_size(SEG + 1) == HDR + FRAME + 17
    with pytest.raises(ValueError):
        cvf1.ciphertext_size(-1)


# -- tampering: every case is one IntegrityError through every reader -------------------------

TAMPER_SIZE = 3 * SEG + 100  # four segments, the last one short


def _tampered(how: str, blob: bytes) -> bytes:
    raw = bytearray(blob)
    if how.startswith("flip-header-"):
        raw[int(how.rsplit("-", 1)[1])] ^= 0x01
    elif how == "flip-body-first":
        raw[HDR + 100] ^= 0x01
    elif how == "flip-body-last":
        raw[HDR + 3 * FRAME + 10] ^= 0x01
    elif how == "flip-tag":
        raw[HDR + FRAME - 1] ^= 0x80
    elif how == "flip-last-tag":
        raw[-1] ^= 0x01
    elif how.startswith("truncate-boundary-"):
        raw = raw[:HDR + int(how.rsplit("-", 1)[1]) * FRAME]
    elif how == "truncate-mid":
        raw = raw[:HDR + FRAME + 500]
    elif how == "truncate-in-last-tag":
        raw = raw[:-1]
    elif how == "truncate-in-header":
        raw = raw[:HDR - 1]
    elif how == "truncate-empty":
        raw = bytearray()
    elif how.startswith("append-"):
        raw += os.urandom(int(how.rsplit("-", 1)[1]))
    elif how == "swap":
        a, b = raw[HDR:HDR + FRAME], raw[HDR + FRAME:HDR + 2 * FRAME]
        raw[HDR:HDR + 2 * FRAME] = b + a
    elif how == "drop-last":
        raw = raw[:HDR + 3 * FRAME]
    elif how == "drop-middle":
        raw = raw[:HDR + FRAME] + raw[HDR + 2 * FRAME:]
    elif how == "duplicate-segment":
        raw = raw[:HDR + FRAME] + raw[HDR:]
    else:
        raise AssertionError(how)
    return bytes(raw)


TAMPER_CASES = (
    [f"flip-header-{i}" for i in (0, 3, 4, 5, 6, 7, 8, 23, 24, 55, 56, 62, 63)]
    + ["flip-body-first", "flip-body-last", "flip-tag", "flip-last-tag",
       "truncate-boundary-0", "truncate-boundary-1", "truncate-boundary-2",
       "truncate-mid", "truncate-in-last-tag", "truncate-in-header", "truncate-empty",
       "append-1", "append-16", f"append-{FRAME}", "swap", "drop-last", "drop-middle",
       "duplicate-segment"]
)


def _every_reader(blob: bytes, *, case_id: str = CASE, file_id: bytes = FILE_ID,
                  dek: bytes = KAT_KEY) -> list[Callable[[], object]]:
    return [
        lambda: cvf1.decrypt_to_bytes(blob, SecretKey(dek), case_id=case_id, file_id=file_id),
        lambda: cvf1.decrypt_stream(io.BytesIO(blob), io.BytesIO(), SecretKey(dek),
                                    case_id=case_id, file_id=file_id),
        lambda: list(cvf1.iter_plaintext(blob, SecretKey(dek), case_id=case_id,
                                         file_id=file_id)),
    ]


@pytest.fixture(scope="module")
def good_blob() -> bytes:
    return _encrypt(os.urandom(TAMPER_SIZE))


@pytest.mark.parametrize("how", TAMPER_CASES)
def test_tampered_file_is_an_integrity_error(good_blob: bytes, how: str) -> None:
    bad = _tampered(how, good_blob)
    assert bad != good_blob
    for read in _every_reader(bad):
        with pytest.raises(IntegrityError):
            read()


def test_untampered_blob_reads_fine(good_blob: bytes) -> None:
    for read in _every_reader(good_blob):
        read()


def test_another_case_id_file_id_or_key(good_blob: bytes) -> None:
    for reads in (
        _every_reader(good_blob, case_id="case-0002"),
        _every_reader(good_blob, file_id=bytes(16)),
        _every_reader(good_blob, dek=bytes(32)),
    ):
        for read in reads:
            with pytest.raises(IntegrityError):
                read()


def test_file_copied_to_another_case_with_a_forged_file_id_still_fails(good_blob: bytes) -> None:
    # Same DEK, header file id edited to match another row: the header is the AAD of every
    # segment and an input of the file key, so nothing opens.
    forged = good_blob[:8] + bytes(16) + good_blob[24:]
    for read in _every_reader(forged, file_id=bytes(16)):
        with pytest.raises(IntegrityError):
            read()


def test_exact_multiple_tampered_at_the_end() -> None:
    blob = _encrypt(os.urandom(2 * SEG))
    for bad in (blob[:HDR + FRAME], blob + b"\x00", blob[:-1]):
        for read in _every_reader(bad):
            with pytest.raises(IntegrityError):
                read()


@pytest.mark.parametrize(
    ("segments", "flags"),
    [
        ([b"a" * SEG, b"b" * SEG], [False, False]),  # no segment carries the last flag
        ([b"a" * SEG, b"b" * 10], [True, True]),  # last flag on a segment that is not last
        ([b"a" * SEG, b"b" * 10], [True, False]),  # flags swapped
        ([b"a" * SEG, b""], [False, True]),  # an empty last segment after a full one
        ([b"a" * 10], [False]),  # a single segment without the last flag
        ([b""], [False]),  # an empty file without the last flag
    ],
)
def test_forged_files_with_valid_tags_but_wrong_structure(
    segments: list[bytes], flags: list[bool]
) -> None:
    blob = spec_encrypt(segments, flags, KAT_KEY, CASE, FILE_ID)
    for read in _every_reader(blob):
        with pytest.raises(IntegrityError):
            read()


def test_a_forged_well_formed_file_is_accepted() -> None:
    # Control for the test above: the same forger with correct flags produces a good file.
    blob = spec_encrypt([b"a" * SEG, b"b" * 10], [False, True], KAT_KEY, CASE, FILE_ID)
    assert _decrypt_bytes(blob) == b"a" * SEG + b"b" * 10


def test_stream_reader_writes_only_verified_segments(good_blob: bytes) -> None:
    # Rule 3 is the caller's: decrypt_stream may have written earlier verified segments
    # before it finds the damage, never the damaged segment itself.
    bad = _tampered("flip-body-last", good_blob)
    out = io.BytesIO()
    with pytest.raises(IntegrityError):
        cvf1.decrypt_stream(io.BytesIO(bad), out, SecretKey(KAT_KEY), case_id=CASE,
                            file_id=FILE_ID)
    plain = _decrypt_bytes(good_blob)
    assert plain.startswith(out.getvalue())
    assert len(out.getvalue()) < TAMPER_SIZE


def test_read_header_file_id_validates() -> None:
    blob = _encrypt(b"hello")
    assert cvf1.read_header_file_id(io.BytesIO(blob)) == FILE_ID
    for bad in (blob[:63], b"XVLT" + blob[4:], blob[:4] + b"\x02" + blob[5:],
                blob[:5] + b"\x02" + blob[6:], blob[:6] + b"\x0c" + blob[7:],
                blob[:7] + b"\x01" + blob[8:], blob[:63] + b"\x01" + blob[64:]):
        with pytest.raises(IntegrityError):
            cvf1.read_header_file_id(bad)


def test_a_write_failing_while_the_next_batch_waits_does_not_hang_close(tmp_path: Path) -> None:
    """The race behind a hung test run: the helper fails after the producer's first check but
    before it takes the free slot; the producer must hand the slot back before raising, or
    ``close`` waits for it forever."""
    with open(tmp_path / "out", "wb") as dst:
        writer = cvf1._Writer(dst, 4 * SEG)
        writer.write_view(memoryview(b"x" * 10))  # starts the helper
        writer.finish()
        real = writer._idle

        class _FailsAsItIsTaken:
            def acquire(self) -> bool:
                got = real.acquire()
                writer._error = OSError(28, "No space left on device")  # the helper's failure
                return got

            def release(self) -> None:
                real.release()

        writer._idle = _FailsAsItIsTaken()  # type: ignore[assignment]
        with pytest.raises(OSError):
            writer.write_view(memoryview(b"y" * 10))
        writer._idle = real
        done = threading.Event()
        closer = threading.Thread(target=lambda: (writer.close(raise_error=False), done.set()),
                                  daemon=True)
        closer.start()
        assert done.wait(5), "close() hung: the free slot was never handed back"
