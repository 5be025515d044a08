"""Every kind of damage to a backup file is the one IntegrityError, found without restoring."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from tests.conftest import STRONG
from vault.backup.reader import Credential, restore_backup, verify_backup
from vault.backup.writer import write_backup
from vault.crypto import backup_stream, cvf1
from vault.errors import IntegrityError, NotFound, UnsupportedFormat

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
FRAME = cvf1.FRAME
OK = Credential(passphrase=STRONG)


@pytest.fixture
def backup(session, populated, tmp_path: Path) -> Path:
    out = tmp_path / "b.cvbackup"
    write_backup(session.vault, out, now=NOW)
    return out


def _payload_start(raw: bytes) -> int:
    keys_len = int.from_bytes(raw[24:28], "big")
    return 28 + keys_len + 32


def _damaged(raw: bytes, how: str) -> bytes:
    start = _payload_start(raw)
    body = start + cvf1.HEADER_LEN
    if how == "truncate-prefix":
        return raw[:start - 5]
    if how == "truncate-header":
        return raw[:start + 10]
    if how == "truncate-at-segment":
        return raw[:body + FRAME]
    if how == "truncate-last-byte":
        return raw[:-1]
    if how == "append":
        return raw + b"\x00"
    if how == "swap-segments":
        a, b = body, body + FRAME
        return raw[:a] + raw[b:b + FRAME] + raw[a:a + FRAME] + raw[b + FRAME:]
    if how == "drop-segment":
        return raw[:body + FRAME] + raw[body + 2 * FRAME:]
    flip_at = {"flip-magic": 0, "flip-backup-id": 10, "flip-keys": 40,
               "flip-prefix-hash": start - 1, "flip-cvf-header": start + 20,
               "flip-first-segment": body + 5, "flip-middle": (body + len(raw)) // 2,
               "flip-last-tag": len(raw) - 1}[how]
    out = bytearray(raw)
    out[flip_at] ^= 0x01
    return bytes(out)


HOWS = ["truncate-prefix", "truncate-header", "truncate-at-segment", "truncate-last-byte",
        "append", "swap-segments", "drop-segment", "flip-magic", "flip-backup-id", "flip-keys",
        "flip-prefix-hash", "flip-cvf-header", "flip-first-segment", "flip-middle",
        "flip-last-tag"]


@pytest.mark.parametrize("how", HOWS)
def test_damage_is_one_integrity_error(backup: Path, tmp_path: Path, how: str) -> None:
    raw = backup.read_bytes()
    assert len(raw) > _payload_start(raw) + 4 * FRAME  # the cases below need a few segments
    bad = tmp_path / "bad.cvbackup"
    bad.write_bytes(_damaged(raw, how))
    with pytest.raises(IntegrityError) as info:
        verify_backup(bad, OK)
    assert str(info.value) == backup_stream.DAMAGED
    target = tmp_path / "restore-here"
    with pytest.raises(IntegrityError):
        restore_backup(bad, target, OK)
    assert not target.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".restore-")]


def test_a_newer_version_is_named(backup: Path, tmp_path: Path) -> None:
    raw = bytearray(backup.read_bytes())
    raw[4] = 2
    bad = tmp_path / "new.cvbackup"
    bad.write_bytes(bytes(raw))
    with pytest.raises(UnsupportedFormat):
        verify_backup(bad, OK)


def test_not_a_backup(tmp_path: Path) -> None:
    junk = tmp_path / "junk"
    junk.write_bytes(os.urandom(5000))
    with pytest.raises(IntegrityError):
        verify_backup(junk, OK)
    with pytest.raises(NotFound):
        verify_backup(tmp_path / "missing", OK)


def test_a_backup_of_another_vault_spliced_on_is_refused(session, backup: Path, tmp_path: Path,
                                                         fast_params) -> None:
    # The prefix of one backup with the payload of another: the key changes, nothing opens.
    other = tmp_path / "b2.cvbackup"
    write_backup(session.vault, other, now=NOW)
    a, b = backup.read_bytes(), other.read_bytes()
    spliced = tmp_path / "spliced"
    spliced.write_bytes(a[:_payload_start(a)] + b[_payload_start(b):])
    with pytest.raises(IntegrityError):
        verify_backup(spliced, OK)
