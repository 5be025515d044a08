"""The user guide for reps (``resources/guide/user-guide.md``): HTML for Help, and a PDF.

One Markdown source, parsed once with markdown-it-py (CommonMark plus tables), gives both
forms, so the Help page and the PDF never drift apart. Headings get ids from their text
(``## The daily routine`` → ``#the-daily-routine``) so the guide's own links work in both.
``links()`` lists every link for the link check in the tests.

``python -m vault.reports.user_guide OUT.pdf`` writes the PDF (``make dist`` puts it in the
bundle; ``make guide-pdf`` in dist/).
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from vault import __version__
from vault.errors import VaultError
from vault.paths import resources_dir
from vault.reports.pdf_fonts import report_fonts

GUIDE_NAME = "user-guide.md"
TITLE = "Casework Vault: a guide for reps"


class GuideMissing(VaultError):
    default_message = "The user guide is missing from this installation."


def guide_path() -> Path:
    return resources_dir() / "guide" / GUIDE_NAME


def load_guide(path: Path | None = None) -> str:
    """The guide's Markdown text.

    Raises:
        GuideMissing: the file is not where the installation should have put it.
    """
    try:
        return (path or guide_path()).read_text("utf-8")
    except OSError as exc:
        raise GuideMissing() from exc


def slug(text: str) -> str:
    """The anchor of a heading: lower case, words joined by hyphens, punctuation dropped."""
    words = re.sub(r"[^\w\s-]", "", text.casefold()).split()
    return "-".join(words)


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def _tokens(markdown: str) -> list[Token]:
    tokens = _parser().parse(markdown)
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            token.attrSet("id", slug(tokens[i + 1].content))
    return tokens


@dataclass(frozen=True)
class Link:
    text: str
    target: str


def links(markdown: str) -> list[Link]:
    """Every link of the guide, in order (for the link check)."""
    found: list[Link] = []
    for token in _tokens(markdown):
        children = token.children or []
        for i, child in enumerate(children):
            if child.type == "link_open":
                closing = next((j for j in range(i + 1, len(children))
                                if children[j].type == "link_close"), len(children))
                text = "".join(c.content for c in children[i + 1:closing]
                               if c.type in ("text", "code_inline"))
                found.append(Link(text, str(child.attrGet("href") or "")))
    return found


def anchors(markdown: str) -> set[str]:
    """The ids of the guide's headings (the targets ``#…`` links may point at)."""
    return {str(t.attrGet("id")) for t in _tokens(markdown) if t.type == "heading_open"}


# -- HTML for the Help page --------------------------------------------------------------------

def to_html(markdown: str) -> str:
    """The guide as HTML that QTextBrowser shows; each heading carries an ``<a name>`` anchor
    (QTextBrowser scrolls to names, not ids)."""
    md = _parser()
    body = md.renderer.render(_tokens(markdown), md.options, {})
    return re.sub(r'<(h[1-6]) id="([^"]+)">', r'<\1 id="\2"><a name="\2"></a>', body)


# -- PDF ---------------------------------------------------------------------------------------

def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = report_fonts()
    body = ParagraphStyle("body", fontName=regular, fontSize=10.5, leading=14.5, spaceAfter=6)
    return {
        "body": body,
        "h1": ParagraphStyle("h1", parent=body, fontName=bold, fontSize=18, leading=22,
                             spaceAfter=10),
        "h2": ParagraphStyle("h2", parent=body, fontName=bold, fontSize=13.5, leading=17,
                             spaceBefore=10, spaceAfter=6, textColor=colors.HexColor("#1b4a6e")),
        "h3": ParagraphStyle("h3", parent=body, fontName=bold, fontSize=11.5, spaceBefore=6),
        "cell": ParagraphStyle("cell", parent=body, spaceAfter=0),
    }


