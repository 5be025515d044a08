"""The installable app (issue 14), built for real: ``packaging/build_bundle.py`` makes the
one-folder bundle and the tarball in a temporary folder, then the bundle runs as on a rep's
machine, with no Python on PATH and no virtual environment: ``--version``, ``init`` on a
throw-away vault, casework commands, the GUI offscreen showing the unlock window, the GUI on a
real X server (also with libxcb-cursor hidden from the system), and install.sh from the
unpacked tarball.

Slow (two to four minutes to build here): ``pytest -m "not slow"`` leaves it out while developing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.packaging.conftest import without_library
from tests.packaging.xwd import read_xwd

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PASSPHRASE = "correct horse battery staple orbit"
# Qt parts the app never uses; none of them may be in the bundle.
UNUSED_QT = ("WebEngine", "Qt6Qml", "Qt6Quick", "Qt63D", "Qt6Multimedia", "Qt6Charts",
             "Qt6Designer", "Qt6VirtualKeyboard", "Qt6Location", "Qt6Bluetooth")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    dist = tmp_path_factory.mktemp("dist")
    work = tmp_path_factory.mktemp("pyinstaller-work")
    done = subprocess.run([sys.executable, str(ROOT / "packaging" / "build_bundle.py"),
                           "--dist", str(dist), "--work", str(work), "--no-timing"],
                          capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    assert "MiB" in done.stdout
    yield dist


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "bin").mkdir()  # PATH holds only this empty folder: no python anywhere
    (tmp_path / "pass").write_text(PASSPHRASE + "\n")
    return tmp_path


def rep_env(home: Path, **extra: str) -> dict[str, str]:
    """A rep's environment: no Python on PATH, no venv, no PYTHONPATH/PYTHONHOME."""
    env = {"PATH": str(home / "bin"), "HOME": str(home), "LANG": "C.UTF-8",
           "CASEVAULT_DIR": str(home / "vault"), "CASEVAULT_LOG_DIR": str(home / "logs"),
           "CASEVAULT_CONFIG_DIR": str(home / "config"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    env.update(extra)
    return env


def bundle_run(built: Path, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    exe = built / "casevault-bundle" / "casevault"
    return subprocess.run([str(exe), *args], capture_output=True, text=True,
                          env=rep_env(home), timeout=120, check=False)


def test_bundle_has_no_unused_qt_and_carries_the_guide(built: Path) -> None:
    bundle = built / "casevault-bundle"
    names = [p.name for p in bundle.rglob("*")]
    assert not [n for n in names if any(part in n for part in UNUSED_QT)]
    assert (bundle / "casework-vault-guide.pdf").read_bytes().startswith(b"%PDF")
    internal = bundle / "_internal"
    for needed in ("resources/unions/ucu.toml", "resources/fonts/DejaVuSans.ttf",
                   "resources/style/casevault.qss", "resources/guide/user-guide.md",
                   "resources/icons/app/casevault-256.png", "vault/store/migrations/0001_core.sql"):
        assert (internal / needed).is_file(), needed


def test_version_without_python(built: Path, home: Path) -> None:
    from vault import __version__

    done = bundle_run(built, home, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"casevault {__version__}"
    assert done.stderr == ""


def test_init_and_casework_through_the_bundle(built: Path, home: Path) -> None:
    pw = ("--passphrase-file", str(home / "pass"))
    done = bundle_run(built, home, "init", *pw)
    assert done.returncode == 0, done.stderr
    assert (home / "vault" / "vault.keys").is_file()
    member = json.loads(bundle_run(built, home, "member", "add", "--name", "Alex Bundle",
                                   "--json", *pw).stdout)
    opened = json.loads(bundle_run(built, home, "case", "open", "--member", member["id"],
                                   "--title", "Grievance", "--category", "grievance",
                                   "--json", *pw).stdout)
    # Oral advice needs the UK bank holidays (holidays' data) to set the follow-up due date.
    logged = json.loads(bundle_run(built, home, "log", "add", opened["ref"], "--kind",
                                   "oral-advice", "--text", "Put the grievance in writing",
                                   "--json", *pw).stdout)
    assert logged["followup_due"]
    owed = json.loads(bundle_run(built, home, "followups", "--json", *pw).stdout)
    assert [f["ref"] for f in owed] == [opened["ref"]]
    # Conflict checks need the nicknames data set: "Alec" is not Alex, "Alex" is.
    check = bundle_run(built, home, "conflicts", "check", "--name", "Alex Bundle", "--json", *pw)
    assert check.returncode == 0 and member["id"] in check.stdout
    verify = bundle_run(built, home, "verify", *pw)
    assert verify.returncode == 0 and "Paper trail: intact" in verify.stdout
    wrong = bundle_run(built, home, "status", "--passphrase-file", "/nonexistent")
    assert wrong.returncode in (1, 2) and "Traceback" not in wrong.stderr


def _wait_for_log(proc: subprocess.Popen[bytes], log: Path, text: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text():
            return
        assert proc.poll() is None, f"the bundled GUI exited with {proc.returncode}"
        time.sleep(0.1)
    pytest.fail(f"no {text!r} in the log")


def test_bundled_gui_offscreen_shows_the_unlock_window(built: Path, home: Path) -> None:
    assert bundle_run(built, home, "init", "--passphrase-file", str(home / "pass")).returncode == 0
    exe = built / "casevault-bundle" / "casevault"
    proc = subprocess.Popen([str(exe)], env=rep_env(home, QT_QPA_PLATFORM="offscreen"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_log(proc, home / "logs" / "casevault.log", "unlock window shown", 60)
        log = (home / "logs" / "casevault.log").read_text()
        assert "app icon missing" not in log and "stylesheet missing" not in log
        assert "union profile skipped" not in log
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_bundled_gui_draws_on_a_real_x_server(built: Path, home: Path, xvfb: str) -> None:
    exe = built / "casevault-bundle" / "casevault"
    env = rep_env(home, DISPLAY=xvfb, QT_QPA_PLATFORM="xcb")
    proc = subprocess.Popen([str(exe)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        _wait_for_log(proc, home / "logs" / "casevault.log", "create-vault window shown", 60)
        deadline = time.monotonic() + 30
        while True:
            subprocess.run(["xwd", "-root", "-silent", "-display", xvfb, "-out",
                            str(home / "s.xwd")], check=True, timeout=30)
            shot = read_xwd((home / "s.xwd").read_bytes())
            if shot.distinct_colours() > 20 or time.monotonic() > deadline:
                break
            time.sleep(0.25)
        assert shot.distinct_colours() > 20, "the bundled app drew nothing on the X server"
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_tarball_installs_into_the_users_menu(built: Path, home: Path, tmp_path: Path) -> None:
    archives = list(built.glob("casevault-*-linux-*.tar.gz"))
    assert len(archives) == 1
    with tarfile.open(archives[0]) as tar:
        tops = {m.name.split("/", 1)[0] for m in tar.getmembers()}
        assert len(tops) == 1
        tar.extractall(tmp_path / "unpacked", filter="tar")
    folder = tmp_path / "unpacked" / tops.pop()
    assert (folder / "INSTALL.txt").is_file()
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["sh", str(folder / "install.sh")], capture_output=True, text=True,
                          env=env, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    data = home / ".local" / "share"
    desktop = data / "applications" / "org.casevault.CaseworkVault.desktop"
    assert desktop.is_file()
    exe = data / "casevault-app" / "casevault-bundle" / "casevault"
    assert f'Exec="{exe}"' in desktop.read_text()
    installed = subprocess.run([str(home / ".local" / "bin" / "casevault"), "--version"],
                               capture_output=True, text=True, env=rep_env(home), timeout=60,
                               check=False)
    assert installed.returncode == 0 and installed.stdout.startswith("casevault ")
    assert (data / "icons" / "hicolor" / "256x256" / "apps"
            / "org.casevault.CaseworkVault.png").is_file()
    assert os.access(data / "casevault-app" / "uninstall.sh", os.X_OK)


def test_bundle_starts_on_a_desktop_without_libxcb_cursor(built: Path, home: Path,
                                                          xvfb: str) -> None:
    """The bundle carries libxcb-cursor and loads its own copy where the system has none, so a
    rep on a minimal Debian or Ubuntu 22.04 needs no package at all."""
    exe = built / "casevault-bundle" / "casevault"
    script = (f'"{exe}" & pid=$!; i=0; while [ $i -lt 600 ]; do '
              f'grep -q "create-vault window shown" "{home}/logs/casevault.log" 2>/dev/null '
              f'&& {{ kill $pid; wait $pid; echo shown; exit 0; }}; '
              f'kill -0 $pid 2>/dev/null || {{ wait $pid; echo "exited $?"; exit 1; }}; '
              f'sleep 0.1; i=$((i+1)); done; kill $pid; echo timeout; exit 1')
    env = rep_env(home, DISPLAY=xvfb, QT_QPA_PLATFORM="xcb", PATH="/usr/bin:/bin:/usr/sbin:/sbin")
    done = without_library("libxcb-cursor.so.0", ["sh", "-c", script], env)
    assert done.returncode == 0 and "shown" in done.stdout, done.stdout + done.stderr[-1500:]
    assert "desktop libraries missing" not in (home / "logs" / "casevault.log").read_text()


def test_bundle_runs_on_ubuntu_22_04s_glibc(built: Path) -> None:
    """Ubuntu 22.04 has glibc 2.35; no bundled binary may need a newer one."""
    sys.path.insert(0, str(ROOT / "packaging"))
    import build_bundle

    needed = build_bundle.glibc_needed(built / "casevault-bundle")
    assert needed is not None
    assert tuple(int(p) for p in needed.split(".")) <= (2, 35), needed
