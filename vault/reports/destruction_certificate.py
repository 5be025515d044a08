"""The destruction certificate: its model, its canonical JSON and its A4 PDF.

Owns the content of the certificate DOMAIN.md asks for when a case is securely deleted: case
reference, category, dates opened / closed / destroyed, the rule applied, what was destroyed
(counts and sizes), the method, how it was verified, the copies known to exist outside the
vault, the product version and the paper-trail head — and an honest statement of what a
cryptographic erase does and does not cover.

It never carries a member's name, the case title, a party's name, a document name or any free
text the rep typed (the per-case retention reason included): the model has no field for them,
and :class:`CertificateView` is built by the retention service from counts and ids only.

The JSON form is canonical (keys sorted, no insignificant whitespace, UTF-8), so the same
certificate always gives the same bytes and its SHA-256 (:func:`certificate_digest`) identifies
it; the vault stores those bytes and can re-render the PDF from them at any time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Paragraph, Spacer
from reportlab.platypus.flowables import Flowable

from vault.domain import format_size, format_uk_date
from vault.errors import IntegrityError, InvalidInput
from vault.reports.report_frame import ReportStyles, build_pdf, key_value_table, markup, table

__all__ = [
    "CERTIFICATE_FORMAT",
    "ERASE_COVERS",
    "ERASE_DOES_NOT_COVER",
    "METHOD_STEPS",
    "CertificateView",
    "DestroyedCounts",
    "ExternalCopy",
    "TrailHead",
    "VerificationCheck",
    "canonical_json",
    "certificate_digest",
    "parse_certificate",
    "render_pdf_bytes",
]

log = logging.getLogger(__name__)

CERTIFICATE_FORMAT = "casevault-destruction-certificate"
CERTIFICATE_VERSION = 1

METHOD_STEPS: tuple[str, ...] = (
    "Cryptographic erase: the case's wrapped key (AES-256) deleted from the database, so every "
    "encrypted document and paper-trail payload of the case is unreadable even from a copy",
    "Case records deleted: case, first meeting, follow-ups, conflict findings, parties no "
    "other case refers to, and the member where no other case remains",
    "Encrypted document files deleted from the vault folder",
    "Full-text index entries purged with FTS5 secure-delete",
    "Paper-trail payloads of the case removed (their hashes kept, so the chain still "
    "verifies); a system entry records the destruction",
    "Write-ahead log checkpointed and truncated; database rebuilt with VACUUM",
    "Database re-encrypted under a new random key (two-phase key rotation); the old key "
    "destroyed",
)

ERASE_COVERS = (
    "Everything of the case held inside this vault: its database rows, its search index "
    "entries, its documents, the free space of the database file and its write-ahead log, "
    "and the key that could decrypt any copy of them taken before today."
)

ERASE_DOES_NOT_COVER = (
    "Copies outside the vault: documents saved out or opened in another program, exported "
    "bundles and emails already sent, printed paper, and the member's own copies. Backups of "
    "the vault made before the destruction still hold the case under the old key until they "
    "are deleted. On SSDs and flash storage the drive may keep old blocks that the operating "
    "system cannot overwrite; this is why full-disk encryption is a prerequisite of the "
    "product: with it, those blocks are unreadable without the disk key."
)


@dataclass(frozen=True, slots=True)
class TrailHead:
    """The paper trail's last entry: sequence number and MAC (hex)."""

    seq: int
    mac: str

    def __str__(self) -> str:
        return f"#{self.seq}·{self.mac}"


@dataclass(frozen=True, slots=True)
class DestroyedCounts:
    """What was destroyed, as counts and sizes (no names)."""

    documents: int = 0
    document_bytes: int = 0
    trail_payloads: int = 0
    first_meeting: int = 0
    follow_ups: int = 0
    parties: int = 0
    conflict_findings: int = 0
    search_entries: int = 0
    members: int = 0

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("Documents", f"{self.documents} ({format_size(self.document_bytes)})"),
            ("Paper-trail entries (payloads)", str(self.trail_payloads)),
            ("First-meeting records", str(self.first_meeting)),
            ("Written follow-ups", str(self.follow_ups)),
            ("Parties (not in any other case)", str(self.parties)),
            ("Conflict-of-interest findings", str(self.conflict_findings)),
            ("Search index entries", str(self.search_entries)),
            ("Member records (no other case left)", str(self.members)),
        ]


