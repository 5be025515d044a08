"""``vault.keys``: the key slots, the wrapped database key and its epochs, and case keys.

DESIGN §3. A random vault master key (VMK) is wrapped in one slot per way in: the passphrase
(Argon2id KEK), an optional recovery code and an optional OS-keyring secret (HKDF KEKs). The
VMK wraps the SQLCipher key (two-phase rotation through ``db_key_pending``) and each case key,
and derives the paper-trail MAC key. Every wrap is AES-256-GCM with associated data naming
what the blob is and where it belongs, so a blob moved to another slot, vault, epoch or case
does not open. The JSON layout and every AAD are in ``docs/crypto-format.md``.

Functions here return new ``KeyFile`` objects and never modify the one passed in; the caller
saves the result with ``KeyFile.save`` (atomic) when it should become durable.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import json
import logging
import os
import re
import stat
import struct
import tempfile
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeGuard

from vault.crypto import aead, kdf, recovery_code
from vault.crypto.kdf import Argon2Params
from vault.crypto.secret import SecretKey
from vault.errors import (
    IntegrityError,
    KeyFileError,
    StorageError,
    UnsupportedFormat,
    WrongPassphrase,
)

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
FORMAT_MARKER = "casevault-keys"
MAX_KEYFILE_BYTES = 1024 * 1024

SLOT_PASSPHRASE = "passphrase"  # noqa: S105 (a slot kind, not a secret)
SLOT_RECOVERY = "recovery"
SLOT_OS_KEYRING = "os-keyring"
SLOT_KINDS = (SLOT_PASSPHRASE, SLOT_RECOVERY, SLOT_OS_KEYRING)

PASSPHRASE_SALT_LEN = 16
HKDF_SALT_LEN = 32
MIN_SALT_LEN = 16
MAX_SALT_LEN = 64

TRAIL_INFO = b"casevault/v1/trail"
RECOVERY_INFO = b"casevault/v1/slot/recovery"
OS_KEYRING_INFO = b"casevault/v1/slot/os-keyring"

RECOVERY_CODE_BYTES = recovery_code.ENTROPY_BYTES  # 160 bits: no stretching needed

# Issue 8, finding 10: a key file may not demand more work than this per unlock attempt. The
# calibrated parameters the product writes stay far inside (t=3, m ≤ 1 GiB, p=4).
MAX_ACCEPTED_TIME_COST = 16
MAX_ACCEPTED_MEMORY_KIB = 2 * 1024 * 1024  # 2 GiB
MAX_ACCEPTED_LANES = 16
# ``db_epoch`` and ``db_epoch + 1`` (a staged key) must both fit the uint64 in the AAD.
MAX_DB_EPOCH = 2**64 - 1

_VAULT_ID_RE = re.compile(r"[0-9a-f]{32}")

_MISSING = "The vault's key file (vault.keys) is missing."
_DAMAGED = "The vault's key file (vault.keys) is damaged; it has not been changed."
_UNREADABLE = "The vault's key file (vault.keys) could not be read."
_NOT_A_FILE = ("The vault's key file (vault.keys) is not an ordinary file (a link, pipe or "
               "device); refusing to read it.")
_DB_KEY_DAMAGED = "The vault's key file (vault.keys) is damaged: its database key does not open."


@dataclass
class KeySlot:
    """One way to unwrap the VMK.

    kind: ``"passphrase"`` (Argon2id KEK, ``params`` set), ``"recovery"`` or ``"os-keyring"``
        (HKDF KEKs, ``params`` None).
    salt: the KDF salt for this slot (16 bytes for Argon2id, 32 for HKDF).
    wrapped_vmk: ``aead.wrap_key(KEK, VMK, slot_aad(kind, vault_id))``, 61 bytes.
    """

    kind: str
    salt: bytes
    params: Argon2Params | None
    wrapped_vmk: bytes


@dataclass(frozen=True)
class TrailAnchor:
    """The paper-trail head the database had when this key file was last saved.

    ``tag`` = HMAC-SHA256(trail key, ``anchor_input``): only a holder of the trail key can
    write an anchor, so a database copied back from an older day (a shorter trail, or another
    entry at ``seq``) is recognised at unlock.
    """

    seq: int
    mac: str  # hex of the entry's MAC, '' for an empty trail
    tag: bytes


@dataclass(frozen=True)
class MasterRotation:
    """A passphrase change that replaces the VMK, staged before it starts (DESIGN §3).

    ``slot`` wraps the new VMK under the new passphrase; ``next_vmk`` is the new VMK wrapped by
    the old one and ``prev_vmk`` the old wrapped by the new, so whichever passphrase the rep
    types after a crash opens both and the rotation can be finished. ``db_key_pending`` of the
    key file is then wrapped by the *new* VMK.
    """

    slot: KeySlot
    next_vmk: bytes
    prev_vmk: bytes


@dataclass
class KeyFile:
    """The parsed contents of ``vault.keys``.

    vault_id: 32 lowercase hex characters (uuid4), bound into every slot and DB-key AAD.
    db_key_current: the SQLCipher key wrapped by the VMK for ``db_epoch``.
    db_key_pending: a staged next key (for ``db_epoch + 1``) during a re-key, else None.
    created: ISO 8601 time of creation (UTC).
    """

    format_version: int
    vault_id: str
    slots: list[KeySlot] = field(default_factory=list)
    db_key_current: bytes = b""
    db_key_pending: bytes | None = None
    db_epoch: int = 0
    created: str = ""
    anchor: TrailAnchor | None = None
    rotation: MasterRotation | None = None

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        """Read and validate ``path``. Never writes to it.

        Only an ordinary file is read: a symlink, FIFO, device or folder in its place is refused
        without blocking (``lstat``, then ``O_NOFOLLOW | O_NONBLOCK``, then ``fstat``).

        Raises:
            KeyFileError: the file is missing (the message says so), unreadable, not an ordinary
                file, or damaged (not JSON, nested too deeply, or any field missing, invalid or
                out of range — see ``from_json``).
            UnsupportedFormat: ``format_version`` is newer than this code understands.
        """
        raw = _read_regular_file(path)
        if len(raw) > MAX_KEYFILE_BYTES:
            raise KeyFileError(_DAMAGED)
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            # RecursionError: JSON nested deeper than the parser's stack (a hostile file).
            raise KeyFileError(_DAMAGED) from None
        return cls.from_json(data)

    @classmethod
    def from_json(cls, data: Any) -> KeyFile:
        """Validate a parsed JSON object (see ``load`` for what it raises).

        Beyond types and lengths, values are range-checked so a hostile file cannot make the
        product crash or exhaust the machine: ``db_epoch`` below 2**64 - 1, Argon2id
        parameters within ``MAX_ACCEPTED_*`` (t ≤ 16, m ≤ 2 GiB, p ≤ 16).
        """
        if not isinstance(data, dict) or data.get("format") != FORMAT_MARKER:
            raise KeyFileError(_DAMAGED)
        version = data.get("format_version")
        if not _is_int(version) or version < 1:
            raise KeyFileError(_DAMAGED)
        if version > FORMAT_VERSION:
            raise UnsupportedFormat()
        try:
            return cls._parse_v1(data)
        except (KeyError, TypeError, ValueError, binascii.Error) as exc:
            log.warning("key file damaged: %s", type(exc).__name__)
            raise KeyFileError(_DAMAGED) from None

    @classmethod
    def _parse_v1(cls, data: dict[str, Any]) -> KeyFile:
        vault_id = data["vault_id"]
        if not isinstance(vault_id, str) or not _VAULT_ID_RE.fullmatch(vault_id):
            raise ValueError("vault_id")
        created = data["created"]
        if not isinstance(created, str):
            raise ValueError("created")
        dt.datetime.fromisoformat(created)
        epoch = data["db_epoch"]
        # The epoch is bound into the DB-key AAD as a uint64; one more is staged at a re-key.
        if not _is_int(epoch) or not 0 <= epoch < MAX_DB_EPOCH:
            raise ValueError("db_epoch")
        current = _b64_field(data["db_key_current"], aead.WRAPPED_KEY_LEN)
        pending_raw = data["db_key_pending"]
        pending = None if pending_raw is None else _b64_field(pending_raw, aead.WRAPPED_KEY_LEN)
        slots_raw = data["slots"]
        if not isinstance(slots_raw, list):
            raise ValueError("slots")
        slots = [_parse_slot(item) for item in slots_raw]
        kinds = [slot.kind for slot in slots]
        if kinds.count(SLOT_PASSPHRASE) != 1 or any(kinds.count(k) > 1 for k in SLOT_KINDS):
            raise ValueError("slots")
        return cls(
            format_version=FORMAT_VERSION,
            vault_id=vault_id,
            slots=slots,
            db_key_current=current,
            db_key_pending=pending,
            db_epoch=epoch,
            created=created,
            anchor=_parse_anchor(data.get("anchor")),
            rotation=_parse_rotation(data.get("rotation")),
        )

    def to_json(self) -> dict[str, Any]:
        """The JSON object written to disk (bytes as standard base64)."""
        return {
            "format": FORMAT_MARKER,
            "format_version": self.format_version,
            "vault_id": self.vault_id,
            "created": self.created,
            "slots": [_slot_json(slot) for slot in self.slots],
            "db_epoch": self.db_epoch,
            "db_key_current": _b64(self.db_key_current),
            "db_key_pending": None if self.db_key_pending is None else _b64(self.db_key_pending),
            **({} if self.anchor is None else {"anchor": {
                "seq": self.anchor.seq, "mac": self.anchor.mac, "tag": _b64(self.anchor.tag)}}),
            **({} if self.rotation is None else {"rotation": {
                "slot": _slot_json(self.rotation.slot),
                "next_vmk": _b64(self.rotation.next_vmk),
                "prev_vmk": _b64(self.rotation.prev_vmk)}}),
        }

    def save(self, path: Path) -> None:
        """Write atomically: temp file (0600) in the same folder, fsync, rename, fsync folder.

        The object is validated first (exactly what ``load`` accepts), so a file this writes
        always loads. On failure the old file is untouched and the temp file removed.

        Raises:
            ValueError: the object is not a valid key file.
            StorageError: the disk refused the write.
        """
        payload = self.to_json()
        try:
            KeyFile.from_json(payload)
        except (KeyFileError, UnsupportedFormat) as exc:
            raise ValueError("refusing to save an invalid key file") from exc
        data = (json.dumps(payload, indent=2) + "\n").encode("utf-8")
        directory = path.parent
        try:
            fd, tmp_name = tempfile.mkstemp(prefix=".vault.keys.", suffix=".tmp", dir=directory)
        except OSError as exc:
            log.warning("key file temp not created: %s", type(exc).__name__)
            raise StorageError() from exc
        tmp = Path(tmp_name)
        try:
            with open(fd, "wb", closefd=True) as fh:
                if hasattr(os, "fchmod"):
                    os.fchmod(fh.fileno(), 0o600)
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            log.warning("key file not saved: %s", type(exc).__name__)
            raise StorageError() from exc
        _fsync_dir(directory)


def create_keyfile(
    passphrase: str, params: Argon2Params, *, created: dt.datetime | None = None
) -> tuple[KeyFile, SecretKey, SecretKey]:
    """A new key file with one passphrase slot: ``(keyfile, vmk, db_key)``.

    The VMK and DB key are random. The caller owns both keys (wipe them when done) and checks
    the passphrase's strength first (``strength.require_strong``). Nothing is written.

    Raises:
        CryptoUnavailable: Argon2id is not available.
    """
    vault_id = uuid.uuid4().hex
    vmk = SecretKey.generate()
    db_key = SecretKey.generate()
    try:
        slot = _passphrase_slot(vault_id, vmk, passphrase, params)
        when = created or dt.datetime.now(dt.UTC)
        keyfile = KeyFile(
            format_version=FORMAT_VERSION,
            vault_id=vault_id,
            slots=[slot],
            db_key_current=aead.wrap_key(vmk, db_key, dbkey_aad(vault_id, 0)),
            db_key_pending=None,
            db_epoch=0,
            created=when.astimezone(dt.UTC).isoformat(timespec="seconds"),
        )
    except BaseException:
        vmk.wipe()
        db_key.wipe()
        raise
    log.info("key file created")
    return keyfile, vmk, db_key


def unlock_vmk(keyfile: KeyFile, passphrase: str) -> SecretKey:
    """Unwrap the VMK with the passphrase (one Argon2id derivation per passphrase slot).

    Raises:
        WrongPassphrase: no passphrase slot opens with it.
        CryptoUnavailable: Argon2id is not available.
    """
    for slot in keyfile.slots:
        if slot.kind != SLOT_PASSPHRASE or slot.params is None:
            continue
        with kdf.derive_key(passphrase, slot.salt, slot.params) as kek:
            try:
                return aead.unwrap_key(kek, slot.wrapped_vmk, slot_aad(slot.kind, keyfile.vault_id))
            except IntegrityError:
                continue
    raise WrongPassphrase()


def unlock_rotation_vmks(keyfile: KeyFile, passphrase: str) -> tuple[SecretKey, SecretKey]:
    """During a staged VMK rotation: ``(old VMK, new VMK)`` from either passphrase.

    Raises:
        WrongPassphrase: neither the old nor the new passphrase slot opens with it.
        ValueError: no rotation is staged.
    """
    rotation = keyfile.rotation
    if rotation is None:
        raise ValueError("no rotation staged")
    aad = slot_aad(SLOT_PASSPHRASE, keyfile.vault_id)
    try:
        old = unlock_vmk(keyfile, passphrase)
    except WrongPassphrase:
        slot = rotation.slot
        assert slot.params is not None
        with kdf.derive_key(passphrase, slot.salt, slot.params) as kek:
            try:
                new = aead.unwrap_key(kek, slot.wrapped_vmk, aad)
            except IntegrityError:
                raise WrongPassphrase() from None
        return aead.unwrap_key(new, rotation.prev_vmk, _ROTATION_PREV_AAD + aad), new
    return old, aead.unwrap_key(old, rotation.next_vmk, _ROTATION_NEXT_AAD + aad)


def rotation_vmks_from_old(keyfile: KeyFile, old_vmk: SecretKey) -> tuple[SecretKey, SecretKey]:
    """During a staged VMK rotation: ``(old VMK, new VMK)`` from the old VMK alone (opened by
    another slot of the old key, e.g. the recovery code). ``old_vmk`` is returned as given.

    Raises:
        ValueError: no rotation is staged.
        IntegrityError: ``old_vmk`` is not the key the rotation started from.
    """
    rotation = keyfile.rotation
    if rotation is None:
        raise ValueError("no rotation staged")
    aad = slot_aad(SLOT_PASSPHRASE, keyfile.vault_id)
    return old_vmk, aead.unwrap_key(old_vmk, rotation.next_vmk, _ROTATION_NEXT_AAD + aad)


_ROTATION_NEXT_AAD = b"rotation-next/"
_ROTATION_PREV_AAD = b"rotation-prev/"


def stage_master_rotation(
    keyfile: KeyFile, vmk: SecretKey, new_vmk: SecretKey, new_passphrase: str,
    params: Argon2Params, new_db_key: SecretKey,
) -> KeyFile:
    """Phase one of a passphrase change that replaces the VMK (see ``MasterRotation``).

    The current slots and DB key stay valid; the new DB key is staged as pending (epoch + 1),
    wrapped by the new VMK. Save this before touching the database.

    Raises:
        ValueError: ``vmk`` does not belong to this key file.
    """
    _check_vmk(keyfile, vmk)
    aad = slot_aad(SLOT_PASSPHRASE, keyfile.vault_id)
    rotation = MasterRotation(
        slot=_passphrase_slot(keyfile.vault_id, new_vmk, new_passphrase, params),
        next_vmk=aead.wrap_key(vmk, new_vmk, _ROTATION_NEXT_AAD + aad),
        prev_vmk=aead.wrap_key(new_vmk, vmk, _ROTATION_PREV_AAD + aad),
    )
    pending = aead.wrap_key(new_vmk, new_db_key,
                            dbkey_aad(keyfile.vault_id, keyfile.db_epoch + 1))
    return replace(keyfile, rotation=rotation, db_key_pending=pending)


def complete_master_rotation(keyfile: KeyFile) -> tuple[KeyFile, list[str]]:
    """Phase two: only the new passphrase slot remains and the pending DB key is current.

    Other slots (recovery code, OS keyring) wrapped the old VMK, which no longer opens the
    database: they are dropped, and their kinds returned so the rep can be told (a recovery
    code cannot be carried over without the code itself).

    Raises:
        ValueError: no rotation, or no pending DB key, is staged.
    """
    if keyfile.rotation is None or keyfile.db_key_pending is None:
        raise ValueError("no rotation staged")
    dropped = [s.kind for s in keyfile.slots if s.kind != SLOT_PASSPHRASE]
    return replace(
        keyfile, slots=[keyfile.rotation.slot], rotation=None,
        db_key_current=keyfile.db_key_pending, db_key_pending=None,
        db_epoch=keyfile.db_epoch + 1, anchor=None,
    ), dropped


def anchor_input(vault_id: str, seq: int, mac: str) -> bytes:
    """The bytes a trail anchor's tag covers."""
    return b"casevault/v1/anchor/" + vault_id.encode() + struct.pack(">Q", seq) + mac.encode()


