"""SecretKey: 32 bytes of key material in a bytearray that wipes itself.

Every key the product holds (VMK, DB key, case keys, file keys, the trail key, KEKs) lives in
one of these. The material sits in a mutable ``bytearray`` so it can be overwritten with zeros
on ``wipe()`` (called by ``lock()``, by ``with`` blocks, and on garbage collection). Python
cannot promise erasure — ``raw()`` hands out immutable copies and ``cryptography`` keeps its own
— so callers keep key lifetimes short. A SecretKey never shows its material in ``repr``, is not
compared by value, and refuses to be pickled or copied.
"""

from __future__ import annotations

import logging
import os
from types import TracebackType
from typing import NoReturn

from vault.errors import VaultLocked

log = logging.getLogger(__name__)

KEY_LEN = 32


class SecretKey:
    """32 bytes of key material held in a private bytearray.

    Identity semantics only: two keys with the same material are not ``==``. Use
    ``aead.constant_time_equal`` on derived values when a comparison is truly needed.
    """

    __slots__ = ("_buf", "_wiped")

    def __init__(self, material: bytes | bytearray | memoryview) -> None:
        """Copy ``material`` into a new private buffer.

        The caller's object is not modified; wipe it yourself if it is a bytearray.

        Raises:
            ValueError: ``material`` is not exactly 32 bytes.
        """
        if len(material) != KEY_LEN:
            raise ValueError(f"a key must be {KEY_LEN} bytes")
        self._buf = bytearray(material)
        self._wiped = False

    @classmethod
    def generate(cls) -> SecretKey:
        """A fresh random key from the operating system's CSPRNG (``os.urandom``)."""
        buf = bytearray(os.urandom(KEY_LEN))
        try:
            return cls(buf)
        finally:
            _zero(buf)

    def raw(self) -> bytes:
        """An immutable copy of the material, for APIs that need ``bytes``.

        Prefer ``view()`` inside the crypto layer: it makes no copy.

        Raises:
            VaultLocked: the key has been wiped.
        """
        self._check()
        return bytes(self._buf)

    def view(self) -> memoryview:
        """A read-only view of the material without copying it.

        Use it in a ``with`` block so the view is released promptly; after ``wipe()`` the view
        shows zeros.

        Raises:
            VaultLocked: the key has been wiped.
        """
        self._check()
        return memoryview(self._buf).toreadonly()

    def sqlcipher_key(self) -> str:
        """The SQLCipher raw-key literal ``x'<64 lowercase hex>'`` for ``PRAGMA key``/``rekey``.

        Raises:
            VaultLocked: the key has been wiped.
        """
        self._check()
        return "x'" + self._buf.hex() + "'"

    def wipe(self) -> None:
        """Overwrite the material with zeros. Safe to call more than once."""
        _zero(self._buf)
        self._wiped = True

    @property
    def wiped(self) -> bool:
        """True once ``wipe()`` has run; every accessor then raises VaultLocked."""
        return self._wiped

    def _check(self) -> None:
        if self._wiped:
            raise VaultLocked()

    def __enter__(self) -> SecretKey:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.wipe()

    def __del__(self) -> None:
        # Best effort: a key dropped without wipe() is still zeroed when collected.
        buf = getattr(self, "_buf", None)
        if buf is not None:
            _zero(buf)

    def __repr__(self) -> str:
        return "<SecretKey wiped>" if self._wiped else "<SecretKey>"

    __str__ = __repr__

    def __reduce__(self) -> NoReturn:
        raise TypeError("a SecretKey cannot be pickled")

    def __copy__(self) -> NoReturn:
        raise TypeError("a SecretKey cannot be copied; pass the object itself")

    def __deepcopy__(self, memo: object) -> NoReturn:
        raise TypeError("a SecretKey cannot be copied; pass the object itself")


def _zero(buf: bytearray) -> None:
    """Overwrite ``buf`` in place (same length, so views of it stay valid)."""
    buf[:] = bytes(len(buf))
