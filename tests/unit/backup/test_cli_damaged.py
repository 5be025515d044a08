"""The command line on a damaged vault (issue 11): one line naming the way out for commands
that change things, ``status`` and ``verify`` open it read-only and name the latest backup, and
``restore --replace-damaged`` keeps the damaged vault aside and restores in its place."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import STRONG
from tests.unit.backup.damage import corrupt_page, root_pages
from tests.unit.backup.test_cli_backup import _fill
from vault.session import VaultManager


def _damage_the_unlock_path(run, fast_params, clock) -> None:  # type: ignore[no-untyped-def]
    manager = VaultManager(root=run.vault_dir, clock=clock, kdf_params=fast_params)
    session = manager.unlock(STRONG)
    intents = root_pages(session)["intents"]
    manager.lock_all()
    corrupt_page(run.vault_dir / "vault.db", intents)


def test_a_damaged_vault_from_the_command_line(initialised, tmp_path: Path, fast_params,
                                               clock) -> None:
    run = initialised
    _mid, ref = _fill(run, tmp_path)
    drive = tmp_path / "drive"
    drive.mkdir()
    assert run("backup-settings", "--folder", str(drive), "--automatic", "on").code == 0
    assert run("backup", "--automatic").code == 0
    backup = next(drive.iterdir())
    _damage_the_unlock_path(run, fast_params, clock)

    r = run("member", "add", "--name", "Nora New")
    assert r.code == 1 and r.err.count("\n") == 1, r.err
    assert "damaged" in r.err and "--replace-damaged" in r.err

    r = run("status")
    assert r.code == 0, r.err
    assert "DAMAGED — open read-only" in r.out
    assert f"Latest backup: {backup}" in r.out
    assert run("status", "--json").json()["read_only"] is True

    r = run("verify")
    assert "open read-only" in r.out and f"casevault restore {backup}" in r.out

    r = run("restore", str(backup))  # never over a vault without being asked
    assert r.code == 1 and "empty" in r.err
    r = run("restore", str(backup), "--replace-damaged", "--json")
    assert r.code == 0, r.err
    kept = Path(r.json()["damaged_copy"])
    assert kept.parent == run.vault_dir.parent and kept.name.startswith("cli-vault.damaged-")
    assert (kept / "vault.db").exists() and (kept / "vault.keys").exists()
    assert run("verify").code == 0
    names = [m["name"] for m in run("member", "list", "--json").json()]
    assert names == ["Rita Restore"]
    assert len(run("doc", "list", ref, "--json").json()) == 1
