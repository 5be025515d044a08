"""The page frame and styles shared by the retention reports (certificate, branch audit).

Owns what every page of those PDFs carries: the "Confidential — union casework" marking, the
report's title, the paper-trail head (so a page separated from the rest can still be matched
to the vault's trail), and "Page N of M". Also the small paragraph and table styles both
reports use, and the escaping of text for reportlab's markup. The metadata names no one.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from vault.reports.pdf_fonts import report_fonts

__all__ = ["CONFIDENTIAL_MARKING", "ReportStyles", "build_pdf", "key_value_table", "markup",
           "one_line", "table"]

CONFIDENTIAL_MARKING = "Confidential — union casework"
MARGIN = 20 * mm
INK = colors.HexColor("#1d2430")
MUTED = colors.HexColor("#5b6472")
MARK = colors.HexColor("#9b1c1c")
RULE = colors.HexColor("#c9ced6")
SHADE = colors.HexColor("#eef1f5")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def one_line(text: str) -> str:
    """Control characters removed and whitespace collapsed."""
    return " ".join(_CONTROL.sub(" ", text).split())


def markup(text: str) -> str:
    """Text made safe for reportlab's paragraph markup."""
    return escape(one_line(text))


class ReportStyles:
    def __init__(self) -> None:
        self.regular, self.bold = report_fonts()
        self.title = ParagraphStyle("title", fontName=self.bold, fontSize=17, leading=21,
                                    textColor=INK, spaceAfter=2 * mm)
        self.kicker = ParagraphStyle("kicker", fontName=self.regular, fontSize=10, leading=13,
                                     textColor=MUTED, spaceAfter=5 * mm)
        self.heading = ParagraphStyle("heading", fontName=self.bold, fontSize=12, leading=15,
                                      textColor=INK, spaceBefore=5 * mm, spaceAfter=2 * mm)
        self.body = ParagraphStyle("body", fontName=self.regular, fontSize=10, leading=14,
                                   textColor=INK, spaceAfter=2 * mm)
        self.cell = ParagraphStyle("cell", fontName=self.regular, fontSize=8.5, leading=11,
                                   textColor=INK)
        self.cell_bold = ParagraphStyle("cellb", parent=self.cell, fontName=self.bold)
        self.small = ParagraphStyle("small", fontName=self.regular, fontSize=8.5, leading=11,
                                    textColor=MUTED)


def key_value_table(rows: Sequence[tuple[str, str]], styles: ReportStyles) -> Table:
    """A two-column table of labelled values (labels bold, shaded)."""
    data = [[Paragraph(markup(k), styles.cell_bold), Paragraph(markup(v), styles.cell)]
            for k, v in rows]
    width = A4[0] - 2 * MARGIN
    t = Table(data, colWidths=[0.32 * width, 0.68 * width])
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (0, -1), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


def table(header: Sequence[str], rows: Sequence[Sequence[str]], styles: ReportStyles,
          widths: Sequence[float]) -> Table:
    """A table with a shaded header row repeated on every page; ``widths`` are fractions."""
    width = A4[0] - 2 * MARGIN
    data = [[Paragraph(markup(h), styles.cell_bold) for h in header]]
    data.extend([Paragraph(markup(c), styles.cell) for c in row] for row in rows)
    t = Table(data, colWidths=[w * width for w in widths], repeatRows=1)
    t.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


def build_pdf(story: list[Flowable], *, title: str, header_right: str, trail_head: str,
              styles: ReportStyles) -> bytes:
    """Lay ``story`` out on A4 with the frame on every page; returns the PDF bytes."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN + 6 * mm, bottomMargin=MARGIN + 2 * mm,
                            title=title, author="", subject="", creator="Casework Vault")
    doc.build(story, canvasmaker=_framed_canvas(one_line(header_right), one_line(trail_head),
                                                styles))
    return buffer.getvalue()


def _framed_canvas(header_right: str, trail_head: str,
                   styles: ReportStyles) -> type[rl_canvas.Canvas]:
    class FramedCanvas(rl_canvas.Canvas):
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
            top = height - MARGIN + 2 * mm
            self.setFillColor(MARK)
            self.setFont(styles.bold, 8.5)
            self.drawString(MARGIN, top, CONFIDENTIAL_MARKING.upper())
            self.setFillColor(MUTED)
            self.setFont(styles.regular, 8.5)
            self.drawRightString(width - MARGIN, top, header_right)
            self.setStrokeColor(RULE)
            self.setLineWidth(0.6)
            self.line(MARGIN, top - 2.5 * mm, width - MARGIN, top - 2.5 * mm)
            bottom = MARGIN - 8 * mm
            self.line(MARGIN, bottom + 4 * mm, width - MARGIN, bottom + 4 * mm)
            self.setFont(styles.regular, 8)
            self.drawString(MARGIN, bottom, f"Paper-trail head {trail_head}")
            self.drawRightString(width - MARGIN, bottom, f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return FramedCanvas
