"""The branch audit report: its model, its PDF, and its CSV and JSON forms carrying a MAC.

Owns what a branch officer is given about one rep's vault for a period (DOMAIN.md "Branch audit
report"): the counts of open / closed / due / overdue / held cases and of cases destroyed in
the period, each due or overdue case by reference with its dates and rule, every destruction
certificate of the period, the paper-trail head — and no personal data (no member or party
name, no case title, no free text; the model has no field for them).

**The MAC.** The JSON and CSV forms carry an HMAC-SHA256 under the vault's report key
(``vault.crypto.report_mac``: HKDF of the vault master key), so the rep's vault can later
confirm that a file is exactly what it produced (:func:`check_report`, ``casevault audit check
FILE``) and a branch can tell an edited report from a true one. Only that vault can confirm
it: the key never leaves it.

* JSON: ``{"format": "casevault-branch-audit", "version": 1, "report": {…}, "mac":
  {"algorithm": "HMAC-SHA256", "value": hex}}``; the MAC covers the canonical JSON of
  ``report`` (sorted keys, compact, UTF-8), so re-indenting the file does not break it but
  changing any value does.
* CSV: one table, first column the record type (``report``, ``count``, ``case``,
  ``certificate``); the last line is ``mac,HMAC-SHA256,<hex>`` and covers every byte before
  it exactly. Re-saving the CSV in a spreadsheet breaks the MAC; keep the file as received.

The PDF is for reading; it prints the JSON form's MAC so a printed copy can be compared.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Paragraph
from reportlab.platypus.flowables import Flowable

from vault.crypto.report_mac import mac_report, verify_report_mac
from vault.crypto.secret import SecretKey
from vault.domain import format_uk_date
from vault.errors import IntegrityError, InvalidInput
from vault.reports.destruction_certificate import TrailHead
from vault.reports.report_frame import ReportStyles, build_pdf, key_value_table, markup, table

__all__ = [
    "AUDIT_FORMAT",
    "AuditCaseLine",
    "AuditCertificateLine",
    "AuditCheck",
    "AuditCounts",
    "AuditReportView",
    "check_report",
    "render_csv",
    "render_json",
    "render_pdf_bytes",
    "report_mac_hex",
]

log = logging.getLogger(__name__)

AUDIT_FORMAT = "casevault-branch-audit"
AUDIT_VERSION = 1
MAC_ALGORITHM = "HMAC-SHA256"
_CSV_MAC_PREFIX = b"mac," + MAC_ALGORITHM.encode() + b","


@dataclass(frozen=True, slots=True)
class AuditCounts:
    """Counts as of the period's end (``destroyed``: destroyed within the period)."""

    open: int
    closed: int
    due: int
    overdue: int
    held: int
    destroyed: int


@dataclass(frozen=True, slots=True)
class AuditCaseLine:
    """A due or overdue case: reference, category and dates only."""

    ref: str
    category: str
    opened: dt.date
    closed: dt.date
    retention_date: dt.date
    rule: str
    status: str


@dataclass(frozen=True, slots=True)
class AuditCertificateLine:
    """A destruction certificate of the period."""

    certificate_id: str
    ref: str
    category: str
    closed: dt.date
    destroyed: dt.date
    rule: str
    verified: bool
    digest: str


@dataclass(frozen=True, slots=True)
class AuditReportView:
    """Everything a branch audit report says.

    Raises:
        InvalidInput: at construction, when the period ends before it starts.
    """

    vault_id: str
    union: str
    period_from: dt.date
    period_to: dt.date
    generated: dt.datetime
    counts: AuditCounts
    cases: tuple[AuditCaseLine, ...]
    certificates: tuple[AuditCertificateLine, ...]
    trail_head: TrailHead
    product_version: str

    def __post_init__(self) -> None:
        if self.period_to < self.period_from:
            raise InvalidInput("The audit period ends before it starts.")

    def to_dict(self) -> dict[str, Any]:
        c = self.counts
        return {
            "vault_id": self.vault_id,
            "union": self.union,
            "period": {"from": self.period_from.isoformat(), "to": self.period_to.isoformat()},
            "generated": self.generated.astimezone(dt.UTC).isoformat(),
            "counts": {"open": c.open, "closed": c.closed, "due": c.due,
                       "overdue": c.overdue, "held": c.held, "destroyed": c.destroyed},
            "cases": [
                {"ref": x.ref, "category": x.category, "opened": x.opened.isoformat(),
                 "closed": x.closed.isoformat(), "retention_date": x.retention_date.isoformat(),
                 "rule": x.rule, "status": x.status}
                for x in self.cases
            ],
            "certificates": [
                {"certificate_id": x.certificate_id, "ref": x.ref, "category": x.category,
                 "closed": x.closed.isoformat(), "destroyed": x.destroyed.isoformat(),
                 "rule": x.rule, "verified": x.verified, "digest": x.digest}
                for x in self.certificates
            ],
            "trail_head": {"seq": self.trail_head.seq, "mac": self.trail_head.mac},
            "product_version": self.product_version,
        }


