"""The page furniture and styles shared by the export reports (summary, trail, index).

A4 portrait, the bundled DejaVu fonts (``pdf_fonts``), a "Confidential" header on every page,
and a footer with the paper-trail head at the time of the export and "Page N of M" (reportlab
holds the pages back until the total is known). ``build_pdf`` returns the PDF bytes; the
export streams them into the encrypted bundle, so no report is ever written to disk in clear.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from vault.reports.export_views import LabelledValue, ReportContext
from vault.reports.pdf_fonts import report_fonts

PRODUCT_NAME = "Casework Vault"
MARGIN = 18 * mm
INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#616e7c")
ACCENT = colors.HexColor("#1d4e89")
RULE = colors.HexColor("#cbd2d9")
HEADER_BG = colors.HexColor("#e4e7eb")
STRUCK = colors.HexColor("#9aa5b1")
WARN_BG = colors.HexColor("#fff4d6")
CONTENT_WIDTH = A4[0] - 2 * MARGIN


def uk_date(value: dt.date | dt.datetime | None) -> str:
    """23 Nov 2026 (UX.md)."""
    if value is None:
        return ""
    return f"{value.day} {value.strftime('%b %Y')}"


def uk_datetime(value: dt.datetime) -> str:
    return f"{uk_date(value)} {value.strftime('%H:%M')}"


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


class Styles:
    """Paragraph styles in the bundled font."""

    def __init__(self) -> None:
        regular, bold = report_fonts()
        self.regular, self.bold = regular, bold
        self.title = ParagraphStyle("title", fontName=bold, fontSize=18, leading=22,
                                    textColor=ACCENT, spaceAfter=2)
        self.subtitle = ParagraphStyle("subtitle", fontName=regular, fontSize=11, leading=15,
                                       textColor=INK, spaceAfter=4)
        self.heading = ParagraphStyle("heading", fontName=bold, fontSize=12, leading=15,
                                      textColor=ACCENT, spaceBefore=9, spaceAfter=4)
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=13,
                                   textColor=INK)
        self.small = ParagraphStyle("small", fontName=regular, fontSize=8.5, leading=11,
                                    textColor=MUTED)
        self.cell = ParagraphStyle("cell", fontName=regular, fontSize=8.8, leading=11.2,
                                   textColor=INK)
        self.cell_bold = ParagraphStyle("cellbold", parent=self.cell, fontName=bold)
        self.cell_muted = ParagraphStyle("cellmuted", parent=self.cell, textColor=MUTED)
        self.cell_struck = ParagraphStyle("cellstruck", parent=self.cell, textColor=STRUCK)
        self.mono = ParagraphStyle("mono", parent=self.cell, fontSize=7.2, leading=9,
                                   textColor=MUTED)
        self.head = ParagraphStyle("head", parent=self.cell, fontName=bold, fontSize=8.5)


def escape_text(text: str) -> str:
    """Plain text as reportlab markup: escaped, line breaks kept, NUL and controls dropped."""
    clean = "".join(ch for ch in text if ch in "\n\t" or ord(ch) >= 32)
    return escape(clean).replace("\n", "<br/>")


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text."""
    return Paragraph(escape_text(text), style)


def grid(rows: Sequence[Sequence[Any]], widths: Sequence[float], *, header: bool = True,
         extra: Sequence[tuple[Any, ...]] = ()) -> Table:
    """A table with a shaded header row and thin rules, repeating its header on new pages."""
    table = Table(list(rows), colWidths=list(widths), repeatRows=1 if header else 0)
    commands: list[tuple[Any, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), HEADER_BG))
    table.setStyle(TableStyle([*commands, *extra]))
    return table


_CONTROLS = {code: None for code in range(32) if code not in (9, 10)} | {9: " ", 127: None}


def plain_text(text: str) -> str:
    """Text with NUL and other control characters (but line breaks) dropped, tabs as spaces."""
    return text.translate(_CONTROLS)


def wrap(text: str, font: str, size: float, width: float) -> str:
    """``text`` broken into lines that fit ``width`` points (long words are cut)."""
    lines: list[str] = []
    for paragraph in plain_text(text).split("\n"):
        for line in simpleSplit(paragraph, font, size, width) or [""]:
            while stringWidth(line, font, size) > width and len(line) > 1:
                cut = max(1, int(len(line) * width / stringWidth(line, font, size)))
                lines.append(line[:cut])
                line = line[cut:]
            lines.append(line)
    return "\n".join(lines)


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
               styles: Styles, *, bold_first: bool = False, size: float = 8.3,
               shade_rows: Sequence[int] = (), struck_rows: Sequence[int] = ()) -> list[Flowable]:
    """A long table of plain-text cells, wrapped by hand and drawn straight on the canvas.

    Far faster than platypus tables of Paragraphs (an index of 2,000 members lays out in well
    under a second), which matters because the index is built while the rep waits for an
    export. It splits across pages by whole rows, repeating the header.
    """
    return [TextTable(header, rows, widths, styles, bold_first=bold_first, size=size,
                      shade_rows=shade_rows, struck_rows=struck_rows)]


