"""The training record PDF a rep can give to their branch or employer.

One A4 document built with reportlab's platypus from a :class:`TrainingOverview`: the union,
the derived status in plain words (with the next step and what is missing), the courses with
their dates, the Reps 2 route with the date of each step, and a footer with the generation date
and "page N of M". It holds the rep's own name (if given) and no member data.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from vault.errors import InvalidInput
from vault.reports.pdf_fonts import report_fonts
from vault.store.fsutil import atomic_write_bytes
from vault.training.codes import StatusCode
from vault.training.dates import uk_date
from vault.training.record import course_names
from vault.training.service import TrainingOverview

log = logging.getLogger(__name__)

PRODUCT_NAME = "Casework Vault"
MAX_REP_NAME = 120

_MARGIN = 18 * mm
_INK = colors.HexColor("#1f2933")
_MUTED = colors.HexColor("#616e7c")
_ACCENT = colors.HexColor("#1d4e89")
_RULE = colors.HexColor("#cbd2d9")
_HEADER_BG = colors.HexColor("#e4e7eb")
_DONE_BG = colors.HexColor("#e3f2e8")
_NEXT_BG = colors.HexColor("#fff4d6")
_STATUS_BG = {
    StatusCode.ACCREDITED: colors.HexColor("#e3f2e8"),
    StatusCode.REPS2_NOT_OPEN: colors.HexColor("#f5f7fa"),
}
_DEFAULT_STATUS_BG = colors.HexColor("#eef4fb")



def render_training_record(overview: TrainingOverview, rep_name: str | None,
                           out: Path | BinaryIO, *,
                           generated_on: dt.date | None = None) -> None:
    """Write the training record PDF to ``out`` (a path, written atomically with mode 0600,
    or a binary stream the caller owns).

    ``rep_name`` is the rep's own name for the title, or None to leave it out.
    ``generated_on`` defaults to ``overview.today``.

    Raises:
        InvalidInput: ``rep_name`` is longer than 120 characters.
        StorageError: the file could not be written.
    """
    name = " ".join((rep_name or "").split())
    if len(name) > MAX_REP_NAME:
        raise InvalidInput(f"A name on the training record is at most {MAX_REP_NAME} characters.")
    pdf = _build(overview, name or None, generated_on or overview.today)
    if isinstance(out, Path):
        atomic_write_bytes(out, pdf)
    else:
        out.write(pdf)
    log.info("training record PDF written (%d bytes)", len(pdf))


# --------------------------------------------------------------------------------------------




class _Styles:
    def __init__(self) -> None:
        regular, bold = report_fonts()
        self.regular, self.bold = regular, bold
        self.title = ParagraphStyle("title", fontName=bold, fontSize=20, leading=24,
                                    textColor=_ACCENT, spaceAfter=2)
        self.subtitle = ParagraphStyle("subtitle", fontName=regular, fontSize=11, leading=15,
                                       textColor=_INK)
        self.meta = ParagraphStyle("meta", fontName=regular, fontSize=9, leading=12,
                                   textColor=_MUTED)
        self.heading = ParagraphStyle("heading", fontName=bold, fontSize=12.5, leading=16,
                                      textColor=_ACCENT, spaceBefore=10, spaceAfter=4)
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13,
                                   textColor=_INK)
        self.status = ParagraphStyle("status", fontName=bold, fontSize=13, leading=17,
                                     textColor=_INK, spaceAfter=3)
        self.small = ParagraphStyle("small", fontName=regular, fontSize=8.5, leading=11,
                                    textColor=_MUTED)
        self.cell = ParagraphStyle("cell", fontName=regular, fontSize=9, leading=11.5,
                                   textColor=_INK)
        self.cell_bold = ParagraphStyle("cellbold", parent=self.cell, fontName=bold)
        self.cell_muted = ParagraphStyle("cellmuted", parent=self.cell, textColor=_MUTED)
        self.cell_right = ParagraphStyle("cellright", parent=self.cell, alignment=TA_RIGHT)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=bold, fontSize=8.5,
                                   textColor=_INK)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _build(overview: TrainingOverview, rep_name: str | None, generated_on: dt.date) -> bytes:
    styles = _Styles()
    profile = overview.profile
    buffer = io.BytesIO()
    footer = f"{PRODUCT_NAME} · training record · generated {uk_date(generated_on)}"
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=_MARGIN, rightMargin=_MARGIN, topMargin=_MARGIN,
        bottomMargin=_MARGIN + 6 * mm, title="Training record", author=PRODUCT_NAME,
        subject=f"{profile.name} training record", creator=PRODUCT_NAME,
    )
    width = A4[0] - 2 * _MARGIN

    story: list[Any] = [_p("Training record", styles.title)]
    if rep_name:
        story.append(_p(rep_name, styles.subtitle))
    story.append(_p(f"Union: {profile.full_name}", styles.subtitle))
    story.append(_p(f"Generated on {uk_date(generated_on)}", styles.meta))
    story.append(Spacer(1, 8))
    story.append(_status_box(overview, styles, width))

    story.append(_p("Courses", styles.heading))
    story.append(_courses_table(overview, styles, width))

    route_head: list[Any] = [_p(f"{profile.reps2_course_name}: the route to accreditation",
                                styles.heading)]
    if overview.course_dates:
        dates = ", ".join(uk_date(d) for d in overview.course_dates)
        route_head.append(_p(f"Course dates: {dates}", styles.body))
    if profile.letters and overview.status.reps2_open:
        route_head.append(_p("At the end: " + "; ".join(profile.letters) + ".", styles.small))
    if len(route_head) > 1:
        route_head.append(Spacer(1, 4))
    if overview.status.reps2_open:
        # The route is short: keep it on one page rather than strand its last row.
        story.append(KeepTogether([*route_head, _route_table(overview, styles, width)]))
    else:
        opens_after = course_names(profile, profile.reps2_open_after)
        story.append(KeepTogether([*route_head, _p(
            f"Not open yet: the route opens once you have completed {opens_after}.",
            styles.body)]))

    doc.build(story, canvasmaker=_numbered_canvas(footer, styles.regular))
    return buffer.getvalue()


def _status_box(overview: TrainingOverview, styles: _Styles, width: float) -> Table:
    status = overview.status
    inner: list[Any] = [
        _p(f"Status: {status.headline}", styles.status),
        _p(status.explanation, styles.body),
    ]
    next_step = status.next_step
    if (next_step is not None and status.code is not StatusCode.ACCREDITED
            and next_step.title not in status.headline):
        inner.append(Spacer(1, 4))
        inner.append(Paragraph(f"<b>Next step:</b> {escape(next_step.title)}", styles.body))
    # Unticked steps are in the route table below; the box counts them instead of listing them.
    missing = list(status.missing_other)
    open_steps = [s for s in overview.steps if s.done_on is None]
    if status.reps2_open and open_steps and status.code is not StatusCode.ACCREDITED:
        count = len(status.missing_steps) if status.code is not StatusCode.ELIGIBLE_LEVEL2 \
            else len(open_steps)
        if count:
            missing.insert(0, f"{count} step{'s' if count != 1 else ''} of the route still to "
                              "tick before accreditation (see the route below).")
    if missing:
        inner.append(Spacer(1, 4))
        inner.append(Paragraph("<b>Still missing:</b>", styles.body))
        inner.extend(Paragraph(f"•&nbsp;&nbsp;{escape(item)}", styles.body)
                     for item in missing)
    box = Table([[inner]], colWidths=[width])
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), _STATUS_BG.get(status.code, _DEFAULT_STATUS_BG)),
        ("LINEBEFORE", (0, 0), (0, -1), 3, _ACCENT),
        ("LEFTPADDING", (0, 0), (-1, -1), 10),
        ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 9),
    ]))
    return box


def _courses_table(overview: TrainingOverview, styles: _Styles, width: float) -> Any:
    if not overview.courses:
        return _p("No courses recorded yet.", styles.body)
    rows: list[list[Any]] = [[_p("Course", styles.head), _p("Level", styles.head),
                              _p("Completed", styles.head),
                              _p("Record updated by the union", styles.head)]]
    for course in overview.courses:
        name = course.name
        if not course.in_profile:
            name += " (recorded under another union's profile)"
        if course.from_route:
            updated = "see the route below"
        elif course.education_updated_on:
            updated = uk_date(course.education_updated_on)
        elif course.level == 1:
            updated = "not confirmed"
        else:
            updated = "–"
        rows.append([
            _p(name, styles.cell),
            _p(str(course.level) if course.level else "–", styles.cell),
            _p(uk_date(course.completed_on), styles.cell),
            _p(updated, styles.cell if course.education_updated_on else styles.cell_muted),
        ])
    table = Table(rows, colWidths=[width * 0.48, width * 0.1, width * 0.17, width * 0.25],
                  repeatRows=1)
    table.setStyle(_grid_style(len(rows)))
    return table


def _route_table(overview: TrainingOverview, styles: _Styles, width: float) -> Table:
    rows: list[list[Any]] = [[_p("", styles.head), _p("Step", styles.head),
                              _p("Done on", styles.head)]]
    extra: list[tuple[Any, ...]] = []
    for number, step in enumerate(overview.steps, start=1):
        if step.done_on is not None:
            when = _p(uk_date(step.done_on), styles.cell)
            extra.append(("BACKGROUND", (0, number), (-1, number), _DONE_BG))
        elif step.is_next:
            when = _p("next step", styles.cell_bold)
            extra.append(("BACKGROUND", (0, number), (-1, number), _NEXT_BG))
        else:
            when = _p("not yet", styles.cell_muted)
        rows.append([_p(str(number), styles.cell_right),
                     _p(step.title, styles.cell_bold if step.is_sign_off else styles.cell),
                     when])
    table = Table(rows, colWidths=[width * 0.07, width * 0.68, width * 0.25], repeatRows=1)
    table.setStyle(_grid_style(len(rows), extra))
    return table


def _grid_style(row_count: int, extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), _HEADER_BG),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, _RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 5),
    ]
    commands.extend(extra)
    return TableStyle(commands)


def _numbered_canvas(footer: str, font: str) -> type[rl_canvas.Canvas]:
    """A canvas class that holds pages back until the end, then stamps "page N of M"."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name for it
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._draw_footer(total)
                super().showPage()
            super().save()

        def _draw_footer(self, total: int) -> None:
            page_width = A4[0]
            y = _MARGIN - 2 * mm
            self.saveState()
            self.setStrokeColor(_RULE)
            self.setLineWidth(0.5)
            self.line(_MARGIN, y + 4 * mm, page_width - _MARGIN, y + 4 * mm)
            self.setFont(font, 8)
            self.setFillColor(_MUTED)
            self.drawString(_MARGIN, y, footer)
            self.drawRightString(page_width - _MARGIN, y,
                                 f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas
