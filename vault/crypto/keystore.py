"""Opt-in quick unlock through the OS keyring (DESIGN §3, last bullet).

The keyring holds one random 32-byte secret per vault (base64, account = the vault id), never
the passphrase; ``keyfile.add_keyring_slot`` turns that secret into a KEK for an ``os-keyring``
slot. Only recommended backends are used — never ``keyrings.alt`` (plain-text or weakly
encrypted files), ``null`` or ``fail``, and from a chainer only its best trusted member. Every
call runs in a daemon thread and is abandoned after a timeout, and every failure reads as
"not there", so the caller simply falls back to the passphrase. Nothing here raises.
"""

from __future__ import annotations

import base64
import binascii
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from keyring.backend import KeyringBackend
from keyring.backends.chainer import ChainerBackend

from vault.crypto.secret import KEY_LEN, SecretKey

log = logging.getLogger(__name__)

SERVICE = "casevault"
DEFAULT_TIMEOUT_SECONDS = 10.0
REFUSED_MODULE_PREFIXES: tuple[str, ...] = (
    "keyrings.alt",
    "keyring.backends.null",
    "keyring.backends.fail",
)

T = TypeVar("T")


@dataclass(frozen=True)
class _Outcome(Generic[T]):
    ok: bool
    value: T | None = None


class KeyringStore:
    """The quick-unlock secrets in the OS keyring.

    Contract (no method raises; each call gives up after ``timeout`` seconds):
        is_available() -> bool: a trusted, recommended backend is there.
        get(vault_id) -> SecretKey | None: the stored secret; None if missing, unavailable,
            timed out, malformed or on any backend error.
        create(vault_id) -> SecretKey | None: store a fresh random secret (replacing any old
            one) and return it; None if it could not be stored and read back.
        delete(vault_id) -> bool: True when no entry remains, including when there was none;
            False if the backend failed or timed out. Never raises if missing.

    ``backend`` is for tests (an in-memory backend) and for callers that have already chosen
    one; by default ``keyring.get_keyring()`` is asked, inside the timeout.
    """

    def __init__(
        self,
        backend: KeyringBackend | None = None,
        *,
        service: str = SERVICE,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self._given = backend
        self._service = service
        self._timeout = timeout
        self._lock = threading.Lock()
        self._resolved = False
        self._backend: KeyringBackend | None = None

    def is_available(self) -> bool:
        """True when a trusted, recommended backend is there (resolved once, then cached)."""
        return self._trusted_backend() is not None

    def backend_name(self) -> str | None:
        """A display name of the backend in use (for settings), or None when unavailable."""
        backend = self._trusted_backend()
        return None if backend is None else _describe(backend)

    def get(self, vault_id: str) -> SecretKey | None:
        """The quick-unlock secret for ``vault_id``, or None (see the class contract)."""
        backend = self._trusted_backend()
        if backend is None or not vault_id:
            return None
        outcome = self._run(lambda: backend.get_password(self._service, vault_id))
        if not outcome.ok or outcome.value is None:
            return None
        return _decode_secret(outcome.value)

    def create(self, vault_id: str) -> SecretKey | None:
        """Store a fresh random secret for ``vault_id`` and return it, or None on failure.

        A call that times out may still complete later in its thread; the secret it leaves
        behind opens nothing, because the caller only adds a key slot for a returned secret.
        """
        backend = self._trusted_backend()
        if backend is None or not vault_id:
            return None
        secret = SecretKey.generate()
        with secret.view() as material:
            encoded = base64.b64encode(material).decode("ascii")

        def store_and_check() -> bool:
            backend.set_password(self._service, vault_id, encoded)
            return backend.get_password(self._service, vault_id) == encoded

        outcome = self._run(store_and_check)
        if outcome.ok and outcome.value:
            log.info("quick-unlock secret stored in the keyring")
            return secret
        secret.wipe()
        log.warning("quick-unlock secret could not be stored in the keyring")
        return None

    def delete(self, vault_id: str) -> bool:
        """Remove the secret for ``vault_id``; True when none remains (see the class contract)."""
        backend = self._trusted_backend()
        if backend is None or not vault_id:
            return False

        def remove() -> bool:
            if backend.get_password(self._service, vault_id) is None:
                return True
            backend.delete_password(self._service, vault_id)
            return backend.get_password(self._service, vault_id) is None

        outcome = self._run(remove)
        return bool(outcome.ok and outcome.value)

    # -- internals -----------------------------------------------------------------------------

    def _trusted_backend(self) -> KeyringBackend | None:
        with self._lock:
            if not self._resolved:
                outcome = self._run(self._resolve)
                self._backend = outcome.value if outcome.ok else None
                # A timed-out lookup is retried next time; an answer (even "none") is kept.
                self._resolved = outcome.ok
                if self._backend is None:
                    log.info("no trusted keyring backend; quick unlock unavailable")
            return self._backend

    def _resolve(self) -> KeyringBackend | None:
        if self._given is not None:
            candidate: Any = self._given
        else:
            import keyring  # the default backend is looked up only when first needed

            candidate = keyring.get_keyring()
        return choose_backend(candidate)

    def _run(self, call: Callable[[], T]) -> _Outcome[T]:
        """Run ``call`` in a daemon thread; give up after the timeout. Never raises."""
        results: list[_Outcome[T]] = []

        def target() -> None:
            try:
                results.append(_Outcome(True, call()))
            except Exception as exc:  # a keyring backend can raise anything
                log.warning("keyring call failed: %s", type(exc).__name__)
                results.append(_Outcome(False))

        thread = threading.Thread(target=target, name="casevault-keyring", daemon=True)
        thread.start()
        thread.join(self._timeout)
        if thread.is_alive() or not results:
            log.warning("keyring call timed out after %.1fs", self._timeout)
            return _Outcome(False)
        return results[0]


def choose_backend(backend: KeyringBackend) -> KeyringBackend | None:
    """The trusted backend to use for ``backend``, or None.

    A chainer is replaced by its highest-priority trusted member, because a chainer writes to
    whichever member accepts first, which could be an untrusted one. Never raises.
    """
    try:
        if isinstance(backend, ChainerBackend):
            members = [b for b in backend.backends if not isinstance(b, ChainerBackend)]
        else:
            members = [backend]
        trusted = [b for b in members if is_trusted(b)]
    except Exception as exc:  # backend discovery can fail in many platform-specific ways
        log.warning("keyring backend discovery failed: %s", type(exc).__name__)
        return None
    if not trusted:
        return None
    return max(trusted, key=_priority)


def is_trusted(backend: KeyringBackend) -> bool:
    """True for a recommended backend (priority >= 1) that is not a refused one. Never raises."""
    if isinstance(backend, ChainerBackend):
        return False
    module = type(backend).__module__
    if any(module == p or module.startswith(p + ".") for p in REFUSED_MODULE_PREFIXES):
        return False
    return _priority(backend) >= 1


def _priority(backend: KeyringBackend) -> float:
    try:
        return float(backend.priority)
    except Exception:  # priority raises when the backend is not viable here
        return 0.0


def _describe(backend: KeyringBackend) -> str:
    name = getattr(backend, "name", None)
    return name if isinstance(name, str) and name else type(backend).__name__


def _decode_secret(value: object) -> SecretKey | None:
    if not isinstance(value, str):
        return None
    try:
        raw = bytearray(base64.b64decode(value.encode("ascii"), validate=True))
    except (binascii.Error, ValueError):
        log.warning("keyring entry is malformed")
        return None
    try:
        if len(raw) != KEY_LEN:
            log.warning("keyring entry has the wrong length")
            return None
        return SecretKey(raw)
    finally:
        raw[:] = bytes(len(raw))
