"""The MAC that lets a vault confirm a report it produced (the branch audit's CSV and JSON).

Key: ``HKDF-SHA256(VMK, info = "casevault/v1/audit-report")``, so it is independent of the
trail key and every other subkey, and only the vault that made a report can confirm it (a
branch officer asks the rep to run ``casevault audit check FILE``). MAC: HMAC-SHA256 over the
exact bytes the report format names (see ``vault.reports.audit_report``). Comparison is
constant-time.
"""

from __future__ import annotations

from vault.crypto import aead
from vault.crypto.secret import SecretKey

__all__ = ["REPORT_MAC_INFO", "mac_report", "report_mac_key", "verify_report_mac"]

REPORT_MAC_INFO = b"casevault/v1/audit-report"
MAC_LEN = 32


def report_mac_key(vmk: SecretKey) -> SecretKey:
    """The report MAC key of the vault whose master key is ``vmk``.

    Raises:
        VaultLocked: ``vmk`` has been wiped.
    """
    return aead.derive_subkey(vmk, REPORT_MAC_INFO)


def mac_report(key: SecretKey, data: bytes) -> bytes:
    """HMAC-SHA256 of ``data`` (32 bytes).

    Raises:
        VaultLocked: ``key`` has been wiped.
    """
    return aead.hmac_sha256(key, data)


def verify_report_mac(key: SecretKey, data: bytes, mac: bytes) -> bool:
    """True when ``mac`` is the HMAC-SHA256 of ``data`` under ``key``; constant-time.

    Raises:
        VaultLocked: ``key`` has been wiped.
    """
    if len(mac) != MAC_LEN:
        return False
    return aead.constant_time_equal(aead.hmac_sha256(key, data), mac)
