"""The printable recovery sheet: the recovery code as numbered words on one A4 page.

It carries the code, the date it was made, a short fingerprint of the vault (the first 8
characters of its id, so a rep with two vaults knows which sheet is which) and plain
instructions — and nothing about any member or case. The PDF's metadata names no one. The
caller writes it where the rep chose (it is a secret: the sheet opens the vault without the
passphrase), and the rep is told to print it and delete the file.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas

from vault.crypto import recovery_code
from vault.domain import format_uk_date
from vault.reports.pdf_fonts import report_fonts
from vault.store.fsutil import atomic_write_bytes

_INK = colors.HexColor("#1d2430")
_MUTED = colors.HexColor("#5b6472")
_MARK = colors.HexColor("#9b1c1c")
_RULE = colors.HexColor("#c9ced6")
_MARGIN = 22 * mm

INSTRUCTIONS = (
    "This recovery code opens your Casework Vault if you forget your passphrase.",
    "Keep this sheet somewhere safe and private, away from the laptop — a locked drawer at home.",
    "Anyone with this sheet and a copy of your vault or a backup can read every case in it.",
    "To use it: on the unlock screen choose \u201cForgot passphrase?\u201d, type the 15 words "
    "(the first four letters of each are enough), then choose a new passphrase.",
    "Making a new recovery code in Settings makes this sheet useless; shred it then.",
    "Changing your passphrase does not change the recovery code.",
)


def render_pdf_bytes(code: str, *, vault_id: str, created: dt.date) -> bytes:
    """The recovery sheet as PDF bytes.

    Raises:
        InvalidInput: ``code`` is not a well-formed recovery code.
    """
    lines = recovery_code.groups(code, per_line=3)
    regular, bold = report_fonts()
    buf = io.BytesIO()
    pdf = rl_canvas.Canvas(buf, pagesize=A4, invariant=True)
    pdf.setTitle("Casework Vault recovery sheet")
    pdf.setAuthor("")
    pdf.setSubject("")
    pdf.setCreator("Casework Vault")
    width, height = A4
    y = height - _MARGIN

    pdf.setFillColor(_MARK)
    pdf.setFont(bold, 10)
    pdf.drawString(_MARGIN, y, "SECRET — RECOVERY CODE")
    pdf.setFillColor(_INK)
    y -= 12 * mm
    pdf.setFont(bold, 20)
    pdf.drawString(_MARGIN, y, "Casework Vault recovery sheet")
    y -= 8 * mm
    pdf.setFont(regular, 10)
    pdf.setFillColor(_MUTED)
    pdf.drawString(_MARGIN, y, f"Made {format_uk_date(created)}    Vault {vault_id[:8]}")
    y -= 12 * mm

    box_top = y
    row_h = 11 * mm
    box_h = row_h * len(lines) + 8 * mm
    pdf.setStrokeColor(_RULE)
    pdf.setLineWidth(1)
    pdf.roundRect(_MARGIN, box_top - box_h, width - 2 * _MARGIN, box_h, 3 * mm)
    col_w = (width - 2 * _MARGIN - 12 * mm) / 3
    y = box_top - 10 * mm
    number = 1
    for line in lines:
        for col, word in enumerate(line):
            x = _MARGIN + 6 * mm + col * col_w
            pdf.setFont(regular, 10)
            pdf.setFillColor(_MUTED)
            pdf.drawRightString(x + 8 * mm, y, f"{number}.")
            pdf.setFont(bold, 16)
            pdf.setFillColor(_INK)
            pdf.drawString(x + 10 * mm, y, word)
            number += 1
        y -= row_h
    y = box_top - box_h - 12 * mm

    pdf.setFont(regular, 11)
    pdf.setFillColor(_INK)
    for text in INSTRUCTIONS:
        pdf.circle(_MARGIN + 2 * mm, y + 1.3 * mm, 0.8 * mm, stroke=0, fill=1)
        for part in _wrap(pdf, text, regular, 11, width - 2 * _MARGIN - 6 * mm):
            pdf.drawString(_MARGIN + 6 * mm, y, part)
            y -= 6 * mm
        y -= 2 * mm
    pdf.setFont(regular, 8)
    pdf.setFillColor(_MUTED)
    pdf.drawString(_MARGIN, _MARGIN / 2, "This sheet holds no member or case information.")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def write_pdf(path: Path, code: str, *, vault_id: str, created: dt.date) -> None:
    """Write the recovery sheet to ``path`` atomically (mode 0600).

    Raises:
        InvalidInput: ``code`` is not a well-formed recovery code.
        StorageError: the disk refused the write.
    """
    atomic_write_bytes(Path(path), render_pdf_bytes(code, vault_id=vault_id, created=created))


def _wrap(pdf: rl_canvas.Canvas, text: str, font: str, size: float, width: float) -> list[str]:
    words, lines, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if current and pdf.stringWidth(candidate, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = candidate
    if current:
        lines.append(current)
    return lines
