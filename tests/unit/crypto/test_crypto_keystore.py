"""KeyringStore against in-memory backends defined here; never the OS keychain."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator

import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail, null
from keyring.backends.chainer import ChainerBackend
from keyring.errors import PasswordDeleteError

from vault.crypto.keystore import KeyringStore, choose_backend, is_trusted

VAULT_ID = "0123456789abcdef0123456789abcdef"


class MemoryKeyring(KeyringBackend):
    """A recommended-priority backend that keeps entries in a dict."""

    priority = 5

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise PasswordDeleteError("not found")
        del self.entries[(service, username)]


class WeakKeyring(MemoryKeyring):
    priority = 0.5  # type: ignore[assignment]


class PlaintextAltKeyring(MemoryKeyring):
    """Stands in for keyrings.alt's plain-text file backend."""

    priority = 9


PlaintextAltKeyring.__module__ = "keyrings.alt.file"


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("dbus went away")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("dbus went away")


class ForgetfulKeyring(MemoryKeyring):
    """Accepts writes and silently drops them."""

    def set_password(self, service: str, username: str, password: str) -> None:
        return None


class BlockingKeyring(MemoryKeyring):
    """Hangs on every read until released (a keychain waiting on a prompt nobody answers)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.release.wait()
        return super().get_password(service, username)


class UnviableKeyring(MemoryKeyring):
    @property
    def priority(self) -> float:  # type: ignore[override]
        raise RuntimeError("not viable on this platform")


def make_chainer(members: list[KeyringBackend]) -> ChainerBackend:
    class FixedChainer(ChainerBackend):
        @property
        def backends(self) -> list[KeyringBackend]:
            return members

    return FixedChainer()


@pytest.fixture
def memory() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def blocking() -> Iterator[BlockingKeyring]:
    backend = BlockingKeyring()
    yield backend
    backend.release.set()


def test_create_get_delete_cycle(memory: MemoryKeyring) -> None:
    store = KeyringStore(memory)
    assert store.is_available()
    assert store.get(VAULT_ID) is None
    secret = store.create(VAULT_ID)
    assert secret is not None
    fetched = store.get(VAULT_ID)
    assert fetched is not None and fetched.raw() == secret.raw()
    assert store.delete(VAULT_ID)
    assert store.get(VAULT_ID) is None
    assert store.delete(VAULT_ID)  # missing: still fine, never raises


def test_stores_random_base64_bytes_under_the_vault_id(memory: MemoryKeyring) -> None:
    store = KeyringStore(memory)
    secret = store.create(VAULT_ID)
    assert secret is not None
    assert list(memory.entries) == [("casevault", VAULT_ID)]
    stored = memory.entries[("casevault", VAULT_ID)]
    assert base64.b64decode(stored, validate=True) == secret.raw()
    again = store.create(VAULT_ID)
    assert again is not None and again.raw() != secret.raw()


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring(), null.Keyring(), PlaintextAltKeyring(), WeakKeyring(), UnviableKeyring()],
    ids=["fail", "null", "keyrings.alt", "low-priority", "unviable"],
)
def test_untrusted_backends_are_refused(backend: KeyringBackend) -> None:
    assert not is_trusted(backend)
    store = KeyringStore(backend)
    assert not store.is_available()
    assert store.backend_name() is None
    assert store.get(VAULT_ID) is None
    assert store.create(VAULT_ID) is None
    assert not store.delete(VAULT_ID)
    if isinstance(backend, MemoryKeyring):
        assert backend.entries == {}


def test_chainer_uses_only_its_best_trusted_member(memory: MemoryKeyring) -> None:
    alt = PlaintextAltKeyring()
    chainer = make_chainer([alt, fail.Keyring(), memory])
    assert choose_backend(chainer) is memory
    store = KeyringStore(chainer)
    assert store.create(VAULT_ID) is not None
    assert alt.entries == {}
    assert ("casevault", VAULT_ID) in memory.entries


def test_chainer_with_no_good_member_is_unavailable() -> None:
    chainer = make_chainer([fail.Keyring(), PlaintextAltKeyring(), WeakKeyring()])
    assert choose_backend(chainer) is None
    assert not KeyringStore(chainer).is_available()


def test_default_backend_in_tests_is_the_fail_backend() -> None:
    # The test run sets PYTHON_KEYRING_BACKEND to the fail backend: nothing real is touched.
    store = KeyringStore()
    assert not store.is_available()
    assert store.get(VAULT_ID) is None


def test_a_hanging_backend_times_out(blocking: BlockingKeyring) -> None:
    store = KeyringStore(blocking, timeout=0.05)
    assert store.is_available()
    assert store.get(VAULT_ID) is None
    assert store.create(VAULT_ID) is None  # its read-back hangs, so it is not trusted


def test_backend_errors_read_as_absent() -> None:
    store = KeyringStore(BrokenKeyring())
    assert store.is_available()
    assert store.get(VAULT_ID) is None
    assert store.create(VAULT_ID) is None
    assert not store.delete(VAULT_ID)


def test_a_write_that_does_not_stick_is_a_failure() -> None:
    assert KeyringStore(ForgetfulKeyring()).create(VAULT_ID) is None


@pytest.mark.parametrize(
    "stored", ["not base64!", base64.b64encode(b"x" * 31).decode(), ""],
)
def test_malformed_entries_read_as_absent(memory: MemoryKeyring, stored: str) -> None:
    memory.entries[("casevault", VAULT_ID)] = stored
    assert KeyringStore(memory).get(VAULT_ID) is None


def test_empty_vault_id_is_never_looked_up(memory: MemoryKeyring) -> None:
    store = KeyringStore(memory)
    assert store.get("") is None
    assert store.create("") is None
    assert memory.entries == {}


def test_backend_name_and_timeout_check(memory: MemoryKeyring) -> None:
    name = KeyringStore(memory).backend_name()
    assert name is not None and "MemoryKeyring" in name
    with pytest.raises(ValueError):
        KeyringStore(memory, timeout=0)
