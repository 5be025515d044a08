"""Key rotation: the database key (after every secure deletion) and the whole VMK (passphrase).

Both are multi-step and crash-safe (DESIGN §3): the key file is staged first, and every later
step can be repeated, so unlocking after a crash at any point finishes the job.

- ``rotate_db_key`` — a new SQLCipher key: stage it as pending → ``PRAGMA rekey`` → check →
  promote. At unlock the current key is tried, then the pending one.
- ``rotate_master_key`` — a passphrase change that retires the old VMK (issue 8, finding 3):
  stage a ``MasterRotation`` (new passphrase slot, both VMKs wrapped by each other, the new DB
  key pending under the new VMK) → re-wrap every case key and the stored trail/payload keys
  under the new VMK in one transaction → rekey the database → keep only the new slot. An old
  ``vault.keys`` with the old passphrase then opens neither the database nor, through it, any
  case key. Documents keep their case keys (re-encrypting every file would take minutes);
  ``docs/threat-model.md`` says what that leaves.
- ``reset_passphrase`` — the same replacement after the passphrase was forgotten, on a vault
  opened with the recovery code (issue 11); the code is re-wrapped under the new VMK.
- ``rewrap_passphrase_only`` — the fast path, kept only as an explicit choice: the same VMK
  under a new passphrase slot. An old key file with the old passphrase still opens everything.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from vault.crypto import kdf, keyfile, strength
from vault.crypto.secret import SecretKey
from vault.store.master_rotation import head_of, rewrap_everything
from vault.store.unlocked_vault import UnlockedVault

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RotationResult:
    """What a passphrase change did. ``dropped_slots``: other ways in that no longer work."""

    master_key_replaced: bool
    rewrapped_case_keys: int = 0
    dropped_slots: list[str] = field(default_factory=list)


def rotate_db_key(vault: UnlockedVault) -> None:
    """Two-phase re-key of the database (DESIGN §3): stage, rekey, check, promote.

    Raises:
        StorageError: the key file could not be written (nothing changed).
        IntegrityError: the database failed its check after the rekey (the pending key is
            kept, so the next unlock opens it with that key).
    """
    vmk = vault.keys.vmk()
    new_key = SecretKey.generate()
    try:
        staged = keyfile.stage_db_key(vault.keyfile, vmk, new_key)
        vault.files.save_keyfile(staged)
        vault.db.rekey(new_key)
        vault.db.quick_check()
        vault.files.save_keyfile(keyfile.promote_pending(staged))
    finally:
        new_key.wipe()
    log.info("database key rotated (epoch %d)", vault.keyfile.db_epoch)


def rewrap_passphrase_only(vault: UnlockedVault, old: str, new: str,
                           params: kdf.Argon2Params | None = None) -> RotationResult:
    """The fast path: the same VMK under a new passphrase (see the module docstring).

    Raises:
        WrongPassphrase: ``old`` does not open the vault.
        WeakPassphrase: ``new`` is too weak.
    """
    strength.require_strong(new)
    keyfile.unlock_vmk(vault.keyfile, old).wipe()
    updated = keyfile.rewrap_passphrase(vault.keyfile, vault.keys.vmk(), new,
                                        params or kdf.calibrate())
    vault.files.save_keyfile(updated)
    return RotationResult(master_key_replaced=False)


def rotate_master_key(vault: UnlockedVault, old: str, new: str,
                      params: kdf.Argon2Params | None = None) -> RotationResult:
    """A passphrase change that replaces the VMK and the DB key (see the module docstring).

    Raises:
        WrongPassphrase: ``old`` does not open the vault.
        WeakPassphrase: ``new`` is too weak.
        StorageError: the disk refused a step; the next unlock finishes the change.
    """
    strength.require_strong(new)
    keyfile.unlock_vmk(vault.keyfile, old).wipe()
    return _replace_master_key(vault, new, params)


def reset_passphrase(vault: UnlockedVault, new: str, recovery_code: str,
                     params: kdf.Argon2Params | None = None, *,
                     enforce_strength: bool = True) -> RotationResult:
    """Forgot the passphrase: set ``new`` on a vault opened with ``recovery_code``, with a new
    VMK and DB key exactly as ``rotate_master_key`` — so an old ``vault.keys`` with the old
    passphrase (or the old recovery slot) opens nothing any more — and the same recovery code
    wrapping the new VMK, written in the same key-file save that completes the rotation.

    The code is kept rather than replaced so the rep's printed sheet stays valid
    (docs/threat-model.md, "What a recovery leaves"). A crash before that last save leaves the
    rotation staged: the next unlock (new passphrase, or the code again) finishes it, and only
    an unlock with the code puts the code back.

    Raises:
        WeakPassphrase: ``new`` is too weak. InvalidInput: ``recovery_code`` is malformed.
        StorageError: the disk refused a step; the next unlock finishes the change.
    """
    if enforce_strength:
        strength.require_strong(new)
    return _replace_master_key(vault, new, params, recovery_code=recovery_code)


def _replace_master_key(vault: UnlockedVault, new: str, params: kdf.Argon2Params | None,
                        *, recovery_code: str | None = None) -> RotationResult:
    old_vmk = vault.keys.vmk()
    new_vmk = SecretKey.generate()
    new_db_key = SecretKey.generate()
    try:
        staged = keyfile.stage_master_rotation(vault.keyfile, old_vmk, new_vmk, new,
                                               params or kdf.calibrate(), new_db_key)
        vault.files.save_keyfile(staged)
        count = rewrap_everything(vault.db, old_vmk, new_vmk)
        vault.db.rekey(new_db_key)
        vault.db.quick_check()
        completed, dropped = keyfile.complete_master_rotation(staged)
        if recovery_code is not None:
            completed = keyfile.add_recovery_slot(completed, new_vmk, recovery_code)
            dropped = [kind for kind in dropped if kind != keyfile.SLOT_RECOVERY]
        completed = keyfile.with_anchor(completed, vault.keys.trail_key,
                                        *head_of(vault.db))
        vault.files.save_keyfile(completed)
    except BaseException:
        new_vmk.wipe()
        raise
    finally:
        new_db_key.wipe()
    vault.keys.replace_vmk(new_vmk)
    log.info("new master key set (%d case keys re-wrapped)", count)
    return RotationResult(True, count, dropped)
