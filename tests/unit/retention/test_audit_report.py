"""The branch audit: counts as of the period end, PDF/CSV/JSON, and the MAC check (issue 9)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from vault.crypto.report_mac import report_mac_key
from vault.crypto.secret import SecretKey
from vault.errors import IntegrityError
from vault.reports.audit_report import (
    AuditCertificateLine,
    AuditReportView,
    check_report,
    render_csv,
    render_json,
    render_pdf_bytes,
    report_mac_hex,
)
from vault.retention.audit import RetentionCase, build_audit

from .conftest import HEAD

D = dt.date
SIX = "6 years after closure (union profile)"


def cases() -> list[RetentionCase]:
    return [
        RetentionCase("C-2019-0001", "Grievance", D(2019, 1, 5), D(2019, 6, 1), D(2025, 6, 1),
                      SIX, held=False),                                         # overdue
        RetentionCase("C-2019-0002", "Capability / performance", D(2019, 2, 1),
                      D(2020, 12, 1), D(2026, 12, 1), SIX, held=False),       # due
        RetentionCase("C-2019-0003", "Dismissal", D(2019, 3, 1), D(2019, 4, 1),
                      D(2025, 4, 1), SIX, held=True),                           # held
        RetentionCase("C-2026-0004", "Grievance", D(2026, 1, 1), D(2026, 2, 1),
                      D(2032, 2, 1), SIX, held=False),                          # kept
        RetentionCase("C-2026-0005", "Other", D(2026, 5, 1), None, None, "", held=False),
        RetentionCase("C-2026-0006", "Other", D(2026, 5, 1), D(2026, 12, 30), D(2032, 12, 30),
                      SIX, held=False),                # closed after the period: open then
        RetentionCase("C-2027-0007", "Other", D(2027, 1, 9), None, None, "", held=False),
        RetentionCase("C-2018-0008", "Other", D(2018, 1, 9), D(2018, 2, 1), D(2018, 2, 1),
                      SIX, held=False, destroyed=D(2026, 10, 1)),
    ]


@pytest.fixture
def view(certificate_line: AuditCertificateLine) -> AuditReportView:
    old = AuditCertificateLine("CERT-2025-0001", "C-2017-0001", "Other", D(2017, 1, 1),
                               D(2025, 1, 2), SIX, True, "ab" * 32)
    inside = AuditCertificateLine("CERT-2026-0002", "C-2018-0008", "Other", D(2018, 2, 1),
                                  D(2026, 10, 1), SIX, True, "cd" * 32)
    return build_audit(cases(), [certificate_line, old, inside],
                       period_from=D(2026, 1, 1), period_to=D(2026, 12, 15),
                       generated=dt.datetime(2026, 12, 15, 12, tzinfo=dt.UTC),
                       vault_id="v-6a1f2e", union="UCU", trail_head=HEAD,
                       product_version="0.1.0")


def test_counts_are_as_of_the_period_end(view: AuditReportView) -> None:
    c = view.counts
    assert (c.open, c.closed, c.due, c.overdue, c.held, c.destroyed) == (2, 4, 1, 1, 1, 1)
    assert [(x.ref, x.status) for x in view.cases] == [("C-2019-0001", "overdue"),
                                                       ("C-2019-0002", "due")]
    assert [x.certificate_id for x in view.certificates] == ["CERT-2026-0002"]


def test_json_and_csv_confirm_and_carry_no_personal_fields(
        view: AuditReportView, audit_key: SecretKey) -> None:
    js = render_json(view, audit_key)
    result = check_report(js, audit_key)
    assert result.form == "json" and result.vault_id == "v-6a1f2e"
    assert result.period_to == D(2026, 12, 15)
    body = json.loads(js)["report"]
    assert set(body["cases"][0]) == {"ref", "category", "opened", "closed", "retention_date",
                                     "rule", "status"}
    csv_bytes = render_csv(view, audit_key)
    assert check_report(csv_bytes, audit_key).form == "csv"
    assert csv_bytes.splitlines()[-1].startswith(b"mac,HMAC-SHA256,")
    # Re-indenting the JSON keeps it genuine; the MAC is over the canonical body.
    doc = json.loads(js)
    assert check_report(json.dumps(doc).encode(), audit_key).form == "json"


@pytest.mark.parametrize("edit", [
    lambda d: d["report"]["counts"].__setitem__("overdue", 0),
    lambda d: d["report"]["cases"].pop(0),
    lambda d: d["report"]["cases"][0].__setitem__("status", "due"),
    lambda d: d["report"]["period"].__setitem__("to", "2026-06-30"),
    lambda d: d["report"]["trail_head"].__setitem__("seq", 1),
    lambda d: d["mac"].__setitem__("value", "00" * 32),
    lambda d: d.pop("mac"),
])
def test_tampered_json_fails_the_check(view: AuditReportView, audit_key: SecretKey,
                                       edit: object) -> None:
    doc = json.loads(render_json(view, audit_key))
    edit(doc)  # type: ignore[operator]
    with pytest.raises(IntegrityError):
        check_report(json.dumps(doc).encode(), audit_key)


def test_tampered_csv_fails_the_check(view: AuditReportView, audit_key: SecretKey) -> None:
    data = render_csv(view, audit_key)
    with pytest.raises(IntegrityError):
        check_report(data.replace(b"overdue", b"due", 1), audit_key)
    with pytest.raises(IntegrityError):
        check_report(data.rsplit(b"mac,", 1)[0], audit_key)  # MAC line cut off


def test_another_vault_cannot_confirm(view: AuditReportView, audit_key: SecretKey) -> None:
    other = report_mac_key(SecretKey.generate())
    with pytest.raises(IntegrityError):
        check_report(render_json(view, audit_key), other)
    with pytest.raises(IntegrityError):
        check_report(render_csv(view, audit_key), other)
    with pytest.raises(IntegrityError):
        check_report(b"just some text\r\n", audit_key)


def test_pdf_reads_as_a_branch_officer_needs(view: AuditReportView,
                                             audit_key: SecretKey) -> None:
    mac = report_mac_hex(view, audit_key)
    pdf = render_pdf_bytes(view, mac_hex=mac)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for page in reader.pages:
        assert "Paper-trail head #5012" in page.extract_text()
    for needle in ("Branch audit report", "1 Jan 2026 to 15 Dec 2026", "C-2019-0001",
                   "C-2019-0002", "overdue", "CERT-2026-0002", "casevault audit check",
                   "no member", "UCU"):
        assert needle in text, needle
    assert "C-2026-0004" not in text  # kept cases are counted, not listed
    assert mac[:32] in text.replace(" ", "")


def test_pdf_with_nothing_due(audit_key: SecretKey) -> None:
    empty = build_audit([], [], period_from=D(2026, 1, 1), period_to=D(2026, 12, 31),
                        generated=dt.datetime(2026, 12, 31, tzinfo=dt.UTC), vault_id="v",
                        union="UCU", trail_head=HEAD, product_version="0.1.0")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        render_pdf_bytes(empty))).pages)
    assert "No case was destroyed in the period" in text
