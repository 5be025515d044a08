"""Screens of issue 17 (the app as a hurried rep uses it), in light and dark, for docs/screenshots.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.make_ux_screenshots [OUT_DIR] [PREFIX]

Uses a throwaway vault in a temp folder (fast KDF: a development tool, never the product) with
fictional people. Written so it also runs against an older tree (each screen that the tree
cannot show is skipped), which is how the ``ux-before-*`` pictures were made.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from PySide6.QtCore import QEventLoop, QPoint, QTimer
from PySide6.QtGui import QCursor, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.helpers import make_pdf
from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.domain import CaseFlags, Category, EntryKind
from vault.session import VaultManager
from vault.settings import SettingsStore
from vault.ui import theme
from vault.ui.application import create_application
from vault.ui.vault_controller import VaultController

PASSPHRASE = "correct horse battery staple orbit"
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)


def _settle(ms: int = 150) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _save(widget: QWidget, out: Path, name: str) -> Path:
    _settle()
    path = out / f"{name}.png"
    widget.grab().save(str(path), "PNG")
    return path


def _over(window: QWidget, dialog: QWidget, out: Path, name: str) -> Path:
    """The window with ``dialog`` drawn over its centre (offscreen has no compositor)."""
    dialog.move(window.geometry().center() - dialog.rect().center())
    _settle()
    offset = dialog.mapToGlobal(QPoint(0, 0)) - window.mapToGlobal(QPoint(0, 0))
    picture = window.grab()
    painter = QPainter(picture)
    painter.drawPixmap(offset, dialog.grab())
    painter.end()
    path = out / f"{name}.png"
    picture.save(str(path), "PNG")
    return path


def _try(saved: list[Path], shot: Callable[[], Path | None]) -> None:
    try:
        path = shot()
    except Exception as exc:
        print(f"skipped: {type(exc).__name__}: {exc}", file=sys.stderr)
        return
    if path is not None:
        saved.append(path)


def make_ux_screenshots(out: Path, prefix: str = "ux-", *, dark: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    before = app.palette()
    if dark:
        app.setPalette(theme.dark_palette())
        theme.apply_theme(app)
    mode = "-dark" if dark else ""
    QCursor.setPos(5000, 5000)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="casevault-ux-") as tmp:
        base = Path(tmp)
        clock = FixedClock(NOW)
        manager = VaultManager(root=base / "vault", clock=clock,
                               kdf_params=Argon2Params(1, 8, 1), is_accredited=lambda: True)
        controller = VaultController(app, manager,
                                     settings_store=SettingsStore(base / "settings.json"))
        try:
            create = controller.show_create()
            create.resize(720, 700)
            create.passphrase.setText("password1234")
            create.confirm.setText("password1234")
            create.submit()
            _try(saved, lambda: _save(create, out, f"{prefix}create-vault-refused{mode}"))
            create.hide()

            session = manager.create(PASSPHRASE)
            session.training.choose_union("bectu")
            session.training.record("reps1", dt.date(2026, 1, 10))
            amy = session.members.add("Amy Chen", membership_number="B-1001",
                                      employer="Northfield Studios",
                                      email="amy.chen@northfieldstudios.co.uk")
            jo = session.members.add("Jo Bloggs", membership_number="B-1002")
            first = session.cases.open(amy.id, "Disciplinary hearing about timekeeping",
                                       Category.DISCIPLINARY,
                                       flags=CaseFlags(dismissal_threatened=True))
            session.escalation.record_escalated(first.ref, to="Sam Adeyemi, branch caseworker",
                                                on=NOW.date())
            second = session.cases.open(jo.id, "Grievance about shift pattern",
                                        Category.GRIEVANCE)
            session.trail_log.log(second.ref, EntryKind.ORAL_ADVICE.value,
                                  "Advised Jo to put the grievance in writing to HR within "
                                  "five working days, copying the branch")
            files = base / "files"
            files.mkdir()
            session.documents.import_file(first.ref, make_pdf(files / "invite.pdf", pages=3))
            controller.open_session(session)
            window = controller.main_window
            window.resize(1280, 800)

            # 1. New case from Members with Jo selected; 3. the escalation wording.
            window.open_member(jo.id)

            def new_case() -> Path:
                window.new_case_action.trigger()
                from vault.ui.dialogs.open_case_dialog import OpenCaseDialog
                dialog = next(d for d in window.findChildren(OpenCaseDialog) if d.isVisible())
                dialog.title.setText("Hearing: dismissal threatened")
                dialog.flag_boxes["dismissal_threatened"].setChecked(True)
                path = _over(window, dialog, out, f"{prefix}new-case{mode}")
                dialog.reject()
                return path
            _try(saved, new_case)

            def escalation() -> Path:
                from vault.ui.dialogs.escalation_dialog import EscalationDialog
                dialog = EscalationDialog(window.context, session.escalation.status(first.ref),
                                          window)
                dialog.show()
                path = _over(window, dialog, out, f"{prefix}escalation-dialog{mode}")
                dialog.reject()
                return path
            _try(saved, escalation)

            window.open_case(first.ref, "overview")
            _try(saved, lambda: _save(window, out, f"{prefix}case-overview{mode}"))

            def conflict() -> Path:
                from vault.ui.dialogs.conflict_dialog import ConflictDialog
                added = session.parties.add(second.ref, "Amy Chan", "witness")
                dialog = ConflictDialog(window.context, added.conflicts, window,
                                        viewing_ref=second.ref)
                dialog.show()
                path = _over(window, dialog, out, f"{prefix}conflict-dialog{mode}")
                dialog.reject()
                return path
            _try(saved, conflict)

            window.open_case(second.ref, "paper-trail")
            _try(saved, lambda: _save(window, out, f"{prefix}case-paper-trail{mode}"))

            def documents() -> Path:
                window.open_case(first.ref, "documents")
                tab = window.case_page.tab_by_key["documents"]
                tab.select_document(tab.model.rows[0].id)
                _settle(600)
                return _save(window, out, f"{prefix}case-documents{mode}")
            _try(saved, documents)

            for key in ("members", "training", "settings", "help", "home"):
                window.show_page(key)
                if key == "members":
                    window.pages["members"].select_member(amy.id)
                _try(saved, lambda key=key: _save(window, out, f"{prefix}{key}{mode}"))
        finally:
            controller.shutdown()
            for widget in QApplication.topLevelWidgets():
                widget.close()
            if dark:
                app.setPalette(before)
                theme.apply_theme(app)
    return saved


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    prefix = argv[1] if len(argv) > 1 else "ux-"
    for dark in (False, True):
        try:
            paths = make_ux_screenshots(out, prefix, dark=dark)
        except AttributeError as exc:  # an older tree has no dark palette
            print(f"skipped dark: {exc}", file=sys.stderr)
            continue
        for path in paths:
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