@dataclass(frozen=True, slots=True)
class AuditCheck:
    """What :func:`check_report` confirmed about a genuine report."""

    form: str  # "json" or "csv"
    vault_id: str
    period_from: dt.date
    period_to: dt.date
    generated: dt.datetime


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def report_mac_hex(view: AuditReportView, key: SecretKey) -> str:
    """The MAC of the JSON form (hex), as printed on the PDF."""
    return mac_report(key, _canonical(view.to_dict())).hex()


def render_json(view: AuditReportView, key: SecretKey) -> bytes:
    """The JSON form with its MAC (indented for reading; the MAC is over the canonical body)."""
    body = view.to_dict()
    doc = {"format": AUDIT_FORMAT, "version": AUDIT_VERSION, "report": body,
           "mac": {"algorithm": MAC_ALGORITHM, "value": mac_report(key, _canonical(body)).hex()}}
    return (json.dumps(doc, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()


def render_csv(view: AuditReportView, key: SecretKey) -> bytes:
    """The CSV form; its last line is the MAC of every byte before it."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow(["record", "field", "ref", "category", "opened", "closed", "retention_date",
                "destroyed", "rule", "status", "value"])
    meta = [("format", AUDIT_FORMAT), ("version", str(AUDIT_VERSION)),
            ("vault_id", view.vault_id), ("union", view.union),
            ("period_from", view.period_from.isoformat()),
            ("period_to", view.period_to.isoformat()),
            ("generated", view.generated.astimezone(dt.UTC).isoformat()),
            ("trail_head_seq", str(view.trail_head.seq)),
            ("trail_head_mac", view.trail_head.mac),
            ("product_version", view.product_version)]
    for name, value in meta:
        w.writerow(["report", name, "", "", "", "", "", "", "", "", value])
    for name, count in view.to_dict()["counts"].items():
        w.writerow(["count", name, "", "", "", "", "", "", "", "", str(count)])
    for x in view.cases:
        w.writerow(["case", "", x.ref, x.category, x.opened.isoformat(), x.closed.isoformat(),
                    x.retention_date.isoformat(), "", x.rule, x.status, ""])
    for y in view.certificates:
        w.writerow(["certificate", y.certificate_id, y.ref, y.category, "",
                    y.closed.isoformat(), "", y.destroyed.isoformat(), y.rule,
                    "verified" if y.verified else "verification failed", y.digest])
    data = out.getvalue().encode("utf-8")
    return data + _CSV_MAC_PREFIX + mac_report(key, data).hex().encode() + b"\r\n"


_TAMPERED = "This report has been altered, or was not made by this vault."


def check_report(data: bytes, key: SecretKey) -> AuditCheck:
    """Confirm that ``data`` (a JSON or CSV branch audit) is exactly what this vault produced.

    Raises:
        IntegrityError: the file is not a branch audit, its MAC is missing, or any byte of what
            the MAC covers was changed (or it came from another vault).
    """
    stripped = data.lstrip()
    if stripped.startswith(b"{"):
        return _check_json(stripped, key)
    return _check_csv(data, key)


def _check_json(data: bytes, key: SecretKey) -> AuditCheck:
    try:
        doc = json.loads(data.decode("utf-8"))
        if doc.get("format") != AUDIT_FORMAT or doc.get("version") != AUDIT_VERSION:
            raise ValueError("format")
        body = doc["report"]
        mac = bytes.fromhex(doc["mac"]["value"])
        if doc["mac"].get("algorithm") != MAC_ALGORITHM or not isinstance(body, dict):
            raise ValueError("mac")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IntegrityError("That file is not a Casework Vault branch audit.") from exc
    if not verify_report_mac(key, _canonical(body), mac):
        raise IntegrityError(_TAMPERED)
    return _summary("json", body["vault_id"], body["period"]["from"], body["period"]["to"],
                    body["generated"])


def _check_csv(data: bytes, key: SecretKey) -> AuditCheck:
    body, sep, tail = data.rstrip(b"\r\n").rpartition(b"\r\n")
    if not sep or not tail.startswith(_CSV_MAC_PREFIX):
        raise IntegrityError("That file is not a Casework Vault branch audit.")
    covered = body + sep
    try:
        mac = bytes.fromhex(tail[len(_CSV_MAC_PREFIX):].decode("ascii"))
    except ValueError as exc:
        raise IntegrityError(_TAMPERED) from exc
    if not verify_report_mac(key, covered, mac):
        raise IntegrityError(_TAMPERED)
    meta = {row[1]: row[-1] for row in csv.reader(io.StringIO(covered.decode("utf-8")))
            if row and row[0] == "report"}
    if meta.get("format") != AUDIT_FORMAT:
        raise IntegrityError("That file is not a Casework Vault branch audit.")
    return _summary("csv", meta["vault_id"], meta["period_from"], meta["period_to"],
                    meta["generated"])


def _summary(form: str, vault_id: str, start: str, end: str, generated: str) -> AuditCheck:
    return AuditCheck(form=form, vault_id=vault_id, period_from=dt.date.fromisoformat(start),
                      period_to=dt.date.fromisoformat(end),
                      generated=dt.datetime.fromisoformat(generated))


def render_pdf_bytes(view: AuditReportView, *, mac_hex: str | None = None) -> bytes:
    """The report as an A4 PDF for a branch officer to read; the trail head on every page."""
    styles = ReportStyles()
    story = _story(view, styles, mac_hex)
    pdf = build_pdf(story, title="Branch audit report",
                    header_right=f"Branch audit · {format_uk_date(view.period_from)} to "
                                 f"{format_uk_date(view.period_to)}",
                    trail_head=str(view.trail_head), styles=styles)
    log.info("branch audit PDF rendered (%d bytes, %d cases, %d certificates)", len(pdf),
             len(view.cases), len(view.certificates))
    return pdf


def _story(view: AuditReportView, styles: ReportStyles, mac_hex: str | None) -> list[Flowable]:
    c = view.counts
    period = f"{format_uk_date(view.period_from)} to {format_uk_date(view.period_to)}"
    story: list[Flowable] = [
        Paragraph("Branch audit report", styles.title),
        Paragraph(markup(f"Retention and secure deletion · {view.union} · {period}"),
                  styles.kicker),
        Paragraph(
            "This report shows how one rep's Casework Vault keeps to the union's retention "
            "rule: how many cases it holds, which closed cases are due or overdue for secure "
            "deletion, and the destruction certificates of the period. It contains no member "
            "names, party names, case titles or case content. Counts are as at the end of the "
            "period; a case is overdue when it is still held 30 days after its retention date; "
            "a case on legal hold is never due.", styles.body),
        Paragraph("Cases at the end of the period", styles.heading),
        table(["Open", "Closed", "Due", "Overdue", "On hold", "Destroyed in period"],
              [[str(c.open), str(c.closed), str(c.due), str(c.overdue), str(c.held),
                str(c.destroyed)]], styles, [1 / 6] * 6),
        Paragraph("Cases due or overdue for destruction", styles.heading),
    ]
    if view.cases:
        story.append(table(
            ["Reference", "Category", "Opened", "Closed", "Retention date", "Rule", "Status"],
            [(x.ref, x.category, format_uk_date(x.opened), format_uk_date(x.closed),
              format_uk_date(x.retention_date), x.rule, x.status) for x in view.cases],
            styles, [0.14, 0.16, 0.13, 0.13, 0.13, 0.20, 0.11]))
    else:
        story.append(Paragraph("None: every closed case is within its retention period or "
                               "on hold.", styles.body))
    story.append(Paragraph("Destruction certificates of the period", styles.heading))
    if view.certificates:
        story.append(table(
            ["Reference", "Category", "Closed", "Destroyed", "Rule", "OK", "Certificate"],
            [(x.ref, x.category, format_uk_date(x.closed), format_uk_date(x.destroyed), x.rule,
              "yes" if x.verified else "NO", f"{x.certificate_id} (SHA-256 {x.digest[:16]}…)")
             for x in view.certificates],
            styles, [0.14, 0.13, 0.13, 0.13, 0.17, 0.09, 0.21]))
    else:
        story.append(Paragraph("No case was destroyed in the period.", styles.body))
    generated = view.generated.astimezone(dt.UTC)
    rows = [("Vault", view.vault_id),
            ("Generated", f"{format_uk_date(generated)} {generated.strftime('%H:%M')} UTC"),
            ("Paper-trail head", str(view.trail_head)),
            ("Product version", f"Casework Vault {view.product_version}")]
    if mac_hex:
        rows.append(("Report MAC (HMAC-SHA256 of the JSON form)", mac_hex))
    story.extend([
        Paragraph("Checking this report", styles.heading),
        Paragraph(
            "The CSV and JSON forms of this report carry a MAC made with a key only the rep's "
            "vault holds. To confirm a copy you were sent is unaltered, ask the rep to run "
            "<b>casevault audit check FILE</b> on it: an edited file is refused.", styles.body),
        key_value_table(rows, styles),
    ])
    return story
