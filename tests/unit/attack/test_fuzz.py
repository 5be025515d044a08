"""Hypothesis fuzzing of every reader of untrusted bytes: the backup file, vault.keys, CVF1.

Each reader, fed mutated or random input, may only raise the product's own error types —
never a traceback from inside a parser, and never return data from a bad file. The case
counts (``FUZZ_CASES``) add up to several thousand per run; they are printed in the closing
note of issue 11.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import STRONG
from vault.backup.reader import Credential, verify_backup
from vault.backup.writer import write_backup
from vault.crypto import cvf1, keyfile, recovery_code
from vault.crypto.kdf import Argon2Params
from vault.crypto.secret import SecretKey
from vault.domain import Category
from vault.errors import (
    IntegrityError,
    InvalidInput,
    KeyFileError,
    UnsupportedFormat,
    VaultError,
    WrongPassphrase,
)
from vault.store.unlocked_vault import create_vault

FUZZ_CASES = {"backup": 1000, "keys": 2000, "cvf1": 2000, "recovery-code": 2000}
FAST = Argon2Params(1, 8, 1)
FUZZ = settings(deadline=None, database=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@functools.cache
def _backup_bytes() -> bytes:
    """A small valid backup (one case, one document), made once per run."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        vault = create_vault(root / "v", STRONG, params=FAST, enforce_strength=False)
        try:
            from vault.clock import SystemClock
            from vault.session import Session

            s = Session(vault, SystemClock())
            member = s.members.add("Fuzz Member")
            case = s.cases.open(member.id, "Fuzz case", Category.OTHER)
            src = root / "doc.bin"
            src.write_bytes(os.urandom(3000))
            s.documents.import_file(case.ref, src)
            out = root / "b.cvbackup"
            write_backup(vault, out, now=dt.datetime(2026, 11, 23, tzinfo=dt.UTC))
            return out.read_bytes()
        finally:
            vault.lock()


def _mutate(raw: bytes, data: st.DataObject) -> bytes:
    kind = data.draw(st.sampled_from(["flip", "truncate", "insert", "splice", "overwrite"]))
    n = len(raw)
    if kind == "flip":
        out = bytearray(raw)
        for _ in range(data.draw(st.integers(1, 4))):
            out[data.draw(st.integers(0, n - 1))] ^= 1 << data.draw(st.integers(0, 7))
        return bytes(out) if out != raw else raw[:-1]
    if kind == "truncate":
        return raw[:data.draw(st.integers(0, n - 1))]
    if kind == "insert":
        at = data.draw(st.integers(0, n))
        return raw[:at] + data.draw(st.binary(min_size=1, max_size=64)) + raw[at:]
    if kind == "splice":  # move a block elsewhere (reordering)
        a = data.draw(st.integers(0, n - 2))
        b = data.draw(st.integers(a + 1, min(n, a + 70_000)))
        block, rest = raw[a:b], raw[:a] + raw[b:]
        at = data.draw(st.integers(0, len(rest)))
        moved = rest[:at] + block + rest[at:]
        return moved if moved != raw else raw[:-1]
    at = data.draw(st.integers(0, n - 1))
    patch = data.draw(st.binary(min_size=1, max_size=32))
    out = raw[:at] + patch + raw[at + len(patch):]
    return out if out != raw else raw[:-1]


@settings(FUZZ, max_examples=FUZZ_CASES["backup"])
@given(data=st.data())
def test_fuzz_backup_reader(data: st.DataObject) -> None:
    bad = _mutate(_backup_bytes(), data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b"
        path.write_bytes(bad)
        with pytest.raises((IntegrityError, UnsupportedFormat)):
            verify_backup(path, Credential(passphrase=STRONG))


@settings(FUZZ, max_examples=300)
@given(raw=st.binary(max_size=4096))
def test_fuzz_backup_reader_random_bytes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "b"
        path.write_bytes(b"CVBK\x01\x00\x00\x00" + raw if raw[:1] == b"\x00" else raw)
        with pytest.raises((IntegrityError, UnsupportedFormat)):
            verify_backup(path, Credential(passphrase=STRONG))


def _valid_keys_json() -> bytes:
    kf, vmk, db_key = keyfile.create_keyfile(STRONG, FAST)
    kf = keyfile.add_recovery_slot(kf, vmk, keyfile.generate_recovery_code())
    vmk.wipe()
    db_key.wipe()
    return json.dumps(kf.to_json(), indent=2).encode()


VALID_KEYS = _valid_keys_json()


def _json_values() -> st.SearchStrategy[object]:
    return st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
        | st.text(max_size=40),
        lambda inner: st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=12), inner, max_size=4),
        max_leaves=12,
    )


