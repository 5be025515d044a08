"""The ``index.pdf`` inside a bundle: which neutral member name is which real document.

Drawn from a :class:`BundleIndexView`. Member names in the zip are neutral
(``01-document.pdf``) so the archive listing — readable without the passphrase — gives nothing
away; this index, encrypted like every member, maps each to its real title, kind, size and
SHA-256 (the same digests as ``MANIFEST.sha256``).
"""

from __future__ import annotations

import logging

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer

from vault.reports.export_layout import (
    CONTENT_WIDTH,
    Styles,
    build_pdf,
    facts,
    human_size,
    para,
    text_table,
)
from vault.reports.export_views import BundleIndexView

log = logging.getLogger(__name__)


def render_bundle_index(view: BundleIndexView) -> bytes:
    """The bundle index as PDF bytes."""
    s = Styles()
    story: list[Flowable] = [para(view.heading, s.title)]
    if view.about:
        story += [facts(view.about, s), Spacer(1, 3 * mm)]
    grouped = any(r.group for r in view.rows)
    header = ["File in the zip", "What it is"] + (["Case"] if grouped else []) + ["Size"]
    widths = ([48 * mm, CONTENT_WIDTH - 96 * mm, 24 * mm, 24 * mm] if grouped
              else [48 * mm, CONTENT_WIDTH - 72 * mm, 24 * mm])
    rows = []
    for r in view.rows:
        what = f"{r.kind}: {r.title}" if r.title and r.title != r.kind else r.kind
        rows.append([r.member, f"{what}\nSHA-256 {r.sha256[:24]}… (in full in the manifest)",
                     *([r.group] if grouped else []), human_size(r.size)])
    story.extend(text_table(header, rows, widths, s, bold_first=True))
    story.append(Spacer(1, 4 * mm))
    for note in (*view.notes,
                 "MANIFEST.sha256 lists the SHA-256 of every file; check it with "
                 "'sha256sum -c MANIFEST.sha256' (Linux), 'shasum -a 256 -c' (macOS) or "
                 "Get-FileHash (Windows)."):
        story.append(para(note, s.small))
    pdf = build_pdf(story, view.context, view.heading)
    log.info("bundle index PDF built (%d bytes, %d rows)", len(pdf), len(view.rows))
    return pdf
