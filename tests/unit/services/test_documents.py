"""Document import, reading, copies and every tamper case seen through the service."""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

import pytest

from vault.crypto import cvf1
from vault.domain import Category
from vault.errors import Cancelled, IntegrityError, InvalidInput, StorageError

SEG = cvf1.SEGMENT
FRAME = SEG + 16


@pytest.fixture
def case(session):  # type: ignore[no-untyped-def]
    member = session.members.add("Dana Docs")
    return session.cases.open(member.id, "Documents case", Category.GRIEVANCE)


def _import(session, case, tmp_path: Path, data: bytes, name: str = "f.bin"):  # type: ignore[no-untyped-def]
    src = tmp_path / name
    src.write_bytes(data)
    return session.documents.import_file(case.ref, src)


@pytest.mark.parametrize("size", [0, 1, SEG - 1, SEG, SEG + 1, 3 * SEG + 5])
def test_round_trip_sizes(session, case, tmp_path: Path, size: int) -> None:  # type: ignore[no-untyped-def]
    data = os.urandom(size)
    doc = _import(session, case, tmp_path, data)
    assert doc.size == size
    import hashlib

    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert session.documents.read_bytes(case.ref, doc.id) == data
    out = tmp_path / "out.bin"
    session.documents.save_copy(case.ref, doc.id, out)
    assert out.read_bytes() == data


def _doc_path(session, case, doc) -> Path:  # type: ignore[no-untyped-def]
    return session.vault.documents.path_for(case.id, doc.id)


def _tamper_cases() -> list[str]:
    return ["flip-header", "flip-body", "flip-tag", "truncate-boundary", "truncate-mid",
            "append", "swap", "drop-last"]


@pytest.mark.parametrize("how", _tamper_cases())
def test_tampered_file_is_an_integrity_error_everywhere(session, case, tmp_path: Path,
                                                       how: str) -> None:  # type: ignore[no-untyped-def]
    doc = _import(session, case, tmp_path, os.urandom(3 * SEG + 100))
    path = _doc_path(session, case, doc)
    raw = bytearray(path.read_bytes())
    header = cvf1.HEADER_LEN
    if how == "flip-header":
        raw[20] ^= 0x01
    elif how == "flip-body":
        raw[header + 100] ^= 0x01
    elif how == "flip-tag":
        raw[header + FRAME - 1] ^= 0x80
    elif how == "truncate-boundary":
        raw = raw[: header + 2 * FRAME]
    elif how == "truncate-mid":
        raw = raw[: header + FRAME + 500]
    elif how == "append":
        raw += b"\x00" * 16
    elif how == "swap":
        a = raw[header: header + FRAME]
        b = raw[header + FRAME: header + 2 * FRAME]
        raw[header: header + 2 * FRAME] = b + a
    elif how == "drop-last":
        raw = raw[: header + 3 * FRAME]
    os.chmod(path, 0o600)
    path.write_bytes(bytes(raw))

    with pytest.raises(IntegrityError):
        session.documents.read_bytes(case.ref, doc.id)
    out = tmp_path / "copy.bin"
    with pytest.raises(IntegrityError):
        session.documents.save_copy(case.ref, doc.id, out)
    assert not out.exists()
    assert not list(tmp_path.glob(".*casevault-part"))
    report = session.verify()
    assert not report.ok
    assert [(d.case_ref, d.document_id) for d in report.damaged_documents] == [(case.ref, doc.id)]


