"""The xcb library check (issue 15): a fake library folder without libxcb-cursor, the one-line
message, the script ``make run`` calls before the venv exists, and ``casevault`` refusing to
start Qt."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vault import app, desktop_libs
from vault.desktop_libs import XCB_LIBRARIES, LibraryLocator, find_missing, needs_check

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "vault" / "desktop_libs.py"
CURSOR = "libxcb-cursor.so.0"


def fake_lib_dir(tmp_path: Path, *, without: tuple[str, ...] = ()) -> Path:
    folder = tmp_path / "fake-lib"
    folder.mkdir()
    for lib in XCB_LIBRARIES:
        if lib.soname not in without:
            (folder / lib.soname).write_bytes(b"\x7fELF")
    return folder


def test_fake_library_path_without_xcb_cursor_names_it_and_its_packages(tmp_path: Path) -> None:
    folder = fake_lib_dir(tmp_path, without=(CURSOR,))
    missing = find_missing(LibraryLocator([folder]))
    assert [lib.soname for lib in missing] == [CURSOR]
    message = desktop_libs.missing_message(missing)
    assert "\n" not in message
    assert CURSOR in message
    assert "sudo apt install libxcb-cursor0;" in message
    assert "sudo dnf install xcb-util-cursor;" in message
    assert message.endswith("sudo pacman -S xcb-util-cursor")


def test_complete_fake_library_path_reports_nothing(tmp_path: Path) -> None:
    assert find_missing(LibraryLocator([fake_lib_dir(tmp_path)])) == []


def test_shared_packages_are_named_once(tmp_path: Path) -> None:
    folder = fake_lib_dir(tmp_path, without=("libxcb-shm.so.0", "libxcb-sync.so.1", CURSOR))
    message = desktop_libs.missing_message(find_missing(LibraryLocator([folder])))
    assert "dnf install xcb-util-cursor libxcb;" in message
    assert "apt install libxcb-cursor0 libxcb-shm0 libxcb-sync1;" in message


def test_loader_cache_counts_as_installed(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    every = [lib.soname for lib in XCB_LIBRARIES]
    assert find_missing(LibraryLocator([empty], cached=every)) == []
    assert len(find_missing(LibraryLocator([empty], cached=every[1:]))) == 1


@pytest.mark.parametrize(("environ", "platform", "expected"), [
    ({"DISPLAY": ":0"}, "linux", True),
    ({}, "linux", False),                                             # no display: CLI, CI
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "xcb;wayland"}, "linux", True),
    ({"DISPLAY": ":0", "QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
    ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, "linux", False),  # Qt picks Wayland
    ({"DISPLAY": ":0"}, "darwin", False),
    ({"DISPLAY": ":0"}, "win32", False),
])
def test_checked_only_when_qt_would_use_xcb(environ: dict[str, str], platform: str,
                                            expected: bool) -> None:
    assert needs_check(environ, platform) is expected


def test_no_display_means_no_check_even_when_everything_is_missing(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert desktop_libs.check({}, LibraryLocator([empty])) is None
    assert desktop_libs.check({"DISPLAY": ":0"}, LibraryLocator([empty])) is not None


def _system_python() -> str:
    found = shutil.which("python3")
    assert found, "python3 must be on PATH (make run uses it before the venv exists)"
    return found


def test_script_exits_1_with_one_line_under_the_system_python(tmp_path: Path) -> None:
    folder = fake_lib_dir(tmp_path, without=(CURSOR,))
    env = {"PATH": os.environ["PATH"]}  # no PYTHONPATH: the file must stand alone
    done = subprocess.run([_system_python(), str(SCRIPT), "--library-path", str(folder)],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and "sudo apt install libxcb-cursor0" in lines[0]
    complete = tmp_path / "complete"
    complete.mkdir()
    ok = subprocess.run([_system_python(), str(SCRIPT), "--library-path",
                         str(fake_lib_dir(complete))], capture_output=True, text=True, env=env,
                        timeout=60, check=False)
    assert ok.returncode == 0 and ok.stderr == ""


def test_make_run_checks_before_creating_the_venv(tmp_path: Path) -> None:
    """``make run`` on a machine missing libxcb-cursor stops before any download."""
    folder = fake_lib_dir(tmp_path, without=(CURSOR,))
    wrapper = tmp_path / "python3"
    wrapper.write_text(f'#!/bin/sh\nexec "{_system_python()}" "$@" --library-path "{folder}"\n')
    wrapper.chmod(0o755)
    venv = tmp_path / "venv"
    done = subprocess.run(["make", "-s", "-C", str(ROOT), "run", f"PYTHON={wrapper}",
                           f"VENV={venv}"], capture_output=True, text=True, timeout=120,
                          env={"PATH": os.environ["PATH"], "DISPLAY": ":99"}, check=False)
    assert done.returncode != 0
    assert "sudo apt install libxcb-cursor0" in done.stderr
    assert not venv.exists()


def test_app_refuses_to_start_qt_and_says_what_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = fake_lib_dir(tmp_path, without=(CURSOR,))
    monkeypatch.setattr(desktop_libs.LibraryLocator, "system",
                        classmethod(lambda cls, environ: cls([folder])))
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("DISPLAY", ":99")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert app.main(["--vault", str(tmp_path / "v")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "libxcb-cursor0" in err and "Reinstall" not in err
    assert not (tmp_path / "v").exists()


def test_cli_commands_are_never_blocked_by_the_check(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr(desktop_libs.LibraryLocator, "system",
                        classmethod(lambda cls, environ: cls([empty])))
    monkeypatch.setenv("DISPLAY", ":99")
    assert app.main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("casevault ")


def _real_library(soname: str) -> Path:
    for folder in LibraryLocator.system(os.environ).dirs:
        if (folder / soname).is_file():
            return (folder / soname).resolve()
    pytest.fail(f"{soname} must be installed for this test (see the apt-get line in .ci/run)")


def test_bundle_copy_is_loaded_when_the_system_lacks_it(tmp_path: Path) -> None:
    """The PyInstaller bundle carries libxcb-cursor; on a system without it, the app loads
    the bundle's copy so Qt's plugin finds it, and says nothing."""
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copy2(_real_library(CURSOR), bundle / CURSOR)
    folder = fake_lib_dir(tmp_path, without=(CURSOR,))
    environ = {"DISPLAY": ":0"}
    assert desktop_libs.check(environ, LibraryLocator([folder]), bundle_dir=bundle) is None


def test_broken_bundle_copy_still_reports_the_package(tmp_path: Path) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / CURSOR).write_bytes(b"\x7fELF not really")
    missing = [lib for lib in XCB_LIBRARIES if lib.soname == CURSOR]
    assert desktop_libs.load_bundled(missing, bundle) == missing
    folder = fake_lib_dir(tmp_path, without=(CURSOR,))
    message = desktop_libs.check({"DISPLAY": ":0"}, LibraryLocator([folder]), bundle_dir=bundle)
    assert message is not None and "libxcb-cursor0" in message


def test_several_bundle_copies_load_together(tmp_path: Path) -> None:
    """libxcb-cursor with two of the libraries it needs, all from the bundle."""
    wanted = ("libxcb-cursor.so.0", "libxcb-image.so.0", "libxcb-render-util.so.0")
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    for soname in wanted:
        shutil.copy2(_real_library(soname), bundle / soname)
    missing = [lib for lib in XCB_LIBRARIES if lib.soname in wanted]
    assert desktop_libs.load_bundled(missing, bundle) == []
