"""The destruction certificate: canonical JSON and a PDF with every field (issue 9)."""

from __future__ import annotations

import dataclasses
import io
import json
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from vault.errors import IntegrityError, InvalidInput
from vault.reports.destruction_certificate import (
    ERASE_DOES_NOT_COVER,
    CertificateView,
    canonical_json,
    certificate_digest,
    parse_certificate,
    render_pdf_bytes,
)


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_canonical_json_is_stable_and_round_trips(certificate: CertificateView) -> None:
    data = canonical_json(certificate)
    assert data == canonical_json(certificate)
    assert b"\n" not in data and data.startswith(b"{\"case\":{\"category\":")
    again = parse_certificate(data)
    assert again == certificate
    assert canonical_json(again) == data
    assert len(certificate_digest(data)) == 64


def test_json_has_every_required_field(certificate: CertificateView) -> None:
    raw = json.loads(canonical_json(certificate))
    assert raw["case"]["ref"] == "C-2026-0007"
    assert raw["case"]["category"] == "Disciplinary"
    assert raw["case"]["opened"] == "2026-03-02" and raw["case"]["closed"] == "2026-11-23"
    assert raw["destroyed_at"].startswith("2032-11-24T09:30")
    assert raw["case"]["rule"].startswith("6 years")
    assert raw["destroyed"]["documents"] == 12
    assert raw["destroyed"]["document_bytes"] == 1_073_741_824
    assert raw["method"] and raw["verification"]
    assert raw["copies_outside_vault"][0]["kind"] == "document-saved-out"
    assert raw["product_version"] == "0.1.0"
    assert raw["trail_head"] == {"seq": 5012, "mac": "9f" * 32}
    assert "full-disk encryption" in raw["erase_does_not_cover"]
    # The model has no field that could carry a name or title.
    fields = {f.name for f in dataclasses.fields(CertificateView)}
    assert not fields & {"member", "member_name", "title", "parties", "outcome", "reason"}


def test_tampered_or_foreign_json_does_not_parse(certificate: CertificateView) -> None:
    raw = json.loads(canonical_json(certificate))
    raw["format"] = "something-else"
    with pytest.raises(IntegrityError):
        parse_certificate(json.dumps(raw).encode())
    with pytest.raises(IntegrityError):
        parse_certificate(b"not json")


def test_dates_out_of_order_are_refused(certificate: CertificateView) -> None:
    with pytest.raises(InvalidInput):
        dataclasses.replace(certificate, closed=certificate.opened.replace(year=2025))


def test_pdf_carries_every_field_and_the_head_on_every_page(
        certificate: CertificateView, tmp_path: Path) -> None:
    many = dataclasses.replace(certificate, external_copies=certificate.external_copies * 40)
    pdf = render_pdf_bytes(many)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        text = page.extract_text()
        assert "Paper-trail head #5012" in text
        assert "C-2026-0007" in text
        assert "Page " in text
    text = pdf_text(pdf)
    for needle in ("Destruction certificate", "Disciplinary", "2 Mar 2026", "23 Nov 2026",
                   "24 Nov 2032", "6 years after closure", "1.0 GB", "Cryptographic erase",
                   "How it was verified: passed", "Copies known to exist outside the vault",
                   "document 3f2a1b9c", "Casework Vault 0.1.0", "Does not cover",
                   "CERT-2032-0001"):
        assert needle in text, needle
    assert reader.metadata is not None and not (reader.metadata.author or "")
    # pdftotext reads the same text (the PDF is not only pypdf-readable).
    path = tmp_path / "c.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    assert "full-disk encryption" in " ".join(out.split())
    assert ERASE_DOES_NOT_COVER.split()[0] in out


def test_failed_verification_is_shown(certificate: CertificateView) -> None:
    from vault.reports.destruction_certificate import VerificationCheck

    failed = dataclasses.replace(certificate, verification=(
        VerificationCheck("Paper-trail chain verifies", False),))
    assert not failed.verified
    assert "FAILED" in pdf_text(render_pdf_bytes(failed))
