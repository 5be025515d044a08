"""Fixtures for the retention reports: a certificate and an audit that name no one."""

from __future__ import annotations

import datetime as dt

import pytest

from vault.crypto.report_mac import report_mac_key
from vault.crypto.secret import SecretKey
from vault.reports.audit_report import AuditCertificateLine
from vault.reports.destruction_certificate import (
    CertificateView,
    DestroyedCounts,
    ExternalCopy,
    TrailHead,
    VerificationCheck,
    canonical_json,
    certificate_digest,
)

HEAD = TrailHead(5012, "9f" * 32)


@pytest.fixture
def certificate() -> CertificateView:
    return CertificateView(
        certificate_id="CERT-2032-0001",
        vault_id="v-6a1f2e",
        case_ref="C-2026-0007",
        category="Disciplinary",
        opened=dt.date(2026, 3, 2),
        closed=dt.date(2026, 11, 23),
        destroyed=dt.datetime(2032, 11, 24, 9, 30, tzinfo=dt.UTC),
        rule="6 years after closure (union profile)",
        rule_code="profile:6y",
        retention_date=dt.date(2032, 11, 23),
        counts=DestroyedCounts(documents=12, document_bytes=1_073_741_824, trail_payloads=5000,
                               first_meeting=1, follow_ups=3, parties=2, conflict_findings=1,
                               search_entries=5013, members=1),
        verification=(VerificationCheck("Case key gone from the database", True),
                      VerificationCheck("No row of the case remains", True),
                      VerificationCheck("Database opens only with the new key", True),
                      VerificationCheck("Paper-trail chain verifies", True)),
        external_copies=(ExternalCopy("document-saved-out", dt.date(2026, 5, 1),
                                      "document 3f2a1b9c"),),
        product_version="0.1.0",
        trail_head=HEAD,
        db_epoch=4,
    )


@pytest.fixture
def audit_key() -> SecretKey:
    vmk = SecretKey.generate()
    return report_mac_key(vmk)


@pytest.fixture
def certificate_line(certificate: CertificateView) -> AuditCertificateLine:
    return AuditCertificateLine(
        certificate_id=certificate.certificate_id, ref=certificate.case_ref,
        category=certificate.category, closed=certificate.closed,
        destroyed=certificate.destroyed.date(), rule=certificate.rule, verified=True,
        digest=certificate_digest(canonical_json(certificate)))


# The in-process CLI runner of tests/unit/cli, for the retention commands.
from tests.unit.cli.conftest import initialised, run  # noqa: E402, F401
