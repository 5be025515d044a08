"""The "Done when" walk of issue 17, screen by screen, in light and dark, for docs/screenshots.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.make_walk_screenshots [OUT_DIR] [PREFIX]

A new vault, a member (work email), a case with dismissal threatened typed by keyboard only,
the first meeting with an action point, oral advice, its follow-up opened from Home, a party,
a search, a document, training, lock and unlock. A throwaway vault in a temp folder (fast KDF:
a development tool, never the product) with fictional people. Each step that the tree cannot
show is skipped, so the same script made the ``walk-before-*`` pictures.
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

from PySide6.QtCore import QEventLoop, QPoint, Qt, QTimer
from PySide6.QtGui import QCursor, QPainter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.helpers import make_pdf
from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.domain import EntryKind
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


def _visible(kind: type) -> QWidget:
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def _keys(widget: QWidget, *keys: Qt.Key) -> None:
    for key in keys:
        target = widget.window().focusWidget() or widget
        QTest.keyClick(target, key)


def make_walk_screenshots(out: Path, prefix: str = "walk-", *,
                          dark: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    before = app.palette()
    if dark:
        app.setPalette(theme.dark_palette())
        theme.apply_theme(app)
    mode = "-dark" if dark else ""
    QCursor.setPos(5000, 5000)
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="casevault-walk-") as tmp:
        base = Path(tmp)
        # A fresh ui-state.ini per pass: the dark pass must not inherit the light pass's sort.
        config_before = os.environ.get("CASEVAULT_CONFIG_DIR")
        os.environ["CASEVAULT_CONFIG_DIR"] = str(base / "config")
        clock = FixedClock(NOW)
        manager = VaultManager(root=base / "vault", clock=clock,
                               kdf_params=Argon2Params(1, 8, 1))
        controller = VaultController(app, manager,
                                     settings_store=SettingsStore(base / "settings.json"))
        try:
            create = controller.show_create()
            create.resize(720, 760)
            create.passphrase.setText(PASSPHRASE)
            create.confirm.setText(PASSPHRASE)
            _try(saved, lambda: _save(create, out, f"{prefix}01-new-vault{mode}"))
            create.hide()

            session = manager.create(PASSPHRASE)
            session.training.choose_union("ucu")
            controller.open_session(session)
            window = controller.main_window
            window.resize(1280, 800)
            _settle(300)

            # A member, with a work email address (the warning must read whole).
            def member() -> Path:
                from vault.ui.dialogs.add_member_dialog import AddMemberDialog
                dialog = window.new_member()
                assert isinstance(dialog, AddMemberDialog)
                dialog.name.setText("Amy Chen")
                dialog.number.setText("UCU-1001")
                dialog.employer.setText("Northfield University")
                dialog.email.setText("amy.chen@northfield.ac.uk")
                path = _over(window, dialog, out, f"{prefix}02-new-member{mode}")
                dialog.submit()
                return path
            _try(saved, member)
            amy = session.members.list()[0].member if session.members.list() else None
            if amy is None:
                amy = session.members.add("Amy Chen", membership_number="UCU-1001",
                                          employer="Northfield University")
            amy_id = getattr(amy, "id", None) or session.members.list()[0].member.id

            # A case with dismissal threatened, by keyboard only.
            def new_case() -> Path:
                from vault.ui.dialogs.open_case_dialog import OpenCaseDialog
                window.activateWindow()
                window.new_case(amy_id)
                dialog = _visible(OpenCaseDialog)
                assert isinstance(dialog, OpenCaseDialog)
                dialog.activateWindow()
                _settle()
                dialog.title.setFocus()
                QTest.keyClicks(dialog.title, "Disciplinary: timekeeping, dismissal threatened")
                category = dialog.category
                category.setFocus()
                category.setCurrentIndex(max(0, category.findText("Disciplinary")))
                dialog.opened.setFocus(Qt.FocusReason.TabFocusReason)
                _keys(dialog, Qt.Key.Key_Tab, Qt.Key.Key_Space)
                path = _over(window, dialog, out, f"{prefix}03-new-case-keyboard{mode}")
                QTest.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_Return,
                               Qt.KeyboardModifier.ControlModifier)
                _settle(300)
                if dialog.isVisible():
                    dialog.submit()
                return path
            _try(saved, new_case)
            _settle(300)
            for top in QApplication.topLevelWidgets():
                if top is not window and top.isVisible() and top.isModal():
                    top.close()
            cases = session.cases.list()
            ref = cases[0].case.ref if cases else None
            if ref is None:
                return saved
            window.open_case(ref, "overview")
            _try(saved, lambda: _save(window, out, f"{prefix}04-case-overview{mode}"))

            # The first meeting, with a long action point.
            def first_meeting() -> Path:
                window.open_case(ref, "first-meeting")
                tab = window.case_page.tab_by_key["first-meeting"]
                tab.place.setText("Branch office, room 2")
                tab.save_meeting()
                tab.issue_text.setText("Timekeeping records disputed: the clock-in machine was "
                                       "broken for two weeks in October")
                tab.add_issue()
                text = ("Request the clock-in records for October and the maintenance log of "
                        "the machine from HR, copying the branch secretary")
                edit = tab.action_text
                if hasattr(edit, "setPlainText"):
                    edit.setPlainText(text)
                else:
                    edit.setText(text)
                return _save(window, out, f"{prefix}05-first-meeting{mode}")
            _try(saved, first_meeting)

            # Oral advice through the log dialog.
            def oral_advice() -> Path:
                window.open_case(ref, "paper-trail")
                tab = window.case_page.tab_by_key["paper-trail"]
                dialog = tab.open_log_dialog(kind=EntryKind.ORAL_ADVICE)
                dialog.summary.setText("Advised Amy to ask for the clock-in records before the "
                                       "hearing and not to resign")
                path = _over(window, dialog, out, f"{prefix}06-oral-advice{mode}")
                dialog.submit()
                return path
            _try(saved, oral_advice)
            for n in range(3):
                session.trail_log.log(ref, EntryKind.NOTE, f"Note {n + 1} about the hearing date")

            # The follow-up owed, on Home, then opened from there.
            clock.advance(days=5)
            window.show_page("home")
            window.pages["home"].refresh()
            _try(saved, lambda: _save(window, out, f"{prefix}07-home-follow-up{mode}"))

            def home_focus() -> Path:
                home = window.pages["home"]
                card = next(c for c in home.cards if c.buttons)
                window.activateWindow()
                _settle()
                card.buttons[0].setFocus(Qt.FocusReason.TabFocusReason)
                return _save(window, out, f"{prefix}08-home-focused-item{mode}")
            _try(saved, home_focus)

            def open_follow_up() -> Path:
                home = window.pages["home"]
                card = next(c for c in home.cards if c.section.key == "follow-ups-owed")
                card.buttons[0].click()
                _settle(300)
                return _save(window, out, f"{prefix}09-follow-up-opened{mode}")
            _try(saved, open_follow_up)

            def sorted_trail() -> Path:
                window.open_case(ref, "paper-trail")
                tab = window.case_page.tab_by_key["paper-trail"]
                tab.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
                window.show_page("home")
                window.open_case(ref, "paper-trail")
                return _save(window, out, f"{prefix}10-trail-sort-kept{mode}")
            _try(saved, sorted_trail)

            def party() -> Path:
                window.open_case(ref, "parties")
                tab = window.case_page.tab_by_key["parties"]
                tab.name.setText("Pat Manager")
                tab.add_party()
                _settle(300)
                for top in QApplication.topLevelWidgets():
                    if top is not window and top.isVisible() and top.isModal():
                        top.close()
                return _save(window, out, f"{prefix}11-party{mode}")
            _try(saved, party)

            def search() -> Path:
                window.search_box.setFocus()
                QTest.keyClicks(window.search_box, "clock-in")
                _settle(400)
                return _save(window, out, f"{prefix}12-search{mode}")
            _try(saved, search)

            def document() -> Path:
                files = base / "files"
                files.mkdir(exist_ok=True)
                session.documents.import_file(ref, make_pdf(files / "invite.pdf", pages=2))
                window.open_case(ref, "documents")
                tab = window.case_page.tab_by_key["documents"]
                tab.select_document(tab.model.rows[0].id)
                _settle(600)
                return _save(window, out, f"{prefix}13-document{mode}")
            _try(saved, document)

            def training() -> Path:
                window.show_page("training")
                return _save(window, out, f"{prefix}14-training{mode}")
            _try(saved, training)

            def lock_unlock() -> Path:
                window.open_case(ref, "paper-trail")
                controller.lock()
                _settle(300)
                unlock = controller.unlock_window
                assert unlock is not None
                unlock.resize(720, 600)
                path = _save(unlock, out, f"{prefix}15-locked{mode}")
                saved.append(path)
                unlock.passphrase.setText(PASSPHRASE)
                unlock.submit()
                for _ in range(100):
                    if controller.session is not None:
                        break
                    _settle(100)
                window.resize(1280, 800)
                return _save(window, out, f"{prefix}16-unlocked{mode}")
            _try(saved, lock_unlock)
        finally:
            controller.shutdown()
            for widget in QApplication.topLevelWidgets():
                widget.close()
            if dark:
                app.setPalette(before)
                theme.apply_theme(app)
            if config_before is None:
                os.environ.pop("CASEVAULT_CONFIG_DIR", None)
            else:
                os.environ["CASEVAULT_CONFIG_DIR"] = config_before
    return saved


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    prefix = argv[1] if len(argv) > 1 else "walk-"
    for dark in (False, True):
        for path in make_walk_screenshots(out, prefix, dark=dark):
            print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
