"""The ``.eml`` draft that carries a bundle: Outlook, Thunderbird and Apple Mail open it.

Built with the standard library ``email`` package (UCU guide points 8–10): the bundle as an
attachment under its neutral name; the recipient in ``Bcc`` when the address is a personal
one, so it is withheld from anyone else copied in, otherwise in ``To``; a
``Disposition-Notification-To`` read-receipt request to the rep's own address; ``X-Unsent``
so Outlook opens it as a draft to send. The body tells the recipient to open the bundle with
7-Zip, WinZip or Keka and that the passphrase comes separately — it never contains the
passphrase, a name or a case reference (the subject and body travel unencrypted).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from vault.casework.members import work_email_warning
from vault.casework.validation import clean_email
from vault.errors import InvalidInput

log = logging.getLogger(__name__)

# Most mail services refuse messages over 20–25 MB; base64 adds a third.
MAX_ATTACHMENT_BYTES = 18 * 1024 * 1024
SUBJECT = "Encrypted documents from your union representative"
BODY = """\
Hello,

Attached is an encrypted zip file with the documents we discussed.

To open it, use 7-Zip (Windows), Keka (macOS) or WinZip. Windows Explorer and the
macOS Archive Utility cannot open this kind of encrypted zip.

I will give you the passphrase separately, by phone or text message. It is not in
this email. Inside the zip, index.pdf lists what each file is, and MANIFEST.sha256
lets you check that nothing is missing or changed.

Please keep the files somewhere private and delete them when you no longer need them.
"""


@dataclass(frozen=True)
class Recipient:
    """A checked recipient address and how the draft will carry it."""

    address: str
    bcc: bool  # a personal address: withheld from anyone else on the email
    warning: str | None  # the address looks like a work one


def check_address(raw: str) -> str:
    """One plain email address, or refuse it.

    Raises:
        InvalidInput: empty, more than one address, a display name, line breaks, or not an
            address the ``email`` package accepts.
    """
    text = (raw or "").strip()
    if not text or any(ch in text for ch in "\r\n<>,;\"()") or text != " ".join(text.split()):
        raise InvalidInput("That is not an email address.")
    try:
        cleaned = clean_email(text)
        if cleaned is None:
            raise InvalidInput("That is not an email address.")
        address = Address(addr_spec=cleaned)
    except (ValueError, IndexError, TypeError) as exc:
        raise InvalidInput("That is not an email address.") from exc
    except InvalidInput as exc:
        raise InvalidInput("That is not an email address.") from exc
    if not address.username or "." not in address.domain:
        raise InvalidInput("That is not an email address.")
    return address.addr_spec


def recipient_for(raw: str, employer: str | None) -> Recipient:
    """Check ``raw`` and decide To or Bcc (Bcc unless it looks like a work address).

    Raises:
        InvalidInput: not an email address.
    """
    address = check_address(raw)
    warning = work_email_warning(address, employer)
    return Recipient(address=address, bcc=warning is None, warning=warning)


def build_draft(
    bundle: bytes,
    bundle_name: str,
    recipient: Recipient,
    *,
    sender: str,
    when: dt.datetime,
) -> bytes:
    """The ``.eml`` bytes of a draft carrying ``bundle``.

    ``sender`` is the rep's own address: the draft's From and where the read receipt goes.

    Raises:
        InvalidInput: the sender is not an address, or the bundle is too large to email.
    """
    from_address = check_address(sender)
    if len(bundle) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput("The bundle is too large to email (over 18 MB); share it another way.")
    msg = EmailMessage()
    msg["Subject"] = SUBJECT
    msg["From"] = from_address
    if recipient.bcc:
        msg["To"] = "undisclosed-recipients:;"
        msg["Bcc"] = recipient.address
    else:
        msg["To"] = recipient.address
    msg["Date"] = format_datetime(when if when.tzinfo else when.astimezone())
    msg["Message-ID"] = make_msgid(domain=from_address.rsplit("@", 1)[1])
    msg["Disposition-Notification-To"] = from_address
    msg["Return-Receipt-To"] = from_address
    msg["X-Unsent"] = "1"
    msg.set_content(BODY)
    msg.add_attachment(bundle, maintype="application", subtype="zip", filename=bundle_name)
    data = msg.as_bytes()
    log.info("email draft built (%d bytes, bcc=%s)", len(data), recipient.bcc)
    return data
