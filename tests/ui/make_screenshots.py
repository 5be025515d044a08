"""Drive the offscreen app through its main screens and save PNGs to docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.make_screenshots [OUT_DIR]

Uses a throwaway vault in a temp folder (fast KDF: this is a development tool, never the
product) filled with fictional members and cases. ``test_screenshots.py`` runs it into a temp
folder on every test run so it never rots.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.helpers import make_pdf, make_png, make_text
from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.domain import CaseFlags, Category
from vault.session import Session, VaultManager
from vault.settings import SettingsStore
from vault.ui.application import create_application
from vault.ui.case_tabs.documents_tab import DocumentsTab
from vault.ui.vault_controller import VaultController

PASSPHRASE = "correct horse battery staple orbit"
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def _settle(ms: int = 150) -> None:
    """Let layouts, paints and queued signals run for ``ms``."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _save(widget: QWidget, out: Path, name: str) -> Path:
    _settle()
    path = out / f"{name}.png"
    if not widget.grab().save(str(path), "PNG"):
        raise RuntimeError(f"could not save {path}")
    return path


def _populate(session: Session, clock: FixedClock, files: Path) -> str:
    """Fictional members and cases; returns the reference of the case to show."""
    people = [
        ("Amara Okafor", "UCU-20417", "Northfield University", "amara.okafor@northfield.ac.uk"),
        ("Daniel Reyes", "UCU-18822", "Northfield University", "dan.reyes@example.org"),
        ("Grace Whitfield", "UCU-30051", "Northfield College", "grace.w@example.net"),
        ("Tomasz Nowak", "UCU-27764", "Northfield University", None),
    ]
    members = [session.members.add(n, membership_number=no, employer=emp, email=mail,
                                   department="School of Engineering")
               for n, no, emp, mail in people]
    cases = [
        (0, "Disciplinary hearing about lateness", Category.DISCIPLINARY,
         CaseFlags(dismissal_threatened=True), 40),
        (1, "Grievance about shift pattern changes", Category.GRIEVANCE, CaseFlags(), 25),
        (2, "Reasonable adjustments after long-term sickness", Category.SICKNESS_ABSENCE,
         CaseFlags(discrimination_alleged=True), 12),
        (3, "Request for compressed hours", Category.FLEXIBLE_WORKING, CaseFlags(), 6),
        (1, "Pay grading review", Category.PAY_CONTRACT, CaseFlags(), 3),
    ]
    refs = []
    for who, title, category, flags, days_ago in cases:
        opened = (NOW - dt.timedelta(days=days_ago)).date()
        clock.set(NOW - dt.timedelta(days=days_ago))
        refs.append(session.cases.open(members[who].id, title, category, flags=flags,
                                       opened=opened).ref)
    clock.set(NOW - dt.timedelta(days=2))
    shown = refs[0]
    for path, original in ((make_pdf(files / "Invitation to disciplinary hearing.pdf", 3), True),
                           (make_png(files / "Clock-in record.png", 640, 420), False),
                           (make_text(files / "Notes from first meeting.txt"), False)):
        session.documents.import_file(shown, path, is_original=original)
    clock.set(NOW)
    return shown


def make_screenshots(out: Path) -> list[Path]:
    """Write the screenshots into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    QCursor.setPos(5000, 5000)  # no hover highlight in the pictures
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="casevault-shots-") as tmp:
        base = Path(tmp)
        clock = FixedClock(NOW)
        manager = VaultManager(root=base / "vault", clock=clock,
                               kdf_params=Argon2Params(1, 8, 1))
        controller = VaultController(app, manager,
                                     settings_store=SettingsStore(base / "settings.json"))
        try:
            create = controller.show_create()
            create.resize(720, 640)
            create.passphrase.setText(PASSPHRASE)
            create.confirm.setText(PASSPHRASE)
            saved.append(_save(create, out, "create-vault"))

            create.passphrase.setText("summer2026")
            create.confirm.setText("summer2026")
            create.submit()
            saved.append(_save(create, out, "create-vault-refused"))
            create.hide()

            session = manager.create(PASSPHRASE)
            files = base / "files"
            files.mkdir()
            shown_ref = _populate(session, clock, files)
            controller.open_session(session)
            window = controller.main_window
            window.resize(1280, 800)
            saved.append(_save(window, out, "home"))

            window.show_page("members")
            members = window.pages["members"]
            members.select_member(session.members.list()[0].member.id)
            saved.append(_save(window, out, "members"))

            window.show_page("cases")
            saved.append(_save(window, out, "cases"))

            window.open_case(shown_ref, "overview")
            saved.append(_save(window, out, "case-overview"))

            window.open_case(shown_ref, "documents")
            tab = window.case_page.tab_by_key["documents"]
            assert isinstance(tab, DocumentsTab)
            pdf = next(d for d in tab.model.rows if d.media_type == "application/pdf")
            tab.select_document(pdf.id)
            _settle(600)
            saved.append(_save(window, out, "case-documents-pdf"))

            window.show_page("settings")
            saved.append(_save(window, out, "settings"))
            window.show_page("help")
            saved.append(_save(window, out, "help"))

            controller.lock()
            unlock = controller.unlock_window
            assert unlock is not None
            unlock.resize(680, 480)
            saved.append(_save(unlock, out, "unlock"))
        finally:
            controller.shutdown()
            for widget in QApplication.topLevelWidgets():
                widget.close()
    return saved


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    for path in make_screenshots(out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
