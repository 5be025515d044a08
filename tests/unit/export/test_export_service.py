"""The export service over a real vault: case bundles and subject access exports, judged by
7-Zip, with the paper-trail entry every export writes."""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import io
import itertools
import os
from email import policy
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.unit.export import sevenzip
from vault.crypto.winzip_aes import AesZipReader
from vault.domain import Category, EntryKind
from vault.errors import Cancelled, InvalidInput, NotFound, WeakPassphrase
from vault.export.service import DocumentFailed


@pytest.fixture
def case(session):  # type: ignore[no-untyped-def]
    member = session.members.add("Zoë Ó'Brien", membership_number="U123",
                                 employer="Northshire University",
                                 email="zoe.obrien@gmail.com")
    case = session.cases.open(member.id, "Rota changed without consultation",
                              Category.GRIEVANCE)
    # These bundles go to a regional officer: the member agreed to share (UCU guide point 11).
    return session.cases.set_consent_to_share(case.ref, True)


def test_a_bundle_for_the_branch_needs_the_members_consent(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from vault.errors import RefusedAction

    member = session.members.add("Kim Lee")
    case = session.cases.open(member.id, "No consent yet", Category.GRIEVANCE)
    out = tmp_path / "bundle.zip"
    with pytest.raises(RefusedAction, match="not agreed"):
        session.export.export_case(case.ref, out)
    assert not out.exists()
    done = session.export.export_case(case.ref, out, for_member=True)  # to the member: fine
    assert out.exists() and done


def _add(session, case, tmp_path: Path, name: str, data: bytes):  # type: ignore[no-untyped-def]
    src = tmp_path / "in" / name.replace("/", "_")
    src.parent.mkdir(exist_ok=True)
    src.write_bytes(data)
    return session.documents.import_file(case.ref, src, name=name)


def _pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def _extract(archive: Path, passphrase: str, out: Path) -> dict[str, bytes]:
    assert sevenzip.extract(archive, passphrase, out).returncode == 0
    return {p.name: p.read_bytes() for p in out.iterdir()}


def test_case_bundle_end_to_end(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = b"%PDF-1.4\n" + os.urandom(40_000)
    text = "Notes of the meeting. Πρακτικά. 会议记录.\n".encode() * 500
    d1 = _add(session, case, tmp_path, "Letter from HR ../../etc/passwd.pdf", pdf)
    d2 = _add(session, case, tmp_path, "Meeting notes.txt", text)
    session.trail_log.log(case.ref, EntryKind.MEETING, "First meeting with the member")
    out = tmp_path / "bundle-2026-11-23.zip"
    outcome = session.export.export_case(case.ref, out)
    assert outcome.passphrase_generated and len(outcome.passphrase.split("-")) >= 8
    assert sevenzip.test_ok(out, outcome.passphrase)
    assert not sevenzip.test_ok(out, "wrong-passphrase-entirely-here")
    listing = sevenzip.technical_listing(out, outcome.passphrase)
    names = [m["Path"] for m in listing]
    assert names == ["01-document.pdf", "02-document.txt", "03-case-summary.pdf",
                     "04-paper-trail.pdf", "index.pdf", "MANIFEST.sha256"]
    assert all(m["Method"].startswith("AES-256") for m in listing)
    raw = out.read_bytes()
    for secret in (b"Letter from HR", b"Meeting notes", case.ref.encode(), b"O'Brien",
                   "Zoë".encode(), b"Rota changed"):
        assert secret not in raw
    files = _extract(out, outcome.passphrase, tmp_path / "x")
    assert files["01-document.pdf"] == pdf and files["02-document.txt"] == text
    for line in files["MANIFEST.sha256"].decode().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256(files[name]).hexdigest() == digest
    assert hashlib.sha256(pdf).hexdigest() == d1.sha256
    index = _pdf_text(files["index.pdf"])
    assert d1.name in index and "01-document.pdf" in index
    summary = _pdf_text(files["03-case-summary.pdf"])
    assert "Zoë Ó'Brien" in summary and "Meeting notes.txt" in summary
    trail = _pdf_text(files["04-paper-trail.pdf"])
    assert "First meeting with the member" in trail and "CONFIDENTIAL" in trail
    # One trail entry records the copy: what, for whom, when, SHA-256, member count.
    entry = session.trail.entries(case)[-1]
    assert entry.kind == "case-exported" and entry.seq == outcome.trail_entries[0]
    copy = entry.payload["copy"]
    assert copy["sha256"] == hashlib.sha256(raw).hexdigest() == outcome.sha256
    assert copy["members"] == 6 and copy["documents"] == [d1.id, d2.id]
    assert entry.ts == session.clock.now()
    # The project's own reader agrees with 7-Zip.
    with out.open("rb") as fh:
        assert AesZipReader(fh).verify(outcome.passphrase)["01-document.pdf"] == d1.sha256


def test_choices_off_record_and_typed_passphrase(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    d1 = _add(session, case, tmp_path, "a.pdf", b"%PDF-1.4 a")
    _add(session, case, tmp_path, "b.pdf", b"%PDF-1.4 b")
    session.trail_log.record_off_record_consent(case.ref, told_at=dt.date(2026, 11, 20),
                                                how="by phone")
    session.trail_log.log(case.ref, EntryKind.OFF_THE_RECORD, "Without prejudice chat",
                          manager_told=True)
    plan = session.export.plan_case(case.ref)
    assert plan.off_record_entries == 1 and len(plan.documents) == 2
    assert plan.suggested_name == "bundle-2026-11-23.zip"
    typed = "violet lantern across frozen harbour"
    out = tmp_path / "one.zip"
    outcome = session.export.export_case(case.ref, out, document_ids=(d1.id[:8],),
                                         include_summary=False, passphrase=typed)
    assert not outcome.passphrase_generated and outcome.documents == 1
    files = _extract(out, typed, tmp_path / "x1")
    assert sorted(files) == ["01-document.pdf", "02-paper-trail.pdf", "MANIFEST.sha256",
                             "index.pdf"]
    assert "Without prejudice chat" not in _pdf_text(files["02-paper-trail.pdf"])
    assert outcome.warnings == ()
    out2 = tmp_path / "two.zip"
    outcome2 = session.export.export_case(case.ref, out2, document_ids=(),
                                          include_off_record=True)
    files2 = _extract(out2, outcome2.passphrase, tmp_path / "x2")
    assert "Without prejudice chat" in _pdf_text(files2["02-paper-trail.pdf"])
    assert outcome2.warnings
    with pytest.raises(WeakPassphrase):
        session.export.export_case(case.ref, tmp_path / "w.zip", passphrase="password1")
    with pytest.raises(InvalidInput):
        session.export.export_case(case.ref, tmp_path / "n.zip", document_ids=(),
                                   include_summary=False, include_trail=False)
    with pytest.raises(NotFound):
        session.export.export_case(case.ref, tmp_path / "m.zip", document_ids=("ffffffff",))
    assert not (tmp_path / "w.zip").exists() and not (tmp_path / "n.zip").exists()


def test_empty_case_gets_a_summary_only_bundle(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "empty.zip"
    outcome = session.export.export_case(case.ref, out, include_trail=False)
    assert [m.name for m in outcome.members] == ["01-case-summary.pdf", "index.pdf"]
    assert sevenzip.test_ok(out, outcome.passphrase)


def test_damaged_document_stops_the_export_and_names_it(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = _add(session, case, tmp_path, "good.pdf", b"%PDF-1.4" + os.urandom(300_000))
    bad = _add(session, case, tmp_path, "bad.pdf", b"%PDF-1.4" + os.urandom(300_000))
    path = session.vault.documents.path_for(case.id, bad.id)
    raw = bytearray(path.read_bytes())
    raw[200_000] ^= 1
    path.write_bytes(bytes(raw))
    before = session.trail.head()[0]
    with pytest.raises(DocumentFailed) as err:
        session.export.export_case(case.ref, tmp_path / "b.zip")
    assert err.value.document_id == bad.id and bad.id[:12] in str(err.value)
    assert good.id[:12] not in str(err.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "vault"]
    assert session.trail.head()[0] == before  # no copy, no entry


def test_cancel_leaves_nothing(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _add(session, case, tmp_path, "big.pdf", b"%PDF-1.4" + os.urandom(5 << 20))
    with pytest.raises(Cancelled):
        session.export.export_case(case.ref, tmp_path / "c.zip",
                                   progress=lambda d, t: None, cancelled=lambda: True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "vault"]


def test_progress_reaches_the_total(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _add(session, case, tmp_path, "big.pdf", b"%PDF-1.4" + os.urandom(3 << 20))
    seen: list[tuple[int, int]] = []
    session.export.export_case(case.ref, tmp_path / "p.zip",
                               progress=lambda d, t: seen.append((d, t)))
    assert seen and seen[-1][0] == seen[-1][1]
    assert all(a[0] <= b[0] for a, b in itertools.pairwise(seen))


def test_email_draft_for_the_bundle(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _add(session, case, tmp_path, "a.pdf", b"%PDF-1.4 a")
    out = tmp_path / "bundle.zip"
    outcome = session.export.export_case(case.ref, out)
    eml = tmp_path / "draft.eml"
    recipient = session.export.write_email_draft(outcome, eml, to="zoe.obrien@gmail.com",
                                                 sender="rep@branch.example.org",
                                                 employer="Northshire University")
    assert recipient.bcc
    msg = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert msg["Bcc"] == "zoe.obrien@gmail.com"
    assert msg["Disposition-Notification-To"] == "rep@branch.example.org"
    [attachment] = list(msg.iter_attachments())  # type: ignore[attr-defined]
    assert attachment.get_content() == out.read_bytes()
    assert outcome.passphrase.encode() not in eml.read_bytes()
    assert (eml.stat().st_mode & 0o777) == 0o600
    with pytest.raises(InvalidInput):
        session.export.write_email_draft(outcome, tmp_path / "x.eml", to="not an address",
                                         sender="rep@branch.example.org")


def test_subject_access_export(session, case, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    member = session.cases.member_of(case)
    d1 = _add(session, case, tmp_path, "Contract.pdf", b"%PDF-1.4 contract")
    second = session.cases.open(member.id, "Sickness review", Category.SICKNESS_ABSENCE)
    d2 = _add(session, second, tmp_path, "Fit note.pdf", b"%PDF-1.4 fit note")
    other_member = session.members.add("Sam Other")
    other = session.cases.open(other_member.id, "Someone else's case", Category.GRIEVANCE)
    session.parties.add(other.ref, "Zoë Ó'Brien", "witness")
    _add(session, other, tmp_path, "Not hers.pdf", b"%PDF-1.4 other")
    plan = session.export.plan_subject_access(member.id)
    assert plan.case_refs == (case.ref, second.ref) and plan.documents == 2
    assert plan.party_records == 1
    out = tmp_path / "sar.zip"
    outcome = session.export.subject_access_export(member.id, out)
    assert sevenzip.test_ok(out, outcome.passphrase)
    files = _extract(out, outcome.passphrase, tmp_path / "x")
    assert files["01-member-record.pdf"].startswith(b"%PDF")
    record = _pdf_text(files["01-member-record.pdf"])
    assert other.ref in record and "witness" in record
    contents = set(files.values())
    assert b"%PDF-1.4 contract" in contents and b"%PDF-1.4 fit note" in contents
    assert b"%PDF-1.4 other" not in contents
    index = _pdf_text(files["index.pdf"])
    assert case.ref in index and second.ref in index and "Contract.pdf" in index
    # One entry in each case the bundle draws on, with the archive's digest.
    for c in (case, second, other):
        entry = session.trail.entries(c)[-1]
        assert entry.kind == "case-exported"
        assert entry.payload["copy"]["sha256"] == outcome.sha256
        assert entry.payload["copy"]["what"] == "subject-access-bundle"
    assert len(outcome.trail_entries) == 3
    digests = {m.sha256 for m in outcome.members}
    assert d1.sha256 in digests and d2.sha256 in digests


def test_subject_access_export_of_member_without_cases(session, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    member = session.members.add("Nobody Yet")
    outcome = session.export.subject_access_export(member.id, tmp_path / "s.zip")
    assert [m.name for m in outcome.members] == ["01-member-record.pdf", "index.pdf"]
    seq, _mac = session.trail.head()
    assert outcome.trail_entries == (seq,)
