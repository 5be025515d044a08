"""Issue 15's end-to-end check: the real app on a real X server (Xvfb) with Qt's xcb platform,
as a rep on a Linux desktop starts it. It must pass the library check, open the create-vault
window, and the screen must show it (a screenshot that is not blank).

Needs Debian's ``xvfb`` and ``x11-apps`` (xwd) and the xcb libraries; ``.ci/run`` installs them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.packaging.conftest import SCREEN, tool, without_library
from tests.packaging.xwd import read_xwd

ROOT = Path(__file__).resolve().parents[2]


def _screenshot(display: str, out: Path) -> bytes:
    subprocess.run([tool("xwd"), "-root", "-silent", "-display", display, "-out", str(out)],
                   check=True, timeout=30)
    return out.read_bytes()


def test_real_app_on_xcb_shows_the_create_vault_window(xvfb: str, tmp_path: Path) -> None:
    env = {
        "PATH": os.environ["PATH"], "HOME": str(tmp_path), "DISPLAY": xvfb,
        "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8",
        "CASEVAULT_DIR": str(tmp_path / "vault"), "CASEVAULT_LOG_DIR": str(tmp_path / "logs"),
        "CASEVAULT_CONFIG_DIR": str(tmp_path / "config"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
    }
    app = subprocess.Popen([sys.executable, "-m", "vault"], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
    log = tmp_path / "logs" / "casevault.log"
    shot = None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if app.poll() is not None:
                _out, err = app.communicate()
                pytest.fail(f"the app exited with {app.returncode}: {err.strip()[-500:]}")
            if log.exists() and "create-vault window shown" in log.read_text():
                shot = read_xwd(_screenshot(xvfb, tmp_path / "screen.xwd"))
                if shot.distinct_colours() > 20 and shot.share_unlike_corner() > 0.02:
                    break
            time.sleep(0.25)
        assert shot is not None, "the create-vault window never showed"
        shot.save_png(tmp_path / "create-vault-on-xcb.png")
        assert (shot.width, shot.height) == SCREEN
        # An empty X root is one flat colour; the window brings text, a card and an icon.
        assert shot.distinct_colours() > 20, "the screen is blank"
        assert shot.share_unlike_corner() > 0.02, "the screen is (nearly) blank"
        assert "desktop libraries missing" not in log.read_text()
    finally:
        app.terminate()
        try:
            app.wait(timeout=15)
        except subprocess.TimeoutExpired:
            app.kill()
    copy_to = os.environ.get("CASEVAULT_SCREENSHOT_DIR")
    if copy_to:  # CI keeps the picture beside its log
        shutil.copy2(tmp_path / "create-vault-on-xcb.png", Path(copy_to))


def test_xwd_reader_sees_a_blank_screen_as_blank(xvfb: str, tmp_path: Path) -> None:
    shot = read_xwd(_screenshot(xvfb, tmp_path / "blank.xwd"))
    assert (shot.width, shot.height) == SCREEN
    assert shot.distinct_colours() <= 2 and shot.share_unlike_corner() < 0.01


def test_without_libxcb_cursor_the_app_names_the_package(xvfb: str, tmp_path: Path) -> None:
    """Issue 15 as a rep meets it: a desktop without libxcb-cursor0. Qt alone aborts with
    "Reinstalling the application may fix this problem"; the app says what to install."""
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "DISPLAY": xvfb,
           "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8", "CASEVAULT_DIR": str(tmp_path / "v"),
           "CASEVAULT_LOG_DIR": str(tmp_path / "logs"),
           "CASEVAULT_CONFIG_DIR": str(tmp_path / "config")}
    qt_alone = without_library("libxcb-cursor.so.0", [
        sys.executable, "-c", "from PySide6.QtWidgets import QApplication; QApplication([])"],
        env)
    assert qt_alone.returncode != 0 and "Reinstalling the application" in qt_alone.stderr
    app = without_library("libxcb-cursor.so.0", [sys.executable, "-m", "vault"], env)
    assert app.returncode == 1, app.stderr
    assert app.stderr.splitlines() == [app.stderr.strip()]
    assert "sudo apt install libxcb-cursor0" in app.stderr
    assert "Reinstall" not in app.stderr
    make_run = without_library("libxcb-cursor.so.0", [
        "make", "-s", "-C", str(ROOT), "run", f"VENV={tmp_path / 'venv'}"], env)
    assert make_run.returncode != 0 and "sudo apt install libxcb-cursor0" in make_run.stderr
    assert not (tmp_path / "venv").exists()