def _inline(token: Token, bold: str) -> str:
    """reportlab's paragraph mark-up for one inline token's children."""
    out: list[str] = []
    for child in token.children or []:
        kind = child.type
        if kind == "text":
            out.append(html.escape(child.content, quote=False))
        elif kind == "code_inline":
            out.append(f'<font face="Courier">{html.escape(child.content, quote=False)}</font>')
        elif kind in ("softbreak", "hardbreak"):
            out.append(" " if kind == "softbreak" else "<br/>")
        elif kind == "strong_open":
            out.append(f'<font face="{bold}">')
        elif kind == "strong_close":
            out.append("</font>")
        elif kind == "em_open":
            out.append("<i>")
        elif kind == "em_close":
            out.append("</i>")
        elif kind == "link_open":
            href = html.escape(str(child.attrGet("href") or ""))
            out.append(f'<a href="{href}" color="#1b4a6e">')
        elif kind == "link_close":
            out.append("</a>")
    return "".join(out)


def _block_end(tokens: Sequence[Token], start: int) -> int:
    """The index of the token closing the block opened at ``start``."""
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return len(tokens) - 1


def _flowables(tokens: Sequence[Token], styles: dict[str, ParagraphStyle],
               bold: str) -> list[Flowable]:
    story: list[Flowable] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            anchor = str(token.attrGet("id"))
            text = _inline(tokens[i + 1], bold)
            story.append(Paragraph(f'<a name="{anchor}"/>{text}', styles[token.tag]))
            i += 3
        elif token.type == "paragraph_open":
            story.append(Paragraph(_inline(tokens[i + 1], bold), styles["body"]))
            i += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            end = _block_end(tokens, i)
            story.append(_list(tokens[i:end + 1], styles, bold))
            i = end + 1
        elif token.type == "table_open":
            end = _block_end(tokens, i)
            story.append(_table(tokens[i:end + 1], styles, bold))
            story.append(Spacer(1, 6))
            i = end + 1
        else:
            i += 1
    return story


def _list(tokens: Sequence[Token], styles: dict[str, ParagraphStyle], bold: str) -> Flowable:
    items: list[ListItem] = []
    i = 1
    while i < len(tokens) - 1:
        if tokens[i].type == "list_item_open":
            end = _block_end(tokens, i)
            inner = _flowables(tokens[i + 1:end], styles, bold)
            items.append(ListItem(inner, leftIndent=14))
            i = end + 1
        else:
            i += 1
    ordered = tokens[0].type == "ordered_list_open"
    kwargs: dict[str, Any] = {"bulletType": "1" if ordered else "bullet", "leftIndent": 14,
                              "bulletFontName": styles["body"].fontName, "bulletFontSize": 9}
    if ordered:
        kwargs["bulletFormat"] = "%s."
    else:
        kwargs["start"] = "•"
    return ListFlowable(items, **kwargs)


def _table(tokens: Sequence[Token], styles: dict[str, ParagraphStyle], bold: str) -> Flowable:
    rows: list[list[Paragraph]] = []
    in_head = False
    for token in tokens:
        if token.type in ("thead_open", "thead_close"):
            in_head = token.type == "thead_open"
        elif token.type == "tr_open":
            rows.append([])
        elif token.type == "inline" and rows:
            text = _inline(token, bold)
            if in_head:
                text = f'<font face="{bold}">{text}</font>'
            rows[-1].append(Paragraph(text, styles["cell"]))
    table = Table(rows, colWidths=[45 * mm, 120 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def write_pdf(out: Path, markdown: str | None = None) -> Path:
    """Write the guide as an A4 PDF (bundled DejaVu fonts, working internal links) to ``out``."""
    text = load_guide() if markdown is None else markdown
    regular, bold = report_fonts()
    styles = _styles()
    story = _flowables(_tokens(text), styles, bold)

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawString(20 * mm, 12 * mm, f"Casework Vault {__version__} · user guide")
        canvas.drawRightString(190 * mm, 12 * mm, f"Page {doc.page}")
        canvas.restoreState()

    out.parent.mkdir(parents=True, exist_ok=True)
    doc = SimpleDocTemplate(str(out), pagesize=A4, title=TITLE, author="Casework Vault",
                            leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=20 * mm)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        sys.stderr.write("usage: python -m vault.reports.user_guide OUT.pdf\n")
        return 2
    out = write_pdf(Path(args[0]))
    sys.stdout.write(f"wrote {out}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