def with_anchor(keyfile: KeyFile, trail_key: SecretKey, seq: int, mac: str) -> KeyFile:
    """A copy recording the trail head ``(seq, mac)``, tagged with the trail key."""
    tag = aead.hmac_sha256(trail_key, anchor_input(keyfile.vault_id, seq, mac))
    return replace(keyfile, anchor=TrailAnchor(seq=seq, mac=mac, tag=tag))


def anchor_is_authentic(keyfile: KeyFile, trail_key: SecretKey) -> bool:
    """True when the key file's anchor was written by a holder of ``trail_key``."""
    anchor = keyfile.anchor
    if anchor is None:
        return True
    expected = aead.hmac_sha256(trail_key, anchor_input(keyfile.vault_id, anchor.seq,
                                                        anchor.mac))
    return aead.constant_time_equal(expected, anchor.tag)


def unwrap_db_key(keyfile: KeyFile, vmk: SecretKey, *, pending: bool = False) -> SecretKey:
    """The SQLCipher key: current (for ``db_epoch``) or, with ``pending``, the staged next one.

    Raises:
        KeyFileError: ``pending`` is asked for but none is staged, or the wrapped key does not
            open with this VMK (the key file is damaged).
        VaultLocked: ``vmk`` has been wiped.
    """
    if pending:
        if keyfile.db_key_pending is None:
            raise KeyFileError("The vault's key file has no pending database key.")
        blob, epoch = keyfile.db_key_pending, keyfile.db_epoch + 1
    else:
        blob, epoch = keyfile.db_key_current, keyfile.db_epoch
    try:
        return aead.unwrap_key(vmk, blob, dbkey_aad(keyfile.vault_id, epoch))
    except IntegrityError:
        log.warning("database key did not unwrap (pending=%s)", pending)
        raise KeyFileError(_DB_KEY_DAMAGED) from None


