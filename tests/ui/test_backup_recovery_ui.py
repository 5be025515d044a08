"""Issue 11 in the app: make a recovery code in Settings, forget the passphrase and recover on
the unlock card; back up from Settings with progress; automatic backups; last backup on Home."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt

from tests.ui.conftest import STRONG_PASSPHRASE
from vault.ui.dialogs.recovery_code_dialog import RecoveryCodeDialog

NEW_PASSPHRASE = "violet lantern across frozen harbour"
# Screenshots go to docs/screenshots only when asked (CASEVAULT_SCREENSHOTS=1), so a test run
# leaves the work tree clean.
SHOTS = (Path(__file__).resolve().parents[2] / "docs" / "screenshots"
         if os.environ.get("CASEVAULT_SCREENSHOTS") else Path(tempfile.gettempdir()) / "cv-shots")


def _make_code(unlocked, qtbot) -> tuple[RecoveryCodeDialog, str]:  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    window.show_page("settings")
    panel = window.pages["settings"].backup_panel
    panel.refresh()
    assert "no recovery code" in panel.code_text.text()
    dialog = panel.make_recovery_code()
    assert dialog is not None
    cancel = next(b for b in dialog.ask_buttons.buttons() if b.text() == "Cancel")
    assert cancel.isDefault()  # Enter never replaces a code
    dialog.passphrase.setText("not my passphrase at all")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.error.isVisible(), timeout=20_000)
    assert "does not unlock" in dialog.error.text()
    dialog.passphrase.setText(STRONG_PASSPHRASE)
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.showing_code, timeout=20_000)
    words = [label.text().split(". ", 1)[1] for label in dialog.word_labels]
    assert len(words) == 15
    assert not dialog.done_button.isEnabled()
    dialog.reject()  # not before the words are written down
    assert dialog.isVisible()
    return dialog, " ".join(words)


def test_recovery_code_then_forgot_passphrase(unlocked, ui_manager, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog, code = _make_code(unlocked, qtbot)
    unlocked.file_dialogs.set_next_save_path(tmp_path / "sheet.pdf")
    dialog.save_sheet()
    assert (tmp_path / "sheet.pdf").read_bytes().startswith(b"%PDF")
    assert "Print it" in dialog.sheet_note.text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "recovery-code-dialog.png"))
    dialog.written.setChecked(True)
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert all(not label.text() for label in dialog.word_labels)  # wiped

    unlocked.lock()
    unlock = unlocked.unlock_window
    forgot = unlock.forgot_passphrase()
    assert forgot is not None
    forgot.code.setPlainText(" ".join(code.split()[:10]))
    assert "10 of 15" in forgot.code_status.text()
    forgot.code.setPlainText("\n".join(f"{n}. {w[:4].upper()}"
                                       for n, w in enumerate(code.split(), start=1)))
    assert "check matches" in forgot.code_status.text()
    forgot.new.setText(NEW_PASSPHRASE)
    forgot.repeat.setText(NEW_PASSPHRASE + "x")
    forgot.submit()
    assert "different" in forgot.error.text()
    forgot.repeat.setText(NEW_PASSPHRASE)
    forgot.grab().save(str(SHOTS / "forgot-passphrase-dialog.png"))
    with qtbot.waitSignal(unlocked.unlocked, timeout=30_000):
        forgot.submit()
    kinds = [r["kind"] for r in unlocked.session.vault.db.query("SELECT kind FROM trail")]
    assert "passphrase-reset-with-recovery-code" in kinds
    unlocked.lock()
    unlock.passphrase.setText(NEW_PASSPHRASE)
    with qtbot.waitSignal(unlocked.unlocked, timeout=20_000):
        qtbot.mouseClick(unlock.unlock_button, Qt.MouseButton.LeftButton)


def test_a_wrong_recovery_code_is_refused(unlocked, qtbot) -> None:  # type: ignore[no-untyped-def]
    from vault.crypto import recovery_code

    dialog, _code = _make_code(unlocked, qtbot)
    dialog.written.setChecked(True)
    dialog.accept()
    unlocked.lock()
    forgot = unlocked.unlock_window.forgot_passphrase()
    forgot.code.setPlainText(recovery_code.generate())  # well formed, not this vault's
    forgot.new.setText(NEW_PASSPHRASE)
    forgot.repeat.setText(NEW_PASSPHRASE)
    forgot.submit()
    qtbot.waitUntil(lambda: not forgot.busy_now, timeout=20_000)
    assert forgot.error.text() == "That recovery code does not open this vault."
    assert not unlocked.is_unlocked


def test_back_up_now_with_progress_and_home_shows_its_age(unlocked, qtbot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    window.show_page("home")
    home = window.pages["home"]
    home.refresh()
    assert home.backup_age.text().startswith("No backup yet")
    window.show_page("settings")
    panel = window.pages["settings"].backup_panel
    out = tmp_path / "drive" / "vault.cvbackup"
    out.parent.mkdir()
    unlocked.file_dialogs.set_next_save_path(out)
    task = panel.back_up_now()
    assert task is not None and panel.progress.isVisibleTo(panel)
    with qtbot.waitSignal(task.signals.done, timeout=30_000):
        pass
    assert out.exists()
    assert "Backup written to" in panel.result.text()
    assert panel.last_backup.text() == "Last backup: today."
    window.show_page("settings")
    window.pages["settings"].grab().save(str(SHOTS / "settings-backups.png"))
    window.show_page("home")
    home.refresh()
    assert home.backup_age.text() == "Last backup: today."


def test_automatic_backups_folder_and_run_at_open(unlocked, ui_manager, ui_clock, qtbot,
                                                  tmp_path) -> None:
    window = unlocked.main_window
    window.show_page("settings")
    panel = window.pages["settings"].backup_panel
    panel.refresh()
    drive = tmp_path / "usb"
    drive.mkdir()
    unlocked.file_dialogs.set_next_folder(drive)
    panel.automatic.setChecked(True)
    settings = unlocked.session.admin.backups.settings()
    assert settings.automatic and settings.folder == drive and settings.keep == 5
    assert panel.folder_label.text() == str(drive)
    panel.keep.setValue(2)
    assert unlocked.session.admin.backups.settings().keep == 2
    for _ in range(3):
        unlocked.lock()
        ui_clock.advance(days=1, seconds=60)
        session = ui_manager.unlock(STRONG_PASSPHRASE)
        unlocked.open_session(session)
        qtbot.waitUntil(lambda: not unlocked.tasks.active, timeout=30_000)
    qtbot.waitUntil(lambda: len(list(drive.glob("*.cvbackup"))) == 2, timeout=30_000)


def test_backup_age_words() -> None:
    import datetime as dt

    from vault.ui.widgets.backup_panel import backup_age_text

    when = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)
    assert backup_age_text(None).startswith("No backup yet")
    assert backup_age_text(dt.timedelta(hours=3), when) == "Last backup: today."
    assert backup_age_text(dt.timedelta(days=1, hours=2), when) == "Last backup: yesterday."
    assert backup_age_text(dt.timedelta(days=5), when) == "Last backup: 5 days ago (18 Nov 2026)."
    assert backup_age_text(dt.timedelta(days=9), when).endswith("Time for a new one.")


def test_a_new_vault_offers_its_recovery_code(controller, qtbot) -> None:  # type: ignore[no-untyped-def]
    controller.start()
    window = controller.create_window
    assert window is not None
    session = controller.manager.create(STRONG_PASSPHRASE)
    window.created.emit(session)
    dialogs = [d for d in controller.main_window.findChildren(RecoveryCodeDialog)
               if d.isVisible()]
    assert len(dialogs) == 1 and not dialogs[0].showing_code
