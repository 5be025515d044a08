"""Issue 17.9: an unticked check box keeps a clear outline in light and dark palettes, and every
page renders in both."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QRadioButton, QStyle, QStyleOptionButton

from vault.ui import theme


def _luminance(c: QColor) -> float:
    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def _contrast(a: QColor, b: QColor) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@pytest.fixture(params=["light", "dark"])
def palette_mode(request, qapp):  # type: ignore[no-untyped-def]
    before = qapp.palette()
    palette = theme.dark_palette() if request.param == "dark" else qapp.style().standardPalette()
    qapp.setPalette(palette)
    theme.apply_theme(qapp)
    yield request.param
    qapp.setPalette(before)
    theme.apply_theme(qapp)


@pytest.mark.parametrize("kind", [QCheckBox, QRadioButton])
def test_unticked_boxes_stand_out_from_the_window(qtbot, palette_mode, kind):
    box = kind("Dismissal threatened")
    qtbot.addWidget(box)
    box.resize(220, 30)
    box.show()
    qtbot.waitExposed(box)
    image = box.grab().toImage()
    option = QStyleOptionButton()
    option.initFrom(box)
    element = (QStyle.SubElement.SE_CheckBoxIndicator if kind is QCheckBox
               else QStyle.SubElement.SE_RadioButtonIndicator)
    rect = box.style().subElementRect(element, option, box)
    window = QApplication.palette().color(QPalette.ColorRole.Window)
    best = max(_contrast(image.pixelColor(x, y), window)
               for x in range(rect.left(), rect.right() + 1)
               for y in range(rect.top(), rect.bottom() + 1))
    # WCAG's 3:1 for the parts of a control a user must see.
    assert best >= 3.0, f"{palette_mode}: the unticked outline's contrast is only {best:.2f}"


def test_every_page_renders_in_dark_and_light(unlocked, qtbot, palette_mode):
    from tests.ui.helpers import add_member_and_case

    add_member_and_case(unlocked.session)
    window = unlocked.main_window
    for key in list(window.pages):
        window.show_page(key)
        image = window.grab().toImage()
        assert not image.isNull() and image.width() > 600


def test_unticked_list_items_stand_out_from_the_list(qtbot, palette_mode):
    """The documents of an export are ticked in a list; an unticked one must show its box."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QListWidget, QListWidgetItem

    view = QListWidget()
    qtbot.addWidget(view)
    item = QListWidgetItem("Invitation to hearing.pdf")
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Unchecked)
    view.addItem(item)
    view.resize(300, 80)
    view.show()
    qtbot.waitExposed(view)
    from PySide6.QtWidgets import QStyleOptionViewItem

    image = view.viewport().grab().toImage()
    option = QStyleOptionViewItem()
    option.initFrom(view.viewport())
    option.rect = view.visualItemRect(item)
    view.itemDelegate().initStyleOption(option, view.indexFromItem(item))
    rect = view.style().subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, option,
                                       view)
    assert rect.width() > 4 and rect.right() < option.rect.left() + 40  # the box, not the text
    base = view.palette().color(QPalette.ColorRole.Base)
    best = max(_contrast(image.pixelColor(x, y), base)
               for x in range(rect.left(), rect.right() + 1)
               for y in range(rect.top(), rect.bottom() + 1))
    assert best >= 3.0, f"{palette_mode}: the unticked item's box has contrast {best:.2f}"


@pytest.mark.parametrize("kind", ["line", "text", "date"])
def test_empty_fields_show_their_outline(qtbot, palette_mode, kind):
    """An empty text or date field on a card (a group box) must show where it is."""
    import datetime as dt

    from PySide6.QtWidgets import QGroupBox, QLineEdit, QPlainTextEdit, QVBoxLayout

    from vault.ui.widgets.uk_date_edit import UkDateEdit

    card = QGroupBox("You")
    qtbot.addWidget(card)
    field = {"line": lambda: QLineEdit(card), "text": lambda: QPlainTextEdit(card),
             "date": lambda: UkDateEdit(dt.date(2026, 11, 23), "A day", card)}[kind]()
    QVBoxLayout(card).addWidget(field)
    card.resize(300, 120)
    card.show()
    qtbot.waitExposed(card)
    image = card.grab().toImage()
    inside = field.geometry()
    behind = image.pixelColor(inside.left() - 3, inside.center().y())  # the card's colour
    y = inside.center().y()
    best = max(_contrast(image.pixelColor(x, y), behind)
               for x in range(inside.left(), inside.left() + 3))
    assert best >= 3.0, f"{palette_mode}: the {kind} field's outline has contrast {best:.2f}"