def rewrap_passphrase(
    keyfile: KeyFile, vmk: SecretKey, new_passphrase: str, params: Argon2Params
) -> KeyFile:
    """A copy whose passphrase slot wraps the same VMK under ``new_passphrase`` (new salt).

    Other slots, the DB keys and the epoch are kept, so nothing else needs re-encrypting.
    The caller checks the passphrase's strength and the old passphrase.

    Raises:
        ValueError: ``vmk`` does not belong to this key file.
        CryptoUnavailable: Argon2id is not available.
    """
    _check_vmk(keyfile, vmk)
    slot = _passphrase_slot(keyfile.vault_id, vmk, new_passphrase, params)
    slots = [slot if s.kind == SLOT_PASSPHRASE else s for s in keyfile.slots]
    return replace(keyfile, slots=slots)


def needs_upgrade(keyfile: KeyFile) -> bool:
    """True when a passphrase slot's Argon2id parameters are below ``kdf.ARGON2_FLOOR``."""
    return any(
        slot.kind == SLOT_PASSPHRASE and (slot.params is None or slot.params.below_floor())
        for slot in keyfile.slots
    )


def stage_db_key(keyfile: KeyFile, vmk: SecretKey, new_db_key: SecretKey) -> KeyFile:
    """Phase one of a re-key: a copy with ``new_db_key`` wrapped as pending for epoch + 1.

    Save it before ``PRAGMA rekey``; after the database reopens with the new key, save
    ``promote_pending(...)``. At start-up try current, then pending (DESIGN §3).

    Raises:
        ValueError: ``vmk`` does not belong to this key file.
    """
    _check_vmk(keyfile, vmk)
    wrapped = aead.wrap_key(vmk, new_db_key, dbkey_aad(keyfile.vault_id, keyfile.db_epoch + 1))
    return replace(keyfile, db_key_pending=wrapped)


