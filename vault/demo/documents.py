"""Sample files for the demo vault: PDF letters, PNG "scans" and plain-text notes.

Made in memory with reportlab (PDF) and the standard library (PNG via zlib, text), at sizes a
rep's case files really have: letters of tens of kilobytes, multi-page bundles of a megabyte or
two, photographed pages of a few hundred kilobytes. Everything written in them is fictional.
"""

from __future__ import annotations

import io
import random
import struct
import zlib
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from vault.demo.people import SENTENCES


@dataclass(frozen=True)
class SampleFile:
    """One generated file: the name the rep would give it and its bytes."""

    name: str
    data: bytes


def pdf_letter(title: str, pages: int, rng: random.Random) -> bytes:
    """A fictional letter or bundle of ``pages`` A4 pages of text."""
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=True)
    pdf.setTitle(title)
    _width, height = A4
    for page in range(pages):
        pdf.setFont("Helvetica-Bold", 14)
        pdf.drawString(60, height - 70, f"{title} (demo, page {page + 1} of {pages})")
        pdf.setFont("Helvetica", 10)
        y = height - 100
        while y > 70:
            pdf.drawString(60, y, rng.choice(SENTENCES) + ".")
            y -= 14
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def png_scan(width: int, height: int, rng: random.Random) -> bytes:
    """A greyscale "photographed page": paper tone, lines of text-like marks, sensor noise."""
    rows = []
    noise = bytes(rng.randrange(230, 256) for _ in range(width * 2))
    for y in range(height):
        start = rng.randrange(width)
        line = bytearray(noise[start:start + width])
        if (y // 6) % 3 == 0 and 60 < y < height - 60:
            for x in range(40, width - 40, 9):
                if rng.random() < 0.7:
                    line[x:x + 6] = b"\x30" * 6
        rows.append(b"\x00" + bytes(line))
    raw = zlib.compress(b"".join(rows), 6)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw)
            + chunk(b"IEND", b""))


def text_note(lines: int, rng: random.Random) -> bytes:
    return ("\n".join(f"- {rng.choice(SENTENCES)}." for _ in range(lines)) + "\n").encode()


class SampleFiles:
    """Makes sample files, reusing a small pool of each kind so a large vault stays fast.

    Every import encrypts afresh under its own case key, so reusing plaintext across cases
    costs nothing in realism for the vault's own work (sizes, types, encryption, hashing).
    """

    POOL = 8

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._pdfs: list[bytes] = []
        self._bundles: list[bytes] = []
        self._scans: list[bytes] = []

    def pick(self) -> SampleFile:
        rng = self._rng
        roll = rng.random()
        if roll < 0.45:
            if len(self._pdfs) < self.POOL:
                self._pdfs.append(pdf_letter("Letter from the employer", rng.randint(1, 3), rng))
            return SampleFile(rng.choice(("invitation-letter.pdf", "outcome-letter.pdf",
                                          "policy.pdf")), rng.choice(self._pdfs))
        if roll < 0.55:
            if len(self._bundles) < 2:
                self._bundles.append(pdf_letter("Hearing bundle", rng.randint(40, 80), rng))
            return SampleFile("hearing-bundle.pdf", rng.choice(self._bundles))
        if roll < 0.8:
            if len(self._scans) < self.POOL // 2:
                self._scans.append(png_scan(rng.choice((700, 900)), rng.choice((900, 1200)),
                                            rng))
            return SampleFile(rng.choice(("fit-note.png", "photo-of-rota.png")),
                              rng.choice(self._scans))
        return SampleFile(rng.choice(("timeline.txt", "notes-from-call.txt")),
                          text_note(rng.randint(5, 60), rng))
