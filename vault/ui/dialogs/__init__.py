"""Data-entry dialogs (add member, open case, change passphrase)."""