def promote_pending(keyfile: KeyFile) -> KeyFile:
    """Phase two of a re-key: a copy whose pending key is current and epoch is one higher.

    Raises:
        ValueError: there is no pending key.
    """
    if keyfile.db_key_pending is None:
        raise ValueError("no pending database key to promote")
    return replace(
        keyfile,
        db_key_current=keyfile.db_key_pending,
        db_key_pending=None,
        db_epoch=keyfile.db_epoch + 1,
    )


def wrap_case_key(vmk: SecretKey, case_id: str, dek: SecretKey) -> bytes:
    """A case key (DEK) wrapped by the VMK, bound to ``case_id`` (AAD ``b"case" ‖ case_id``).

    Raises:
        ValueError: ``case_id`` is empty.
    """
    return aead.wrap_key(vmk, dek, case_aad(case_id))


def unwrap_case_key(vmk: SecretKey, case_id: str, blob: bytes) -> SecretKey:
    """Open a case key made by ``wrap_case_key`` for the same case.

    Raises:
        IntegrityError: the blob is damaged or belongs to another case or vault.
        ValueError: ``case_id`` is empty.
    """
    return aead.unwrap_key(vmk, blob, case_aad(case_id))


def trail_key(vmk: SecretKey) -> SecretKey:
    """The paper-trail MAC key: HKDF-SHA256(VMK, info ``b"casevault/v1/trail"``, no salt)."""
    return aead.derive_subkey(vmk, TRAIL_INFO)


