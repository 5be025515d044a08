"""Screenshots of desktop hygiene: Settings (quick unlock, device check), the "Open with…"
warning, and the unlock window offering quick unlock after an idle auto-lock.

Run: ``QT_QPA_PLATFORM=offscreen python -m tests.ui.make_lock_screenshots [OUT_DIR]``
(default docs/screenshots). No keychain is touched: an in-memory keyring backend stands in.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

from keyring.backend import KeyringBackend
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import add_member_and_case, make_pdf
from tests.ui.make_screenshots import DEFAULT_OUT, NOW, _save, _save_with_dialog, _wait_for
from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.crypto.keystore import KeyringStore
from vault.session import VaultManager
from vault.settings import SettingsStore
from vault.ui.application import create_application
from vault.ui.open_with import OPEN_WITH_DETAIL, OPEN_WITH_TEXT, OPEN_WITH_TITLE
from vault.ui.vault_controller import VaultController

PASSPHRASE = "correct horse battery staple orbit"


class _ShotKeyring(KeyringBackend):
    """Stands in for GNOME Keyring in the pictures (nothing leaves the process)."""

    priority = 5  # type: ignore[assignment]
    name = "GNOME Keyring (Secret Service)"  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


def make_lock_screenshots(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    QCursor.setPos(5000, 5000)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="casevault-lock-shots-") as tmp:
        base = Path(tmp)
        manager = VaultManager(root=base / "vault", clock=FixedClock(NOW),
                               kdf_params=Argon2Params(1, 8, 1), is_accredited=lambda: True,
                               keyring=KeyringStore(_ShotKeyring(), timeout=5.0))
        controller = VaultController(app, manager,
                                     settings_store=SettingsStore(base / "settings.json"))
        try:
            controller.settings.update(keyring_quick_unlock=True)
            session = manager.create(PASSPHRASE)
            _m, case = add_member_and_case(session, name="Priya Ramanathan",
                                           title="Appeal against dismissal")
            controller.open_session(session)
            _wait_for(manager.has_quick_unlock)
            window = controller.main_window
            window.resize(1280, 800)

            window.show_page("settings")
            page = window.pages["settings"]
            _wait_for(lambda: "using" in page.quick_status.text())
            page.start_device_check()
            _wait_for(lambda: page.device_report is not None, 20_000)
            saved.append(_save(window, out, "settings-top"))
            bar = page.scroll_area.verticalScrollBar()
            bar.setValue(bar.maximum())
            saved.append(_save(window, out, "settings-quick-unlock-device-check"))

            window.resize(1280, 800)
            files = base / "files"
            files.mkdir()
            session.documents.import_file(case.ref, make_pdf(files / "dismissal-letter.pdf"))
            window.open_case(case.ref, "documents")
            tab = window.case_page.tab_by_key["documents"]
            tab.select_document(tab.model.row_at(0).id)
            _wait_for(lambda: tab.viewer.pdf.pageCount() > 0)
            box = controller.message_boxes.build_confirm(
                window, OPEN_WITH_TITLE, OPEN_WITH_TEXT, accept_text="Open decrypted copy",
                dangerous=True, informative=OPEN_WITH_DETAIL)
            box.show()
            box.move(window.geometry().center() - box.rect().center())
            saved.append(_save_with_dialog(window, box, out, "open-with-warning"))
            box.close()
            box.deleteLater()

            controller.auto_lock()
            unlock = controller.unlock_window
            assert unlock is not None and unlock.offers_quick_unlock
            unlock.resize(680, 560)
            saved.append(_save(unlock, out, "unlock-quick-unlock"))
        finally:
            controller.shutdown()
            for widget in QApplication.topLevelWidgets():
                widget.close()
    return saved


def main(argv: list[str]) -> int:
    for path in make_lock_screenshots(Path(argv[0]) if argv else DEFAULT_OUT):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
