"""Drive the offscreen app through its main screens and save PNGs to docs/screenshots/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.make_screenshots [OUT_DIR]

Uses a throwaway vault in a temp folder (fast KDF: this is a development tool, never the
product) filled with fictional members and cases. ``test_screenshots.py`` runs it into a temp
folder on every test run so it never rots.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")

from PySide6.QtCore import QEventLoop, QPoint, QRect, QTimer
from PySide6.QtGui import QColor, QCursor, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.helpers import make_pdf, make_png, make_text
from vault.casework.conflicts import ConflictDecision
from vault.casework.first_meeting import ActionOwner
from vault.casework.parties import PartyRole, UnionMembership
from vault.clock import FixedClock
from vault.crypto.kdf import Argon2Params
from vault.domain import CaseFlags, Category, EntryKind
from vault.session import Session, VaultManager
from vault.settings import SettingsStore
from vault.ui.application import create_application
from vault.ui.case_tabs.documents_tab import DocumentsTab
from vault.ui.case_tabs.paper_trail_tab import PaperTrailTab
from vault.ui.case_tabs.parties_tab import PartiesTab
from vault.ui.dialogs.conflict_dialog import ConflictDialog
from vault.ui.vault_controller import VaultController

PASSPHRASE = "correct horse battery staple orbit"
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
_DIM = QColor(0, 0, 0, 70)


def _settle(ms: int = 150) -> None:
    """Let layouts, paints and queued signals run for ``ms``."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _wait_for(condition: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    """Let the event loop run until ``condition`` holds (a worker reported back)."""
    waited = 0
    while not condition():
        if waited >= timeout_ms:
            raise RuntimeError("timed out waiting for the app")
        _settle(50)
        waited += 50


def _save(widget: QWidget, out: Path, name: str) -> Path:
    _settle()
    path = out / f"{name}.png"
    if not widget.grab().save(str(path), "PNG"):
        raise RuntimeError(f"could not save {path}")
    return path


def _save_with_dialog(window: QWidget, dialog: QWidget, out: Path, name: str) -> Path:
    """The window with ``dialog`` drawn over it where it sits (offscreen has no compositor)."""
    _settle()
    offset = dialog.mapToGlobal(QPoint(0, 0)) - window.mapToGlobal(QPoint(0, 0))
    picture = window.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), _DIM)
    painter.drawPixmap(offset, dialog.grab())
    painter.setPen(QColor(0, 0, 0, 110))
    painter.drawRect(QRect(offset, dialog.size()).adjusted(-1, -1, 0, 0))
    painter.end()
    path = out / f"{name}.png"
    if not picture.save(str(path), "PNG"):
        raise RuntimeError(f"could not save {path}")
    return path


def _casework(session: Session, clock: FixedClock, ref: str) -> None:
    """The first meeting, paper trail, escalations and follow-ups the casework shots show."""
    day = dt.timedelta(days=1)
    clock.set(NOW - 10 * day)
    session.first_meeting.record(ref, held_on=(NOW - 10 * day).date(),
                                 place="Union office, room 2.14")
    issues = [session.first_meeting.add_issue(ref, text, raised_later=False) for text in (
        "No written warning before the hearing invitation",
        "Lateness caused by the changed bus timetable",
        "Clock-in records not shared with the member",
    )]
    session.first_meeting.set_narrative(
        ref, "Amara has worked in the School of Engineering for six years with no previous "
             "warnings. Since the bus timetable changed in September she has been late on "
             "seven mornings, by 5 to 15 minutes, and told her manager each time. On 12 "
             "October she received an invitation to a disciplinary hearing without any "
             "informal discussion first.")
    session.first_meeting.add_action(ref, "Request the clock-in records from HR",
                                      ActionOwner.REP, (NOW + 2 * day).date())
    done = session.first_meeting.add_action(
        ref, "Write down the dates and times of each late arrival", ActionOwner.MEMBER,
        (NOW - 4 * day).date())
    session.first_meeting.add_action(ref, "Ask the regional office about flexible start times",
                                     ActionOwner.UNION, (NOW + 4 * day).date())
    session.trail_log.log(ref, EntryKind.MEETING, "First meeting with the member",
                          detail="Went through the invitation letter and agreed the issues.",
                          occurred=NOW - 10 * day)
    old_advice = session.trail_log.log(
        ref, EntryKind.ORAL_ADVICE, "Advised to bring evidence of the timetable change",
        detail="Bring the old and new timetables and any messages sent to your manager.",
        occurred=NOW - 10 * day, channel="meeting")
    clock.set(NOW - 8 * day)
    session.first_meeting.set_action_done(ref, done.id)
    session.trail_log.log(ref, EntryKind.EMAIL_SENT, "Written follow-up of the meeting advice",
                          follows_up=old_advice.seq, occurred=NOW - 8 * day)
    call = session.trail_log.log(ref, EntryKind.PHONE_CALL, "Called HR about the hearing date",
                                 occurred=NOW - 8 * day)
    session.trail_log.correct(ref, call.seq, "Called HR to ask to move the hearing date",
                              detail="HR agreed to move it by one week.")
    clock.set(NOW - 5 * day)
    session.first_meeting.set_issue_addressed(ref, issues[0].id,
                                              note="HR confirmed no warning was given")
    session.first_meeting.add_issue(ref, "Comments made about the member in a team meeting",
                                    raised_later=True)
    session.escalation.record_escalated(ref, to="Sam Adeyemi, branch caseworker",
                                        on=(NOW - 5 * day).date())
    session.trail_log.log(
        ref, EntryKind.ORAL_ADVICE, "Advised not to resign before the hearing",
        detail="Resigning now could affect any claim later. Wait for the outcome and we will "
               "talk through the options.", occurred=NOW - 5 * day, channel="phone call")
    clock.set(NOW - 1 * day)
    session.trail_log.log(ref, EntryKind.ORAL_ADVICE, "Advised to ask for the notes of the "
                          "investigation meeting", occurred=NOW - 1 * day, channel="meeting")
    clock.set(NOW)


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


def _followup_note(session: Session, advice_seq: int, out: Path, tmp: Path) -> Path | None:
    """The follow-up note PDF rendered to followup-note.png with poppler's pdftoppm at 60 dpi
    (None when pdftoppm is not installed)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        print("pdftoppm not found: followup-note.png not made", file=sys.stderr)
        return None
    pdf = session.followups.render_pdf(advice_seq, tmp / "followup-note.pdf",
                                       rep_name="Jordan Ellis", union_name="UCU")
    stem = out / "followup-note"
    subprocess.run([pdftoppm, "-png", "-r", "60", "-singlefile", str(pdf), str(stem)],
                   check=True)
    return stem.with_suffix(".png")


