"""The written follow-up of oral advice: a plain-text email body and a one-letter A4 PDF.

Owns the wording and layout of the note DOMAIN.md "The paper trail" asks for: oral advice must
be followed up in writing, and "the product drafts the follow-up note (PDF and plain text for
an email body) from the oral-advice entry". Following the UCU guide, the note confirms the
advice given, says that the decision (and the responsibility for it) is the member's, records
advice the member chose not to follow, and asks the member to keep it.

Both renderings come from one :class:`FollowUpDraft` and share one wording. Dates are written
the UK way ("23 Nov 2026") whatever the machine's locale. The PDF carries the case reference,
the date, a "Confidential — union casework" marking and "Page N of M" on every page; its
metadata names no one. User text is escaped before it reaches reportlab's paragraph markup.

Nothing here logs names or text, only sizes.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus.flowables import Flowable

from vault.errors import InvalidInput
from vault.reports.pdf_fonts import report_fonts
from vault.store.fsutil import atomic_write_bytes

__all__ = [
    "CONFIDENTIAL_MARKING",
    "FollowUpDraft",
    "draft_subject",
    "draft_text",
    "render_pdf",
    "render_pdf_bytes",
]

logger = logging.getLogger(__name__)

CONFIDENTIAL_MARKING = "Confidential — union casework"

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Control characters other than newline and tab cannot appear in a PDF text run.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
# A single typed paragraph longer than this is laid out in pieces, so the page breaker never
# has to re-wrap one enormous paragraph (a pasted 100 KB transcript).
_PIECE_CHARS = 4000

_MARGIN = 25 * mm
_INK = colors.HexColor("#1d2430")
_MUTED = colors.HexColor("#5b6472")
_MARK = colors.HexColor("#9b1c1c")
_RULE = colors.HexColor("#c9ced6")



@dataclass(frozen=True, slots=True)
class FollowUpDraft:
    """Everything the follow-up note says, taken from the oral-advice entry and the case.

    ``member_name`` is used as written in the salutation ("Dear Priya," or "Dear Ms Patel,").
    ``advice_channel`` is how the advice was given, as it reads after "our": "meeting",
    "phone call", "video call" (blank means "conversation"). ``not_followed_note``, when set,
    records that the member chose not to follow the advice, in the rep's words. ``note_date``
    is the date the note is written (shown on the PDF; left off when None).

    Raises:
        InvalidInput: at construction, when the member name, case reference, advice text, rep
            name or union name is blank, or a date is not a date.
    """

    member_name: str
    case_ref: str
    advice_date: dt.date
    advice_channel: str
    advice_text: str
    rep_name: str
    union_name: str
    not_followed_note: str | None = None
    note_date: dt.date | None = None
    trail_head: str = ""  # "#1234·3f9a1c0b2d4e": printed in the footer (issue 8, finding 5)

    def __post_init__(self) -> None:
        for label, value in (
            ("member's name", self.member_name),
            ("case reference", self.case_ref),
            ("advice", self.advice_text),
            ("rep's name", self.rep_name),
            ("union name", self.union_name),
        ):
            if not isinstance(value, str) or not value.strip():
                raise InvalidInput(f"The follow-up note needs the {label}.")
        if not isinstance(self.advice_channel, str):
            raise InvalidInput("The way the advice was given must be text.")
        if self.not_followed_note is not None and not isinstance(self.not_followed_note, str):
            raise InvalidInput("The note on advice not followed must be text.")
        if not _is_date(self.advice_date) or (
            self.note_date is not None and not _is_date(self.note_date)
        ):
            raise InvalidInput("The follow-up note needs real dates.")


def draft_subject(draft: FollowUpDraft) -> str:
    """An email subject line: "Follow-up to our meeting on 23 Nov 2026 (ref C-2026-0007)".

    Names no one, so it is safe in a mail client's list view. Never raises.
    """
    return (
        f"Follow-up to our {_channel(draft)} on {_uk_date(draft.advice_date)} "
        f"(ref {_one_line(draft.case_ref)})"
    )


def draft_text(draft: FollowUpDraft) -> str:
    """The note as a plain, friendly email body in British English, ending in a newline.

    Paragraphs are separated by one blank line; the advice keeps the rep's own paragraphs and
    line breaks. Never raises.
    """
    letter = _Letter.of(draft)
    blocks: list[str] = [f"Dear {letter.member},", letter.opening, letter.advice_intro]
    blocks.extend(letter.advice)
    if letter.not_followed is not None:
        blocks.append(letter.not_followed)
        blocks.extend(letter.not_followed_detail)
    blocks.extend(letter.closing)
    blocks.append("Best wishes,")
    blocks.append("\n".join((*letter.signature, f"Case reference: {letter.case_ref}")))
    return "\n\n".join(blocks) + "\n"


def render_pdf(draft: FollowUpDraft, out: Path | BinaryIO) -> None:
    """Write the note as an A4 PDF to ``out``.

    ``out`` is a path (written atomically, mode 0600: the caller chose to put the note on disk)
    or a binary stream the caller owns (for viewing from memory or encrypting). Long advice
    flows across as many pages as it needs.

    Raises:
        StorageError: the file could not be written.
    """
    pdf = render_pdf_bytes(draft)
    if isinstance(out, Path):
        atomic_write_bytes(out, pdf)
    else:
        out.write(pdf)


def render_pdf_bytes(draft: FollowUpDraft) -> bytes:
    """The note as the bytes of an A4 PDF (see :func:`render_pdf`). Never raises on content."""
    letter = _Letter.of(draft)
    styles = _Styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN + 6 * mm,
        bottomMargin=_MARGIN,
        title="Written follow-up of advice",
        author="",
        subject="",
        creator="Casework Vault",
    )
    doc.build(
        _story(letter, draft, styles),
        canvasmaker=_numbered_canvas(_one_line(draft.case_ref), styles,
                                     _one_line(draft.trail_head)),
    )
    pdf = buffer.getvalue()
    logger.info("follow-up note PDF rendered (%d bytes)", len(pdf))
    return pdf


@dataclass(frozen=True, slots=True)
class _Letter:
    """The wording, shared by the text and PDF renderings (plain text, not escaped)."""

    member: str
    opening: str
    advice_intro: str
    advice: tuple[str, ...]
    not_followed: str | None
    not_followed_detail: tuple[str, ...]
    closing: tuple[str, ...]
    signature: tuple[str, ...]
    case_ref: str

    @classmethod
    def of(cls, draft: FollowUpDraft) -> _Letter:
        note = _paragraphs(draft.not_followed_note or "")
        not_followed = None
        if draft.not_followed_note is not None:
            not_followed = (
                "You have told me that you have decided not to follow this advice. I am noting "
                "that here so that there is a clear record of the advice I gave."
            )
            if note:
                not_followed += " My note of your decision:"
        return cls(
            member=_one_line(draft.member_name),
            opening=(
                f"Further to our {_channel(draft)} on {_uk_date(draft.advice_date)}, I am "
                "writing to confirm the advice I gave you, so that you have it in writing."
            ),
            advice_intro="My advice was as follows.",
            advice=tuple(_paragraphs(draft.advice_text)),
            not_followed=not_followed,
            not_followed_detail=tuple(note),
            closing=(
                "As I explained, my role is to set out your options and give you my advice, "
                "but the decision is yours, and you are responsible for what you decide to do.",
                "Please keep this note with your own papers. If anything in it does not match "
                "your understanding of what we discussed, or if anything changes, please let "
                "me know as soon as you can.",
                "This note is confidential between you and the union.",
            ),
            signature=(
                _one_line(draft.rep_name),
                f"{_one_line(draft.union_name)} representative",
            ),
            case_ref=_one_line(draft.case_ref),
        )


class _Styles:
    def __init__(self) -> None:
        self.regular, self.bold = report_fonts()
        self.union = ParagraphStyle(
            "union", fontName=self.bold, fontSize=16, leading=20, textColor=_INK
        )
        self.kicker = ParagraphStyle(
            "kicker", fontName=self.regular, fontSize=10, leading=13, textColor=_MUTED
        )
        self.meta = ParagraphStyle(
            "meta", fontName=self.regular, fontSize=10, leading=14, textColor=_INK
        )
        self.subject = ParagraphStyle(
            "subject", fontName=self.bold, fontSize=11, leading=15, textColor=_INK,
            spaceBefore=4, spaceAfter=8,
        )  # fmt: skip
        self.body = ParagraphStyle(
            "body", fontName=self.regular, fontSize=11, leading=15.5, textColor=_INK,
            spaceAfter=8,
        )  # fmt: skip
        self.quoted = ParagraphStyle(
            "quoted", parent=self.body, leftIndent=6 * mm, borderPadding=0,
        )  # fmt: skip
        self.continued = ParagraphStyle("continued", parent=self.quoted, spaceAfter=0)


def _story(letter: _Letter, draft: FollowUpDraft, styles: _Styles) -> list[Flowable]:
    story: list[Flowable] = [
        Paragraph(_markup(_one_line(draft.union_name)), styles.union),
        Paragraph("Written follow-up of advice", styles.kicker),
        Spacer(1, 9 * mm),
    ]
    meta = []
    if draft.note_date is not None:
        meta.append(("Date", _uk_date(draft.note_date)))
    meta.append(("Case reference", _one_line(draft.case_ref)))
    meta.append(("Advice given", f"{_uk_date(draft.advice_date)} ({_channel(draft)})"))
    for label, value in meta:
        story.append(Paragraph(f"<b>{label}:</b> {_markup(value)}", styles.meta))
    story.append(Spacer(1, 8 * mm))
    story.append(Paragraph(_markup(f"Dear {letter.member},"), styles.body))
    story.append(Paragraph(_markup(letter.opening), styles.body))
    story.append(Paragraph(_markup(letter.advice_intro), styles.body))
    story.extend(_text_flowables(letter.advice, styles))
    if letter.not_followed is not None:
        story.append(Paragraph(_markup(letter.not_followed), styles.body))
        story.extend(_text_flowables(letter.not_followed_detail, styles))
    story.extend(Paragraph(_markup(text), styles.body) for text in letter.closing)
    story.append(Paragraph("Best wishes,", styles.body))
    story.append(Spacer(1, 4 * mm))
    # The case reference is in the page header and the details block, not repeated here.
    story.append(Paragraph("<br/>".join(_markup(line) for line in letter.signature), styles.body))
    return story


def _text_flowables(paragraphs: tuple[str, ...], styles: _Styles) -> list[Flowable]:
    """The rep's own text, indented: each line a flowable, long lines in pieces, so any
    length flows across pages."""
    flowables: list[Flowable] = []
    for paragraph in paragraphs:
        pieces = [piece for line in paragraph.split("\n") for piece in _pieces(line)]
        for i, piece in enumerate(pieces):
            style = styles.quoted if i == len(pieces) - 1 else styles.continued
            flowables.append(Paragraph(_markup(piece) or "&nbsp;", style))
    return flowables


def _pieces(line: str) -> list[str]:
    """Split one long line at spaces into pieces of about ``_PIECE_CHARS`` characters."""
    pieces: list[str] = []
    while len(line) > _PIECE_CHARS:
        cut = line.rfind(" ", _PIECE_CHARS // 2, _PIECE_CHARS)
        if cut <= 0:
            cut = _PIECE_CHARS
        pieces.append(line[:cut])
        line = line[cut:].lstrip(" ")
    pieces.append(line)
    return pieces


def _numbered_canvas(case_ref: str, styles: _Styles,
                     trail_head: str = "") -> type[rl_canvas.Canvas]:
    """A canvas class that keeps pages until the end, then stamps the marking, the case
    reference, the paper-trail head and "Page N of M" on each."""

    class FollowUpCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for state in self._held_pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, height = A4
            self.saveState()
            top = height - _MARGIN + 4 * mm
            self.setFillColor(_MARK)
            self.setFont(styles.bold, 9)
            self.drawString(_MARGIN, top, CONFIDENTIAL_MARKING.upper())
            self.setFillColor(_MUTED)
            self.setFont(styles.regular, 9)
            self.drawRightString(width - _MARGIN, top, f"Case ref {case_ref}")
            self.setStrokeColor(_RULE)
            self.setLineWidth(0.6)
            self.line(_MARGIN, top - 2.5 * mm, width - _MARGIN, top - 2.5 * mm)
            bottom = _MARGIN - 10 * mm
            self.line(_MARGIN, bottom + 4 * mm, width - _MARGIN, bottom + 4 * mm)
            self.setFont(styles.regular, 8.5)
            self.drawString(_MARGIN, bottom, CONFIDENTIAL_MARKING)
            if trail_head:
                self.drawCentredString(width / 2, bottom, f"Paper-trail head {trail_head}")
            self.drawRightString(width - _MARGIN, bottom, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return FollowUpCanvas




def _paragraphs(text: str) -> list[str]:
    """The user's paragraphs (split at blank lines), each keeping its own line breaks."""
    cleaned = _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).replace("\t", " ")
    return [
        "\n".join(line.rstrip() for line in block.strip("\n").split("\n"))
        for block in _BLANK_LINES.split(cleaned)
        if block.strip()
    ]


def _markup(text: str) -> str:
    """Text made safe for reportlab's paragraph markup (& < > escaped)."""
    return escape(text)


def _one_line(text: str) -> str:
    return " ".join(_CONTROL.sub(" ", text).split())


def _channel(draft: FollowUpDraft) -> str:
    channel = _one_line(draft.advice_channel)
    if channel.casefold().startswith("our "):
        channel = channel[4:].lstrip()
    return channel or "conversation"


def _uk_date(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _is_date(value: object) -> bool:
    return isinstance(value, dt.date)
