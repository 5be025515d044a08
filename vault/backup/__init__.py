"""Backups of a vault: one encrypted, authenticated, streamed file, its verification and restore.

``writer`` takes a consistent snapshot of an unlocked vault (the database through SQLite's
online backup API, ``vault.keys`` and every CVF1 document) and writes it through
``vault.crypto.backup_stream``; ``reader`` verifies a backup end to end and restores it into an
empty folder atomically; ``records`` frames the payload. The format is ``docs/backup-format.md``.
"""
