"""The error types every layer raises.

Each error carries a one-line message that is safe to show a rep: it never contains a member's
name, case text, a passphrase or key material. Details useful to a developer go to the log as
ids only.
"""

from __future__ import annotations


class VaultError(Exception):
    """Base of every error the product raises on purpose.

    ``str(error)`` is the user-safe one-line message.
    """

    default_message = "The vault could not complete that action."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)

    @property
    def user_message(self) -> str:
        return str(self)


class IntegrityError(VaultError):
    """Encrypted data failed authentication: tampered, truncated, reordered or misplaced.

    One type for every failure of the CVF1 reader and the AEAD helpers, so callers cannot
    be led into treating one kind of damage differently from another.
    """

    default_message = "The encrypted data failed its integrity check (damaged or tampered)."


class WrongPassphrase(VaultError):
    default_message = "That passphrase does not unlock this vault."


class QuickUnlockUnavailable(VaultError):
    """The OS keyring is locked, missing, refused or did not answer in time."""

    default_message = ("Quick unlock did not work: the system keyring is locked, missing or did "
                       "not answer in time. Enter your passphrase.")


class WeakPassphrase(VaultError):
    default_message = "That passphrase is too weak."


class KeyFileError(VaultError):
    """``vault.keys`` is missing, unreadable or corrupt. It is never overwritten."""

    default_message = "The vault's key file is missing or damaged."


class UnsupportedFormat(VaultError):
    default_message = "This vault was made by a newer version of Casework Vault."


class CryptoUnavailable(VaultError):
    default_message = "The cryptography library failed its self-test; the vault stays closed."


class VaultNotFound(VaultError):
    default_message = "There is no vault at that location."


class VaultExists(VaultError):
    default_message = "A vault already exists at that location."


class UnsafeLocation(VaultError):
    default_message = "The vault folder is not private to you."


class VaultLocked(VaultError):
    default_message = "The vault is locked."


class NotFound(VaultError):
    default_message = "Not found."


class InvalidInput(VaultError):
    default_message = "That input is not valid."


class RefusedAction(VaultError):
    default_message = "That action is not allowed."


class Cancelled(VaultError):
    default_message = "Cancelled."


class StorageError(VaultError):
    """The disk refused a write (full, read-only, permissions); nothing was half-written."""

    default_message = "The vault could not write to disk; nothing was changed."


class DatabaseMissing(VaultError):
    """``vault.keys`` is there but ``vault.db`` is missing or empty: never a fresh vault."""

    default_message = (
        "The vault database (vault.db) is missing or empty; the vault was not opened. "
        "Restore it from a backup (casevault restore)."
    )


class RollbackDetected(IntegrityError):
    """The database is older than the key file (or the head log) says it must be."""

    default_message = (
        "The vault database is older than its key file records (an older copy was put back); "
        "the vault was not opened. Restore the latest backup."
    )


class DatabaseDamaged(IntegrityError):
    """A page of ``vault.db`` fails its check (SQLCipher's HMAC or SQLite's own structure).

    Unlock then tries a read-only open (``VaultManager.unlock_or_read_only``); ``restore``
    with the damaged vault moved aside is the way out (docs/backup-format.md §8).
    """

    default_message = ("The vault database is damaged (a page fails its integrity check); "
                       "restore it from a backup.")


class DatabaseUnreadable(DatabaseDamaged):
    """So damaged that not even a read-only open works (the first page, or the key check)."""

    default_message = ("This vault's database is damaged and cannot be read at all; restore "
                       "it from a backup.")


class ReadOnlyVault(RefusedAction):
    """A change asked of a vault opened read-only because its database is damaged."""

    default_message = ("This vault's database is damaged, so it is open read-only: nothing can "
                       "be changed. Restore it from a backup.")
