"""Vault administration: passphrase change, verify, key rotation, settings, and start-up report.

Above casework (verify decrypts every document through the document service). Backup,
restore and the recovery code belong here as well.
"""
