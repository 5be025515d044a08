"""Finding 10: a hostile keys file cannot demand huge Argon2id work, and the
``vault.db.before-vN`` migration copies do not outlive the migrated database's check.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from tests.unit.hardening.support import Cli, one_line_error


def _set_params(cli: Cli, **params: int) -> None:
    path = cli.vault_dir / "vault.keys"
    data = json.loads(path.read_text())
    data["slots"][0]["params"].update(params)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize("params", [{"time_cost": 17}, {"lanes": 17, "memory_kib": 8 * 17},
                                    {"time_cost": 64, "memory_kib": 8 * 64, "lanes": 64}])
def test_a_keys_file_demanding_more_argon2_work_than_the_caps_is_refused(
        vault_cli: Cli, params: dict[str, int]) -> None:
    _set_params(vault_cli, **params)
    start = time.monotonic()
    line = one_line_error(vault_cli("member", "list"))
    assert "key file" in line and "damaged" in line
    # Kept cheap on purpose: a regression must not make this test allocate gigabytes on a
    # shared machine. The memory cap is checked by the parser test below, with no derivation.
    assert time.monotonic() - start < 10, "the KDF ran with the hostile parameters"


def test_the_caps_themselves_are_accepted_by_the_parser(fast_params) -> None:  # type: ignore[no-untyped-def]
    from vault.crypto import keyfile
    from vault.crypto.kdf import Argon2Params

    kf, vmk, db_key = keyfile.create_keyfile("correct horse battery staple orbit", fast_params)
    vmk.wipe()
    db_key.wipe()
    data = kf.to_json()
    data["slots"][0]["params"] = Argon2Params(16, 2 * 1024 * 1024, 16).to_dict()
    assert keyfile.KeyFile.from_json(data).slots[0].params == Argon2Params(16, 2097152, 16)
    data["slots"][0]["params"] = Argon2Params(16, 2 * 1024 * 1024 + 1, 16).to_dict()
    from vault.errors import KeyFileError

    with pytest.raises(KeyFileError):
        keyfile.KeyFile.from_json(data)


def _latest() -> int:
    from vault.store import db as dbmod

    return len(dbmod.load_migrations())


def _older_schema(monkeypatch: pytest.MonkeyPatch, keep: int) -> None:
    from vault.store import db as dbmod

    real = dbmod.load_migrations
    monkeypatch.setattr(dbmod, "load_migrations", lambda: real()[:keep])


def test_the_migration_copy_is_removed_once_the_migrated_database_verifies(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as m:
        # A vault made by the previous version. (The current code expects the tables of the
        # latest migrations once a session starts, so the one before is as far back as the CLI
        # can make a vault; older schemas are migrated the same way.)
        _older_schema(m, _latest() - 1)
        assert cli("init").code == 0
        assert cli("member", "add", "--name", "Jo Bloggs").code == 0
    copies = lambda: sorted(p.name for p in cli.vault_dir.glob("vault.db.before-v*"))  # noqa: E731
    assert copies() == []
    r = cli("member", "list", "--json")  # this version migrates to the latest schema
    assert r.code == 0, r.err
    assert [m["id"] for m in r.json()] == ["M-0001"]
    assert copies() == [], "the old copy outlives the migration (and would outlive an erase)"


def test_a_copy_left_by_a_crash_after_migrating_goes_at_the_next_open(vault_cli: Cli) -> None:
    stale = vault_cli.vault_dir / "vault.db.before-v3"
    stale.write_bytes((vault_cli.vault_dir / "vault.db").read_bytes())
    stale.chmod(0o600)
    assert vault_cli("member", "list").code == 0
    assert not stale.exists()


def test_a_copy_is_kept_when_the_migrated_database_does_not_verify(
        cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    from vault.store import db as dbmod

    with monkeypatch.context() as m:
        _older_schema(m, _latest() - 1)
        assert cli("init").code == 0
    monkeypatch.setattr(dbmod.Database, "integrity_check", lambda self: ["page 7 is bad"])
    assert cli("member", "list").code == 0
    assert [p.name for p in Path(cli.vault_dir).glob("vault.db.before-v*")] == [
        f"vault.db.before-v{_latest()}"]
