"""SecretKey: holds 32 bytes, hands them out until wiped, never shows or compares them."""

from __future__ import annotations

import copy
import pickle
import re

import pytest

from vault.crypto.secret import SecretKey
from vault.errors import VaultLocked

MATERIAL = bytes(range(0xA0, 0xC0))


@pytest.mark.parametrize("length", [0, 16, 31, 33, 64])
def test_wrong_length_is_refused(length: int) -> None:
    with pytest.raises(ValueError):
        SecretKey(bytes(length))


def test_material_is_copied_not_shared() -> None:
    source = bytearray(MATERIAL)
    key = SecretKey(source)
    source[:] = bytes(32)
    assert key.raw() == MATERIAL


def test_generate_gives_distinct_random_keys() -> None:
    a, b = SecretKey.generate(), SecretKey.generate()
    assert len(a.raw()) == 32
    assert a.raw() != b.raw()
    assert a.raw() != bytes(32)


def test_sqlcipher_key_is_the_raw_key_literal() -> None:
    literal = SecretKey(MATERIAL).sqlcipher_key()
    assert re.fullmatch(r"x'[0-9a-f]{64}'", literal)
    assert literal == "x'" + MATERIAL.hex() + "'"


def test_view_reads_without_copying_and_goes_to_zero_on_wipe() -> None:
    key = SecretKey(MATERIAL)
    view = key.view()
    assert bytes(view) == MATERIAL
    assert view.readonly
    key.wipe()
    assert bytes(view) == bytes(32)
    view.release()


def test_wipe_locks_every_accessor_and_is_idempotent() -> None:
    key = SecretKey(MATERIAL)
    assert not key.wiped
    key.wipe()
    key.wipe()
    assert key.wiped
    for accessor in (key.raw, key.view, key.sqlcipher_key):
        with pytest.raises(VaultLocked):
            accessor()


def test_context_manager_wipes_on_exit_and_on_error() -> None:
    with SecretKey(MATERIAL) as key:
        assert key.raw() == MATERIAL
    assert key.wiped
    other = SecretKey(MATERIAL)
    with pytest.raises(RuntimeError), other:
        raise RuntimeError("boom")
    assert other.wiped


def test_repr_and_str_never_show_material() -> None:
    key = SecretKey(MATERIAL)
    for text in (repr(key), str(key), f"{key}"):
        assert MATERIAL.hex() not in text
        assert MATERIAL.hex()[:8] not in text
        assert "\\x" not in text
    key.wipe()
    assert "wiped" in repr(key)


def test_no_equality_by_value() -> None:
    a, b = SecretKey(MATERIAL), SecretKey(MATERIAL)
    assert a != b
    same = a
    assert a == same  # identity only


def test_cannot_be_pickled_or_copied() -> None:
    key = SecretKey(MATERIAL)
    with pytest.raises(TypeError):
        pickle.dumps(key)
    with pytest.raises(TypeError):
        copy.copy(key)
    with pytest.raises(TypeError):
        copy.deepcopy(key)