# -- recovery code and OS-keyring slots -------------------------------------------------------


def generate_recovery_code() -> str:
    """A new random recovery code: 160 bits as 15 BIP-39 words (``recovery_code``)."""
    return recovery_code.generate()


def add_recovery_slot(keyfile: KeyFile, vmk: SecretKey, code: str) -> KeyFile:
    """A copy with a recovery slot for ``code``, replacing any earlier one.

    Raises:
        InvalidInput: ``code`` is not a well-formed recovery code.
        ValueError: ``vmk`` does not belong to this key file.
    """
    _check_vmk(keyfile, vmk)
    material = _decode_recovery_code(code)
    try:
        return _with_hkdf_slot(keyfile, vmk, SLOT_RECOVERY, RECOVERY_INFO, material)
    finally:
        material[:] = bytes(len(material))


def unlock_vmk_with_recovery(keyfile: KeyFile, code: str) -> SecretKey:
    """Unwrap the VMK with a recovery code.

    Raises:
        InvalidInput: ``code`` is not a well-formed recovery code.
        WrongPassphrase: the vault has no recovery slot or the code does not open it.
    """
    material = _decode_recovery_code(code)
    try:
        return _unlock_hkdf_slot(keyfile, SLOT_RECOVERY, RECOVERY_INFO, material,
                                 "That recovery code does not unlock this vault.")
    finally:
        material[:] = bytes(len(material))


