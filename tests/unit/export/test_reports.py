"""The export PDFs, rendered with poppler and read back as text."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from vault.reports.bundle_index import render_bundle_index
from vault.reports.case_summary import render_case_summary
from vault.reports.export_views import (
    ActionPointView,
    BundleIndexView,
    CaseSummaryView,
    DocumentView,
    FollowUpView,
    IndexRowView,
    IssueView,
    LabelledValue,
    PartyView,
    ReportContext,
    TrailListingView,
    TrailRowView,
)
from vault.reports.trail_listing import render_trail_listing

HEAD = "9f" * 32
CTX = ReportContext(dt.datetime(2026, 11, 23, 14, 5), HEAD, 57)


def _text(pdf: bytes, tmp_path: Path) -> tuple[str, int]:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    png = subprocess.run(["pdftoppm", "-png", "-r", "40", str(path), str(tmp_path / "p")],
                         capture_output=True, check=True)
    assert png.returncode == 0
    return text, len(list(tmp_path.glob("p-*.png")))


def _pages(text: str) -> list[str]:
    return [p for p in text.split("\f") if p.strip()]


def test_case_summary_has_every_section_and_furniture(tmp_path: Path) -> None:
    view = CaseSummaryView(
        CTX, "2026-014", "Rota changed without consultation", "Grievance", "open",
        dt.date(2026, 10, 1), None, None,
        (LabelledValue("Name", "Zoë Ó'Brien Παπαδόπουλος"), LabelledValue("Employer", "Acme")),
        flags=("Dismissal threatened",), first_meeting=(LabelledValue("Held on", "2 Oct 2026"),),
        narrative="The member explained.",
        issues=(IssueView("Rota changed", "Agreed at first meeting"),),
        actions=(ActionPointView("Write to HR", "Rep", dt.date(2026, 10, 9), False),),
        parties=(PartyView("Dr A. Manager", "Line manager"),),
        followups=(FollowUpView("Keep a diary", dt.date(2026, 10, 6), "owed"),),
        escalation=("Escalated to the regional officer on 3 Oct 2026.",),
        documents=tuple(DocumentView(f"Letter {i}.pdf", "application/pdf", 1000, CTX.generated)
                        for i in range(60)),
    )
    text, pngs = _text(render_case_summary(view), tmp_path)
    for needle in ("Case summary — 2026-014", "Zoë Ó'Brien Παπαδόπουλος", "Issues",
                   "Action points", "Parties", "Follow-ups", "Escalation", "Documents",
                   "Letter 59.pdf", "23 Nov 2026", "1 Oct 2026"):
        assert needle in text, needle
    pages = _pages(text)
    assert len(pages) >= 2 and pngs == len(pages)
    for number, page in enumerate(pages, start=1):
        assert "CONFIDENTIAL" in page
        assert f"Page {number} of {len(pages)}" in page
        assert f"57:{HEAD[:16]}" in page


def test_trail_listing_shows_corrections_and_head(tmp_path: Path) -> None:
    rows = tuple(TrailRowView(i, dt.datetime(2026, 10, 1, 9, i), "Meeting", f"Entry {i}",
                              corrects=3 if i == 4 else None,
                              corrected_by=4 if i == 3 else None) for i in range(1, 6))
    text, _ = _text(render_trail_listing(
        TrailListingView(CTX, "Paper trail — case 2026-014", rows, True,
                         off_record_left_out=2)), tmp_path)
    assert "Corrected by #4." in text and "Corrects #3." in text
    assert "2 off-the-record entries are not included" in text
    assert HEAD in text.replace("\n", "")
    assert "verified intact" in text


def test_index_maps_neutral_names_to_titles(tmp_path: Path) -> None:
    rows = (IndexRowView("01-document.pdf", "Письмо \x00 ../../x.pdf", "Document", 10, "ab" * 32),
            IndexRowView("02-case-summary.pdf", "Case summary", "Case summary", 10, "cd" * 32))
    text, _ = _text(render_bundle_index(BundleIndexView(
        CTX, "Case bundle — 2026-014", (LabelledValue("Case", "2026-014"),), rows)), tmp_path)
    assert "01-document.pdf" in text and "Письмо" in text and "../../x.pdf" in text
    assert "02-case-summary.pdf" in text and "MANIFEST.sha256" in text
