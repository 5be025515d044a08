"""``run_gui``: the GUI entry point the composition root (``vault.app``) calls.

Creates the QApplication (named "Casework Vault"), applies the calm palette-following theme,
installs the crash handler, and hands over to ``VaultController``, which shows the create or
unlock window and then the main window.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QApplication

from vault.session import VaultManager
from vault.ui import theme
from vault.ui.session_lock_watcher import SessionLockWatcher
from vault.ui.vault_controller import VaultController

log = logging.getLogger(__name__)

APP_DISPLAY_NAME = "Casework Vault"
# The desktop file's id (packaging/linux/): Wayland compositors and task bars use it to find the
# launcher and its icon for our windows.
DESKTOP_FILE_ID = "org.casevault.CaseworkVault"


def create_application(argv: list[str]) -> QApplication:
    """The process's QApplication (reused when one already exists, as in tests)."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(["casevault", *argv])
    app.setApplicationName(APP_DISPLAY_NAME)
    app.setDesktopFileName(DESKTOP_FILE_ID)
    theme.apply_theme(app)
    app.setWindowIcon(theme.app_icon())
    return app


def run_gui(manager: VaultManager, argv: list[str]) -> int:
    """Run the desktop app until the rep quits; returns the exit code."""
    app = create_application(argv)
    controller = VaultController(app, manager, lock_watcher=SessionLockWatcher(app))
    controller.crash_handler.install()
    app.aboutToQuit.connect(controller.shutdown)
    controller.start()
    log.info("GUI started")
    try:
        return int(app.exec())
    finally:
        controller.shutdown()
        controller.main_window.deleteLater()
        log.info("GUI stopped")