def add_keyring_slot(keyfile: KeyFile, vmk: SecretKey, secret: SecretKey) -> KeyFile:
    """A copy with an OS-keyring slot for ``secret`` (random bytes kept in the OS keyring),
    replacing any earlier one.

    Raises:
        ValueError: ``vmk`` does not belong to this key file.
    """
    _check_vmk(keyfile, vmk)
    with secret.view() as material:
        return _with_hkdf_slot(keyfile, vmk, SLOT_OS_KEYRING, OS_KEYRING_INFO, material)


def unlock_vmk_with_keyring(keyfile: KeyFile, secret: SecretKey) -> SecretKey:
    """Unwrap the VMK with the OS-keyring secret.

    Raises:
        WrongPassphrase: there is no keyring slot or the secret does not open it (the caller
            falls back to the passphrase).
    """
    with secret.view() as material:
        return _unlock_hkdf_slot(keyfile, SLOT_OS_KEYRING, OS_KEYRING_INFO, material,
                                 "Quick unlock did not work; use your passphrase.")


def has_slot(keyfile: KeyFile, kind: str) -> bool:
    """True when the key file has a slot of ``kind``."""
    return any(slot.kind == kind for slot in keyfile.slots)


def remove_slot(keyfile: KeyFile, kind: str) -> KeyFile:
    """A copy without the ``recovery`` or ``os-keyring`` slot (no change if there is none).

    Raises:
        ValueError: ``kind`` is ``passphrase`` (the passphrase slot is never removed) or unknown.
    """
    if kind not in (SLOT_RECOVERY, SLOT_OS_KEYRING):
        raise ValueError("only a recovery or os-keyring slot can be removed")
    return replace(keyfile, slots=[s for s in keyfile.slots if s.kind != kind])


