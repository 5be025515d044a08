"""The written follow-up of oral advice: text and PDF (vault.reports.followup_note)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import stat
from pathlib import Path

import pytest
from pypdf import PdfReader

from vault.errors import InvalidInput
from vault.reports.followup_note import (
    CONFIDENTIAL_MARKING,
    FollowUpDraft,
    draft_subject,
    draft_text,
    render_pdf,
    render_pdf_bytes,
)

ADVICE = (
    "You should attend the investigation meeting on 1 December; you have the right to be "
    "accompanied by me.\n\n"
    "Please do not resign before we have discussed the outcome.\n"
    "- ask for the notes of the meeting\n"
    "- ask for the policy in writing"
)


def make(**changes: object) -> FollowUpDraft:
    base = FollowUpDraft(
        member_name="Priya",
        case_ref="C-2026-0007",
        advice_date=dt.date(2026, 11, 23),
        advice_channel="meeting",
        advice_text=ADVICE,
        rep_name="Sam Okafor",
        union_name="UCU",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_email_body_says_what_the_guide_asks() -> None:
    text = draft_text(make())
    assert text.startswith("Dear Priya,\n\n")
    assert (
        "Further to our meeting on 23 Nov 2026, I am writing to confirm the advice I gave" in text
    )
    assert "the decision is yours" in text
    assert "responsible for what you decide" in text
    assert "Please keep this note" in text
    assert text.endswith("Sam Okafor\nUCU representative\nCase reference: C-2026-0007\n")


def test_the_advice_keeps_its_paragraphs_and_line_breaks() -> None:
    text = draft_text(make())
    assert "accompanied by me.\n\nPlease do not resign" in text
    assert "outcome.\n- ask for the notes of the meeting\n- ask for the policy in writing" in text


def test_windows_line_endings_and_extra_blank_lines_are_tidied() -> None:
    text = draft_text(make(advice_text="First.\r\n\r\n\r\n\r\nSecond.\r\nThird.\t(x)\x07"))
    assert "First.\n\nSecond.\nThird. (x)\n" in text
    assert "\r" not in text
    assert "\x07" not in text


@pytest.mark.parametrize(
    ("channel", "phrase"),
    [
        ("phone call", "Further to our phone call on"),
        ("Our video call", "Further to our video call on"),
        ("", "Further to our conversation on"),
        ("   ", "Further to our conversation on"),
    ],
)
def test_the_channel_reads_naturally(channel: str, phrase: str) -> None:
    assert phrase in draft_text(make(advice_channel=channel))


@pytest.mark.parametrize(
    ("day", "written"),
    [(dt.date(2026, 11, 3), "3 Nov 2026"), (dt.date(2027, 1, 31), "31 Jan 2027")],
)
def test_dates_are_written_the_uk_way(day: dt.date, written: str) -> None:
    assert f"on {written}," in draft_text(make(advice_date=day))


def test_advice_not_followed_is_recorded() -> None:
    text = draft_text(make(not_followed_note="You prefer to resign now."))
    assert "you have decided not to follow this advice" in text
    assert "You prefer to resign now." in text
    assert "decided not to follow" not in draft_text(make())


def test_the_subject_line_names_no_one() -> None:
    subject = draft_subject(make(member_name="Priya Patel", rep_name="Sam Okafor"))
    assert subject == "Follow-up to our meeting on 23 Nov 2026 (ref C-2026-0007)"


@pytest.mark.parametrize(
    "change",
    [
        {"member_name": "  "},
        {"case_ref": ""},
        {"advice_text": "\n\n"},
        {"rep_name": ""},
        {"union_name": " "},
        {"advice_date": "2026-11-23"},
        {"note_date": "yesterday"},
        {"advice_channel": None},
        {"not_followed_note": 5},
    ],
)
def test_incomplete_drafts_are_refused(change: dict[str, object]) -> None:
    with pytest.raises(InvalidInput):
        make(**change)


def test_pdf_carries_reference_date_marking_and_page_numbers() -> None:
    pages, text = pdf_text(render_pdf_bytes(make(note_date=dt.date(2026, 11, 24))))
    assert pages == 1
    body = flat(text)
    assert CONFIDENTIAL_MARKING.upper() in body
    assert CONFIDENTIAL_MARKING in body
    assert "Page 1 of 1" in body
    assert "Case ref C-2026-0007" in body
    assert "Date: 24 Nov 2026" in body
    assert "Advice given: 23 Nov 2026 (meeting)" in body
    assert "Dear Priya," in body
    assert "I am writing to confirm the advice I gave you" in body
    assert "Please keep this note" in body
    assert "the decision is yours" in body


def test_pdf_metadata_names_no_one() -> None:
    reader = PdfReader(io.BytesIO(render_pdf_bytes(make(member_name="Priya Patel"))))
    metadata: dict[str, object] = dict(reader.metadata or {})
    values = " ".join(str(value) for value in metadata.values())
    assert "Priya" not in values
    assert "Okafor" not in values
    assert metadata.get("/Title") == "Written follow-up of advice"


def test_markup_in_user_text_is_shown_not_obeyed() -> None:
    tricky = "Ask for <b>all</b> notes & the <font size=40>policy</font> <unclosed"
    pdf = render_pdf_bytes(make(advice_text=tricky, member_name="Tom & <Jerry>"))
    _, text = pdf_text(pdf)
    assert tricky in flat(text)
    assert "Dear Tom & <Jerry>," in flat(text)


def test_accented_latin_names_survive_into_the_pdf() -> None:
    _, text = pdf_text(render_pdf_bytes(make(member_name="Siobhán Ó Briain")))
    assert "Dear Siobhán Ó Briain," in text


def test_long_advice_flows_over_many_pages_and_nothing_is_lost() -> None:
    paragraph = "This is advice about the grievance procedure and the appeal stage. " * 14
    advice = "\n\n".join(f"Point {i} begins here. {paragraph}" for i in range(110))
    assert len(advice) > 100_000
    pages, text = pdf_text(render_pdf_bytes(make(advice_text=advice)))
    assert pages > 10
    body = flat(text)
    for i in range(110):
        assert f"Point {i} begins here." in body
    assert f"Page {pages} of {pages}" in body
    assert body.count(CONFIDENTIAL_MARKING.upper()) == pages


def test_one_enormous_unbroken_paragraph_still_renders() -> None:
    advice = "x" * 60_000 + " " + "word " * 10_000
    pages, text = pdf_text(render_pdf_bytes(make(advice_text=advice)))
    assert pages > 5
    assert "Best wishes" in text
    assert flat(text).count("word") >= 9_000


def test_render_to_a_stream() -> None:
    out = io.BytesIO()
    render_pdf(make(), out)
    assert out.getvalue().startswith(b"%PDF-")
    pages, text = pdf_text(out.getvalue())
    assert pages == 1
    assert "Dear Priya," in text


def test_render_to_a_path_is_private_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "note.pdf"
    render_pdf(make(), target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["note.pdf"]
    assert "Dear Priya" in pdf_text(target.read_bytes())[1]
