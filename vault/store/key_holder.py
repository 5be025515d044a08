"""The keys of one unlocked vault: the VMK, the keys derived from it, and the case-key cache.

A ``KeyHolder`` is the only object that holds the vault master key. Services never see the
VMK: they ask for a case key (unwrapped once, cached until lock), the trail MAC key or the
vault payload key. ``forget(case_id)`` wipes one case key (secure deletion); ``wipe()`` wipes
them all (lock).

The trail key and the vault payload key were first derived from the VMK (HKDF). So that the VMK
can be replaced when the passphrase changes without re-MACing the whole paper trail, a vault
may instead store both keys wrapped by the VMK in ``vault_meta`` (``trail_key``,
``vault_payload_key``); ``load_stored_keys`` prefers those when present.
"""

from __future__ import annotations

import logging
import threading

from vault.crypto import aead, keyfile
from vault.crypto.secret import SecretKey
from vault.errors import IntegrityError, VaultLocked

log = logging.getLogger(__name__)

VAULT_PAYLOAD_INFO = b"casevault/v1/vault-payload"
STORED_KEY_AAD = b"casevault/v1/stored-key/"
TRAIL_KEY_NAME = "trail_key"
PAYLOAD_KEY_NAME = "vault_payload_key"


def wrap_stored_key(vmk: SecretKey, name: str, key: SecretKey) -> bytes:
    """``key`` wrapped by the VMK for the ``vault_meta`` row ``name``."""
    return aead.wrap_key(vmk, key, STORED_KEY_AAD + name.encode())


def unwrap_stored_key(vmk: SecretKey, name: str, blob: bytes) -> SecretKey:
    """Raises IntegrityError when ``blob`` does not open under ``vmk``."""
    return aead.unwrap_key(vmk, blob, STORED_KEY_AAD + name.encode())


class KeyHolder:
    """The VMK and what hangs off it, for as long as the vault is unlocked."""

    def __init__(self, vmk: SecretKey, stored: dict[str, bytes] | None = None) -> None:
        self._vmk: SecretKey | None = vmk
        self._lock = threading.RLock()
        self._case_keys: dict[str, SecretKey] = {}
        stored = stored or {}
        self._trail_key = self._named(vmk, TRAIL_KEY_NAME, stored,
                                      lambda: keyfile.trail_key(vmk))
        self._payload_key = self._named(vmk, PAYLOAD_KEY_NAME, stored,
                                        lambda: aead.derive_subkey(vmk, VAULT_PAYLOAD_INFO))

    @staticmethod
    def _named(vmk: SecretKey, name: str, stored: dict[str, bytes],
               derive: object) -> SecretKey:
        blob = stored.get(name)
        if blob is not None:
            return unwrap_stored_key(vmk, name, blob)
        assert callable(derive)
        key: SecretKey = derive()
        return key

    # -- state ---------------------------------------------------------------------------------

    @property
    def is_wiped(self) -> bool:
        return self._vmk is None

    def vmk(self) -> SecretKey:
        """The VMK itself, for key-file operations only (slots, DB key, rotation).

        Raises:
            VaultLocked: after ``wipe()``.
        """
        if self._vmk is None:
            raise VaultLocked()
        return self._vmk

    @property
    def trail_key(self) -> SecretKey:
        self.vmk()
        return self._trail_key

    @property
    def vault_payload_key(self) -> SecretKey:
        self.vmk()
        return self._payload_key

    def derive(self, info: bytes) -> SecretKey:
        """A fresh subkey of the VMK for one purpose (HKDF-SHA256, ``info`` names it)."""
        return aead.derive_subkey(self.vmk(), info)

    def stored_keys_for(self, vmk: SecretKey) -> dict[str, bytes]:
        """The trail and vault payload keys wrapped by ``vmk`` (for a VMK rotation)."""
        return {
            TRAIL_KEY_NAME: wrap_stored_key(vmk, TRAIL_KEY_NAME, self.trail_key),
            PAYLOAD_KEY_NAME: wrap_stored_key(vmk, PAYLOAD_KEY_NAME, self.vault_payload_key),
        }

    # -- case keys -----------------------------------------------------------------------------

    def new_case_key(self, case_id: str) -> tuple[SecretKey, bytes]:
        """A fresh random data key for a new case and its VMK-wrapped form for the database."""
        with self._lock:
            vmk = self.vmk()
            dek = SecretKey.generate()
            wrapped = keyfile.wrap_case_key(vmk, case_id, dek)
            self._case_keys[case_id] = dek
            return dek, wrapped

    def case_key(self, case_id: str, wrapped: bytes | None) -> SecretKey:
        """The data key of one case, unwrapped once and cached until lock.

        Raises:
            IntegrityError: the wrapped key does not open (tampered row, wrong case), or the
                case key has been destroyed (``wrapped`` is None).
            VaultLocked: after ``wipe()``.
        """
        with self._lock:
            vmk = self.vmk()
            cached = self._case_keys.get(case_id)
            if cached is not None and not cached.wiped:
                return cached
            if wrapped is None:
                raise IntegrityError("This case's key has been destroyed.")
            dek = keyfile.unwrap_case_key(vmk, case_id, wrapped)
            self._case_keys[case_id] = dek
            return dek

    def forget(self, case_id: str) -> None:
        """Wipe one case key from memory (secure deletion)."""
        with self._lock:
            key = self._case_keys.pop(case_id, None)
            if key is not None:
                key.wipe()

    def replace_vmk(self, new_vmk: SecretKey) -> None:
        """After a VMK rotation: hold ``new_vmk`` (the trail and payload keys stay the same)."""
        with self._lock:
            old = self.vmk()
            self._vmk = new_vmk
            old.wipe()

    def wipe(self) -> None:
        """Wipe every key held. Safe to call twice."""
        with self._lock:
            for key in self._case_keys.values():
                key.wipe()
            self._case_keys.clear()
            self._trail_key.wipe()
            self._payload_key.wipe()
            if self._vmk is not None:
                self._vmk.wipe()
                self._vmk = None
