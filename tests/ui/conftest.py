"""GUI test setup: offscreen Qt, no real keychain, private config/log dirs, a fast KDF.

Set CASEVAULT_SHOW_GUI=1 to watch the windows on a real display instead of offscreen.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

if not os.environ.get("CASEVAULT_SHOW_GUI"):
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

import pytest

from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.session import Session, VaultManager
from vault.settings import SettingsStore

STRONG_PASSPHRASE = "correct horse battery staple orbit"
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


# A modal dialog left waiting offscreen never returns: the run would hang until CI's clock ran
# out. Every ``exec`` gets this long to be answered (by the test, a timer or a queued answer);
# after that it is rejected and the test fails naming the dialog.
MODAL_LIMIT_MS = 30_000


class ModalGuard:
    def __init__(self) -> None:
        self.limit_ms = MODAL_LIMIT_MS
        self.stuck: list[str] = []


@pytest.fixture(autouse=True)
def modal_guard(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModalGuard]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

    guard = ModalGuard()
    stuck = guard.stuck

    def guarded(original):  # type: ignore[no-untyped-def]
        def exec_(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            def give_up() -> None:
                if self.isVisible():
                    stuck.append(self.windowTitle() or type(self).__name__)
                    self.reject()

            QTimer.singleShot(guard.limit_ms, self, give_up)
            return original(self, *args, **kwargs)

        return exec_

    def refused(name: str):  # type: ignore[no-untyped-def]
        def dialog(*args, **kwargs):  # type: ignore[no-untyped-def]
            raise AssertionError(f"QFileDialog.{name} shown with no path queued "
                                 "(use the FileDialogs seam)")

        return staticmethod(dialog)

    monkeypatch.setattr(QDialog, "exec", guarded(QDialog.exec))
    monkeypatch.setattr(QMessageBox, "exec", guarded(QMessageBox.exec))
    for name in ("getOpenFileName", "getOpenFileNames", "getSaveFileName",
                 "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, refused(name))
    yield guard
    assert not stuck, f"a modal dialog waited for an answer nobody gave: {stuck}"


@pytest.fixture
def ui_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CASEVAULT_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("CASEVAULT_LOG_DIR", str(tmp_path / "logs"))
    return tmp_path


@pytest.fixture
def ui_clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def ui_manager(ui_dirs: Path, ui_clock: FixedClock) -> Iterator[VaultManager]:
    manager = VaultManager(root=ui_dirs / "vault", clock=ui_clock,
                           kdf_params=Argon2Params(1, 8, 1))
    yield manager
    manager.lock_all()


@pytest.fixture
def controller(qtbot, qapp, ui_manager: VaultManager, ui_dirs: Path):  # type: ignore[no-untyped-def]
    from vault.ui.vault_controller import VaultController

    ctl = VaultController(qapp, ui_manager,
                          settings_store=SettingsStore(ui_dirs / "config" / "settings.json"))
    yield ctl
    ctl.shutdown()
    for window in (ctl.main_window, ctl.unlock_window, ctl.create_window):
        if window is not None:
            window.close()
            window.deleteLater()


@pytest.fixture
def unlocked(controller, ui_manager: VaultManager, qtbot):  # type: ignore[no-untyped-def]
    """A controller showing the main window of a new, empty vault."""
    session: Session = ui_manager.create(STRONG_PASSPHRASE)
    controller.open_session(session)
    qtbot.waitExposed(controller.main_window)
    return controller