# -- associated data ---------------------------------------------------------------------------


def slot_aad(kind: str, vault_id: str) -> bytes:
    """AAD of a slot's wrapped VMK: ``b"slot" ‖ kind ‖ vault_id`` (ASCII)."""
    return b"slot" + kind.encode("ascii") + vault_id.encode("ascii")


def dbkey_aad(vault_id: str, epoch: int) -> bytes:
    """AAD of a wrapped DB key: ``b"dbkey" ‖ vault_id (ASCII) ‖ epoch (uint64 big-endian)``."""
    return b"dbkey" + vault_id.encode("ascii") + struct.pack(">Q", epoch)


def case_aad(case_id: str) -> bytes:
    """AAD of a wrapped case key: ``b"case" ‖ case_id (UTF-8)``.

    Raises:
        ValueError: ``case_id`` is empty.
    """
    if not case_id:
        raise ValueError("case_id is required")
    return b"case" + case_id.encode("utf-8")


# -- helpers -----------------------------------------------------------------------------------


def _passphrase_slot(
    vault_id: str, vmk: SecretKey, passphrase: str, params: Argon2Params
) -> KeySlot:
    salt = os.urandom(PASSPHRASE_SALT_LEN)
    with kdf.derive_key(passphrase, salt, params) as kek:
        wrapped = aead.wrap_key(kek, vmk, slot_aad(SLOT_PASSPHRASE, vault_id))
    return KeySlot(kind=SLOT_PASSPHRASE, salt=salt, params=params, wrapped_vmk=wrapped)


def _hkdf_kek(
    keyfile: KeyFile, info: bytes, material: bytes | bytearray | memoryview, salt: bytes
) -> SecretKey:
    """KEK_rc / KEK_os = HKDF-SHA256(secret, slot salt, info ‖ vault_id)."""
    return aead.hkdf_sha256(material, info + keyfile.vault_id.encode("ascii"), salt)


def _with_hkdf_slot(
    keyfile: KeyFile, vmk: SecretKey, kind: str, info: bytes,
    material: bytes | bytearray | memoryview,
) -> KeyFile:
    salt = os.urandom(HKDF_SALT_LEN)
    with _hkdf_kek(keyfile, info, material, salt) as kek:
        wrapped = aead.wrap_key(kek, vmk, slot_aad(kind, keyfile.vault_id))
    slot = KeySlot(kind=kind, salt=salt, params=None, wrapped_vmk=wrapped)
    return replace(keyfile, slots=[s for s in keyfile.slots if s.kind != kind] + [slot])


def _unlock_hkdf_slot(
    keyfile: KeyFile, kind: str, info: bytes, material: bytes | bytearray | memoryview,
    message: str,
) -> SecretKey:
    for slot in keyfile.slots:
        if slot.kind != kind:
            continue
        with _hkdf_kek(keyfile, info, material, slot.salt) as kek:
            try:
                return aead.unwrap_key(kek, slot.wrapped_vmk, slot_aad(kind, keyfile.vault_id))
            except IntegrityError:
                continue
    raise WrongPassphrase(message)


def _decode_recovery_code(code: str) -> bytearray:
    return recovery_code.decode(code)


def _check_vmk(keyfile: KeyFile, vmk: SecretKey) -> None:
    """Refuse to wrap anything with a VMK that is not this key file's (it would lock the rep
    out): the current DB key must open with it."""
    try:
        aead.unwrap_key(vmk, keyfile.db_key_current,
                        dbkey_aad(keyfile.vault_id, keyfile.db_epoch)).wipe()
    except IntegrityError:
        raise ValueError("the master key does not belong to this key file") from None