@settings(FUZZ, max_examples=FUZZ_CASES["keys"] // 2)
@given(data=st.data())
def test_fuzz_keyfile_loader_bytes(data: st.DataObject) -> None:
    bad = _mutate(VALID_KEYS, data)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vault.keys"
        path.write_bytes(bad)
        try:
            loaded = keyfile.KeyFile.load(path)
        except (KeyFileError, UnsupportedFormat):
            return
        # Some edits leave valid JSON (whitespace, a base64 byte that decodes alike):
        # the key file then must still only unlock as the real one does, or not at all.
        with contextlib.suppress(WrongPassphrase):
            keyfile.unlock_vmk(loaded, STRONG).wipe()


@settings(FUZZ, max_examples=FUZZ_CASES["keys"] // 2)
@given(field=st.sampled_from(["format", "format_version", "vault_id", "created", "slots",
                              "db_epoch", "db_key_current", "db_key_pending", "kind", "salt",
                              "params", "wrapped_vmk"]),
       value=_json_values())
def test_fuzz_keyfile_fields(field: str, value: object) -> None:
    data = json.loads(VALID_KEYS)
    if field in ("kind", "salt", "params", "wrapped_vmk"):
        data["slots"][0][field] = value
    else:
        data[field] = value
    with contextlib.suppress(KeyFileError, UnsupportedFormat):
        keyfile.KeyFile.from_json(data)


DEK = SecretKey(bytes(range(32)))
FILE_ID = bytes(16)
PLAIN = os.urandom(3 * cvf1.SEGMENT + 77)


def _cvf1_bytes() -> bytes:
    out = io.BytesIO()
    cvf1.encrypt_stream(io.BytesIO(PLAIN), out, DEK, case_id="c" * 32, file_id=FILE_ID)
    return out.getvalue()


VALID_CVF1 = _cvf1_bytes()


@settings(FUZZ, max_examples=FUZZ_CASES["cvf1"])
@given(data=st.data())
def test_fuzz_cvf1_reader(data: st.DataObject) -> None:
    bad = _mutate(VALID_CVF1, data)
    with pytest.raises(IntegrityError):
        cvf1.decrypt_to_bytes(bad, DEK, case_id="c" * 32, file_id=FILE_ID)
    got = []
    with pytest.raises(IntegrityError):
        for segment in cvf1.iter_plaintext(bad, DEK, case_id="c" * 32, file_id=FILE_ID):
            got.append(segment)
    assert b"".join(got) != PLAIN


_RECOVERY_MESSAGES = (recovery_code._UNKNOWN_WORD, recovery_code._WRONG_COUNT,
                      recovery_code._BAD_CHECKSUM)


@settings(FUZZ, max_examples=FUZZ_CASES["recovery-code"])
@given(text=st.text(max_size=200))
def test_fuzz_recovery_code_input(text: str) -> None:
    kf = keyfile.KeyFile.from_json(json.loads(VALID_KEYS))
    try:
        keyfile.unlock_vmk_with_recovery(kf, text)
    except (InvalidInput, WrongPassphrase) as exc:
        assert isinstance(exc, VaultError)
        # The input is never echoed back (only the product's own wording may match it).
        own = str(exc) in _RECOVERY_MESSAGES or any(
            str(exc) == m.format(n=n) for m in _RECOVERY_MESSAGES for n in range(1, 40))
        assert len(text.strip()) < 6 or text.strip() not in str(exc) or own
    else:
        pytest.fail("a random text unlocked the vault")
