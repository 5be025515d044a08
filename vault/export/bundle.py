"""A bundle: neutral member names, an encrypted index, a SHA-256 manifest, one atomic file.

``write_bundle`` takes the things to export as ``BundleSource`` objects (a document streamed
from CVF1 decryption, a generated PDF) and writes, through ``vault.crypto.winzip_aes`` into a
``BundleFile``::

    01-document.pdf, 02-document.txt, … 05-case-summary.pdf, 06-paper-trail.pdf
    index.pdf          neutral name → real title, kind, size, SHA-256 (built by the caller)
    MANIFEST.sha256    "<sha256>  <name>" for every member above (``sha256sum -c`` format)

Real titles only ever appear inside the encrypted index; whatever a title holds (``/``,
``..``, NUL, 300 characters, any script) it never becomes a name in the archive. Each member
is stored or deflated by its media type (PDFs, images, office files and archives are already
compressed). Progress is reported in plaintext bytes over the whole bundle.
"""

from __future__ import annotations

import logging
import mimetypes
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from vault.errors import InvalidInput
from vault.export.bundle_file import BundleFile, export_error
from vault.reports.export_views import IndexRowView

log = logging.getLogger(__name__)

INDEX_NAME = "index.pdf"
MANIFEST_NAME = "MANIFEST.sha256"

_SAFE_SUFFIX = re.compile(r"^\.[a-z0-9]{1,8}$")
_SUFFIXES = {
    "application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif",
    "text/plain": ".txt", "text/csv": ".csv", "text/html": ".html", "message/rfc822": ".eml",
    "application/msword": ".doc", "application/rtf": ".rtf", "application/zip": ".zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/json": ".json",
}
# Media types whose bytes are already compressed: deflating them costs time and gains nothing.
_STORED_PREFIXES = ("image/", "audio/", "video/")
_STORED_EXCEPTIONS = {"image/bmp", "image/svg+xml", "image/tiff", "image/x-ms-bmp"}
_STORED_TYPES = {
    "application/pdf", "application/zip", "application/gzip", "application/x-7z-compressed",
    "application/x-bzip2", "application/x-xz", "application/x-rar-compressed",
    "application/epub+zip", "application/java-archive",
}
_STORED_MARKERS = ("openxmlformats", "opendocument", "vnd.ms-excel.sheet.macroenabled")


class BundleKind(StrEnum):
    """What a member is; the value is its neutral stem, the label what the index says."""

    DOCUMENT = "document"
    CASE_SUMMARY = "case-summary"
    PAPER_TRAIL = "paper-trail"
    MEMBER_RECORD = "member-record"
    PARTY_RECORDS = "party-records"

    @property
    def label(self) -> str:
        return {
            BundleKind.DOCUMENT: "Document",
            BundleKind.CASE_SUMMARY: "Case summary",
            BundleKind.PAPER_TRAIL: "Paper trail",
            BundleKind.MEMBER_RECORD: "Member record",
            BundleKind.PARTY_RECORDS: "Party records",
        }[self]


@dataclass(frozen=True)
class BundleSource:
    """One thing to put in a bundle.

    ``chunks`` is called once when the member's turn comes, and the iterable it returns is
    consumed on the archive's source thread (a CVF1 decryption generator opens its file only
    when first iterated; a generated PDF is one piece of bytes). ``known_sha256`` is
    the plaintext digest when the source guarantees it (see ``AesZipWriter.add``).
    """

    title: str
    kind: BundleKind
    media_type: str
    size: int | None
    chunks: Callable[[], Iterable[bytes]]
    known_sha256: str | None = None
    group: str = ""


@dataclass(frozen=True)
class BundleMember:
    name: str
    title: str
    kind: str
    size: int
    sha256: str
    group: str = ""


@dataclass(frozen=True)
class BundleResult:
    """The finished archive: where, its own SHA-256 and size, and what it holds."""

    path: Path
    sha256: str
    size: int
    member_count: int  # every file in the zip, index and manifest included
    members: tuple[BundleMember, ...]