class TextTable(Flowable):
    """A header row and wrapped plain-text rows with thin rules; splits by rows."""

    _PAD = 3.0

    def __init__(self, header: Sequence[str], rows: Sequence[Sequence[str]],
                 widths: Sequence[float], styles: Styles, *, bold_first: bool = False,
                 size: float = 8.3, shade_rows: Sequence[int] = (),
                 struck_rows: Sequence[int] = (), _wrapped: list[list[list[str]]] | None = None,
                 _heights: list[float] | None = None, _head: list[list[str]] | None = None,
                 _first: int = 0) -> None:
        super().__init__()
        self.header = list(header)
        self.widths = list(widths)
        self.styles = styles
        self.bold_first = bold_first
        self.size = size
        self.leading = size * 1.25
        self.shade = set(shade_rows)
        self.struck = set(struck_rows)
        self.first = _first
        if _wrapped is None:
            _wrapped = [[wrap(cell, self._font(col), size, self.widths[col] - 2 * self._PAD
                              - 2).split("\n") for col, cell in enumerate(row)] for row in rows]
        self.cells = _wrapped
        self.head_cells = _head if _head is not None else [
            wrap(h, styles.bold, size, w - 2 * self._PAD - 2).split("\n")
            for h, w in zip(self.header, self.widths, strict=True)]
        self.head_height = self._height(self.head_cells)
        self.row_heights = (_heights if _heights is not None
                            else [self._height(row) for row in self.cells])

    def _font(self, col: int) -> str:
        return self.styles.bold if self.bold_first and col == 0 else self.styles.regular

    def _height(self, row: list[list[str]]) -> float:
        return max((len(lines) for lines in row), default=1) * self.leading + 2 * self._PAD

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = self.head_height + sum(self.row_heights)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        room = availHeight - self.head_height
        fit = 0
        while fit < len(self.row_heights) and room >= self.row_heights[fit]:
            room -= self.row_heights[fit]
            fit += 1
        if fit == 0 or fit == len(self.cells):
            return [] if fit == 0 else [self]
        return [self._part(0, fit), self._part(fit, len(self.cells))]

    def _part(self, start: int, end: int) -> TextTable:
        shade = [i - start for i in self.shade if start <= i < end]
        struck = [i - start for i in self.struck if start <= i < end]
        return TextTable(self.header, [], self.widths, self.styles, bold_first=self.bold_first,
                         size=self.size, shade_rows=shade, struck_rows=struck,
                         _wrapped=self.cells[start:end], _heights=self.row_heights[start:end],
                         _head=self.head_cells, _first=self.first + start)

    def draw(self) -> None:
        c = self.canv
        width = sum(self.widths)
        y = self.head_height + sum(self.row_heights)
        c.saveState()
        c.setFillColor(HEADER_BG)
        c.rect(0, y - self.head_height, width, self.head_height, stroke=0, fill=1)
        self._draw_row(self.head_cells, y, self.head_height, bold_all=True, color=INK)
        y -= self.head_height
        for index, (row, height) in enumerate(zip(self.cells, self.row_heights, strict=True)):
            if index in self.shade:
                c.setFillColor(WARN_BG)
                c.rect(0, y - height, width, height, stroke=0, fill=1)
            self._draw_row(row, y, height, bold_all=False,
                           color=STRUCK if index in self.struck else INK)
            y -= height
        c.restoreState()

    def _draw_row(self, row: list[list[str]], top: float, height: float, *, bold_all: bool,
                  color: Any) -> None:
        c = self.canv
        x = 0.0
        for col, lines in enumerate(row):
            c.setFillColor(color)
            c.setFont(self.styles.bold if bold_all else self._font(col), self.size)
            baseline = top - self._PAD - self.size
            for line in lines:
                c.drawString(x + self._PAD, baseline, line)
                baseline -= self.leading
            x += self.widths[col]
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        c.line(0, top - height, sum(self.widths), top - height)


def facts(pairs: Sequence[LabelledValue], styles: Styles) -> Table:
    """A two-column label / value block."""
    rows = [[para(p.label, styles.cell_muted), para(p.value or "—", styles.cell)]
            for p in pairs]
    return grid(rows or [[para("—", styles.cell_muted), ""]], [45 * mm, CONTENT_WIDTH - 45 * mm],
                header=False)


def build_pdf(story: list[Flowable], context: ReportContext, title: str) -> bytes:
    """Lay ``story`` out on A4 with the export header and footer; return the PDF bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN + 6 * mm, bottomMargin=MARGIN + 4 * mm,
        title=title, author=PRODUCT_NAME, subject="Confidential", creator=PRODUCT_NAME,
    )
    regular, bold = report_fonts()
    head = context.trail_head
    footer = (f"Generated {uk_datetime(context.generated)} by {PRODUCT_NAME}  ·  "
              f"paper-trail head {context.trail_seq}:{head[:16]}")
    doc.build(story, canvasmaker=_export_canvas(footer, regular, bold))
    return buffer.getvalue()


def _export_canvas(footer: str, regular: str, bold: str) -> type[rl_canvas.Canvas]:
    class ExportCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _furniture(self, total: int) -> None:
            width, height = A4
            self.saveState()
            self.setFont(bold, 8.5)
            self.setFillColor(colors.HexColor("#b42318"))
            self.drawString(MARGIN, height - MARGIN + 2 * mm, "CONFIDENTIAL")
            self.setFont(regular, 8)
            self.setFillColor(MUTED)
            self.drawRightString(width - MARGIN, height - MARGIN + 2 * mm,
                                 "Union casework — do not forward")
            self.setStrokeColor(RULE)
            self.setLineWidth(0.5)
            self.line(MARGIN, height - MARGIN, width - MARGIN, height - MARGIN)
            y = MARGIN - 2 * mm
            self.line(MARGIN, y + 4 * mm, width - MARGIN, y + 4 * mm)
            self.setFont(regular, 7.5)
            self.drawString(MARGIN, y, footer)
            self.drawRightString(width - MARGIN, y, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return ExportCanvas
