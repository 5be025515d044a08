"""Finding 8 (places): a vault with loose permissions is repaired with a warning, or refused
where repair is unsafe; ``init`` refuses a non-empty or shared folder instead of chmod-ing it.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.unit.hardening.support import Cli, one_line_error


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def test_a_loosened_vault_is_tightened_with_a_warning(vault_cli: Cli) -> None:
    root = vault_cli.vault_dir
    docs = root / "documents"
    case_dir = next(p for p in docs.iterdir() if p.is_dir())
    cvf = next(case_dir.glob("*.cvf"))
    os.chmod(root, 0o755)
    os.chmod(root / "vault.keys", 0o644)
    os.chmod(root / "vault.db", 0o644)
    os.chmod(docs, 0o777)
    os.chmod(case_dir, 0o755)
    os.chmod(cvf, 0o644)
    r = vault_cli("member", "list")
    assert r.code == 0, r.err
    warnings = [line for line in r.err.splitlines() if line.startswith("warning: ")]
    assert any("vault folder" in w and "0700" in w for w in warnings), r.err
    assert any("vault.keys" in w and "vault.db" in w for w in warnings), r.err
    assert any("document" in w for w in warnings), r.err
    assert _mode(root) == 0o700 and _mode(docs) == 0o700 and _mode(case_dir) == 0o700
    assert _mode(root / "vault.keys") == 0o600 and _mode(root / "vault.db") == 0o600
    assert _mode(cvf) == 0o600
    again = vault_cli("member", "list")
    assert again.code == 0 and "warning" not in again.err


def test_a_vault_folder_others_can_write_is_refused_and_left_alone(vault_cli: Cli) -> None:
    root = vault_cli.vault_dir
    os.chmod(root, 0o777)
    assert "other users" in one_line_error(vault_cli("member", "list"))
    assert _mode(root) == 0o777, "refused, not silently chmod-ed"
    os.chmod(root, 0o700)


@pytest.mark.parametrize("which", ["root", "vault.keys", "vault.db", "documents"])
def test_anything_owned_by_another_user_is_refused(vault_cli: Cli, which: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    root = vault_cli.vault_dir
    target = root if which == "root" else root / which
    real_uid = os.getuid()
    owner = os.stat(target).st_uid
    real_stat, real_lstat = os.stat, os.lstat

    def foreign(st: os.stat_result, path: object) -> os.stat_result:
        if Path(os.fsdecode(path)).absolute() != target.absolute():  # type: ignore[arg-type]
            return st
        fields = list(st)
        fields[stat.ST_UID] = owner + 4242
        return os.stat_result(fields)

    def fake_stat(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        return foreign(real_stat(path, *args, **kwargs), path)

    def fake_lstat(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        return foreign(real_lstat(path, *args, **kwargs), path)

    monkeypatch.setattr(os, "stat", fake_stat)
    monkeypatch.setattr(os, "lstat", fake_lstat)
    assert os.getuid() == real_uid
    line = one_line_error(vault_cli("member", "list"))
    assert "another user" in line


def test_a_link_planted_in_documents_is_refused(vault_cli: Cli, tmp_path: Path) -> None:
    docs = vault_cli.vault_dir / "documents"
    (docs / "planted").symlink_to(tmp_path)
    assert "link" in one_line_error(vault_cli("member", "list"))


# -- init ----------------------------------------------------------------------------------------


def test_init_refuses_a_non_empty_folder_and_changes_nothing(cli: Cli) -> None:
    root = cli.vault_dir
    root.mkdir(mode=0o755)
    os.chmod(root, 0o755)
    (root / "thesis.docx").write_text("somebody's work")
    assert "not empty" in one_line_error(cli("init"))
    assert _mode(root) == 0o755
    assert sorted(os.listdir(root)) == ["thesis.docx"]


@pytest.mark.parametrize("mode", [0o777, 0o1777, 0o770, 0o1700])
def test_init_refuses_a_shared_folder_instead_of_chmod_ing_it(cli: Cli, mode: int) -> None:
    root = cli.vault_dir
    root.mkdir()
    os.chmod(root, mode)
    assert "other users" in one_line_error(cli("init"))
    assert _mode(root) == mode, "the sticky bit or write bits were changed"
    assert os.listdir(root) == []


def test_init_accepts_an_empty_private_folder(cli: Cli) -> None:
    root = cli.vault_dir
    root.mkdir()
    os.chmod(root, 0o750)
    assert cli("init").code == 0
    assert _mode(root) == 0o700


def test_init_creates_a_new_folder_0700_whatever_the_umask(cli: Cli) -> None:
    old = os.umask(0o022)
    try:
        assert cli("init").code == 0
    finally:
        os.umask(old)
    assert _mode(cli.vault_dir) == 0o700
    assert _mode(cli.vault_dir / "vault.keys") == 0o600