def suffix_for(media_type: str) -> str:
    """A short safe file suffix for a media type (``.bin`` when unknown)."""
    suffix = _SUFFIXES.get(media_type) or mimetypes.guess_extension(media_type) or ".bin"
    return suffix if _SAFE_SUFFIX.match(suffix) else ".bin"


def is_compressible(media_type: str) -> bool:
    """True when a member of this type is worth deflating (text, old office, unknown)."""
    kind = media_type.lower()
    if kind in _STORED_TYPES or any(marker in kind for marker in _STORED_MARKERS):
        return False
    return not (kind.startswith(_STORED_PREFIXES) and kind not in _STORED_EXCEPTIONS)


def neutral_names(sources: Sequence[BundleSource]) -> list[str]:
    """``01-document.pdf``-style names, numbered in order (three digits past 99 members)."""
    width = max(2, len(str(len(sources))))
    return [f"{i:0{width}d}-{s.kind.value}{suffix_for(s.media_type)}"
            for i, s in enumerate(sources, start=1)]


def default_bundle_name(day: datetime) -> str:
    """The neutral file name a bundle is offered under: ``bundle-2026-11-23.zip``."""
    return f"bundle-{day:%Y-%m-%d}.zip"


def write_bundle(
    target: Path,
    sources: Sequence[BundleSource],
    passphrase: str,
    *,
    render_index: Callable[[tuple[IndexRowView, ...]], bytes],
    modified: datetime,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    overwrite: bool = False,
    force_zip64: bool = False,
) -> BundleResult:
    """Write the bundle of ``sources`` to ``target`` atomically; all or nothing.

    ``render_index`` turns the index rows into ``index.pdf``. ``progress(done, total)`` in
    plaintext bytes (from the archive thread: the GUI must queue it).

    Raises:
        InvalidInput: nothing to export, the folder is missing, or the file exists.
        Cancelled: the rep cancelled; nothing is left behind.
        IntegrityError: a document failed its integrity check; nothing is left behind.
        StorageError: the disk is full or refused; nothing is left behind.
    """
    from vault.crypto.winzip_aes import AesZipWriter  # numpy: loaded on first export

    if not sources:
        raise InvalidInput("Nothing was chosen to export.")
    names = neutral_names(sources)
    total = sum(s.size or 0 for s in sources)
    members: list[BundleMember] = []
    done_before = 0

    def member_progress(n: int) -> None:
        if progress is not None:
            progress(done_before + n, total)

    with BundleFile(target, overwrite=overwrite) as out:
        try:
            with AesZipWriter(out.stream, passphrase, modified=modified,
                              force_zip64=force_zip64, cancelled=cancelled) as zf:
                for name, source in zip(names, sources, strict=True):
                    info = zf.add(name, source.chunks(),
                                  compress=is_compressible(source.media_type),
                                  size_hint=source.size, known_sha256=source.known_sha256,
                                  progress=member_progress)
                    members.append(BundleMember(name, source.title, source.kind.label,
                                                info.size, info.sha256, source.group))
                    done_before += source.size or info.size
                index_pdf = render_index(tuple(
                    IndexRowView(m.name, m.title, m.kind, m.size, m.sha256, m.group)
                    for m in members))
                index = zf.add_bytes(INDEX_NAME, index_pdf, compress=False)
                members.append(BundleMember(INDEX_NAME, "Index of this bundle", "Index",
                                            index.size, index.sha256))
                manifest = "".join(f"{m.sha256}  {m.name}\n" for m in members).encode("ascii")
                zf.add_bytes(MANIFEST_NAME, manifest, compress=True)
                count = zf.member_count
            size = zf.size
            digest = zf.sha256
            out.commit()
        except OSError as exc:
            raise export_error(exc) from exc
    log.info("bundle written: %d members, %d bytes", count, size)
    return BundleResult(Path(target), digest, size, count, tuple(members))
