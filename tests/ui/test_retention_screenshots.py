"""Screenshots of the Retention page and the destroy confirmation (issue 9), made on every run
so they never rot. With CASEVAULT_SCREENSHOTS_OUT=DIR they are also written there (the
project keeps them in docs/screenshots/)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtGui import QImage

from tests.ui.make_screenshots import _save, _save_with_dialog, _settle
from vault.clock import FixedClock
from vault.domain import Category


def _closed(session, name: str, title: str, category: Category, clock: FixedClock,  # type: ignore[no-untyped-def]
            closed: dt.datetime, **close: object) -> str:
    clock.set(closed - dt.timedelta(days=200))
    member = session.members.add(name)
    case = session.cases.open(member.id, title, category)
    clock.set(closed)
    if session.escalation.status(case.ref).outstanding:
        session.escalation.record_not_escalating(case.ref, "Handled locally")
    session.retention.close(case.ref, outcome="Resolved", paper_copies_shredded=True,
                            **close)  # type: ignore[arg-type]
    return case.ref


def test_retention_screenshots(unlocked, ui_clock: FixedClock, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    session = unlocked.session
    now = dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC)
    old = _closed(session, "Ada Example", "Pay grading appeal", Category.PAY_CONTRACT,
                  ui_clock, dt.datetime(2020, 9, 14, 10, tzinfo=dt.UTC))
    due = _closed(session, "Ben Example", "Sickness review", Category.SICKNESS_ABSENCE,
                  ui_clock, dt.datetime(2020, 11, 16, 10, tzinfo=dt.UTC))
    held = _closed(session, "Cleo Example", "Dismissal appeal", Category.DISMISSAL, ui_clock,
                   dt.datetime(2019, 5, 2, 10, tzinfo=dt.UTC))
    _closed(session, "Dev Example", "Flexible working request", Category.FLEXIBLE_WORKING,
            ui_clock, dt.datetime(2026, 6, 30, 10, tzinfo=dt.UTC))
    gone = _closed(session, "Eve Example", "Rota grievance", Category.GRIEVANCE, ui_clock,
                   dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC), retain_days=0,
                   reason="Member asked")
    ui_clock.set(now)
    session.retention.hold(held, reason="Employment tribunal claim lodged")
    session.retention.destroy(gone)
    assert old and due

    window = unlocked.main_window
    window.resize(1180, 640)
    window.show_page("retention")
    page = window.pages["retention"]
    page.refresh()
    page.select_ref(due)
    outs = [tmp_path]
    if os.environ.get("CASEVAULT_SCREENSHOTS_OUT"):
        outs.append(Path(os.environ["CASEVAULT_SCREENSHOTS_OUT"]))
    for out in outs:
        shot = _save(window, out, "retention")
        assert not QImage(str(shot)).isNull()
    row = page.selected()
    assert row is not None
    confirm = page.confirm_destroy_dialog(row)
    confirm.show()
    qtbot.waitExposed(confirm)
    confirm.typed.setText(due[:-2])
    _settle()
    for out in outs:
        shot = _save_with_dialog(window, confirm, out, "destroy-confirmation")
        assert not QImage(str(shot)).isNull()
    confirm.reject()
