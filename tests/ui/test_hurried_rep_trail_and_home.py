"""Issue 17, the last of item 10 and item 4: the trail keeps the rep's sort order, a follow-up
opened from Home selects its entry, Home items look and act like links, and the New member
warning and the action-point field are not clipped."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import STRONG_PASSPHRASE
from tests.ui.helpers import add_member_and_case, loaded_home
from vault.domain import EntryKind
from vault.ui.models.trail_table_model import TrailTableModel


def _trail(window, ref: str):  # type: ignore[no-untyped-def]
    window.open_case(ref, "paper-trail")
    return window.case_page.tab_by_key["paper-trail"]


def _seqs(tab) -> list[int]:  # type: ignore[no-untyped-def]
    return [tab.proxy.index(r, 0).data(Qt.ItemDataRole.DisplayRole)
            for r in range(tab.proxy.rowCount())]


def _click_header(qtbot, table, column: int) -> None:  # type: ignore[no-untyped-def]
    header = table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))


def _relock(unlocked, qtbot) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(unlocked.locked, timeout=5_000):
        unlocked.lock()
    unlock = unlocked.unlock_window
    unlock.passphrase.setText(STRONG_PASSPHRASE)
    with qtbot.waitSignal(unlocked.unlocked, timeout=20_000):
        unlock.unlock_button.click()


# -- The trail's sort order ---------------------------------------------------------------------


def test_trail_is_newest_first_and_a_new_entry_goes_on_top(unlocked, qtbot):
    session = unlocked.session
    _m, case = add_member_and_case(session)
    for n in range(3):
        session.trail_log.log(case.ref, EntryKind.NOTE, f"Note {n}")
    window = unlocked.main_window
    tab = _trail(window, case.ref)
    header = tab.table.horizontalHeader()
    assert header.isSortIndicatorShown()
    assert header.sortIndicatorSection() == TrailTableModel.SEQ
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    shown = [int(s) for s in _seqs(tab)]
    assert shown == sorted(shown, reverse=True)
    logged = session.trail_log.log(case.ref, EntryKind.NOTE, "A later note")
    tab.load(tab.case)  # what logging through the tab does
    assert int(_seqs(tab)[0]) == logged.seq  # on top, not appended at the bottom


def test_trail_keeps_the_chosen_sort_across_visits_cases_and_unlock(unlocked, qtbot):
    session = unlocked.session
    member, first = add_member_and_case(session)
    second = session.cases.open(member.id, "Second grievance", first.category)
    for ref in (first.ref, second.ref):
        session.trail_log.log(ref, EntryKind.PHONE_CALL, "Phoned HR")
        session.trail_log.log(ref, EntryKind.NOTE, "A note")
    window = unlocked.main_window
    tab = _trail(window, first.ref)
    _click_header(qtbot, tab.table, TrailTableModel.KIND)
    header = tab.table.horizontalHeader()
    chosen = (header.sortIndicatorSection(), header.sortIndicatorOrder())
    assert chosen[0] == TrailTableModel.KIND

    def kinds(t) -> list[str]:  # type: ignore[no-untyped-def]
        return [t.proxy.index(r, TrailTableModel.KIND).data() for r in range(t.proxy.rowCount())]

    def in_chosen_order(t) -> bool:  # type: ignore[no-untyped-def]
        values = [k.casefold() for k in kinds(t)]
        return values == sorted(values, reverse=chosen[1] == Qt.SortOrder.DescendingOrder)

    assert in_chosen_order(tab)
    window.show_page("home")
    tab = _trail(window, first.ref)
    h = tab.table.horizontalHeader()
    assert (h.sortIndicatorSection(), h.sortIndicatorOrder()) == chosen and in_chosen_order(tab)
    tab = _trail(window, second.ref)
    h = tab.table.horizontalHeader()
    assert (h.sortIndicatorSection(), h.sortIndicatorOrder()) == chosen and in_chosen_order(tab)
    _relock(unlocked, qtbot)
    tab = _trail(window, first.ref)
    h = tab.table.horizontalHeader()
    assert (h.sortIndicatorSection(), h.sortIndicatorOrder()) == chosen and in_chosen_order(tab)


def test_a_correction_stays_under_what_it_corrects_in_every_order(unlocked, qtbot):
    session = unlocked.session
    _m, case = add_member_and_case(session)
    original = session.trail_log.log(case.ref, EntryKind.NOTE, "Mett HR")
    session.trail_log.log(case.ref, EntryKind.PHONE_CALL, "Phoned the member")
    fixed = session.trail_log.correct(case.ref, original.seq, "Met HR")
    tab = _trail(unlocked.main_window, case.ref)
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        tab.table.sortByColumn(TrailTableModel.SEQ, order)
        seqs = [int(s) for s in _seqs(tab)]
        assert seqs.index(fixed.seq) == seqs.index(original.seq) + 1


# -- A follow-up opened from Home selects its entry -----------------------------------------------


def test_follow_up_on_home_opens_the_trail_with_its_advice_selected(unlocked, qtbot,
                                                                    monkeypatch):
    from vault.ui.models import row_table_model

    monkeypatch.setattr(row_table_model, "FETCH_CHUNK", 4)  # the advice lies beyond it
    session = unlocked.session
    _m, case = add_member_and_case(session)
    advice = session.trail_log.log(case.ref, EntryKind.ORAL_ADVICE, "Advised to ask for notes")
    for n in range(12):
        session.trail_log.log(case.ref, EntryKind.NOTE, f"Note {n}")
    window = unlocked.main_window
    window.show_page("home")
    home = window.pages["home"]
    home.refresh()
    loaded_home(window)
    card = next(c for c in home.cards if c.section.key == "follow-ups-owed")
    assert card.buttons
    qtbot.mouseClick(card.buttons[0], Qt.MouseButton.LeftButton)
    page = window.case_page
    assert window.stack.currentWidget() is page
    tab = page.tab_by_key["paper-trail"]
    assert page.tabs.currentWidget() is tab
    row = tab.selected_row()
    assert row is not None and row.seq == advice.seq
    index = tab.table.selectionModel().selectedRows()[0]

    def in_view() -> bool:
        return tab.table.viewport().rect().intersects(tab.table.visualRect(index))
    qtbot.waitUntil(in_view)


# -- Home items look and act like links ----------------------------------------------------------


def test_home_items_are_focusable_links_that_enter_opens(unlocked, qtbot):
    session = unlocked.session
    _m, case = add_member_and_case(session)
    window = unlocked.main_window
    window.show_page("home")
    home = window.pages["home"]
    home.refresh()
    loaded_home(window)
    card = next(c for c in home.cards if c.section.key == "recent-cases")
    button = card.buttons[0]
    assert button.cursor().shape() == Qt.CursorShape.PointingHandCursor
    assert button.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert button.objectName() == "homeItem"
    assert not button.icon().isNull()  # the chevron says "this opens"
    from vault.ui import theme

    sheet = theme.load_stylesheet()
    for state in ("hover", "focus", "pressed"):
        assert f"#homeItem:{state}" in sheet
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    button.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(button.hasFocus)
    qtbot.keyClick(button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.case_page)
    assert window.case_page.current_ref == case.ref


def test_home_item_hover_and_focus_look_differ_in_light_and_dark(unlocked, qtbot):
    from PySide6.QtGui import QImage

    from vault.ui import theme

    session = unlocked.session
    add_member_and_case(session)
    window = unlocked.main_window
    window.show_page("home")
    home = window.pages["home"]
    home.refresh()
    loaded_home(window)
    button = next(c for c in home.cards if c.section.key == "recent-cases").buttons[0]
    app = QApplication.instance()
    before, sheet = app.palette(), app.styleSheet()
    try:
        for palette in (before, theme.dark_palette()):
            app.setPalette(palette)
            theme.apply_theme(app)
            window.setFocus()
            plain: QImage = button.grab().toImage()
            button.setFocus(Qt.FocusReason.TabFocusReason)
            focused: QImage = button.grab().toImage()
            assert plain != focused  # the focus ring shows
    finally:
        app.setPalette(before)
        app.setStyleSheet(sheet)


# -- Nothing clipped: the work-email warning, the action-point field ------------------------------


def _reads_whole(label) -> bool:  # type: ignore[no-untyped-def]
    """A word-wrapped label has the height its text needs at its width (heightForWidth counts
    the label's padding and margins)."""
    return label.isVisible() and label.height() >= label.heightForWidth(label.width()) - 2


def test_new_member_work_email_warning_is_not_clipped(unlocked, qtbot):
    dialog = unlocked.main_window.new_member()
    qtbot.waitExposed(dialog)
    dialog.employer.setText("Northfield University")
    dialog.email.setText("amy.chen@northfield.ac.uk")
    warning = dialog.email_warning
    assert warning.wordWrap() and warning.text()
    qtbot.waitUntil(lambda: _reads_whole(warning))
    # It spans the dialog rather than squeezing into the field column.
    assert warning.width() > dialog.email.width()
    dialog.reject()


def test_new_case_escalation_banner_is_not_clipped(unlocked, qtbot):
    member, _case = add_member_and_case(unlocked.session)
    dialog = unlocked.main_window.new_case(member.id)
    qtbot.waitExposed(dialog)
    dialog.flag_boxes["dismissal_threatened"].setChecked(True)
    qtbot.waitUntil(lambda: _reads_whole(dialog.escalation))
    for box in dialog.flag_boxes.values():  # not squeezed flat to make room for it
        assert box.height() >= box.sizeHint().height(), box.text()
    dialog.reject()


def test_action_point_field_is_multi_line_and_wraps(unlocked, qtbot):
    from PySide6.QtWidgets import QPlainTextEdit

    session = unlocked.session
    _m, case = add_member_and_case(session)
    window = unlocked.main_window
    window.resize(1280, 800)
    window.open_case(case.ref, "first-meeting")
    tab = window.case_page.tab_by_key["first-meeting"]
    field = tab.action_text
    assert isinstance(field, QPlainTextEdit)
    assert field.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth
    assert field.tabChangesFocus()
    assert field.height() >= 2 * field.fontMetrics().lineSpacing()
    # It has a row of its own, as wide as the action-point table above it.
    assert field.width() >= tab.action_table.width() - 4
    text = ("Request the clock-in records for October and the maintenance log of the machine "
            "from HR, copying the branch secretary")
    field.setText(text)
    tab.activateWindow()
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert [a.text for a in session.first_meeting.get(case.ref).actions] == [text]
    assert field.text() == ""


def test_the_window_fits_a_1280_by_800_screen_on_every_case_tab(unlocked, qtbot):
    from vault.domain import CaseFlags, Category

    session = unlocked.session
    session.training.choose_union("ucu")  # the escalation banner shows on Overview
    member = session.members.add("Amy Chen")
    case = session.cases.open(member.id, "Disciplinary: timekeeping, dismissal threatened",
                              Category.DISCIPLINARY, flags=CaseFlags(dismissal_threatened=True))
    from vault.ui import theme

    app = QApplication.instance()
    sheet = app.styleSheet()
    theme.apply_theme(app)  # the app's own padding, as the rep sees it
    try:
        window = unlocked.main_window
        window.resize(1280, 800)
        for key in window.case_page.tab_by_key:
            window.open_case(case.ref, key)
            hint = window.minimumSizeHint()
            assert hint.width() <= 1280 and hint.height() <= 800, key
            assert window.width() <= 1280 and window.height() <= 800, key
    finally:
        app.setStyleSheet(sheet)


def test_first_meeting_fields_show_their_whole_prompt(unlocked, qtbot):
    from vault.ui import theme

    app = QApplication.instance()
    sheet = app.styleSheet()
    theme.apply_theme(app)
    try:
        _m, case = add_member_and_case(unlocked.session)
        window = unlocked.main_window
        window.resize(1280, 800)
        window.open_case(case.ref, "first-meeting")
        tab = window.case_page.tab_by_key["first-meeting"]
        for field in (tab.submitted_to, tab.issue_text, tab.addressed_note, tab.place):
            needed = field.fontMetrics().horizontalAdvance(field.placeholderText())
            assert field.width() - 14 >= needed, field.accessibleName()
        tab.action_text.setText("Request the clock-in records for October and the maintenance "
                                "log of the machine from HR, copying the branch secretary")
        assert not tab.action_text.verticalScrollBar().isVisible()
    finally:
        app.setStyleSheet(sheet)


def test_overview_banner_gives_the_escalation_instruction_once(unlocked, qtbot):
    from vault.domain import CaseFlags, Category

    session = unlocked.session
    session.training.choose_union("ucu")
    member = session.members.add("Amy Chen")
    case = session.cases.open(member.id, "Hearing", Category.DISCIPLINARY,
                              flags=CaseFlags(dismissal_threatened=True))
    window = unlocked.main_window
    window.open_case(case.ref, "overview")
    text = window.case_page.tab_by_key["overview"].escalation.text()
    assert "Dismissal is threatened" in text
    assert "not yet an accredited case handler" in text  # still says why it applies
    assert text.count("regional office") == 1, text


def test_training_route_intro_address_is_a_link(unlocked, qtbot):
    unlocked.session.training.choose_union("ucu")
    window = unlocked.main_window
    window.show_page("training")
    page = window.pages["training"]
    assert page.route_intro.isVisibleTo(page)
    assert '<a href="https://www.ucu.org.uk/training">' in page.route_intro.text()
    assert page.route_intro.openExternalLinks()


def test_an_elided_table_cell_without_a_tooltip_shows_its_whole_text(unlocked, qtbot):
    from PySide6.QtWidgets import QStyleOptionViewItem

    from vault.ui.models.party_table_model import PartyTableModel

    session = unlocked.session
    _m, case = add_member_and_case(session)
    long_name = "Professor Alexandra Featherstonehaugh-Cholmondeley of Human Resources"
    session.parties.add(case.ref, long_name, "manager")
    session.parties.add(case.ref, "Pat", "witness")
    window = unlocked.main_window
    window.resize(1280, 800)
    window.open_case(case.ref, "parties")
    tab = window.case_page.tab_by_key["parties"]
    table = tab.table
    table.setColumnWidth(PartyTableModel.NAME, 120)
    delegate = table.itemDelegate()
    model = table.model()
    by_name = {model.index(r, PartyTableModel.NAME).data(): r for r in range(model.rowCount())}

    def tip(row: int) -> str | None:
        index = model.index(row, PartyTableModel.NAME)
        option = QStyleOptionViewItem()
        option.initFrom(table)
        option.rect = table.visualRect(index)
        return delegate.elided_tooltip(option, index)

    assert tip(by_name[long_name]) == long_name
    assert tip(by_name["Pat"]) is None  # it fits: no tooltip
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    rect = table.visualRect(model.index(by_name[long_name], PartyTableModel.NAME))
    viewport = table.viewport()
    event = QHelpEvent(QEvent.Type.ToolTip, rect.center(), viewport.mapToGlobal(rect.center()))
    QApplication.sendEvent(viewport, event)
    assert QToolTip.text() == long_name
    QToolTip.hideText()


def test_export_dialog_grows_for_the_work_address_warning(unlocked, qtbot, tmp_path):
    from PySide6.QtWidgets import QAbstractButton

    from tests.ui.helpers import make_pdf

    session = unlocked.session
    _m, case = add_member_and_case(session)
    for name in ("One.pdf", "Two.pdf", "Three.pdf"):
        session.documents.import_file(case.ref, make_pdf(tmp_path / name, heading=name))
    window = unlocked.main_window
    window.open_case(case.ref)
    dialog = window.case_page.open_export()
    qtbot.waitExposed(dialog)
    dialog.eml_box.setChecked(True)
    dialog.to_edit.setText("alex.member@northfield.ac.uk")
    assert dialog.to_warning.isVisibleTo(dialog)
    qtbot.waitUntil(lambda: _reads_whole(dialog.to_warning))
    for button in dialog.findChildren(QAbstractButton):
        if button.isVisibleTo(dialog):
            assert button.height() >= button.sizeHint().height() - 1, button.text()
    documents = dialog.documents
    assert documents.viewport().height() >= 3 * documents.sizeHintForRow(0)
    dialog.reject()


def test_home_escalation_item_names_whom_the_reps_union_says_to_tell(unlocked, qtbot):
    from vault.domain import CaseFlags, Category
    from vault.ui.pages.casework_home import escalations_outstanding

    session = unlocked.session
    session.training.choose_union("bectu")
    member = session.members.add("Amy Chen")
    session.cases.open(member.id, "Hearing", Category.DISCIPLINARY,
                       flags=CaseFlags(dismissal_threatened=True))
    [item] = escalations_outstanding(unlocked.main_window.context)
    assert "dedicated officer" in item.detail
    assert "regional office" not in item.detail  # UCU's words, not Bectu's


def test_oral_advice_how_given_says_what_goes_there(unlocked, qtbot):
    _m, case = add_member_and_case(unlocked.session)
    window = unlocked.main_window
    window.open_case(case.ref, "paper-trail")
    tab = window.case_page.tab_by_key["paper-trail"]
    dialog = tab.open_log_dialog(kind=EntryKind.ORAL_ADVICE)
    assert dialog.channel.currentText() == ""
    assert "meeting" in dialog.channel.lineEdit().placeholderText()
    dialog.reject()
