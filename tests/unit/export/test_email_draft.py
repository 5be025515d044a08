"""The .eml draft, parsed back with the standard library."""

from __future__ import annotations

import datetime as dt
import email
from email import policy

import pytest

from vault.errors import InvalidInput
from vault.export import email_draft

WHEN = dt.datetime(2026, 11, 23, 10, 30, tzinfo=dt.UTC)
PASS = "saddle-unwind-oxidize-gravity-jukebox-pelican-lumber-sequel"


def _parse(data: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(data, policy=policy.default)  # type: ignore[return-value]


def test_personal_address_goes_in_bcc_with_receipt_and_attachment() -> None:
    bundle = b"PK\x03\x04 not really a zip" * 100
    recipient = email_draft.recipient_for("zoe.obrien@gmail.com", "Northshire University")
    assert recipient.bcc and recipient.warning is None
    msg = _parse(email_draft.build_draft(bundle, "bundle-2026-11-23.zip", recipient,
                                         sender="rep@branch.example.org", when=WHEN))
    assert msg["Bcc"] == "zoe.obrien@gmail.com"
    assert "zoe.obrien" not in msg["To"]
    assert msg["Disposition-Notification-To"] == "rep@branch.example.org"
    assert msg["X-Unsent"] == "1"
    attachments = list(msg.iter_attachments())
    assert len(attachments) == 1
    assert attachments[0].get_filename() == "bundle-2026-11-23.zip"
    assert attachments[0].get_content_type() == "application/zip"
    assert attachments[0].get_content() == bundle
    body = msg.get_body(("plain",)).get_content()
    assert "7-Zip" in body and "Keka" in body and "WinZip" in body
    assert "passphrase" in body.lower()


def test_work_address_is_warned_and_goes_in_to() -> None:
    recipient = email_draft.recipient_for("z.obrien@northshire.ac.uk", "Northshire University")
    assert not recipient.bcc and recipient.warning
    msg = _parse(email_draft.build_draft(b"zip", "b.zip", recipient,
                                         sender="rep@branch.example.org", when=WHEN))
    assert msg["To"] == "z.obrien@northshire.ac.uk" and msg["Bcc"] is None


def test_the_draft_never_contains_the_passphrase() -> None:
    recipient = email_draft.recipient_for("a@example.com", None)
    data = email_draft.build_draft(b"zip", "b.zip", recipient, sender="r@example.org",
                                   when=WHEN)
    assert PASS.encode() not in data and b"saddle" not in data


@pytest.mark.parametrize("bad", ["", "not an address", "a@b", "a@@b.com", "a@b.com\r\nBcc: x@y.z",
                                 "Zoe <z@x.com>", "a@b.com, c@d.com", "a b@c.com", "@b.com"])
def test_malformed_addresses_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput):
        email_draft.recipient_for(bad, None)


def test_too_large_to_email_is_refused() -> None:
    recipient = email_draft.recipient_for("a@example.com", None)
    with pytest.raises(InvalidInput):
        email_draft.build_draft(b"x" * (email_draft.MAX_ATTACHMENT_BYTES + 1), "b.zip",
                                recipient, sender="r@example.org", when=WHEN)
