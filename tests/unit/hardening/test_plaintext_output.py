"""Finding 4 (and the last point of 8): every plaintext write goes through one safe helper.

Attacks from issue 8, on a real vault folder: another user of a shared folder plants the old
predictable temp name ``.<name>.casevault-part`` as a symlink (the plaintext would overwrite
any file the rep can write) or as their own 0666 file (they would keep a readable copy); a
folder other users can change; an output path inside the vault folder.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.unit.hardening.support import Cli, one_line_error
from vault.errors import InvalidInput, RefusedAction, StorageError

PLAINTEXT = b"CANARY-PLAINTEXT the member's letter"


def _private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700)
    os.chmod(path, 0o700)
    return path


def test_doc_get_does_not_follow_a_symlink_planted_at_the_old_temp_name(
        vault_cli: Cli, tmp_path: Path) -> None:
    out_dir = _private_dir(tmp_path / "out")
    victim = tmp_path / "victim.txt"
    victim.write_text("the rep's other file")
    (out_dir / ".copy.txt.casevault-part").symlink_to(victim)
    r = vault_cli("doc", "get", vault_cli.ref, vault_cli.doc, "--out", str(out_dir / "copy.txt"))
    assert r.code == 0, r.err
    assert victim.read_text() == "the rep's other file"
    assert (out_dir / "copy.txt").read_bytes() == PLAINTEXT
    assert stat.S_IMODE((out_dir / "copy.txt").stat().st_mode) == 0o600


def test_doc_get_does_not_reuse_a_file_planted_at_the_old_temp_name(
        vault_cli: Cli, tmp_path: Path) -> None:
    out_dir = _private_dir(tmp_path / "out")
    planted = out_dir / ".copy.txt.casevault-part"
    planted.write_bytes(b"")
    os.chmod(planted, 0o666)
    r = vault_cli("doc", "get", vault_cli.ref, vault_cli.doc, "--out", str(out_dir / "copy.txt"))
    assert r.code == 0, r.err
    assert planted.read_bytes() == b"", "the plaintext went into the attacker's file"
    assert stat.S_IMODE((out_dir / "copy.txt").stat().st_mode) == 0o600


def test_a_planted_link_at_the_random_temp_name_is_never_followed(
        vault_cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a plant that guessed the random name is refused (O_EXCL|O_NOFOLLOW), not used."""
    from vault.store import safe_output

    out_dir = _private_dir(tmp_path / "out")
    victim = tmp_path / "victim.txt"
    victim.write_text("the rep's other file")
    monkeypatch.setattr(safe_output.secrets, "token_hex", lambda n: "guessed")
    (out_dir / ".casevault-guessed.part").symlink_to(victim)
    r = vault_cli("doc", "get", vault_cli.ref, vault_cli.doc, "--out", str(out_dir / "copy.txt"))
    one_line_error(r)
    assert victim.read_text() == "the rep's other file"
    assert not (out_dir / "copy.txt").exists()
    assert (out_dir / ".casevault-guessed.part").is_symlink(), "the plant is left for the rep"


