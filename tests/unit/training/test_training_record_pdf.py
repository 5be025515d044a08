"""The training record PDF: rendered with reportlab, read back with pypdf."""

from __future__ import annotations

import datetime as dt
import io
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from vault.errors import InvalidInput
from vault.training.record_report import render_training_record
from vault.training.service import TrainingOverview, TrainingService


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def render(overview: TrainingOverview, name: str | None = "Siobhán Łukasiewicz") -> bytes:
    out = io.BytesIO()
    render_training_record(overview, name, out)
    return out.getvalue()


@pytest.fixture
def in_progress(service: TrainingService) -> TrainingOverview:
    service.choose_union("prospect")
    service.record("reps1", dt.date(2025, 3, 4))
    service.confirm_education_update("reps1", dt.date(2025, 3, 20))
    service.record("level2-other", dt.date(2025, 6, 1), title="Pensions for reps")
    for step_id in ("reps2-listed", "cohort-formed", "letter1", "dates-accepted"):
        service.record(step_id, dt.date(2026, 9, 1))
    service.set_course_dates([dt.date(2026, 10, 6), dt.date(2026, 10, 13)])
    service.record("attended", dt.date(2026, 10, 6))
    return service.show()


def test_pdf_text_shows_union_status_courses_and_route(in_progress: TrainingOverview) -> None:
    data = render(in_progress)
    assert data.startswith(b"%PDF-")
    pages, text = pdf_text(data)
    assert pages == 1
    for expected in (
        "Training record", "Siobhán Łukasiewicz", "Union: Prospect",
        "Generated on 23 Nov 2026",
        "Status: Reps 2 in progress (next step: Course resources received)",
        "Reps 1", "4 Mar 2025", "20 Mar 2025", "Pensions for reps", "1 Jun 2025",
        "Reps 2 (Handling cases): the route to accreditation",
        "Course dates: 6 Oct 2026, 13 Oct 2026",
        "Added to the Reps 2 training list", "1 Sep 2026", "Reps 2 course attended",
        "6 Oct 2026", "next step", "Officer signed off", "not yet",
        "An accreditation letter for your employer",
        "Page 1 of 1",
    ):
        assert expected in text, expected
    assert "2026-" not in text  # UK dates only


def test_pdf_without_a_name_and_for_an_accredited_rep(service: TrainingService) -> None:
    service.choose_union("bectu")
    service.record("reps1", dt.date(2025, 3, 4))
    profile = service.current_profile()
    assert profile is not None
    for step in profile.route:
        service.record(step.id, dt.date(2026, 5, 1))
    _, text = pdf_text(render(service.show(), None))
    assert "Status: Accredited case handler" in text
    assert "Next step" not in text
    assert "Still missing" not in text
    assert "Union: Bectu (the media and entertainment union, a sector of Prospect)" in text
    assert "Siobhán" not in text


def test_pdf_for_a_freelancer_says_reps2_is_not_open(service: TrainingService) -> None:
    service.choose_union("bectu")
    service.record("reps1-freelancer", dt.date(2025, 3, 4))
    _, text = pdf_text(render(service.show()))
    assert "Status: Reps 2 is not open to you" in text
    assert "not available for reps who've completed Reps 1 (Freelancer)" in text
    assert "Not open yet" in text
    assert "Added to the Reps 2 training list" not in text


def test_long_record_gets_page_numbers_on_every_page(service: TrainingService) -> None:
    service.choose_union("prospect")
    service.record("reps1", dt.date(2020, 1, 6))
    for i in range(45):
        service.record("level2-other", dt.date(2020, 2, 1) + dt.timedelta(days=7 * i),
                       title=f"Level 2 course number {i + 1}")
    pages, text = pdf_text(render(service.show()))
    assert pages >= 2
    for page in range(1, pages + 1):
        assert f"Page {page} of {pages}" in text
    assert "Level 2 course number 45" in text


def test_pdf_to_a_path_is_private(in_progress: TrainingOverview, tmp_path: Path) -> None:
    target = tmp_path / "training-record.pdf"
    render_training_record(in_progress, "A Rep", target,
                           generated_on=dt.date(2026, 12, 1))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    _, text = pdf_text(target.read_bytes())
    assert "Generated on 1 Dec 2026" in text
    assert [p.name for p in tmp_path.iterdir()] == ["training-record.pdf"]


def test_overlong_name_is_refused(in_progress: TrainingOverview) -> None:
    with pytest.raises(InvalidInput, match="at most 120"):
        render(in_progress, "x" * 121)


def test_markup_in_text_is_printed_not_interpreted(service: TrainingService) -> None:
    service.choose_union("prospect")
    service.record("reps1", dt.date(2025, 3, 4))
    service.record("level2-other", dt.date(2025, 6, 1), title="Pay & <b>grading</b>")
    _, text = pdf_text(render(service.show(), "O'Brien <i>"))
    assert "Pay & <b>grading</b>" in text
    assert "O'Brien <i>" in text
