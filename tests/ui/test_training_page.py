"""The Training page: union choice, courses, the Reps 2 route stepper, reminders, Print record,
and nothing left behind at lock. Driven through the page's own widgets where a rep would act."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QDateEdit, QLineEdit

from tests.ui.helpers import loaded_home, visible_texts
from vault.training.codes import StatusCode
from vault.training.dates import uk_date
from vault.ui.message_boxes import Answer
from vault.ui.pages.training_page import TrainingPage, training_home_items

LEFT = Qt.MouseButton.LeftButton
TODAY = dt.date(2026, 11, 23)  # conftest.NOW
PROSPECT_ROUTE = (
    ("reps2-listed", dt.date(2026, 3, 2)),
    ("cohort-formed", dt.date(2026, 6, 1)),
    ("letter1", dt.date(2026, 6, 15)),
    ("dates-accepted", dt.date(2026, 7, 1)),
    ("resources-received", dt.date(2026, 11, 2)),
    ("attended", dt.date(2026, 11, 16)),
    ("homework1-marked", dt.date(2026, 11, 20)),
    ("homework2-marked", dt.date(2026, 11, 20)),
    ("action-plan", dt.date(2026, 11, 20)),
    ("tutor-feedback", dt.date(2026, 11, 21)),
    ("officer-follow-up", dt.date(2026, 11, 21)),
    ("officer-signed-off", dt.date(2026, 11, 23)),
    ("records-updated", dt.date(2026, 11, 23)),
    ("letters-received", dt.date(2026, 11, 23)),
)


def click(qtbot, button: QAbstractButton) -> None:  # type: ignore[no-untyped-def]
    """Click once the button is shown and laid out (new rows get their size on the next
    layout pass)."""
    qtbot.waitUntil(lambda: button.isVisible() and not button.rect().isEmpty())
    qtbot.mouseClick(button, LEFT)


@pytest.fixture
def page(unlocked) -> TrainingPage:  # type: ignore[no-untyped-def]
    window = unlocked.main_window
    window.show_page("training")
    training = window.pages["training"]
    assert isinstance(training, TrainingPage)
    return training


def choose_union(qtbot, page: TrainingPage, key: str) -> None:  # type: ignore[no-untyped-def]
    page.union_choice.setCurrentIndex(page.union_choice.findData(key))
    assert page.choose_button.isEnabled()
    click(qtbot, page.choose_button)


def record_course(qtbot, page: TrainingPage, course_id: str,  # type: ignore[no-untyped-def]
                  on: dt.date | None = None, title: str | None = None) -> None:
    page.courses.select_course(course_id)
    if title is not None:
        page.courses.title_edit.setText(title)
    if on is not None:
        page.courses.date_edit.set_day(on)
    click(qtbot, page.courses.record_button)


def tick(qtbot, page: TrainingPage, step_id: str,  # type: ignore[no-untyped-def]
         on: dt.date | None = None):
    row = page.stepper.row(step_id)
    click(qtbot, row.tick_button)
    assert row.is_editing and row.date_edit.day() == TODAY  # today by default
    if on is not None:
        row.date_edit.set_day(on)
    click(qtbot, row.confirm_button)
    return row


def headline(page: TrainingPage) -> str:
    return page.status_card.headline.text()


# -- before a union is chosen -------------------------------------------------------------------


def test_invites_the_rep_to_choose_a_union_first(page, qtbot):
    assert page.overview is None
    assert page.union_title.text() == "Choose your union"
    assert "Choose your union to start" in page.union_intro.text()
    assert page.union_choice.currentIndex() == -1  # nothing chosen for the rep
    assert not page.choose_button.isEnabled()
    assert page.status_card.isHidden() and page.route_card.isHidden()
    assert not page.print_button.isEnabled()
    names = [page.union_choice.itemText(i) for i in range(page.union_choice.count())]
    assert {"UCU", "Bectu", "Prospect"} <= set(names)

    choose_union(qtbot, page, "ucu")
    assert page.context.session.training.current_profile().key == "ucu"
    assert not page.status_card.isHidden()
    assert headline(page) == "Not yet eligible for Level 2 courses"
    assert page.choose_button.text() == "Change union…"


def test_another_union_explains_how_to_add_a_profile(page, qtbot):
    boxes = page.context.message_boxes
    boxes.set_next_answer(Answer.ACCEPT)
    click(qtbot, page.other_union_button)
    assert "custom.toml" in boxes.last_box.text()


# -- Bectu: Reps 1 (Freelancer) opens Level 2, not Reps 2 -------------------------------------


def test_bectu_freelancer_only_says_reps2_is_not_open_and_why(page, qtbot):
    choose_union(qtbot, page, "bectu")
    offered = [page.courses.course_choice.itemData(i)
               for i in range(page.courses.course_choice.count())]
    assert "reps1-freelancer" in offered  # Bectu's profile offers it
    page.courses.select_course("reps1-freelancer")
    assert "not Reps 2" in page.courses.description.text()

    record_course(qtbot, page, "reps1-freelancer", dt.date(2026, 3, 12))

    overview = page.overview
    assert overview is not None and overview.status.code is StatusCode.REPS2_NOT_OPEN
    assert headline(page) == "Reps 2 is not open to you"
    assert ("not available for reps who've completed Reps 1 (Freelancer)"
            in page.status_card.explanation.text())
    assert "needs Reps 1 or How to be an effective H&S rep" in page.status_card.missing.text()
    assert page.route_closed.isVisible()
    assert "opens once you have completed Reps 1" in page.route_closed.text()
    assert page.stepper.isHidden() and page.stepper.rows == []
    assert page.dates.isHidden()
    texts = visible_texts(page.courses)
    assert "Reps 1 (Freelancer)" in texts
    assert any("completed 12 Mar 2026" in t for t in texts)


def test_prospect_has_no_freelancer_course(page, qtbot):
    choose_union(qtbot, page, "prospect")
    offered = [page.courses.course_choice.itemData(i)
               for i in range(page.courses.course_choice.count())]
    assert "reps1-freelancer" not in offered
    assert offered[:2] == ["reps1", "hs-rep"]


# -- Prospect: through the route to accredited case handler ---------------------------------------


def test_prospect_route_through_sign_off_and_letters_to_accredited(page, qtbot):
    choose_union(qtbot, page, "prospect")
    record_course(qtbot, page, "reps1", dt.date(2026, 2, 10))
    assert headline(page) == "Eligible for Level 2 courses"
    assert page.stepper.row("reps2-listed").next_badge.isVisible()
    assert "for your employer" in page.route_intro.text()  # Prospect: two letters

    for step_id, on in PROSPECT_ROUTE:
        row = tick(qtbot, page, step_id, on)
        assert row.error.isHidden(), row.error.text()
        assert not row.is_editing
        assert row.done_label.text() == f"Done {uk_date(on)}"
        assert row.untick_button.isVisible() and not row.tick_button.isVisible()
        if step_id == "attended":
            assert headline(page).startswith("Reps 2 in progress")
            courses = [c.name for c in page.overview.courses]
            assert "Reps 2 (Handling cases)" in courses
        if step_id == "officer-follow-up":
            assert headline(page) == "Awaiting the officer's sign-off"
            assert page.status_card.next_title.text() == "Officer signed off"

    overview = page.overview
    assert overview is not None and overview.status.is_accredited_case_handler
    assert headline(page) == "Accredited case handler"
    assert "one for your employer" in page.status_card.explanation.text()
    assert page.status_card.signed_off.text() == "Officer signed off: 23 Nov 2026."
    assert page.status_card.missing.isHidden()
    letters = page.stepper.row("letters-received")
    assert "one for you and one for your employer" in letters.explanation.text()
    assert page.context.session.training.is_accredited_case_handler()
    assert training_home_items(page.context) == []  # nothing left to do


def test_sign_off_before_attendance_shows_the_services_refusal(page, qtbot):
    choose_union(qtbot, page, "prospect")
    record_course(qtbot, page, "reps1", dt.date(2026, 2, 10))
    row = page.stepper.row("officer-signed-off")
    assert row.waits.isVisible()
    assert "Reps 2 course attended" in row.waits.text()

    tick(qtbot, page, "officer-signed-off")

    assert row.error.isVisible()
    assert "can't be ticked before" in row.error.text()
    assert "Reps 2 course attended" in row.error.text()
    assert row.is_editing  # the rep can cancel or change the date
    assert page.context.session.training.show().steps[-3].done_on is None
    assert headline(page) == "Eligible for Level 2 courses"
    click(qtbot, row.cancel_button)
    assert not row.is_editing


def test_a_step_can_be_ticked_from_the_keyboard(page, qtbot):
    choose_union(qtbot, page, "prospect")
    record_course(qtbot, page, "reps1", dt.date(2026, 2, 10))
    row = page.stepper.row("reps2-listed")
    row.tick_button.setFocus()
    qtbot.keyClick(row.tick_button, Qt.Key.Key_Space)
    assert row.is_editing
    qtbot.keyClick(row.date_edit, Qt.Key.Key_Return)
    assert page.overview.steps[0].done_on == TODAY
    # the focus moves on to the next step still to tick
    assert page.stepper.row("cohort-formed").tick_button.hasFocus()


def test_untick_confirms_with_cancel_as_default(page, qtbot):
    choose_union(qtbot, page, "prospect")
    record_course(qtbot, page, "reps1", dt.date(2026, 2, 10))
    tick(qtbot, page, "reps2-listed", dt.date(2026, 3, 2))
    row = page.stepper.row("reps2-listed")
    boxes = page.context.message_boxes

    boxes.set_next_answer(Answer.DEFAULT)  # Enter
    click(qtbot, row.untick_button)
    assert boxes.last_confirm.default_is_cancel
    assert page.overview.steps[0].done_on == dt.date(2026, 3, 2)

    boxes.set_next_answer(Answer.ACCEPT)
    click(qtbot, row.untick_button)
    assert page.overview.steps[0].done_on is None
    assert row.tick_button.isVisible()


def test_untick_refused_while_a_later_step_depends_on_it(page, qtbot):
    choose_union(qtbot, page, "prospect")
    record_course(qtbot, page, "reps1", dt.date(2026, 2, 10))
    tick(qtbot, page, "reps2-listed", dt.date(2026, 3, 2))
    tick(qtbot, page, "cohort-formed", dt.date(2026, 3, 3))
    page.context.message_boxes.set_next_answer(Answer.ACCEPT)
    row = page.stepper.row("reps2-listed")
    click(qtbot, row.untick_button)
    assert "can't be unticked" in row.error.text()
    assert page.overview.steps[0].done_on == dt.date(2026, 3, 2)


# -- courses ---------------------------------------------------------------------------------


def test_future_course_date_is_refused_with_the_services_message(page, qtbot):
    choose_union(qtbot, page, "prospect")
    record_course(qtbot, page, "reps1", dt.date(2026, 12, 1))
    assert page.courses.error.isVisible()
    assert "can't be dated in the future" in page.courses.error.text()
    assert page.overview.courses == ()


def test_other_level2_course_needs_a_title(page, qtbot):
    choose_union(qtbot, page, "prospect")
    record_course(qtbot, page, "reps1", dt.date(2026, 2, 10))
    page.courses.select_course("level2-other")
    assert page.courses.title_edit.isVisible()
    record_course(qtbot, page, "level2-other", dt.date(2026, 5, 5))
    assert "Give the title" in page.courses.error.text()
    record_course(qtbot, page, "level2-other", dt.date(2026, 5, 5), title="Pensions")
    assert page.courses.error.isHidden()
    assert "Pensions" in [c.name for c in page.overview.courses]
    assert page.courses.title_edit.text() == ""  # the form is ready for the next one


def test_remove_course_confirms_with_cancel_as_default(page, qtbot):
    choose_union(qtbot, page, "prospect")
    record_course(qtbot, page, "reps1", dt.date(2026, 2, 10))
    boxes = page.context.message_boxes

    boxes.set_next_answer(Answer.DEFAULT)
    click(qtbot, page.courses.remove_button("Reps 1"))
    assert boxes.last_confirm.default_is_cancel
    assert [c.id for c in page.overview.courses] == ["reps1"]

    boxes.set_next_answer(Answer.ACCEPT)
    click(qtbot, page.courses.remove_button("Reps 1"))
    assert page.overview.courses == ()
    assert headline(page) == "Not yet eligible for Level 2 courses"


def test_education_update_can_be_recorded(page, qtbot):
    choose_union(qtbot, page, "bectu")
    record_course(qtbot, page, "reps1-freelancer", dt.date(2026, 3, 12))
    assert "Education team has updated" in page.status_card.confirm.text()
    button = next(b for b in page.courses.row_buttons
                  if b.text() == "Education updated my record")
    click(qtbot, button)
    assert page.overview.courses[0].education_updated_on == TODAY
    assert "Education team has updated" not in page.status_card.confirm.text()


# -- union change --------------------------------------------------------------------------------


def test_changing_union_asks_first_and_keeps_the_record(page, qtbot):
    choose_union(qtbot, page, "prospect")
    record_course(qtbot, page, "reps1", dt.date(2026, 2, 10))
    boxes = page.context.message_boxes

    boxes.set_next_answer(Answer.CANCEL)
    choose_union(qtbot, page, "bectu")
    assert "from Prospect to Bectu" in boxes.last_confirm.text
    assert page.overview.profile.key == "prospect"
    assert page.union_choice.currentData() == "prospect"

    boxes.set_next_answer(Answer.ACCEPT)
    choose_union(qtbot, page, "bectu")
    assert page.overview.profile.key == "bectu"
    assert [c.id for c in page.overview.courses] == ["reps1"]
    assert page.courses.course_choice.findData("reps1-freelancer") >= 0


# -- course dates and reminders -----------------------------------------------------------------


def test_course_dates_drive_reminders_on_the_page_and_home(page, qtbot):
    choose_union(qtbot, page, "prospect")
    record_course(qtbot, page, "reps1", dt.date(2026, 2, 10))
    for step_id, on in PROSPECT_ROUTE[:4]:
        tick(qtbot, page, step_id, on)
    assert page.dates.isVisible()
    assert any("Record your Reps 2 (Handling cases) course date" in label.text()
               for label in page.dates.reminder_labels)

    page.dates.date_edit.set_day(dt.date(2026, 12, 1))  # resources were due 17 Nov
    click(qtbot, page.dates.add_button)
    page.dates.date_edit.set_day(dt.date(2026, 12, 8))
    qtbot.keyClick(page.dates.date_edit, Qt.Key.Key_Return)
    assert page.overview.course_dates == (dt.date(2026, 12, 1), dt.date(2026, 12, 8))
    assert page.dates.dates_list.count() == 2
    reminders = [label.text() for label in page.dates.reminder_labels]
    assert len(reminders) == 1
    assert reminders[0].startswith("Overdue: 'Course resources received' was expected by "
                                   "17 Nov 2026")

    home = training_home_items(page.context)
    assert len(home) == 1  # the reminder names the next step: no second line for it
    assert home[0].urgent and home[0].page == "training"
    assert home[0].text == "Training: Course resources received"
    assert "17 Nov 2026" in home[0].detail

    page.dates.dates_list.setCurrentRow(1)
    click(qtbot, page.dates.remove_button)
    assert page.overview.course_dates == (dt.date(2026, 12, 1),)


def test_home_shows_the_training_section(unlocked, page, qtbot):
    window = unlocked.main_window
    window.show_page("home")
    card = next(c for c in loaded_home(window).cards if c.section.key == "training")
    assert any(t.startswith("Choose your union profile") for t in visible_texts(card))
    window.show_page("training")
    choose_union(qtbot, page, "prospect")
    window.show_page("home")
    card = next(c for c in loaded_home(window).cards if c.section.key == "training")
    assert any(t.startswith("Training next step: Reps 1") for t in visible_texts(card))


# -- print record --------------------------------------------------------------------------------


def test_print_record_writes_a_pdf_with_the_status(page, qtbot, tmp_path: Path):
    training = page.context.session.training
    training.choose_union("prospect")
    training.record("reps1", dt.date(2026, 2, 10))
    for step_id, on in PROSPECT_ROUTE:
        training.record(step_id, on)
    page.refresh()
    assert headline(page) == "Accredited case handler"

    dialog = page.print_record()
    assert dialog is not None and dialog.isVisible()
    dialog.name_edit.setText("Sam Rep")
    page.context.file_dialogs.set_next_save_path(tmp_path / "my-record")  # no .pdf typed
    page.context.message_boxes.set_next_answer(Answer.ACCEPT)  # the "saved" notice
    with qtbot.waitSignal(page.printed, timeout=20_000) as saved:
        click(qtbot, dialog.save_button)
        assert not page.print_button.isEnabled()  # one print at a time

    path = saved.args[0]
    assert path == tmp_path / "my-record.pdf"
    text = "".join(p.extract_text() for p in PdfReader(str(path)).pages)
    assert "Accredited case handler" in text
    assert "Sam Rep" in text
    assert str(path) in page.print_result.text()
    assert page.print_button.isEnabled()
    assert "saved to" in page.context.message_boxes.last_box.text()


def test_print_record_cancelled_at_the_file_dialog_writes_nothing(page, qtbot, tmp_path):
    choose_union(qtbot, page, "prospect")
    dialog = page.print_record()
    page.context.file_dialogs.set_next_save_path(None)
    click(qtbot, dialog.save_button)
    # no print task (the window's own reads, Home and the tables, may still be running)
    assert [t for t in page.context.tasks.active if t.name == "training-record-pdf"] == []
    assert list(tmp_path.glob("*.pdf")) == []
    assert page.print_button.isEnabled()


# -- accessibility and lock ---------------------------------------------------------------------


def test_every_control_has_an_accessible_name(page, qtbot):
    choose_union(qtbot, page, "prospect")
    record_course(qtbot, page, "reps1", dt.date(2026, 2, 10))
    for step_id, on in PROSPECT_ROUTE[:6]:
        tick(qtbot, page, step_id, on)
    controls = [w for w in page.findChildren(QAbstractButton)
                + page.findChildren(QComboBox) + page.findChildren(QDateEdit)
                + page.findChildren(QLineEdit)
                if not isinstance(w.parent(), QComboBox | QDateEdit)
                and w.objectName() != "qt_spinbox_lineedit"]
    unnamed = [w for w in controls if not w.accessibleName()]
    assert unnamed == []


def test_the_page_is_emptied_on_lock(unlocked, page, qtbot):
    choose_union(qtbot, page, "prospect")
    record_course(qtbot, page, "reps1", dt.date(2026, 2, 10))
    for step_id, on in PROSPECT_ROUTE[:7]:
        tick(qtbot, page, step_id, on)
    page.dates.date_edit.set_day(dt.date(2026, 11, 16))
    click(qtbot, page.dates.add_button)
    before = visible_texts(page)
    assert any("Reps 2 in progress" in t for t in before)
    assert any("16 Nov 2026" in t for t in before)

    with qtbot.waitSignal(unlocked.locked):
        unlocked.lock()

    after = visible_texts(page)  # cleared before deletion, so nothing outlives the session
    for secret in ("Reps 2 in progress", "Prospect", "Reps 1", "16 Nov 2026", "10 Feb 2026",
                   "Homework sheet", "Officer signed off"):
        assert not any(secret in t for t in after), secret
    assert page.overview is None
    assert page.stepper.rows == []
    assert "training" not in unlocked.main_window.pages
