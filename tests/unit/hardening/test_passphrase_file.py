"""Finding 7: the passphrase file loses exactly one trailing newline, nothing else.

The attack (here, the accident): ``splitlines()`` also splits at \\f, \\x1c–\\x1e, \\x85, U+2028 and
U+2029, so a vault made from a passphrase file held a shorter passphrase than the rep wrote,
and the full one, typed in the GUI, then failed. The GUI path is ``VaultManager.unlock``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.hardening.support import Cli, one_line_error

BASE = "correct horse battery staple orbit"


@pytest.mark.parametrize("separator", ["\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029",
                                       "\x0b"])
@pytest.mark.parametrize("ending", ["\n", "\r\n", ""])
def test_the_passphrase_from_the_file_is_the_one_the_gui_types(
        cli: Cli, tmp_path: Path, fast_params, clock, separator: str, ending: str) -> None:  # type: ignore[no-untyped-def]
    from vault.session import VaultManager

    passphrase = f"{BASE}{separator}violet lantern"
    pw = tmp_path / "pw-file"
    pw.write_bytes((passphrase + ending).encode("utf-8"))
    r = cli("init", pw_file=pw)
    assert r.code == 0, r.err
    gui = VaultManager(root=cli.vault_dir, clock=clock, kdf_params=fast_params)
    try:
        gui.unlock(passphrase).lock()  # the whole passphrase, as typed in the unlock window
    finally:
        gui.lock_all()
    from vault.errors import WrongPassphrase

    with pytest.raises(WrongPassphrase):
        VaultManager(root=cli.vault_dir, clock=clock, kdf_params=fast_params).unlock(BASE)


def test_only_one_newline_is_stripped(cli: Cli, tmp_path: Path) -> None:
    pw = tmp_path / "pw-file"
    pw.write_bytes(f"{BASE}\n\n".encode())
    assert "more than one line" in one_line_error(cli("init", pw_file=pw))
    pw.write_bytes(f"{BASE}\nsomething else\n".encode())
    assert "more than one line" in one_line_error(cli("init", pw_file=pw))
    assert not (cli.vault_dir / "vault.keys").exists()


def test_trailing_spaces_and_tabs_are_part_of_the_passphrase(cli: Cli, tmp_path: Path,
                                                             fast_params, clock) -> None:  # type: ignore[no-untyped-def]
    from vault.session import VaultManager

    pw = tmp_path / "pw-file"
    pw.write_bytes(f"{BASE} \t\r\n".encode())
    assert cli("init", pw_file=pw).code == 0
    VaultManager(root=cli.vault_dir, clock=clock, kdf_params=fast_params).unlock(
        f"{BASE} \t").lock()


def test_an_empty_file_is_refused(cli: Cli, tmp_path: Path) -> None:
    pw = tmp_path / "pw-file"
    for content in (b"", b"\n", b"\r\n"):
        pw.write_bytes(content)
        assert "empty" in one_line_error(cli("init", pw_file=pw))


def test_passphrases_on_stdin_are_split_at_newlines_only(cli: Cli, fast_params, clock) -> None:  # type: ignore[no-untyped-def]
    from vault.session import VaultManager

    old = f"{BASE}\u2028one"
    new = "violet lantern across frozen harbour\x85two"
    r = cli("init", pw_file=Path("-"), stdin=old + "\r\n")
    assert r.code == 0, r.err
    r = cli("passwd", "--new-passphrase-file", "-", pw_file=Path("-"),
            stdin=f"{old}\n{new}\n")
    assert r.code == 0, r.err
    VaultManager(root=cli.vault_dir, clock=clock, kdf_params=fast_params).unlock(new).lock()
