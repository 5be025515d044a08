"""Property tests of the two readers an attacker (or an accident) feeds: the keys file and the
passphrase file. Thousands of generated inputs; only the product's own errors may come out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vault.cli.context import parse_passphrase_file, split_stdin_secrets
from vault.crypto import keyfile
from vault.crypto.kdf import Argon2Params
from vault.errors import InvalidInput, KeyFileError, UnsupportedFormat

PRODUCT_KEYFILE_ERRORS = (KeyFileError, UnsupportedFormat)

json_scalars = (st.none() | st.booleans() | st.integers() | st.integers(min_value=2**63)
                | st.floats(allow_nan=True) | st.text(max_size=16))
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=10,
)


def _valid_keyfile_json() -> dict[str, Any]:
    kf, vmk, db_key = keyfile.create_keyfile("correct horse battery staple orbit",
                                             Argon2Params(1, 8, 1))
    vmk.wipe()
    db_key.wipe()
    return kf.to_json()


VALID = _valid_keyfile_json()
FIELDS = [*VALID.keys()]
SLOT_FIELDS = [*VALID["slots"][0].keys()]
PARAM_FIELDS = [*VALID["slots"][0]["params"].keys()]


def _parse(data: Any) -> None:
    try:
        keyfile.KeyFile.from_json(data)
    except PRODUCT_KEYFILE_ERRORS as exc:
        assert "\n" not in str(exc)


@settings(max_examples=700, deadline=None)
@given(json_values)
def test_any_json_value_is_a_key_file_or_a_key_file_error(data: Any) -> None:
    _parse(data)


@settings(max_examples=700, deadline=None)
@given(st.sampled_from(FIELDS), json_values)
def test_a_valid_key_file_with_one_field_changed(field: str, value: Any) -> None:
    data = json.loads(json.dumps(VALID))
    data[field] = value
    _parse(data)


@settings(max_examples=700, deadline=None)
@given(st.sampled_from(SLOT_FIELDS + [f"params.{f}" for f in PARAM_FIELDS]), json_values)
def test_a_valid_slot_with_one_field_changed(field: str, value: Any) -> None:
    data = json.loads(json.dumps(VALID))
    slot = data["slots"][0]
    if field.startswith("params."):
        slot["params"][field.split(".", 1)[1]] = value
    else:
        slot[field] = value
    _parse(data)


@settings(max_examples=700, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=600) | st.builds(lambda d: json.dumps(d).encode(), json_values)
       | st.builds(lambda b, i: json.dumps(VALID).encode()[:i] + b + json.dumps(VALID).encode()[i:],
                   st.binary(max_size=8), st.integers(0, 600)))
def test_any_bytes_on_disk_load_as_a_key_file_or_a_key_file_error(tmp_path: Path,
                                                                 raw: bytes) -> None:
    path = tmp_path / "vault.keys"
    path.write_bytes(raw)
    try:
        keyfile.KeyFile.load(path)
    except PRODUCT_KEYFILE_ERRORS as exc:
        assert "\n" not in str(exc)


def test_the_valid_key_file_itself_loads() -> None:
    assert keyfile.KeyFile.from_json(json.loads(json.dumps(VALID))).vault_id == VALID["vault_id"]


# -- the passphrase file -------------------------------------------------------------------------


@settings(max_examples=2000, deadline=None)
@given(st.binary(max_size=200))
def test_any_passphrase_file_bytes_give_a_passphrase_or_invalid_input(raw: bytes) -> None:
    try:
        passphrase = parse_passphrase_file(raw)
    except InvalidInput as exc:
        message = str(exc)
        assert "\n" not in message
        # Nothing of the file in the message: every byte sequence we might have quoted.
        for i in range(len(raw) - 2):
            piece = raw[i:i + 3]
            if piece.isalnum():
                assert piece.decode() not in message.replace("passphrase-file", "")
        return
    assert passphrase
    assert "\n" not in passphrase and "\r" not in passphrase
    assert raw in (passphrase.encode(), passphrase.encode() + b"\n",
                   passphrase.encode() + b"\r\n")


single_line = st.text(st.characters(exclude_characters="\r\n", exclude_categories=["Cs"]),
                      min_size=1)


@settings(max_examples=1500, deadline=None)
@given(single_line, st.sampled_from(["", "\n", "\r\n"]))
def test_a_one_line_passphrase_round_trips_exactly(passphrase: str, ending: str) -> None:
    """Whatever the characters (\\f, \\x85, U+2028 …), the file gives back what was written."""
    assert parse_passphrase_file((passphrase + ending).encode("utf-8")) == passphrase


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.text(st.characters(exclude_characters="\r\n", exclude_categories=["Cs"]),
                        max_size=20), min_size=1, max_size=4),
       st.sampled_from(["\n", "\r\n"]))
def test_stdin_passphrases_split_at_newlines_only(lines: list[str], newline: str) -> None:
    assert split_stdin_secrets(newline.join(lines) + newline) == lines


def test_a_passphrase_file_over_64_kib_is_refused() -> None:
    with pytest.raises(InvalidInput):
        parse_passphrase_file(b"x" * (64 * 1024 + 1))
