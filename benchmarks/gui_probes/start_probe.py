"""A child process for the start-up figure: show the first window, then quit at once.

``start_probe.py casevault --vault DIR``: what ``casevault`` does up to the unlock window (umask,
logging, the Argon2id self-test, the union profiles, the QApplication and theme, the
controller) — then quits on the first turn of the event loop after the window is shown.
``start_probe.py bare``: the peer, a bare PySide6 window shown the same way. The parent times
the whole process from spawn to exit.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def casevault(vault_dir: str) -> int:
    os.umask(0o077)
    from vault import app as composition

    composition.configure_logging()
    composition.kdf.self_test()
    from PySide6.QtCore import QTimer

    from vault.ui.application import create_application
    from vault.ui.vault_controller import VaultController

    qt_app = create_application([])
    controller = VaultController(qt_app, composition.manager_for(vault_dir))
    controller.start()
    window = controller.visible_window()
    assert window is not None and window.isVisible()
    QTimer.singleShot(0, qt_app.quit)
    code = int(qt_app.exec())
    controller.shutdown()
    return code


def bare() -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    qt_app = QApplication(["bare"])
    window = QLabel("Hello")
    window.resize(420, 320)
    window.show()
    QTimer.singleShot(0, qt_app.quit)
    return int(qt_app.exec())


if __name__ == "__main__":
    if sys.argv[1] == "bare":
        raise SystemExit(bare())
    raise SystemExit(casevault(sys.argv[3] if len(sys.argv) > 3 else sys.argv[2]))
