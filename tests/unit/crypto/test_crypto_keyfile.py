"""vault.keys: slots, the wrapped DB key and its two-phase rotation, case keys, atomic saves."""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from mnemonic import Mnemonic

from vault.crypto import keyfile as kf
from vault.crypto.kdf import ARGON2_FLOOR, Argon2Params
from vault.crypto.keyfile import KeyFile
from vault.crypto.secret import SecretKey
from vault.errors import (
    IntegrityError,
    InvalidInput,
    KeyFileError,
    StorageError,
    UnsupportedFormat,
    WrongPassphrase,
)

PASSPHRASE = "correct horse battery staple orbit"
NEW_PASSPHRASE = "violet lantern across frozen harbour"


@pytest.fixture
def created(fast: Argon2Params) -> tuple[KeyFile, SecretKey, SecretKey]:
    return kf.create_keyfile(PASSPHRASE, fast)


def _saved(tmp_path: Path, keyfile: KeyFile) -> Path:
    path = tmp_path / "vault.keys"
    keyfile.save(path)
    return path


# -- creation and unlocking ----------------------------------------------------------------


def test_create_then_unlock_gives_the_same_keys(created: Any) -> None:
    keyfile, vmk, db_key = created
    assert keyfile.format_version == kf.FORMAT_VERSION == 1
    assert re.fullmatch(r"[0-9a-f]{32}", keyfile.vault_id)
    assert [s.kind for s in keyfile.slots] == ["passphrase"]
    assert keyfile.db_epoch == 0 and keyfile.db_key_pending is None
    assert vmk.raw() != db_key.raw()
    unlocked = kf.unlock_vmk(keyfile, PASSPHRASE)
    assert unlocked.raw() == vmk.raw()
    assert kf.unwrap_db_key(keyfile, unlocked).raw() == db_key.raw()


def test_created_time_is_iso_utc(fast: Argon2Params) -> None:
    when = dt.datetime(2026, 11, 23, 10, 0, 5, tzinfo=dt.UTC)
    keyfile, _, _ = kf.create_keyfile(PASSPHRASE, fast, created=when)
    assert keyfile.created == "2026-11-23T10:00:05+00:00"


def test_wrong_passphrase(created: Any) -> None:
    keyfile, _, _ = created
    for wrong in (NEW_PASSPHRASE, PASSPHRASE + " ", PASSPHRASE.upper(), ""):
        with pytest.raises(WrongPassphrase):
            kf.unlock_vmk(keyfile, wrong)


def test_unlock_is_nfc_insensitive(fast: Argon2Params) -> None:
    import unicodedata

    passphrase = "grève générale à Lyon demain"
    keyfile, vmk, _ = kf.create_keyfile(unicodedata.normalize("NFD", passphrase), fast)
    assert kf.unlock_vmk(keyfile, unicodedata.normalize("NFC", passphrase)).raw() == vmk.raw()


def test_slot_from_another_vault_does_not_open(fast: Argon2Params) -> None:
    a, _, _ = kf.create_keyfile(PASSPHRASE, fast)
    b, _, _ = kf.create_keyfile(PASSPHRASE, fast)
    # Same passphrase, but the slot's AAD names vault a: moved into vault b it fails.
    moved = replace(b, slots=[replace(b.slots[0], salt=a.slots[0].salt,
                                      wrapped_vmk=a.slots[0].wrapped_vmk)])
    with pytest.raises(WrongPassphrase):
        kf.unlock_vmk(moved, PASSPHRASE)


# -- save and load -------------------------------------------------------------------------


def test_save_load_round_trip(tmp_path: Path, created: Any) -> None:
    keyfile, _, _ = created
    path = _saved(tmp_path, keyfile)
    assert KeyFile.load(path) == keyfile
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["vault.keys"]


