"""Bundles: neutral names, the encrypted index and manifest, all-or-nothing files."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import stat
from pathlib import Path

import pytest

from tests.unit.export import sevenzip
from vault.crypto.winzip_aes import AesZipReader
from vault.errors import Cancelled, IntegrityError, InvalidInput, StorageError
from vault.export import bundle
from vault.export.bundle import BundleKind, BundleSource, write_bundle
from vault.reports.bundle_index import render_bundle_index
from vault.reports.export_views import BundleIndexView, ReportContext

PASS = "saddle-unwind-oxidize-gravity-jukebox-pelican-lumber-sequel"
WHEN = dt.datetime(2026, 11, 23, 10, 30)
NASTY_TITLES = ["../../etc/passwd", "a/b\\c.pdf", "nul\x00byte.pdf", "é" * 300,
                "Письмо работодателю.pdf", "申立書.pdf", "..", "CON"]


def _index(rows):
    return render_bundle_index(BundleIndexView(ReportContext(WHEN, "ab" * 32, 3), "Case bundle",
                                               (), rows))


def _source(title: str, data: bytes, media_type: str = "application/pdf") -> BundleSource:
    return BundleSource(title, BundleKind.DOCUMENT, media_type, len(data), lambda: [data])


def _pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_titles_never_become_paths_and_the_index_maps_them(tmp_path: Path) -> None:
    datas = [os.urandom(1000 + i) for i in range(len(NASTY_TITLES))]
    sources = [_source(t, d) for t, d in zip(NASTY_TITLES, datas, strict=True)]
    target = tmp_path / "bundle-2026-11-23.zip"
    result = write_bundle(target, sources, PASS, render_index=_index, modified=WHEN)
    listing = sevenzip.technical_listing(target, PASS)
    names = [m["Path"] for m in listing]
    assert names == [f"{i:02d}-document.pdf" for i in range(1, 9)] + ["index.pdf",
                                                                         "MANIFEST.sha256"]
    assert result.member_count == 10
    raw = target.read_bytes()
    for title in NASTY_TITLES:
        assert title.encode() not in raw or len(title) <= 3  # "..", "CON" are mere bytes
    out = tmp_path / "out"
    assert sevenzip.extract(target, PASS, out).returncode == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    index_text = _pdf_text((out / "index.pdf").read_bytes())
    assert "Письмо работодателю.pdf" in index_text
    assert "01-document.pdf" in index_text


def test_manifest_matches_seven_zip_extraction_and_originals(tmp_path: Path) -> None:
    datas = {"a.pdf": os.urandom(5000), "notes.txt": b"notes " * 5000}
    sources = [_source("a.pdf", datas["a.pdf"]),
               _source("notes.txt", datas["notes.txt"], "text/plain")]
    target = tmp_path / "b.zip"
    result = write_bundle(target, sources, PASS, render_index=_index, modified=WHEN)
    out = tmp_path / "out"
    assert sevenzip.extract(target, PASS, out).returncode == 0
    manifest = (out / "MANIFEST.sha256").read_text().splitlines()
    assert len(manifest) == 3
    for line in manifest:
        digest, name = line.split("  ")
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    assert (out / "01-document.pdf").read_bytes() == datas["a.pdf"]
    assert (out / "02-document.txt").read_bytes() == datas["notes.txt"]
    assert result.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    methods = {m["Path"]: m["Method"] for m in sevenzip.technical_listing(target, PASS)}
    assert methods["01-document.pdf"] == "AES-256 Store"
    assert methods["02-document.txt"] == "AES-256 Deflate"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_compression_by_media_type() -> None:
    assert not bundle.is_compressible("application/pdf")
    assert not bundle.is_compressible("image/jpeg")
    assert not bundle.is_compressible(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert bundle.is_compressible("text/plain")
    assert bundle.is_compressible("application/msword")
    assert bundle.is_compressible("image/bmp")
    assert bundle.suffix_for("application/x-weird/../") == ".bin"


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_failing_document_leaves_no_file(tmp_path: Path) -> None:
    def broken():
        yield b"x" * 100_000
        raise IntegrityError("A document failed its integrity check.")

    sources = [_source("ok", b"fine"),
               BundleSource("bad", BundleKind.DOCUMENT, "application/pdf", 200_000, broken)]
    with pytest.raises(IntegrityError):
        write_bundle(tmp_path / "b.zip", sources, PASS, render_index=_index, modified=WHEN)
    assert _leftovers(tmp_path) == []


def test_cancel_leaves_no_file(tmp_path: Path) -> None:
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 2

    big = [b"x" * (1 << 20)] * 8
    sources = [BundleSource("big", BundleKind.DOCUMENT, "application/pdf", 8 << 20,
                            lambda: iter(big))]
    with pytest.raises(Cancelled):
        write_bundle(tmp_path / "b.zip", sources, PASS, render_index=_index, modified=WHEN,
                     cancelled=cancelled)
    assert _leftovers(tmp_path) == []


def test_refusals(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput):
        write_bundle(tmp_path / "b.zip", [], PASS, render_index=_index, modified=WHEN)
    with pytest.raises(InvalidInput):
        write_bundle(tmp_path / "missing" / "b.zip", [_source("a", b"a")], PASS,
                     render_index=_index, modified=WHEN)
    (tmp_path / "b.zip").write_bytes(b"keep me")
    with pytest.raises(InvalidInput):
        write_bundle(tmp_path / "b.zip", [_source("a", b"a")], PASS, render_index=_index,
                     modified=WHEN)
    assert (tmp_path / "b.zip").read_bytes() == b"keep me"


def test_unwritable_folder_is_one_clear_line(tmp_path: Path, monkeypatch) -> None:
    # CI runs as root, which can write anywhere; the folder's refusal is what os.open raises.
    import errno

    from vault.export import bundle_file

    def refuse(*_args, **_kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(bundle_file.os, "open", refuse)
    with pytest.raises(StorageError) as err:
        write_bundle(tmp_path / "b.zip", [_source("a", b"a")], PASS, render_index=_index,
                     modified=WHEN)
    assert str(err.value) == "That folder cannot be written to; no bundle was written."
    assert _leftovers(tmp_path) == []


def test_full_disk_is_one_clear_line_and_leaves_nothing(tmp_path: Path, monkeypatch) -> None:
    import errno

    from vault.crypto import winzip_aes

    real = winzip_aes.AesZipWriter._write
    written = {"n": 0}

    def filling(self, data):  # the disk fills after a megabyte
        written["n"] += len(data)
        if written["n"] > (1 << 20):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(winzip_aes.AesZipWriter, "_write", filling)
    sources = [_source("a", os.urandom(3 << 20))]
    with pytest.raises(StorageError, match="disk is full"):
        write_bundle(tmp_path / "b.zip", sources, PASS, render_index=_index, modified=WHEN)
    assert _leftovers(tmp_path) == []


def test_our_reader_verifies_a_bundle(tmp_path: Path) -> None:
    target = tmp_path / "b.zip"
    result = write_bundle(target, [_source("a", b"abc" * 1000, "text/plain")], PASS,
                          render_index=_index, modified=WHEN)
    with target.open("rb") as fh:
        digests = AesZipReader(fh).verify(PASS)
    assert {m.name: m.sha256 for m in result.members} == {
        k: v for k, v in digests.items() if k != "MANIFEST.sha256"}