@dataclass(frozen=True, slots=True)
class ExternalCopy:
    """A copy known to exist outside the vault, from the paper trail.

    ``kind`` is ``document-saved-out``, ``follow-up-note-drafted``, ``bundle-exported`` or
    ``subject-access-export``;
    ``detail`` identifies it without naming anyone ("document 3f2a1b9c").
    """

    kind: str
    on: dt.date
    detail: str


@dataclass(frozen=True, slots=True)
class VerificationCheck:
    name: str
    passed: bool


@dataclass(frozen=True, slots=True)
class CertificateView:
    """Everything a destruction certificate says. Every field is non-personal by construction.

    Raises:
        InvalidInput: at construction, for a blank id or reference, or dates out of order.
    """

    certificate_id: str
    vault_id: str
    case_ref: str
    category: str
    opened: dt.date
    closed: dt.date
    destroyed: dt.datetime
    rule: str
    rule_code: str
    retention_date: dt.date
    counts: DestroyedCounts
    verification: tuple[VerificationCheck, ...]
    external_copies: tuple[ExternalCopy, ...]
    product_version: str
    trail_head: TrailHead
    db_epoch: int
    method: tuple[str, ...] = METHOD_STEPS

    def __post_init__(self) -> None:
        for label, value in (("certificate id", self.certificate_id),
                             ("case reference", self.case_ref), ("category", self.category)):
            if not isinstance(value, str) or not value.strip():
                raise InvalidInput(f"The certificate needs the {label}.")
        if self.destroyed.tzinfo is None:
            raise InvalidInput("The destruction time must carry its time zone.")
        if not self.opened <= self.closed <= self.destroyed.date():
            raise InvalidInput("The certificate's dates are out of order.")

    @property
    def verified(self) -> bool:
        return bool(self.verification) and all(c.passed for c in self.verification)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": CERTIFICATE_FORMAT,
            "version": CERTIFICATE_VERSION,
            "certificate_id": self.certificate_id,
            "vault_id": self.vault_id,
            "case": {
                "ref": self.case_ref,
                "category": self.category,
                "opened": self.opened.isoformat(),
                "closed": self.closed.isoformat(),
                "retention_date": self.retention_date.isoformat(),
                "rule": self.rule,
                "rule_code": self.rule_code,
            },
            "destroyed_at": self.destroyed.astimezone(dt.UTC).isoformat(),
            "destroyed": {
                "documents": self.counts.documents,
                "document_bytes": self.counts.document_bytes,
                "trail_payloads": self.counts.trail_payloads,
                "first_meeting": self.counts.first_meeting,
                "follow_ups": self.counts.follow_ups,
                "parties": self.counts.parties,
                "conflict_findings": self.counts.conflict_findings,
                "search_entries": self.counts.search_entries,
                "members": self.counts.members,
            },
            "method": list(self.method),
            "verification": [{"check": c.name, "passed": c.passed} for c in self.verification],
            "copies_outside_vault": [
                {"kind": c.kind, "on": c.on.isoformat(), "detail": c.detail}
                for c in self.external_copies
            ],
            "erase_covers": ERASE_COVERS,
            "erase_does_not_cover": ERASE_DOES_NOT_COVER,
            "product_version": self.product_version,
            "trail_head": {"seq": self.trail_head.seq, "mac": self.trail_head.mac},
            "db_epoch": self.db_epoch,
        }


