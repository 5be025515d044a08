"""DocumentService.read_into: the in-app viewer's segment-by-segment decryption is all or
nothing (the sink is wiped on tamper and on cancel) and reports progress."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from vault.domain import Category
from vault.errors import Cancelled, IntegrityError


class RecordingSink:
    def __init__(self) -> None:
        self.data = bytearray()
        self.wiped = False

    def append(self, chunk: bytes) -> None:
        self.data += chunk

    def wipe(self) -> None:
        self.data[:] = bytes(len(self.data))
        self.wiped = True


@pytest.fixture
def doc(session, tmp_path: Path):  # type: ignore[no-untyped-def]
    member = session.members.add("Read Into Canary")
    case = session.cases.open(member.id, "Viewer case", Category.GRIEVANCE)
    src = tmp_path / "big.bin"
    src.write_bytes(os.urandom(3 * 1024 * 1024 + 123))
    return case, session.documents.import_file(case.ref, src), src


def test_read_into_delivers_every_byte_with_progress(session, doc):
    case, document, src = doc
    sink, seen = RecordingSink(), []
    session.documents.read_into(case.ref, document.id, sink, progress=seen.append)
    assert bytes(sink.data) == src.read_bytes() and not sink.wiped
    assert seen[-1] == document.size and seen == sorted(seen)


def test_a_tampered_last_segment_wipes_what_was_received(session, doc):
    case, document, _src = doc
    [path] = [p for p in (session.root / "documents").rglob("*.cvf")]
    raw = bytearray(path.read_bytes())
    raw[-5] ^= 0x01
    path.write_bytes(bytes(raw))
    sink = RecordingSink()
    with pytest.raises(IntegrityError):
        session.documents.read_into(case.ref, document.id, sink)
    assert sink.wiped and not any(sink.data)


def test_cancel_wipes_too(session, doc):
    case, document, _src = doc
    sink = RecordingSink()
    calls = iter(range(1000))
    with pytest.raises(Cancelled):
        session.documents.read_into(case.ref, document.id, sink,
                                    cancelled=lambda: next(calls) >= 3)
    assert sink.wiped and not any(sink.data)
