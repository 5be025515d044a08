"""Exports: encrypted zip bundles, passphrases, the subject access export, email drafts.

Modules:
    service       ExportService: case bundles and subject access exports, one trail entry each.
    bundle        neutral member names, index.pdf, MANIFEST.sha256, media-type compression.
    bundle_file   the private temp file renamed into place (nothing left on failure).
    case_views    casework objects → the plain report views of ``vault.reports``.
    passphrase    EFF long-list passphrases (≥ 100 bits) and the typed-passphrase check.
    email_draft   the .eml draft (Bcc for personal addresses, read-receipt request).
The archive format itself is ``vault.crypto.winzip_aes``.
"""