def test_json_layout(tmp_path: Path, created: Any) -> None:
    keyfile, _, _ = created
    data = json.loads(_saved(tmp_path, keyfile).read_text("utf-8"))
    assert set(data) == {"format", "format_version", "vault_id", "created", "slots",
                         "db_epoch", "db_key_current", "db_key_pending"}
    assert data["format"] == "casevault-keys"
    assert data["format_version"] == 1
    assert data["db_key_pending"] is None
    slot = data["slots"][0]
    assert slot["kind"] == "passphrase"
    assert slot["params"] == {"algorithm": "argon2id", "time_cost": 1, "memory_kib": 8,
                              "lanes": 1}
    assert len(base64.b64decode(slot["salt"], validate=True)) == 16
    assert len(base64.b64decode(slot["wrapped_vmk"], validate=True)) == 61
    assert len(base64.b64decode(data["db_key_current"], validate=True)) == 61


def test_save_replaces_an_existing_file(tmp_path: Path, created: Any) -> None:
    keyfile, vmk, _ = created
    path = _saved(tmp_path, keyfile)
    staged = kf.stage_db_key(keyfile, vmk, SecretKey.generate())
    staged.save(path)
    assert KeyFile.load(path) == staged
    assert [p.name for p in tmp_path.iterdir()] == ["vault.keys"]


def test_failed_save_leaves_the_old_file_and_no_temp(
    tmp_path: Path, created: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyfile, vmk, _ = created
    path = _saved(tmp_path, keyfile)
    before = path.read_bytes()

    def refuse(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kf.os, "replace", refuse)
    with pytest.raises(StorageError):
        kf.stage_db_key(keyfile, vmk, SecretKey.generate()).save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["vault.keys"]


def test_save_into_a_missing_folder_is_a_storage_error(tmp_path: Path, created: Any) -> None:
    keyfile, _, _ = created
    with pytest.raises(StorageError):
        keyfile.save(tmp_path / "absent" / "vault.keys")


def test_an_invalid_key_file_is_never_saved(tmp_path: Path, created: Any) -> None:
    keyfile, _, _ = created
    path = tmp_path / "vault.keys"
    with pytest.raises(ValueError):
        replace(keyfile, vault_id="not-hex").save(path)
    with pytest.raises(ValueError):
        replace(keyfile, slots=[]).save(path)
    assert not path.exists()


def test_missing_file_says_missing(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="missing"):
        KeyFile.load(tmp_path / "vault.keys")


def test_directory_instead_of_file_is_damaged(tmp_path: Path) -> None:
    (tmp_path / "vault.keys").mkdir()
    with pytest.raises(KeyFileError):
        KeyFile.load(tmp_path / "vault.keys")


def _mutations() -> dict[str, Any]:
    def set_(key: str, value: Any) -> Any:
        return lambda d: d.__setitem__(key, value)

    def slot(key: str, value: Any) -> Any:
        return lambda d: d["slots"][0].__setitem__(key, value)

    def drop(key: str) -> Any:
        return lambda d: d.pop(key)

    return {
        "no-marker": drop("format"),
        "wrong-marker": set_("format", "something-else"),
        "version-zero": set_("format_version", 0),
        "version-string": set_("format_version", "1"),
        "version-bool": set_("format_version", True),
        "bad-vault-id": set_("vault_id", "XYZ"),
        "bad-created": set_("created", "yesterday"),
        "negative-epoch": set_("db_epoch", -1),
        "bad-base64": set_("db_key_current", "!!!"),
        "short-db-key": set_("db_key_current", base64.b64encode(b"x" * 60).decode()),
        "pending-number": set_("db_key_pending", 5),
        "no-slots": set_("slots", []),
        "slots-not-list": set_("slots", {"kind": "passphrase"}),
        "unknown-kind": slot("kind", "fingerprint"),
        "short-salt": slot("salt", base64.b64encode(b"s" * 8).decode()),
        "no-params": slot("params", None),
        "bad-params": slot("params", {"algorithm": "argon2id", "time_cost": 0,
                                      "memory_kib": 8, "lanes": 1}),
        "short-wrapped": slot("wrapped_vmk", base64.b64encode(b"w" * 10).decode()),
        "two-passphrase-slots": lambda d: d["slots"].append(dict(d["slots"][0])),
        "missing-field": drop("db_epoch"),
    }


@pytest.mark.parametrize("name", sorted(_mutations()))
def test_damaged_file_is_refused_and_left_alone(tmp_path: Path, created: Any, name: str) -> None:
    keyfile, _, _ = created
    data = keyfile.to_json()
    _mutations()[name](data)
    path = tmp_path / "vault.keys"
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    with pytest.raises(KeyFileError, match="damaged"):
        KeyFile.load(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b"null", b"\xff\xfe", b"x" * 2_000_000])