def _parse_slot(item: Any) -> KeySlot:
    if not isinstance(item, dict):
        raise ValueError("slot")
    kind = item["kind"]
    if kind not in SLOT_KINDS:
        raise ValueError("slot kind")
    salt = _b64_field(item["salt"])
    if not MIN_SALT_LEN <= len(salt) <= MAX_SALT_LEN:
        raise ValueError("slot salt")
    params_raw = item["params"]
    if kind == SLOT_PASSPHRASE:
        params: Argon2Params | None = _accepted_params(Argon2Params.from_dict(params_raw))
    elif params_raw is None:
        params = None
    else:
        raise ValueError("slot params")
    wrapped = _b64_field(item["wrapped_vmk"], aead.WRAPPED_KEY_LEN)
    return KeySlot(kind=kind, salt=salt, params=params, wrapped_vmk=wrapped)


def _accepted_params(params: Argon2Params) -> Argon2Params:
    if (params.time_cost > MAX_ACCEPTED_TIME_COST or params.memory_kib > MAX_ACCEPTED_MEMORY_KIB
            or params.lanes > MAX_ACCEPTED_LANES):
        log.warning("key file asks for Argon2id parameters above the accepted caps")
        raise ValueError("Argon2 parameters above the accepted caps")
    return params


def _read_regular_file(path: Path) -> bytes:
    """The bytes of ``path`` (at most ``MAX_KEYFILE_BYTES + 1``), only if it is a regular file.

    Never blocks on a FIFO and never follows a symlink in the last component.

    Raises:
        KeyFileError: missing, not an ordinary file, or unreadable.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise KeyFileError(_MISSING) from None
    except OSError as exc:
        log.warning("key file unreadable: %s", type(exc).__name__)
        raise KeyFileError(_UNREADABLE) from None
    if not stat.S_ISREG(st.st_mode):
        log.warning("key file is not a regular file")
        raise KeyFileError(_NOT_A_FILE)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) \
        | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise KeyFileError(_MISSING) from None
    except OSError as exc:
        log.warning("key file unreadable: %s", type(exc).__name__)
        raise KeyFileError(_UNREADABLE) from None
    try:
        # Swapped between lstat and open: check what was actually opened.
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            log.warning("key file is not a regular file")
            raise KeyFileError(_NOT_A_FILE)
        chunks: list[bytes] = []
        remaining = MAX_KEYFILE_BYTES + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 65536))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)
    except OSError as exc:
        log.warning("key file unreadable: %s", type(exc).__name__)
        raise KeyFileError(_UNREADABLE) from None
    finally:
        os.close(fd)


def _slot_json(slot: KeySlot) -> dict[str, Any]:
    return {
        "kind": slot.kind,
        "salt": _b64(slot.salt),
        "params": None if slot.params is None else slot.params.to_dict(),
        "wrapped_vmk": _b64(slot.wrapped_vmk),
    }


_HEX_MAC = re.compile(r"(?:[0-9a-f]{64})?")


def _parse_anchor(item: Any) -> TrailAnchor | None:
    if item is None:
        return None
    if not isinstance(item, dict):
        raise ValueError("anchor")
    seq, mac = item["seq"], item["mac"]
    if not _is_int(seq) or not 0 <= seq < 2**63 or not isinstance(mac, str):
        raise ValueError("anchor")
    if not _HEX_MAC.fullmatch(mac):
        raise ValueError("anchor mac")
    return TrailAnchor(seq=seq, mac=mac, tag=_b64_field(item["tag"], 32))


def _parse_rotation(item: Any) -> MasterRotation | None:
    if item is None:
        return None
    if not isinstance(item, dict):
        raise ValueError("rotation")
    slot = _parse_slot(item["slot"])
    if slot.kind != SLOT_PASSPHRASE:
        raise ValueError("rotation slot")
    return MasterRotation(slot=slot,
                          next_vmk=_b64_field(item["next_vmk"], aead.WRAPPED_KEY_LEN),
                          prev_vmk=_b64_field(item["prev_vmk"], aead.WRAPPED_KEY_LEN))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _b64_field(value: Any, length: int | None = None) -> bytes:
    if not isinstance(value, str):
        raise ValueError("base64 field")
    data = base64.b64decode(value.encode("ascii"), validate=True)
    if length is not None and len(data) != length:
        raise ValueError("field length")
    return data


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _fsync_dir(directory: Path) -> None:
    """Make the rename durable. Not possible on every OS (Windows); the rename still stands."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(directory, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        log.warning("key file folder not synced: %s", type(exc).__name__)
    finally:
        os.close(fd)