def canonical_json(view: CertificateView) -> bytes:
    """The certificate as canonical JSON bytes (sorted keys, compact, UTF-8)."""
    return json.dumps(view.to_dict(), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def certificate_digest(data: bytes) -> str:
    """SHA-256 (hex) of a certificate's canonical JSON bytes."""
    return hashlib.sha256(data).hexdigest()


def parse_certificate(data: bytes) -> CertificateView:
    """Read back a certificate from its JSON bytes.

    Raises:
        IntegrityError: not a certificate of a known version, or a field missing or malformed.
    """
    try:
        raw = json.loads(data.decode("utf-8"))
        if raw.get("format") != CERTIFICATE_FORMAT or raw.get("version") != CERTIFICATE_VERSION:
            raise ValueError("format")
        case = raw["case"]
        d = raw["destroyed"]
        return CertificateView(
            certificate_id=str(raw["certificate_id"]),
            vault_id=str(raw["vault_id"]),
            case_ref=str(case["ref"]),
            category=str(case["category"]),
            opened=dt.date.fromisoformat(case["opened"]),
            closed=dt.date.fromisoformat(case["closed"]),
            retention_date=dt.date.fromisoformat(case["retention_date"]),
            rule=str(case["rule"]),
            rule_code=str(case["rule_code"]),
            destroyed=dt.datetime.fromisoformat(raw["destroyed_at"]),
            counts=DestroyedCounts(**{k: int(v) for k, v in d.items()}),
            method=tuple(str(s) for s in raw["method"]),
            verification=tuple(VerificationCheck(str(c["check"]), bool(c["passed"]))
                               for c in raw["verification"]),
            external_copies=tuple(
                ExternalCopy(str(c["kind"]), dt.date.fromisoformat(c["on"]), str(c["detail"]))
                for c in raw["copies_outside_vault"]),
            product_version=str(raw["product_version"]),
            trail_head=TrailHead(int(raw["trail_head"]["seq"]), str(raw["trail_head"]["mac"])),
            db_epoch=int(raw["db_epoch"]),
        )
    except (ValueError, KeyError, TypeError, AttributeError, InvalidInput) as exc:
        raise IntegrityError("That is not a readable destruction certificate.") from exc


def render_pdf_bytes(view: CertificateView) -> bytes:
    """The certificate as an A4 PDF, the trail head and reference on every page."""
    styles = ReportStyles()
    story = _story(view, styles)
    pdf = build_pdf(story, title="Destruction certificate",
                    header_right=f"Destruction certificate · case ref {view.case_ref}",
                    trail_head=str(view.trail_head), styles=styles)
    log.info("destruction certificate PDF rendered (%d bytes)", len(pdf))
    return pdf


def _story(view: CertificateView, styles: ReportStyles) -> list[Flowable]:
    destroyed_local = view.destroyed.astimezone(dt.UTC)
    verdict = "passed" if view.verified else "FAILED — see below"
    story: list[Flowable] = [
        Paragraph("Destruction certificate", styles.title),
        Paragraph(markup(
            f"Casework Vault {view.product_version} · certificate {view.certificate_id}"),
            styles.kicker),
        Paragraph(markup(
            f"This certifies that case {view.case_ref} was securely deleted from this "
            f"Casework Vault on {format_uk_date(view.destroyed)} by cryptographic erase, at "
            f"the end of its retention period. The certificate names no member and no party "
            f"and holds none of the case's content."), styles.body),
        Paragraph("The case", styles.heading),
        key_value_table([
            ("Case reference", view.case_ref),
            ("Category", view.category),
            ("Opened", format_uk_date(view.opened)),
            ("Closed", format_uk_date(view.closed)),
            ("Retention rule applied", view.rule),
            ("Retention date", format_uk_date(view.retention_date)),
            ("Destroyed", f"{format_uk_date(destroyed_local)} "
                          f"{destroyed_local.strftime('%H:%M')} UTC"),
        ], styles),
        Paragraph("What was destroyed", styles.heading),
        key_value_table(view.counts.rows(), styles),
        Paragraph("Method", styles.heading),
    ]
    story.extend(Paragraph(markup(f"{i}. {step}"), styles.body)
                 for i, step in enumerate(view.method, 1))
    story.append(Paragraph(markup(f"How it was verified: {verdict}"), styles.heading))
    story.append(table(["Check", "Result"],
                       [(c.name, "passed" if c.passed else "FAILED") for c in view.verification],
                       styles, [0.8, 0.2]))
    story.append(Paragraph("Copies known to exist outside the vault", styles.heading))
    if view.external_copies:
        story.append(Paragraph(
            "The paper trail records these copies made before the destruction. They are not "
            "covered by this erase; whoever holds them should delete or return them.",
            styles.body))
        story.append(table(["Date", "Kind", "Which"],
                           [(format_uk_date(c.on), c.kind.replace("-", " "), c.detail)
                            for c in view.external_copies], styles, [0.2, 0.35, 0.45]))
    else:
        story.append(Paragraph("None recorded in the paper trail.", styles.body))
    story.extend([
        Paragraph("What a cryptographic erase does and does not cover", styles.heading),
        Paragraph("<b>Covers.</b> " + markup(ERASE_COVERS), styles.body),
        Paragraph("<b>Does not cover.</b> " + markup(ERASE_DOES_NOT_COVER), styles.body),
        Spacer(1, 3),
        Paragraph("Record", styles.heading),
        key_value_table([
            ("Vault", view.vault_id),
            ("Database key epoch after rotation", str(view.db_epoch)),
            ("Paper-trail head", str(view.trail_head)),
            ("Product version", f"Casework Vault {view.product_version}"),
        ], styles),
    ])
    return story