def test_unparsable_file_is_damaged(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "vault.keys"
    path.write_bytes(raw)
    with pytest.raises(KeyFileError, match="damaged"):
        KeyFile.load(path)
    assert path.read_bytes() == raw


def test_newer_format_version_is_unsupported(tmp_path: Path, created: Any) -> None:
    keyfile, _, _ = created
    data = keyfile.to_json()
    data["format_version"] = 2
    data["slots"] = "whatever a future version stores"
    path = tmp_path / "vault.keys"
    path.write_text(json.dumps(data))
    with pytest.raises(UnsupportedFormat):
        KeyFile.load(path)


# -- passphrase change and upgrade ---------------------------------------------------------


def test_rewrap_keeps_vmk_db_key_and_other_slots(created: Any, fast: Argon2Params) -> None:
    keyfile, vmk, db_key = created
    code = kf.generate_recovery_code()
    keyfile = kf.add_recovery_slot(keyfile, vmk, code)
    new_params = Argon2Params(2, 16, 1)
    rewrapped = kf.rewrap_passphrase(keyfile, vmk, NEW_PASSPHRASE, new_params)
    with pytest.raises(WrongPassphrase):
        kf.unlock_vmk(rewrapped, PASSPHRASE)
    vmk2 = kf.unlock_vmk(rewrapped, NEW_PASSPHRASE)
    assert vmk2.raw() == vmk.raw()
    assert kf.unwrap_db_key(rewrapped, vmk2).raw() == db_key.raw()
    assert rewrapped.db_key_current == keyfile.db_key_current
    assert rewrapped.slots[0].salt != keyfile.slots[0].salt
    assert rewrapped.slots[0].params == new_params
    assert [s.kind for s in rewrapped.slots] == ["passphrase", "recovery"]
    assert kf.unlock_vmk_with_recovery(rewrapped, code).raw() == vmk.raw()
    # The input is never modified.
    assert kf.unlock_vmk(keyfile, PASSPHRASE).raw() == vmk.raw()


def test_rewrap_refuses_a_foreign_vmk(created: Any, fast: Argon2Params) -> None:
    keyfile, _, _ = created
    with pytest.raises(ValueError):
        kf.rewrap_passphrase(keyfile, SecretKey.generate(), NEW_PASSPHRASE, fast)


def test_needs_upgrade_follows_the_floor(created: Any) -> None:
    keyfile, _, _ = created
    assert kf.needs_upgrade(keyfile)
    at_floor = replace(keyfile, slots=[replace(keyfile.slots[0], params=ARGON2_FLOOR)])
    assert not kf.needs_upgrade(at_floor)
    above = replace(keyfile, slots=[replace(keyfile.slots[0],
                                            params=Argon2Params(3, 262144, 4))])
    assert not kf.needs_upgrade(above)


# -- two-phase DB key rotation -------------------------------------------------------------


def test_stage_then_promote(tmp_path: Path, created: Any) -> None:
    keyfile, vmk, old_key = created
    new_key = SecretKey.generate()
    staged = kf.stage_db_key(keyfile, vmk, new_key)
    assert staged.db_epoch == keyfile.db_epoch
    assert staged.db_key_current == keyfile.db_key_current
    assert kf.unwrap_db_key(staged, vmk).raw() == old_key.raw()
    assert kf.unwrap_db_key(staged, vmk, pending=True).raw() == new_key.raw()
    # A crash after saving the stage: both keys are still reachable after a reload.
    path = _saved(tmp_path, staged)
    reloaded = KeyFile.load(path)
    assert kf.unwrap_db_key(reloaded, vmk).raw() == old_key.raw()
    assert kf.unwrap_db_key(reloaded, vmk, pending=True).raw() == new_key.raw()
    promoted = kf.promote_pending(reloaded)
    assert promoted.db_epoch == keyfile.db_epoch + 1
    assert promoted.db_key_pending is None
    assert kf.unwrap_db_key(promoted, vmk).raw() == new_key.raw()
    # The next rotation goes to epoch 2.
    third = SecretKey.generate()
    again = kf.promote_pending(kf.stage_db_key(promoted, vmk, third))
    assert again.db_epoch == 2
    assert kf.unwrap_db_key(again, vmk).raw() == third.raw()


def test_pending_requires_a_stage(created: Any) -> None:
    keyfile, vmk, _ = created
    with pytest.raises(KeyFileError):
        kf.unwrap_db_key(keyfile, vmk, pending=True)
    with pytest.raises(ValueError):
        kf.promote_pending(keyfile)


def test_db_key_is_bound_to_its_epoch_and_vault(created: Any, fast: Argon2Params) -> None:
    keyfile, vmk, _ = created
    staged = kf.stage_db_key(keyfile, vmk, SecretKey.generate())
    # A pending blob moved to current without the epoch step does not open.
    assert staged.db_key_pending is not None
    misplaced = replace(staged, db_key_current=staged.db_key_pending, db_key_pending=None)
    with pytest.raises(KeyFileError, match="damaged"):
        kf.unwrap_db_key(misplaced, vmk)
    other, other_vmk, _ = kf.create_keyfile(PASSPHRASE, fast)
    transplanted = replace(other, db_key_current=keyfile.db_key_current)
    with pytest.raises(KeyFileError):
        kf.unwrap_db_key(transplanted, other_vmk)


def test_stage_refuses_a_foreign_vmk(created: Any) -> None:
    keyfile, _, _ = created
    with pytest.raises(ValueError):
        kf.stage_db_key(keyfile, SecretKey.generate(), SecretKey.generate())


# -- case keys and the trail key -----------------------------------------------------------


def test_case_key_round_trip_and_binding(created: Any) -> None:
    _, vmk, _ = created
    dek = SecretKey.generate()
    blob = kf.wrap_case_key(vmk, "case-0001", dek)
    assert kf.unwrap_case_key(vmk, "case-0001", blob).raw() == dek.raw()
    with pytest.raises(IntegrityError):
        kf.unwrap_case_key(vmk, "case-0002", blob)
    with pytest.raises(IntegrityError):
        kf.unwrap_case_key(SecretKey.generate(), "case-0001", blob)
    with pytest.raises(ValueError):
        kf.wrap_case_key(vmk, "", dek)


def test_trail_key_is_hkdf_of_the_vmk(created: Any) -> None:
    _, vmk, _ = created
    expected = HKDF(hashes.SHA256(), 32, None, b"casevault/v1/trail").derive(vmk.raw())
    trail = kf.trail_key(vmk)
    assert trail.raw() == expected
    assert trail.raw() != vmk.raw()


def test_aad_constructions_are_frozen() -> None:
    vault_id = "0123456789abcdef0123456789abcdef"
    assert kf.slot_aad("passphrase", vault_id) == b"slotpassphrase" + vault_id.encode()
    assert kf.slot_aad("os-keyring", vault_id) == b"slotos-keyring" + vault_id.encode()
    assert kf.dbkey_aad(vault_id, 1) == b"dbkey" + vault_id.encode() + b"\0" * 7 + b"\1"
    assert kf.case_aad("café-1") == b"case" + "café-1".encode()


# -- recovery code and OS-keyring slots ----------------------------------------------------


def test_recovery_code_format() -> None:
    code = kf.generate_recovery_code()
    assert re.fullmatch(r"([a-z]{3,8} ){14}[a-z]{3,8}", code)
    assert kf.generate_recovery_code() != code


def test_recovery_slot_unlocks_and_tolerates_typing(tmp_path: Path, created: Any) -> None:
    keyfile, vmk, _ = created
    code = kf.generate_recovery_code()
    keyfile = kf.add_recovery_slot(keyfile, vmk, code)
    reloaded = KeyFile.load(_saved(tmp_path, keyfile))
    assert reloaded.slots[1].params is None
    words = code.split()
    sloppy = "  ".join(f"{n}. {w[:4].upper()}" for n, w in enumerate(words, start=1))
    for typed in (code, code.upper(), ",".join(words), sloppy):
        assert kf.unlock_vmk_with_recovery(reloaded, typed).raw() == vmk.raw()
    # The passphrase still works alongside.
    assert kf.unlock_vmk(reloaded, PASSPHRASE).raw() == vmk.raw()


def test_wrong_or_malformed_recovery_code(created: Any) -> None:
    keyfile, vmk, _ = created
    with pytest.raises(WrongPassphrase):
        kf.unlock_vmk_with_recovery(keyfile, kf.generate_recovery_code())  # no slot yet
    keyfile = kf.add_recovery_slot(keyfile, vmk, kf.generate_recovery_code())
    with pytest.raises(WrongPassphrase, match="recovery code"):
        kf.unlock_vmk_with_recovery(keyfile, kf.generate_recovery_code())
    words = kf.generate_recovery_code().split()
    swapped = " ".join([words[1], words[0], *words[2:]]) if words[0] != words[1] else ""
    for bad in ("", "ABCD-EFGH", " ".join(words[:14]), " ".join([*words[:14], "zzzz"]),
                swapped):
        with pytest.raises(InvalidInput):
            kf.unlock_vmk_with_recovery(keyfile, bad)


def test_new_recovery_code_replaces_the_old_one(created: Any) -> None:
    keyfile, vmk, _ = created
    first, second = kf.generate_recovery_code(), kf.generate_recovery_code()
    keyfile = kf.add_recovery_slot(kf.add_recovery_slot(keyfile, vmk, first), vmk, second)
    assert [s.kind for s in keyfile.slots].count("recovery") == 1
    with pytest.raises(WrongPassphrase):
        kf.unlock_vmk_with_recovery(keyfile, first)
    assert kf.unlock_vmk_with_recovery(keyfile, second).raw() == vmk.raw()


def test_keyring_slot_and_slot_removal(created: Any) -> None:
    keyfile, vmk, _ = created
    secret = SecretKey.generate()
    with_keyring = kf.add_keyring_slot(keyfile, vmk, secret)
    assert kf.has_slot(with_keyring, "os-keyring")
    assert kf.unlock_vmk_with_keyring(with_keyring, secret).raw() == vmk.raw()
    with pytest.raises(WrongPassphrase):
        kf.unlock_vmk_with_keyring(with_keyring, SecretKey.generate())
    removed = kf.remove_slot(with_keyring, "os-keyring")
    assert not kf.has_slot(removed, "os-keyring")
    with pytest.raises(WrongPassphrase):
        kf.unlock_vmk_with_keyring(removed, secret)
    with pytest.raises(ValueError):
        kf.remove_slot(removed, "passphrase")


def test_slot_kinds_cannot_stand_in_for_each_other(created: Any) -> None:
    keyfile, vmk, _ = created
    secret = SecretKey.generate()
    with_keyring = kf.add_keyring_slot(keyfile, vmk, secret)
    # Relabel the keyring slot as a recovery slot: its AAD names os-keyring, so it fails.
    relabelled = replace(with_keyring, slots=[with_keyring.slots[0],
                                              replace(with_keyring.slots[1], kind="recovery")])
    code = Mnemonic("english").to_mnemonic(secret.raw()[:20])
    with pytest.raises(WrongPassphrase):
        kf.unlock_vmk_with_recovery(relabelled, code)


def test_save_file_mode_even_with_a_loose_umask(tmp_path: Path, created: Any) -> None:
    keyfile, _, _ = created
    old = os.umask(0)
    try:
        path = _saved(tmp_path, keyfile)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
