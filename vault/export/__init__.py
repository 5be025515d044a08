"""Exports: encrypted zip bundles, passphrases, the subject access export, email drafts."""
