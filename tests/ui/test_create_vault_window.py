"""First start: the create-vault window refuses weak passphrases with a reason, then creates."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import STRONG_PASSPHRASE
from vault.ui.windows.create_vault_window import INTRO, CreateVaultWindow


def _fill(window: CreateVaultWindow, first: str, second: str) -> None:
    window.passphrase.setText(first)
    window.confirm.setText(second)


def test_first_start_shows_the_create_window(controller, qtbot):
    controller.start()
    window = controller.create_window
    assert window is not None and window.isVisible()
    assert controller.unlock_window is None
    # Two sentences: what it protects, and that nobody can recover a forgotten passphrase.
    assert INTRO.count(". ") == 1 and INTRO.endswith(".")
    assert "nobody" in INTRO


def test_short_passphrase_is_refused_with_its_reason(controller, qtbot):
    window = controller.show_create()
    _fill(window, "short", "short")
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    assert window.error.isVisible()
    assert "at least 12 characters" in window.error.text()
    assert not controller.manager.exists()
    assert not window.busy_now


def test_weak_long_passphrase_is_refused_with_zxcvbn_reason(controller, qtbot):
    window = controller.show_create()
    _fill(window, "password1234", "password1234")
    assert window.meter.report is not None and not window.meter.report.acceptable
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    assert window.error.text().startswith("Too weak:")
    # Says what to do, rather than repeating the meter's hint underneath the field.
    assert "Use four or five unrelated words" in window.error.text()
    assert window.meter.report.reason not in window.error.text()
    assert not controller.manager.exists()


def test_mismatch_is_refused(controller, qtbot):
    window = controller.show_create()
    _fill(window, STRONG_PASSPHRASE, STRONG_PASSPHRASE + "x")
    qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    assert "different" in window.error.text()
    assert not controller.manager.exists()


def test_strong_passphrase_creates_the_vault_off_the_gui_thread(controller, qtbot):
    window = controller.show_create()
    _fill(window, STRONG_PASSPHRASE, STRONG_PASSPHRASE)
    assert window.meter.report is not None and window.meter.report.acceptable
    with qtbot.waitSignal(controller.unlocked, timeout=20_000):
        qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
        # The click returns at once: key derivation runs on a worker with a busy indicator.
        assert window.busy.isVisibleTo(window)
        assert not window.create_button.isEnabled()
    assert controller.manager.exists()
    assert controller.main_window.isVisible()
    assert controller.create_window is None


def test_the_union_is_chosen_at_creation(controller, qtbot):
    window = controller.show_create()
    labels = [window.union.itemText(i) for i in range(window.union.count())]
    assert labels[0] == "Choose later" and any("Prospect" in label for label in labels)
    window.union.setCurrentIndex(window.union.findData("prospect"))
    _fill(window, STRONG_PASSPHRASE, STRONG_PASSPHRASE)
    with qtbot.waitSignal(controller.unlocked, timeout=20_000):
        qtbot.mouseClick(window.create_button, Qt.MouseButton.LeftButton)
    session = controller.session
    assert session.training.current_profile().key == "prospect"
    settings = controller.main_window.pages["settings"]
    controller.main_window.show_page("settings")
    assert settings.union.currentData() == "prospect"
    assert "Prospect" in settings.union.currentText()
    assert "tell your Prospect officer" in settings.union_hint.text()
    # Changed in Settings: the Training page and every prompt follow.
    settings.union.setCurrentIndex(settings.union.findData("bectu"))
    assert session.training.current_profile().key == "bectu"
    assert session.training.wording().body == "your Bectu dedicated officer"