def make_screenshots(out: Path) -> list[Path]:
    """Write the screenshots into ``out``; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    app = create_application([])
    QCursor.setPos(5000, 5000)  # no hover highlight in the pictures
    saved: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="casevault-shots-") as tmp:
        base = Path(tmp)
        # Column widths and sort orders the developer chose (ui-state.ini) stay out of the
        # pictures: the app's own defaults, in a config folder of the throwaway vault.
        config_before = os.environ.get("CASEVAULT_CONFIG_DIR")
        os.environ["CASEVAULT_CONFIG_DIR"] = str(base / "config")
        clock = FixedClock(NOW)
        # The rep in the pictures is an accredited case handler: only dismissal and
        # discrimination cases prompt for escalation.
        manager = VaultManager(root=base / "vault", clock=clock,
                               kdf_params=Argon2Params(1, 8, 1), is_accredited=lambda: True)
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
            _casework(session, clock, shown_ref)
            controller.open_session(session)
            window = controller.main_window
            window.resize(1280, 800)
            # A vault just created: the recovery code is offered first, then the tour opens.
            code = controller.recovery_code_dialog
            if code is not None:
                code.reject()
            tour = controller.tour
            assert tour is not None
            for number, name in enumerate(("vault", "lock", "habits", "help"), start=1):
                _settle()
                saved.append(_save_with_dialog(window, tour, out, f"tour-{number}-{name}"))
                tour.next()
            saved.append(_save(window, out, "home"))

            window.show_page("members")
            members = window.pages["members"]
            members.select_member(session.members.list()[0].member.id)
            saved.append(_save(window, out, "members"))

            window.show_page("cases")
            saved.append(_save(window, out, "cases"))

            window.open_case(shown_ref, "overview")
            saved.append(_save(window, out, "case-overview"))

            window.open_case(shown_ref, "first-meeting")
            saved.append(_save(window, out, "case-first-meeting"))

            window.open_case(shown_ref, "paper-trail")
            trail_tab = window.case_page.tab_by_key["paper-trail"]
            assert isinstance(trail_tab, PaperTrailTab)
            corrected = next(r for r in trail_tab.model.rows if r.entry.corrects is not None)
            trail_tab.select_entry(corrected.seq)
            trail_tab.verify()
            _wait_for(lambda: trail_tab.last_report is not None)
            saved.append(_save(window, out, "case-paper-trail"))

            # The note is a page, not a screen: written beside the screenshots, not listed.
            _followup_note(session, trail_tab.owed()[0].advice_seq, out, base)

            window.open_case(shown_ref, "parties")
            parties = window.case_page.tab_by_key["parties"]
            assert isinstance(parties, PartiesTab)
            session.parties.add(shown_ref, "Grace Whitfield", PartyRole.WITNESS,
                                UnionMembership.YES)
            parties.name.setText("Dan Reyes")
            parties.role.setCurrentIndex(parties.role.findData(PartyRole.MANAGER.value))
            dialog = parties.add_party()
            assert isinstance(dialog, ConflictDialog)
            dialog.cards[0].choose(ConflictDecision.PROCEED,
                                   "Manages another team; not involved in this hearing")
            dialog.move(window.geometry().center() - dialog.rect().center())
            saved.append(_save_with_dialog(window, dialog, out, "case-parties-conflict"))
            dialog.reject()

            window.resize(1280, 1000)
            window.show_page("home")
            saved.append(_save(window, out, "home-today"))
            window.resize(1280, 800)

            window.search_box.setText("Reyes")
            window.search_everything("Reyes")
            saved.append(_save(window, out, "search"))
            window.search_box.clear()

            window.open_case(shown_ref, "documents")
            tab = window.case_page.tab_by_key["documents"]
            assert isinstance(tab, DocumentsTab)
            pdf = next(d for d in tab.model.rows if d.media_type == "application/pdf")
            tab.select_document(pdf.id)
            _settle(600)
            saved.append(_save(window, out, "case-documents-pdf"))

            # Export bundle… with the email draft, for the member (not "For the branch").
            export = window.case_page.open_export()
            assert export is not None
            export.eml_box.setChecked(True)
            export.sender_edit.setText("rep@branch.example.org")
            export.destination.path_edit.setText("/home/rep/Documents/bundle-2026-11-23.zip")
            export.resize(export.width(), export.heightForWidth(export.width()))
            saved.append(_save(export, out, "export-bundle-dialog"))
            export.reject()

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
            if config_before is None:
                os.environ.pop("CASEVAULT_CONFIG_DIR", None)
            else:
                os.environ["CASEVAULT_CONFIG_DIR"] = config_before
    return saved


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else DEFAULT_OUT
    for path in make_screenshots(out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
