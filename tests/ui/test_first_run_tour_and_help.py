"""The first-run tour (after creating a vault, skippable, reopened from Help) and the Help
page's guide: rendered from the Markdown, its links scroll, its PDF is saved on a worker."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import STRONG_PASSPHRASE
from tests.ui.test_accessibility_and_app import _unnamed
from vault.ui.application import DESKTOP_FILE_ID, create_application
from vault.ui.dialogs.first_run_tour_dialog import FirstRunTourDialog, tour_steps


def _create_through_the_window(controller, qtbot) -> FirstRunTourDialog:
    window = controller.show_create()
    window.passphrase.setText(STRONG_PASSPHRASE)
    window.confirm.setText(STRONG_PASSPHRASE)
    with qtbot.waitSignal(controller.unlocked, timeout=20_000):
        qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    # The recovery code is offered first (issue 11); the tour follows when it closes.
    code = controller.recovery_code_dialog
    assert code is not None and controller.tour is None
    code.reject()
    tour = controller.tour
    assert tour is not None
    qtbot.waitUntil(tour.isVisible)
    return tour


def test_creating_a_vault_opens_the_tour_over_the_main_window(controller, qtbot):
    tour = _create_through_the_window(controller, qtbot)
    assert tour.parent() is controller.main_window and controller.main_window.isVisible()
    assert [s.title for s in tour.steps] == ["Your vault is ready", "The lock", "Three habits",
                                             "Help is one key away"]
    assert tour.position.text() == "1 of 4" and not tour.back_button.isEnabled()
    assert _unnamed(tour) == []


def test_tour_says_where_the_vault_lives_the_lock_and_the_three_habits(tmp_path: Path):
    steps = tour_steps(tmp_path / "my <vault>", 7)
    text = " ".join(s.html for s in steps)
    assert "my &lt;vault&gt;" in text                       # the folder, escaped
    assert "<b>7 minutes</b>" in text and "Ctrl+L" in text
    for habit in ("Encrypt.", "Keep cases apart.", "Follow oral advice up in writing."):
        assert habit in text
    assert "recovery code" in text.lower()                  # issue 11 landed


def test_tour_walks_forward_and_back_to_done(controller, qtbot):
    tour = _create_through_the_window(controller, qtbot)
    for expected in ("2 of 4", "3 of 4", "4 of 4"):
        qtbot.mouseClick(tour.next_button, Qt.MouseButton.LeftButton)
        assert tour.position.text() == expected
    assert tour.next_button.text() == "Done" and not tour.skip_button.isVisible()
    qtbot.mouseClick(tour.back_button, Qt.MouseButton.LeftButton)
    assert tour.position.text() == "3 of 4" and tour.skip_button.isVisible()
    tour.next()
    with qtbot.waitSignal(tour.finished):
        qtbot.mouseClick(tour.next_button, Qt.MouseButton.LeftButton)
    assert controller.tour is None


def test_tour_can_be_skipped_at_once(controller, qtbot):
    tour = _create_through_the_window(controller, qtbot)
    with qtbot.waitSignal(tour.finished):
        qtbot.mouseClick(tour.skip_button, Qt.MouseButton.LeftButton)
    assert controller.tour is None
    assert controller.main_window.isVisible()


def test_escape_skips_the_tour(controller, qtbot):
    tour = _create_through_the_window(controller, qtbot)
    with qtbot.waitSignal(tour.finished):
        qtbot.keyClick(tour, Qt.Key.Key_Escape)


def test_unlocking_an_existing_vault_shows_no_tour(unlocked):
    assert unlocked.tour is None


def test_locking_closes_the_tour(controller, qtbot):
    tour = _create_through_the_window(controller, qtbot)
    controller.lock()
    assert controller.tour is None
    qtbot.waitUntil(lambda: not tour.isVisible())
    assert controller.unlock_window is not None and controller.unlock_window.isVisible()


def test_help_reopens_the_tour(unlocked, qtbot):
    unlocked.main_window.show_page("help")
    page = unlocked.main_window.pages["help"]
    qtbot.mouseClick(page.tour_button, Qt.MouseButton.LeftButton)
    assert page.tour is not None
    qtbot.waitUntil(page.tour.isVisible)
    assert page.tour.position.text() == "1 of 4"
    assert str(unlocked.session.root) in page.tour.steps[0].html


def test_help_shows_the_guide_and_this_vaults_settings(unlocked):
    unlocked.main_window.show_page("help")
    page = unlocked.main_window.pages["help"]
    text = page.browser.toPlainText()
    for heading in ("Casework Vault: a guide for reps", "The daily routine",
                    "A case, from first meeting to destruction", "Exporting a case bundle",
                    "What the vault does not protect", "This vault now"):
        assert heading in text
    minutes = unlocked.settings.current.auto_lock_minutes
    assert f"Auto-lock is set to {minutes} minutes" in text
    assert "Choose your union on the Training page" in text
    assert "Go to Home" in text and "Lock the vault now" in text


def test_help_lists_the_union_profiles_links(unlocked):
    unlocked.session.training.choose_union("ucu")
    unlocked.main_window.show_page("help")
    page = unlocked.main_window.pages["help"]
    page.refresh()
    profile = unlocked.session.training.current_profile()
    assert profile is not None and profile.links
    html = page.browser.toHtml()
    assert all(link.url in html for link in profile.links)


def test_guide_links_scroll_the_page_and_never_open_anything_else(unlocked, qtbot, monkeypatch):
    unlocked.main_window.resize(1000, 600)
    unlocked.main_window.show_page("help")
    page = unlocked.main_window.pages["help"]
    qtbot.waitExposed(page.browser)
    opened: list[QUrl] = []
    monkeypatch.setattr("vault.ui.pages.help_page.QDesktopServices.openUrl",
                        lambda url: opened.append(url))
    bar = page.browser.verticalScrollBar()
    bar.setValue(0)
    page.follow_link(QUrl("#what-the-vault-does-not-protect"))
    assert bar.value() > 0
    page.follow_link(QUrl("file:///etc/passwd"))
    assert opened == []
    page.follow_link(QUrl("https://www.acas.org.uk/"))
    assert [u.toString() for u in opened] == ["https://www.acas.org.uk/"]


def test_save_the_guide_as_pdf_on_a_worker(unlocked, qtbot, tmp_path: Path):
    unlocked.main_window.show_page("help")
    page = unlocked.main_window.pages["help"]
    out = tmp_path / "guide"
    unlocked.file_dialogs.set_next_save_path(out)
    task = page.save_pdf()
    assert task is not None
    with qtbot.waitSignal(task.signals.finished, timeout=30_000):
        pass
    saved = tmp_path / "guide.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    assert "saved to" in page.status.text()
    unlocked.file_dialogs.set_next_save_path(None)
    assert page.save_pdf() is None and page.status.text() == "No PDF was saved."


def test_window_icon_is_the_apps_own(qapp):
    app = create_application([])
    assert app.desktopFileName() == DESKTOP_FILE_ID
    icon = QApplication.windowIcon()
    assert not icon.isNull()
    assert {s.width() for s in icon.availableSizes()} >= {16, 32, 48, 64, 128, 256}
