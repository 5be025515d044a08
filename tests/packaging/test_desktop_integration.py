"""Linux desktop integration: the .desktop file and the AppStream metadata validate, the icon
files are what they claim, and install.sh / uninstall.sh put the launcher and icon in the
user's menu and take them out again, leaving the vault alone.

The install tests use a stand-in executable so they run in seconds; the slow bundle test runs
the same script on the real tarball."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "org.casevault.CaseworkVault"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
APP_ICONS = ROOT / "resources" / "icons" / "app"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is needed (Debian: see the apt-get line in .ci/run)"
    return found


def test_desktop_file_validates() -> None:
    done = subprocess.run([_tool("desktop-file-validate"), str(DESKTOP)], capture_output=True,
                          text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "", done.stdout


def test_metainfo_validates() -> None:
    done = subprocess.run([_tool("appstreamcli"), "validate", "--no-net", "--explain",
                           str(METAINFO)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "E:" not in done.stdout and "W:" not in done.stdout, done.stdout


def test_desktop_file_and_metainfo_agree_with_the_app() -> None:
    from vault.ui.application import APP_DISPLAY_NAME, DESKTOP_FILE_ID

    desktop = DESKTOP.read_text()
    metainfo = METAINFO.read_text()
    assert DESKTOP_FILE_ID == APP_ID
    assert f"Name={APP_DISPLAY_NAME}\n" in desktop and f"Icon={APP_ID}\n" in desktop
    assert f"<id>{APP_ID}</id>" in metainfo
    assert f'<launchable type="desktop-id">{APP_ID}.desktop</launchable>' in metainfo
    from vault import __version__

    assert f'<release version="{__version__}"' in metainfo


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


@pytest.mark.parametrize("size", SIZES)
def test_png_sizes_are_drawn_from_the_svg(size: int) -> None:
    assert _png_size(APP_ICONS / f"casevault-{size}.png") == (size, size)


def test_ico_and_icns_hold_png_entries() -> None:
    ico = (APP_ICONS / "casevault.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count >= 6
    for i in range(count):
        entry = ico[6 + 16 * i:22 + 16 * i]
        size, offset = struct.unpack("<BBBBHHII", entry)[6:]
        assert ico[offset:offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + size <= len(ico)
    icns = (APP_ICONS / "casevault.icns").read_bytes()
    assert icns[:4] == b"icns" and struct.unpack(">I", icns[4:8])[0] == len(icns)
    assert b"ic09" in icns and b"ic10" in icns


def _stage(tmp_path: Path) -> Path:
    """An unpacked tarball's layout, with a stand-in executable."""
    stage = tmp_path / "casevault-0.1.0-linux-test"
    bundle = stage / "casevault-bundle"
    bundle.mkdir(parents=True)
    exe = bundle / "casevault"
    exe.write_text('#!/bin/sh\necho "casevault stand-in $*"\n')
    exe.chmod(0o755)
    for name in ("install.sh", "uninstall.sh", DESKTOP.name, METAINFO.name):
        shutil.copy2(LINUX / name, stage / name)
    icons = stage / "icons" / "hicolor"
    (icons / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(APP_ICONS / "casevault.svg", icons / "scalable" / "apps" / f"{APP_ID}.svg")
    for size in SIZES:
        (icons / f"{size}x{size}" / "apps").mkdir(parents=True)
        shutil.copy2(APP_ICONS / f"casevault-{size}.png",
                     icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png")
    return stage


def _run(script: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {"HOME": str(home), "PATH": os.environ["PATH"]}
    return subprocess.run(["sh", str(script)], capture_output=True, text=True, env=env,
                          timeout=60, check=False)


def test_install_puts_launcher_icon_and_command_in_the_users_menu(tmp_path: Path) -> None:
    stage = _stage(tmp_path)
    home = tmp_path / "home"
    vault = home / ".local" / "share" / "casevault"     # the default vault folder
    vault.mkdir(parents=True)
    (vault / "vault.keys").write_text("{}")
    done = _run(stage / "install.sh", home)
    assert done.returncode == 0, done.stderr
    data = home / ".local" / "share"
    app_dir = data / "casevault-app"
    exe = app_dir / "casevault-bundle" / "casevault"
    desktop = data / "applications" / f"{APP_ID}.desktop"
    assert exe.is_file() and os.access(exe, os.X_OK)
    assert f'Exec="{exe}"\n' in desktop.read_text()
    assert subprocess.run([_tool("desktop-file-validate"), str(desktop)],
                          check=False).returncode == 0
    assert (data / "metainfo" / METAINFO.name).is_file()
    for size in SIZES:
        assert (data / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png").is_file()
    assert (data / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg").is_file()
    command = home / ".local" / "bin" / "casevault"
    assert command.is_symlink() and command.resolve() == exe.resolve()
    assert "Open \"Casework Vault\" from your applications menu" in done.stdout

    again = _run(stage / "install.sh", home)             # upgrading in place
    assert again.returncode == 0 and exe.is_file()

    gone = _run(app_dir / "uninstall.sh", home)
    assert gone.returncode == 0, gone.stderr
    assert not desktop.exists() and not app_dir.exists() and not command.exists()
    assert not list((data / "icons").rglob(f"{APP_ID}.*"))
    assert (vault / "vault.keys").read_text() == "{}"    # the vault was not touched


def test_install_refuses_to_run_outside_the_unpacked_folder(tmp_path: Path) -> None:
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy2(LINUX / "install.sh", lone / "install.sh")
    done = _run(lone / "install.sh", tmp_path / "home")
    assert done.returncode == 1 and "unpacked" in done.stderr