def test_doc_get_refuses_a_folder_other_users_can_write_unless_the_rep_insists(
        vault_cli: Cli, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    out = shared / "copy.txt"
    line = one_line_error(vault_cli("doc", "get", vault_cli.ref, vault_cli.doc, "--out", str(out)))
    assert "other users" in line and "--allow-shared-folder" in line
    assert os.listdir(shared) == []
    r = vault_cli("doc", "get", vault_cli.ref, vault_cli.doc, "--out", str(out),
                  "--allow-shared-folder")
    assert r.code == 0, r.err
    assert out.read_bytes() == PLAINTEXT and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert os.listdir(shared) == ["copy.txt"]


def test_a_sticky_world_writable_folder_like_tmp_is_shared_too(vault_cli: Cli,
                                                               tmp_path: Path) -> None:
    sticky = tmp_path / "tmp-like"
    sticky.mkdir()
    os.chmod(sticky, 0o1777)
    one_line_error(vault_cli("doc", "get", vault_cli.ref, vault_cli.doc,
                             "--out", str(sticky / "copy.txt")))
    assert os.listdir(sticky) == []


@pytest.mark.parametrize("where", ["root", "documents", "root-via-symlink"])
def test_doc_get_refuses_any_output_path_inside_the_vault(vault_cli: Cli, tmp_path: Path,
                                                          where: str) -> None:
    root = vault_cli.vault_dir
    if where == "root":
        out = root / "copy.txt"
    elif where == "documents":
        out = root / "documents" / "copy.txt"
    else:
        link = tmp_path / "innocent-looking"
        link.symlink_to(root)
        out = link / "copy.txt"
    line = one_line_error(vault_cli("doc", "get", vault_cli.ref, vault_cli.doc, "--out", str(out)))
    assert "inside the vault" in line
    leftovers = [p for p in root.rglob("*") if PLAINTEXT in _bytes(p)]
    assert leftovers == []
    assert not out.exists()


def _bytes(path: Path) -> bytes:
    return path.read_bytes() if path.is_file() and not path.is_symlink() else b""


def test_follow_up_pdf_and_training_record_use_the_same_rules(vault_cli: Cli,
                                                              tmp_path: Path) -> None:
    ref = vault_cli.ref
    oral = vault_cli.ok("log", "add", ref, "--kind", "oral-advice", "--text",
                        "Ask for it in writing", "--channel", "meeting")
    inside = vault_cli.vault_dir / "note.pdf"
    assert "inside the vault" in one_line_error(
        vault_cli("followup", "draft", str(oral["id"]), "--pdf", str(inside)))
    assert not inside.exists()
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    one_line_error(vault_cli("followup", "draft", str(oral["id"]), "--pdf",
                             str(shared / "note.pdf")))
    assert vault_cli("training", "union", "ucu").code == 0
    one_line_error(vault_cli("training", "print", "--out", str(shared / "record.pdf")))
    assert "inside the vault" in one_line_error(
        vault_cli("training", "print", "--out", str(vault_cli.vault_dir / "record.pdf")))
    assert os.listdir(shared) == []
    private = _private_dir(tmp_path / "private")
    assert vault_cli("followup", "draft", str(oral["id"]), "--pdf",
                     str(private / "note.pdf")).code == 0
    assert vault_cli("training", "print", "--out", str(private / "record.pdf")).code == 0
    for name in ("note.pdf", "record.pdf"):
        path = private / name
        assert path.read_bytes().startswith(b"%PDF")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(os.listdir(private)) == ["note.pdf", "record.pdf"]


def test_a_failed_copy_leaves_nothing_behind(vault_cli: Cli, tmp_path: Path) -> None:
    cvf = next((vault_cli.vault_dir / "documents").rglob("*.cvf"))
    data = bytearray(cvf.read_bytes())
    data[-1] ^= 0x01
    os.chmod(cvf, 0o600)
    cvf.write_bytes(bytes(data))
    out_dir = _private_dir(tmp_path / "out")
    one_line_error(vault_cli("doc", "get", vault_cli.ref, vault_cli.doc,
                             "--out", str(out_dir / "copy.txt")))
    assert os.listdir(out_dir) == []


# -- the helper itself (imported here, so the attack tests above run against any version) ----


def test_the_helper_removes_its_temp_file_on_any_error(tmp_path: Path) -> None:
    from vault.store.safe_output import private_output

    folder = _private_dir(tmp_path / "out")
    with pytest.raises(RuntimeError), private_output(folder / "x.bin") as fh:
        fh.write(b"half")
        raise RuntimeError("decryption failed half-way")
    assert os.listdir(folder) == []


def test_the_helper_writes_0600_whatever_the_umask(tmp_path: Path) -> None:
    from vault.store.safe_output import write_private_output

    folder = _private_dir(tmp_path / "out")
    old = os.umask(0)
    try:
        write_private_output(folder / "x.bin", b"data")
    finally:
        os.umask(old)
    assert stat.S_IMODE((folder / "x.bin").stat().st_mode) == 0o600


def test_the_helper_refusals(tmp_path: Path) -> None:
    from vault.store.safe_output import SharedOutputFolder, write_private_output

    folder = _private_dir(tmp_path / "out")
    (folder / "exists.bin").write_bytes(b"keep")
    with pytest.raises(InvalidInput):
        write_private_output(folder / "exists.bin", b"new", overwrite=False)
    assert (folder / "exists.bin").read_bytes() == b"keep"
    write_private_output(folder / "exists.bin", b"new", overwrite=True)
    assert (folder / "exists.bin").read_bytes() == b"new"
    (folder / "sub").mkdir()
    with pytest.raises(InvalidInput):
        write_private_output(folder / "sub", b"x")
    (folder / "link").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(InvalidInput):
        write_private_output(folder / "link", b"x")
    assert not (tmp_path / "elsewhere").exists()
    with pytest.raises(InvalidInput):
        write_private_output(tmp_path / "missing" / "x.bin", b"x")
    with pytest.raises(RefusedAction):
        write_private_output(folder / "x.bin", b"x", vault_root=folder)
    os.chmod(folder, 0o703)
    with pytest.raises(SharedOutputFolder):
        write_private_output(folder / "x.bin", b"x")
    assert sorted(os.listdir(folder)) == ["exists.bin", "link", "sub"]


def test_a_group_writable_folder_is_shared_unless_the_group_is_the_users_own(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vault.store import safe_output
    from vault.store.safe_output import SharedOutputFolder, write_private_output

    folder = _private_dir(tmp_path / "out")
    os.chmod(folder, 0o770)
    monkeypatch.setattr(safe_output, "_private_group", lambda gid, uid: False)
    with pytest.raises(SharedOutputFolder):
        write_private_output(folder / "x.bin", b"x")
    monkeypatch.setattr(safe_output, "_private_group", lambda gid, uid: True)
    write_private_output(folder / "x.bin", b"x")


def test_a_full_disk_is_a_storage_error_and_leaves_nothing(tmp_path: Path) -> None:
    from vault.store.safe_output import private_output

    if not Path("/dev/full").exists():
        pytest.fail("this test needs /dev/full (Linux)")
    folder = _private_dir(tmp_path / "out")

    class Full:
        def write(self, data: bytes) -> None:
            with open("/dev/full", "wb") as fh:
                fh.write(data)
                fh.flush()

    with pytest.raises(StorageError), private_output(folder / "x.bin") as fh:
        fh.write(b"x")
        Full().write(b"x" * 10)
    assert os.listdir(folder) == []
