"""Every control has an accessible name; the nav rail is keyboard-reachable; run_gui."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from tests.ui.helpers import add_member_and_case
from vault.ui.application import APP_DISPLAY_NAME, run_gui

_CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
             QPlainTextEdit, QTextEdit)


_COMPOSITE_PARENTS = ("QAbstractSpinBox", "QSpinBox", "QDateEdit", "QComboBox", "QScrollBar",
                      "QComboBoxPrivateContainer", "QLineEdit", "QTableView", "QTabBar",
                      "QToolBarExtension", "QCalendarWidget")


def _unnamed(root) -> list[str]:  # type: ignore[no-untyped-def]
    """Controls a screen reader could land on that have no accessible name.

    Parts Qt builds inside a named control (a combo's popup list, a line edit's clear button,
    a table's header, a spin box's arrows) take their name from that control and are skipped.
    """
    missing = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, _CONTROLS):
            continue
        parent = widget.parent()
        if parent is not None and parent.metaObject().className() in _COMPOSITE_PARENTS:
            continue
        if widget.objectName().startswith("qt_"):
            continue  # Qt's own internals (scroll-area corners, calendar parts, ...)
        if not widget.accessibleName():
            missing.append(f"{widget.metaObject().className()} in "
                           f"{parent.metaObject().className() if parent else '-'}")
    return missing


def test_every_control_has_an_accessible_name(unlocked, qtbot):
    window = unlocked.main_window
    _m, case = add_member_and_case(unlocked.session)
    for key in [spec.key for spec in window.registry.pages()]:  # every page (built on demand)
        window.show_page(key)
    window.open_case(case.ref)
    dialogs = [window.new_member(), window.new_case()]
    window.pages["settings"].change_passphrase()
    assert _unnamed(window) == []
    for dialog in dialogs:
        assert dialog is not None and _unnamed(dialog) == []
    unlocked.lock()
    assert _unnamed(unlocked.unlock_window) == []


def test_create_window_controls_are_named(controller):
    assert _unnamed(controller.show_create()) == []


def test_nav_rail_buttons_take_keyboard_focus(unlocked):
    for button in unlocked.main_window.rail.buttons.values():
        assert button.focusPolicy() & button.focusPolicy().TabFocus


def test_run_gui_starts_and_quits_cleanly(ui_manager, qtbot, monkeypatch):
    previous_hook = sys.excepthook
    seen = {}

    def quit_soon() -> None:
        seen["hook"] = sys.excepthook
        seen["windows"] = [w.windowTitle() for w in QApplication.topLevelWidgets()
                           if w.isVisible()]
        QApplication.instance().exit(0)

    QTimer.singleShot(0, quit_soon)
    assert run_gui(ui_manager, []) == 0
    assert QApplication.instance().applicationName() == APP_DISPLAY_NAME
    assert seen["hook"] is not previous_hook  # the crash handler was installed while running
    assert sys.excepthook is previous_hook    # and removed afterwards
    assert any("Create your vault" in t for t in seen["windows"])
    for widget in QApplication.topLevelWidgets():
        widget.close()
