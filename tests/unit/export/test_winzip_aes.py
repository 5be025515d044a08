"""The WinZip AE-2 layer, judged by 7-Zip and by an independent parse of the bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import struct
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from tests.unit.export import sevenzip
from vault.crypto import winzip_aes
from vault.crypto.winzip_aes import AesZipReader, AesZipWriter, WinZipCtr
from vault.errors import Cancelled, IntegrityError, InvalidInput, WrongPassphrase

PASS = "saddle-unwind-oxidize-gravity-jukebox-pelican-lumber-sequel"
WHEN = dt.datetime(2026, 11, 23, 10, 30)


def _write(path: Path, members: list[tuple[str, bytes, bool]], *, force_zip64: bool = False,
           passphrase: str = PASS) -> list[winzip_aes.MemberInfo]:
    with path.open("wb") as fh, AesZipWriter(fh, passphrase, modified=WHEN,
                                             force_zip64=force_zip64) as zf:
        return [zf.add_bytes(name, data, compress=compress) for name, data, compress in members]


@pytest.fixture
def payloads() -> list[tuple[str, bytes, bool]]:
    return [
        ("01-document.pdf", os.urandom(3 * 1024 * 1024 + 77), False),
        ("02-document.txt", b"The member said the rota changed.\n" * 20000, True),
        ("03-document.bin", b"", False),
        ("04-document.txt", b"", True),
        ("05-document.txt", os.urandom(17), True),
    ]


def _reference_ctr(key: bytes, data: bytes) -> bytes:
    """Gladman's CTR, one block at a time: little-endian 128-bit counter from 1."""
    ecb = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    out = bytearray()
    for block, start in enumerate(range(0, len(data), 16), start=1):
        stream = ecb.update(block.to_bytes(16, "little"))
        out += bytes(a ^ b for a, b in zip(data[start:start + 16], stream, strict=False))
    return bytes(out)


def test_ctr_matches_a_block_by_block_reference_across_chunk_boundaries() -> None:
    key = os.urandom(32)
    data = os.urandom(winzip_aes.CHUNK + 4099)
    ctr = WinZipCtr(key)
    cut = winzip_aes.CHUNK + 3
    pieces = [data[:5], data[5:70000], data[70000:cut], data[cut:]]
    ours = b"".join(bytes(ctr.process(p)) for p in pieces)
    assert ours == _reference_ctr(key, data)


def test_key_derivation_is_pbkdf2_sha1_1000_split_32_32_2() -> None:
    salt = bytes(range(16))
    material = hashlib.pbkdf2_hmac("sha1", b"pass", salt, 1000, 66)
    assert winzip_aes.derive_keys(b"pass", salt) == (material[:32], material[32:64],
                                                     material[64:])


def test_seven_zip_tests_extracts_and_matches(tmp_path: Path, payloads) -> None:
    archive = tmp_path / "b.zip"
    infos = _write(archive, payloads)
    assert sevenzip.test_ok(archive, PASS)
    out = tmp_path / "out"
    assert sevenzip.extract(archive, PASS, out).returncode == 0
    for (name, data, _), info in zip(payloads, infos, strict=True):
        assert (out / name).read_bytes() == data
        assert info.sha256 == hashlib.sha256(data).hexdigest()


def test_wrong_passphrase_fails_in_seven_zip_and_ours(tmp_path: Path, payloads) -> None:
    archive = tmp_path / "b.zip"
    _write(archive, payloads)
    assert not sevenzip.test_ok(archive, "not-the-passphrase-at-all")
    with archive.open("rb") as fh, pytest.raises(WrongPassphrase):
        AesZipReader(fh).verify("not-the-passphrase-at-all")


def test_technical_listing_shows_aes256_on_every_member(tmp_path: Path, payloads) -> None:
    archive = tmp_path / "b.zip"
    _write(archive, payloads)
    listing = sevenzip.technical_listing(archive, PASS)
    assert [m["Path"] for m in listing] == [p[0] for p in payloads]
    for member in listing:
        assert member["Encrypted"] == "+"
        assert member["Method"].startswith("AES-256")
        assert "WzAES" in member["Characteristics"]
    methods = {m["Path"]: m["Method"] for m in listing}
    assert methods["01-document.pdf"] == "AES-256 Store"
    assert methods["02-document.txt"] == "AES-256 Deflate"


