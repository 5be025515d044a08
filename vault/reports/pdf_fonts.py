"""The fonts every report PDF uses, registered once per process.

DejaVu Sans ships in ``resources/fonts`` (Bitstream Vera / DejaVu licence, see the LICENSE
file there), so PDFs look the same on every machine and names in Latin, Greek and Cyrillic
scripts print correctly. A system copy, then reportlab's own Vera, then Helvetica (Latin-1
only) are the fallbacks. A name in a script the font lacks (CJK, Devanagari) shows as boxes in
the PDF; the plain-text forms of reports are always exact.
"""

from __future__ import annotations

import logging

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from vault.paths import resources_dir

log = logging.getLogger(__name__)

REGULAR = "CasevaultSans"
BOLD = "CasevaultSans-Bold"


def _candidates() -> list[tuple[str, str]]:
    bundled = resources_dir() / "fonts"
    return [
        (str(bundled / "DejaVuSans.ttf"), str(bundled / "DejaVuSans-Bold.ttf")),
        ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
         "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
        ("C:/Windows/Fonts/arial.ttf", "C:/Windows/Fonts/arialbd.ttf"),
        ("/System/Library/Fonts/Supplemental/Arial.ttf",
         "/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
        ("Vera.ttf", "VeraBd.ttf"),
    ]


def report_fonts() -> tuple[str, str]:
    """Register (once per process) and return the regular and bold font names."""
    registered = pdfmetrics.getRegisteredFontNames()
    if REGULAR in registered and BOLD in registered:
        return REGULAR, BOLD
    for regular, bold in _candidates():
        try:
            pdfmetrics.registerFont(TTFont(REGULAR, regular))
            pdfmetrics.registerFont(TTFont(BOLD, bold))
        except Exception:  # noqa: S112 - a missing or unreadable font: try the next one
            continue
        pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                      boldItalic=BOLD)
        return REGULAR, BOLD
    log.warning("no TrueType font found for reports; using Helvetica")
    return "Helvetica", "Helvetica-Bold"