def test_file_copied_in_from_another_case_is_rejected(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    m = session.members.add("Two Cases")
    a = session.cases.open(m.id, "A", Category.OTHER)
    b = session.cases.open(m.id, "B", Category.OTHER)
    doc_a = _import(session, a, tmp_path, b"secret of case A" * 100, "a.txt")
    doc_b = _import(session, b, tmp_path, b"secret of case B" * 100, "b.txt")
    # Replace B's file with A's ciphertext (same name on disk as B's document).
    target = _doc_path(session, b, doc_b)
    shutil.copyfile(_doc_path(session, a, doc_a), target)
    with pytest.raises(IntegrityError):
        session.documents.read_bytes(b.ref, doc_b.id)
    assert [d.document_id for d in session.verify().damaged_documents] == [doc_b.id]


def test_missing_encrypted_file_is_reported(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = _import(session, case, tmp_path, b"x" * 10)
    _doc_path(session, case, doc).unlink()
    with pytest.raises(IntegrityError):
        session.documents.read_bytes(case.ref, doc.id)
    assert session.verify().damaged_documents[0].document_id == doc.id


def test_bad_sources_get_clear_messages(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInput, match="does not exist"):
        session.documents.import_file(case.ref, tmp_path / "nope.pdf")
    with pytest.raises(InvalidInput, match="folder"):
        session.documents.import_file(case.ref, tmp_path)
    locked = tmp_path / "locked.txt"
    locked.write_text("x")
    locked.chmod(0)
    if os.geteuid() != 0:  # root reads anything; the rule is still tested for ordinary users
        with pytest.raises(InvalidInput, match="permission"):
            session.documents.import_file(case.ref, locked)
    assert session.documents.list(case.ref) == [] or os.geteuid() == 0


def test_unusual_names_are_kept_for_display_only(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    weird = "Ünïcødé ‮evil\u202e name – résumé 名前.txt"
    doc = _import(session, case, tmp_path, b"content", weird)
    assert "/" not in doc.name and "\u202e" not in doc.name
    assert "名前" in doc.name
    doc2 = session.documents.import_file(case.ref, tmp_path / weird, name="../../etc/passwd")
    assert doc2.name == "_.._etc_passwd"
    on_disk = [p.name for p in session.vault.paths.documents.rglob("*") if p.is_file()]
    assert all(n.endswith(".cvf") and len(n) == 36 for n in on_disk)


def test_cancelled_import_leaves_nothing(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(10 * SEG))
    seen: list[int] = []
    with pytest.raises(Cancelled):
        session.documents.import_file(case.ref, src, progress=seen.append,
                                      cancelled=lambda: len(seen) >= 3)
    assert session.documents.list(case.ref) == []
    assert not [p for p in session.vault.paths.documents.rglob("*") if p.is_file()]
    assert session.vault.db.query("SELECT * FROM intents") == []


def test_disk_full_during_import_rolls_back(session, case, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(4 * SEG))
    real = cvf1.encrypt_stream

    def filling(src_, dst, *a, **kw):  # type: ignore[no-untyped-def]
        def progress(n: int) -> None:
            if n >= 2 * SEG:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real(src_, dst, *a, **{**kw, "progress": progress})

    monkeypatch.setattr(cvf1, "encrypt_stream", filling)
    with pytest.raises(StorageError, match="disk is full"):
        session.documents.import_file(case.ref, src)
    monkeypatch.setattr(cvf1, "encrypt_stream", real)
    assert session.documents.list(case.ref) == []
    assert not [p for p in session.vault.paths.documents.rglob("*") if p.is_file()]
    assert session.vault.db.query("SELECT * FROM intents") == []
    assert session.verify().ok


def test_recovery_rolls_back_an_interrupted_import_and_quarantines_strays(
        manager, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = manager.create("correct horse battery staple orbit")
    m = s.members.add("Crash Test")
    case = s.cases.open(m.id, "Crash", Category.OTHER)
    # An intent with a partial file, as a killed import leaves it.
    folder = s.vault.documents.case_dir(case.id)
    folder.mkdir(parents=True, exist_ok=True)
    fid = "ab" * 16
    (folder / f".{fid}.part").write_bytes(b"partial ciphertext")
    with s.vault.db.transaction() as conn:
        conn.execute("INSERT INTO intents (kind, case_id, file_id, created) VALUES "
                     "('import', ?, ?, '2026-11-23T10:00:00+00:00')", (case.id, fid))
    stray = folder / ("cd" * 16 + ".cvf")
    stray.write_bytes(b"unexplained")
    s.lock()
    s = manager.unlock("correct horse battery staple orbit")
    assert s.recovery.rolled_back_imports == 1
    assert s.recovery.quarantined_files == 1
    assert not (folder / f".{fid}.part").exists()
    assert (manager.root / "quarantine").is_dir()
    assert s.verify().ok


def test_import_is_recorded_in_trail(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    doc = _import(session, case, tmp_path, b"abc", "note.txt")
    kinds = [e.kind for e in session.trail.entries(case)]
    assert kinds == ["case-opened", "document-added"]
    assert session.trail.entries(case)[-1].payload["document_id"] == doc.id


def test_original_returned(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "contract.pdf"
    src.write_bytes(b"%PDF-1.4 fake")
    doc = session.documents.import_file(case.ref, src, is_original=True)
    assert doc.media_type == "application/pdf"
    returned = session.documents.mark_returned(case.ref, doc.id[:8])
    assert returned.returned is not None