def test_central_directory_parsed_by_hand(tmp_path: Path, payloads) -> None:
    archive = tmp_path / "b.zip"
    _write(archive, payloads)
    raw = archive.read_bytes()
    eocd = raw.rindex(b"PK\x05\x06")
    count, cd_size, cd_start = struct.unpack_from("<HII", raw, eocd + 10)
    assert count == len(payloads)
    pos = cd_start
    for name, _data, compress in payloads:
        (sig, _made, need, flags, method, _t, _d, crc, _cs, _us, nlen, xlen, clen) = (
            struct.unpack_from("<IHHHHHHIIIHHH", raw, pos))
        assert sig == 0x02014B50 and method == 99 and crc == 0 and flags & 1
        assert need >= 51
        assert raw[pos + 46:pos + 46 + nlen] == name.encode()
        extra = raw[pos + 46 + nlen:pos + 46 + nlen + xlen]
        at = extra.index(struct.pack("<H", 0x9901))
        _tag, size, version, vendor, strength, real = struct.unpack_from("<HHH2sBH", extra, at)
        assert (size, version, vendor, strength) == (7, 2, b"AE", 3)
        assert real == (8 if compress else 0)
        pos += 46 + nlen + xlen + clen
    assert pos == cd_start + cd_size


def test_our_reader_checks_the_ae2_fields_and_every_hmac(tmp_path: Path, payloads) -> None:
    archive = tmp_path / "b.zip"
    _write(archive, payloads)
    with archive.open("rb") as fh:
        reader = AesZipReader(fh)
        assert all(e.aes_version == 2 and e.aes_vendor == b"AE" and e.aes_strength == 3
                   for e in reader.entries)
        digests = reader.verify(PASS)
    assert digests == {n: hashlib.sha256(d).hexdigest() for n, d, _ in payloads}


@pytest.mark.parametrize("member", [0, 1])
def test_a_flipped_byte_fails_in_seven_zip_and_ours(tmp_path: Path, payloads, member) -> None:
    archive = tmp_path / "b.zip"
    infos = _write(archive, payloads)
    raw = bytearray(archive.read_bytes())
    info = infos[member]
    # The middle of the member's ciphertext: past its local header, salt and verifier.
    name_len, extra_len = struct.unpack_from("<HH", raw, info.offset + 26)
    header = 30 + name_len + extra_len
    target = info.offset + header + 18 + (info.packed_size - 28) // 2
    raw[target] ^= 0x01
    archive.write_bytes(bytes(raw))
    assert not sevenzip.test_ok(archive, PASS)
    with archive.open("rb") as fh, pytest.raises(IntegrityError):
        AesZipReader(fh).verify(PASS)


def test_forced_zip64_records_are_read_by_seven_zip(tmp_path: Path, payloads) -> None:
    archive = tmp_path / "b64.zip"
    _write(archive, payloads, force_zip64=True)
    raw = archive.read_bytes()
    assert b"PK\x06\x06" in raw and b"PK\x06\x07" in raw
    assert sevenzip.test_ok(archive, PASS)
    assert "Zip64" in sevenzip.run("l", "-slt", f"-p{PASS}", archive).stdout
    with archive.open("rb") as fh:
        reader = AesZipReader(fh)
        assert all(e.zip64 for e in reader.entries)
        assert reader.verify(PASS)["01-document.pdf"] == hashlib.sha256(payloads[0][1]).hexdigest()


@pytest.mark.parametrize("name", ["../x.pdf", "a/b.pdf", "a\\b", ".hidden", "x\x00.pdf", "",
                                  "é.pdf", "x" * 300, "a..b", "CON/../x"])
def test_unsafe_member_names_are_refused(name: str) -> None:
    with AesZipWriter(io.BytesIO(), PASS, modified=WHEN) as zf, pytest.raises(InvalidInput):
        zf.add_bytes(name, b"x", compress=False)


def test_duplicate_names_are_refused() -> None:
    with AesZipWriter(io.BytesIO(), PASS, modified=WHEN) as zf:
        zf.add_bytes("01-a.txt", b"x", compress=True)
        with pytest.raises(InvalidInput):
            zf.add_bytes("01-a.txt", b"y", compress=True)


def test_non_ascii_passphrase_is_refused() -> None:
    with pytest.raises(InvalidInput):
        AesZipWriter(io.BytesIO(), "pässwörd-that-is-long", modified=WHEN)


def test_source_errors_and_cancel_reach_the_caller() -> None:
    def failing():
        yield b"x" * 1000
        raise IntegrityError()

    with AesZipWriter(io.BytesIO(), PASS, modified=WHEN) as zf, pytest.raises(IntegrityError):
        zf.add("01-a.bin", failing(), compress=False, size_hint=2000)
    zf2 = AesZipWriter(io.BytesIO(), PASS, modified=WHEN, cancelled=lambda: True)
    with pytest.raises(Cancelled):
        zf2.add("01-a.bin", iter([b"x" * 10]), compress=False, size_hint=10)
    zf2.abort()


def test_archive_sha256_is_of_the_bytes_written(tmp_path: Path, payloads) -> None:
    archive = tmp_path / "b.zip"
    with archive.open("wb") as fh, AesZipWriter(fh, PASS, modified=WHEN) as zf:
        for name, data, compress in payloads:
            zf.add_bytes(name, data, compress=compress)
    assert zf.sha256 == hashlib.sha256(archive.read_bytes()).hexdigest()
    assert zf.size == archive.stat().st_size
