"""The recovery code of a vault: make or replace it (with the passphrase), and use it to set a
new passphrase when the old one is forgotten.

The code lives in its own key slot (DESIGN §3, ``keyfile.add_recovery_slot``): 160 random bits
as 15 BIP-39 words (``vault.crypto.recovery_code``), HKDF → KEK_rc wrapping the same VMK as the
passphrase slot. Making a new code replaces the slot, so the old code stops working at once.
A default passphrase change replaces the VMK and drops the slot (the rep is told to make a new
code); the quick re-wrap (``--keep-master-key``) keeps it. Recovering with the code replaces
the VMK too (so an old key file opens nothing) and re-wraps the same code under the new one.
The code is returned to be shown once and is never stored or logged; the paper trail records
only that a code was made or used.
"""

from __future__ import annotations

import logging
from pathlib import Path

from vault.crypto import kdf, keyfile, strength
from vault.errors import VaultNotFound
from vault.store import rekey
from vault.store.head_log import HeadLog
from vault.store.unit_of_work import UnitOfWork
from vault.store.unlocked_vault import UnlockedVault, unlock_vault_with_recovery
from vault.store.vault_paths import VaultPaths
from vault.trail.kinds import TrailEvent
from vault.trail.service import PaperTrail

log = logging.getLogger(__name__)

RECOVERY_CODE_MADE = TrailEvent.RECOVERY_CODE_MADE.value
RECOVERED = TrailEvent.PASSPHRASE_RECOVERED.value


def has_recovery_code(vault: UnlockedVault) -> bool:
    return keyfile.has_slot(vault.keyfile, keyfile.SLOT_RECOVERY)


def new_recovery_code(vault: UnlockedVault, passphrase: str, trail: PaperTrail) -> str:
    """Make a recovery code (replacing any earlier one) and return it, to show once.

    Raises:
        WrongPassphrase: ``passphrase`` does not open the vault (asked again on purpose:
            whoever holds the code can open the vault).
        StorageError: ``vault.keys`` could not be saved; the old code still works.
        VaultLocked: the vault is locked.
    """
    keyfile.unlock_vmk(vault.keyfile, passphrase).wipe()
    vmk = vault.keys.vmk()
    code = keyfile.generate_recovery_code()
    replaced = has_recovery_code(vault)
    vault.files.save_keyfile(keyfile.add_recovery_slot(vault.keyfile, vmk, code))
    with vault.uow.write() as tx:
        trail.record(tx, kind=RECOVERY_CODE_MADE, case=None,
                     payload={"summary": "New recovery code made" if replaced
                              else "Recovery code made", "replaced": replaced})
    log.info("recovery code %s", "replaced" if replaced else "made")
    return code


def reset_with_code(
    root: Path, code: str, new_passphrase: str, *, params: kdf.Argon2Params | None = None,
    enforce_strength: bool = True, head_log: HeadLog | None = None,
) -> UnlockedVault:
    """Set a new passphrase with the recovery code and return the vault, open.

    Like a passphrase change (``passwd``), this sets a new master key and database key: an old
    copy of ``vault.keys`` opens nothing with the old passphrase, nor with the code. The same
    code is re-wrapped under the new master key and keeps working (docs/threat-model.md).

    Raises:
        VaultNotFound: no vault at ``root``.
        KeyFileError / UnsupportedFormat: the key file is damaged or too new.
        InvalidInput: the code is malformed or mistyped (a word, or the checksum).
        WrongPassphrase: the code does not open this vault (or it has no recovery code).
        WeakPassphrase: the new passphrase is too weak (checked before anything is opened).
        IntegrityError / RollbackDetected / DatabaseMissing: as ``unlock_vault``.
        StorageError: the disk refused; the next unlock finishes what was started.
    """
    paths = VaultPaths(Path(root))
    if not paths.exists():
        raise VaultNotFound()
    if enforce_strength:
        strength.require_strong(new_passphrase)
    vault = unlock_vault_with_recovery(paths.root, code, head_log=head_log)
    try:
        rekey.reset_passphrase(vault, new_passphrase, code, params, enforce_strength=False)
    except BaseException:
        vault.lock()
        raise
    log.info("passphrase reset with the recovery code (new master key)")
    return vault


def recover(
    root: Path, code: str, new_passphrase: str, *, params: kdf.Argon2Params | None = None,
    enforce_strength: bool = True, head_log: HeadLog | None = None,
) -> None:
    """``reset_with_code``, leaving the vault locked (unlock it next with the new passphrase).

    Raises: as ``reset_with_code``.
    """
    reset_with_code(root, code, new_passphrase, params=params,
                    enforce_strength=enforce_strength, head_log=head_log).lock()


def record_recovery(uow: UnitOfWork, trail: PaperTrail) -> None:
    """Write the trail entry for a passphrase reset, at the first unlock after ``recover``."""
    with uow.write() as tx:
        trail.record(tx, kind=RECOVERED, case=None,
                     payload={"summary": "Passphrase reset with the recovery code"})
