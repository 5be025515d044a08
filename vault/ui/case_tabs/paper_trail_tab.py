"""The case Paper trail tab: the timeline, logging and correcting entries, written follow-ups
of oral advice, and verifying the tamper-evident chain.

- The timeline (``TrailTableModel``) lists every entry of the case, the rep's and the ones the
  vault wrote, newest first until the rep clicks a column header; the order chosen is kept
  for every case and after an unlock (``remember_sort``). A correction sits under the entry it
  corrects. "Show" filters by kind. Selecting an entry shows it in full below.
- Entries are never edited or deleted: "Log entry…" and "Correct…" open ``LogEntryDialog``.
- Oral advice owes a written follow-up: a banner lists what is owed (overdue highlighted) and
  the tab badge says "1 owed". "Draft follow-up…" opens ``FollowUpDraftDialog`` (text and PDF);
  "Log written follow-up…" logs the email that discharges it.
- "Verify trail" checks every MAC of the whole vault's chain on a worker and shows the head
  (number and short hash) to note down, or the first broken link.

Reading (issue 12): opening the tab costs one window of the trail, whatever its length. The
timeline reads ``TrailLogService.window`` (the newest ``WINDOW_GROUPS`` entries with the
corrections under them, and those entries' follow-ups) and the next window as the rep scrolls
(``TrailTableModel`` fetchMore); the banner and badge read only the follow-ups still owed.
Selecting an entry beyond the rows read (Home opening a follow-up's advice) reads up to its
group. A sort on a column other than the number needs every entry: the whole trail is then
read off the GUI thread (``BackgroundRead``; it checks for cancel between windows and stops at
lock) while the status says so, and an entry asked for meanwhile is selected when it arrives.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from vault.casework.followups import FollowUp, FollowUpState
from vault.casework.trail_log import WINDOW_GROUPS, LogEntry
from vault.domain import Case, CaseStatus, EntryKind, format_uk_date
from vault.errors import Cancelled, VaultError
from vault.session import Session
from vault.store.trail_store import ChainReport
from vault.ui import theme
from vault.ui.background_read import BackgroundRead
from vault.ui.case_tabs.case_tab import CaseTab
from vault.ui.dialogs.follow_up_draft_dialog import FollowUpDraftDialog
from vault.ui.dialogs.log_entry_dialog import LogEntryDialog
from vault.ui.models.moments import format_moment, plural
from vault.ui.models.row_table_model import ROW_ROLE, PreparedRows
from vault.ui.models.trail_table_model import (
    TrailFeed,
    TrailFilterProxy,
    TrailPage,
    TrailRow,
    TrailTableModel,
    build_trail_rows,
    status_text,
)
from vault.ui.page_context import PageContext
from vault.ui.task_runner import Task, TaskControl
from vault.ui.widgets.column_memory import remember_sort
from vault.ui.widgets.record_table import record_table
from vault.ui.widgets.sensitive_text_edit import SensitiveTextEdit
from vault.ui.widgets.task_progress_row import TaskProgressRow

log = logging.getLogger(__name__)

TRAIL_WINDOW = WINDOW_GROUPS  # groups read when the tab opens, and per scroll to the end
ALL_KINDS = "all"
LOGGED_KINDS = "logged"
SYSTEM_KINDS = "system"


class PaperTrailTab(CaseTab):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.model = TrailTableModel(self)
        self.proxy = TrailFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.followups: list[FollowUp] = []  # the case's follow-ups still owed
        self.log_dialog: LogEntryDialog | None = None
        self.draft_dialog: FollowUpDraftDialog | None = None
        self.last_report: ChainReport | None = None
        self._verify_task: Task | None = None
        self._every_row: BackgroundRead[PreparedRows[TrailRow]] = BackgroundRead(
            context.tasks, "paper-trail", self._read_every_row, self._show_every_row,
            self._every_row_failed)
        self._every_row_job: Callable[[TaskControl], PreparedRows[TrailRow]] | None = None
        self._pending_seq: int | None = None  # to select once every row has been read
        self.model.every_row_wanted.connect(self._start_every_row)
        # A kind filter may hide every row of a window; the view then never scrolls to the end
        # to ask for the next, so the tab reads on (a window per turn of the event loop)
        # until the rows shown fill the view or the trail is read.
        self._fill_timer = QTimer(self)
        self._fill_timer.setSingleShot(True)
        self._fill_timer.setInterval(0)
        self._fill_timer.timeout.connect(self._fill_view)
        self.model.rowsInserted.connect(lambda *_: self._fill_timer.start())
        self.model.modelReset.connect(self._fill_timer.start)
        self._rep_name = ""
        self._union_name = ""

        self.log_button = QPushButton(theme.icon("paper-trail", 18), "Log entry…", self)
        self.log_button.setAccessibleName("Log a paper-trail entry")
        self.log_button.clicked.connect(lambda: self.open_log_dialog())
        self.correct_button = QPushButton("Correct…", self)
        self.correct_button.setAccessibleName("Correct the selected entry")
        self.correct_button.setToolTip("Entries are never changed: a correction is a new entry "
                                       "that points at the old one.")
        self.correct_button.clicked.connect(lambda: self.open_correct_dialog())
        self.draft_button = QPushButton(theme.icon("document", 18), "Draft follow-up…", self)
        self.draft_button.setAccessibleName("Draft the written follow-up of the oral advice")
        self.draft_button.clicked.connect(lambda: self.open_draft_dialog())
        self.discharge_button = QPushButton("Log written follow-up…", self)
        self.discharge_button.setAccessibleName("Log the email or letter that follows up the "
                                                "oral advice")
        self.discharge_button.clicked.connect(lambda: self.open_discharge_dialog())
        self.kind_filter = QComboBox(self)
        self.kind_filter.setAccessibleName("Show entries of kind")
        self.kind_filter.addItem("All entries", ALL_KINDS)
        self.kind_filter.addItem("Logged by you", LOGGED_KINDS)
        self.kind_filter.addItem("Written by the vault", SYSTEM_KINDS)
        for kind in EntryKind:
            self.kind_filter.addItem(kind.label, kind.value)
        self.kind_filter.currentIndexChanged.connect(self._filter_changed)
        show_label = QLabel("&Show:", self)
        show_label.setBuddy(self.kind_filter)
        show_label.setAccessibleName("Show")
        self.verify_button = QPushButton(theme.icon("shield", 18), "Verify trail", self)
        self.verify_button.setAccessibleName("Verify the paper trail")
        self.verify_button.setToolTip("Check that no entry of the vault's paper trail has been "
                                      "changed, removed or reordered.")
        self.verify_button.clicked.connect(lambda: self.verify())

        top = QHBoxLayout()
        top.addWidget(self.log_button)
        top.addWidget(self.correct_button)
        top.addWidget(self.draft_button)
        top.addWidget(self.discharge_button)
        top.addStretch(1)
        top.addWidget(show_label)
        top.addWidget(self.kind_filter)
        top.addWidget(self.verify_button)

        self.owed_banner = QLabel(self)
        self.owed_banner.setObjectName("banner")
        self.owed_banner.setTextFormat(Qt.TextFormat.RichText)
        self.owed_banner.setWordWrap(True)
        self.owed_banner.setAccessibleName("Written follow-ups owed")
        self.owed_banner.hide()

        self.table = record_table(self, "Paper trail", self.proxy, alternating=False)
        header = self.table.horizontalHeader()
        # The Summary takes the room (elided text keeps its tooltip); Status is as wide as
        # what it says, so an empty Status column no longer holds the space.
        header.setStretchLastSection(False)
        for column, width in ((TrailTableModel.SEQ, 44), (TrailTableModel.WHEN, 142),
                              (TrailTableModel.KIND, 150)):
            self.table.setColumnWidth(column, width)
        header.setSectionResizeMode(TrailTableModel.SUMMARY, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TrailTableModel.STATUS,
                                    QHeaderView.ResizeMode.ResizeToContents)
        remember_sort(self.table, "paper-trail", TrailTableModel.SEQ,
                      Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.detail = SensitiveTextEdit(self)
        self.detail.setReadOnly(True)
        self.detail.setAccessibleName("Selected entry")
        self.detail.setPlaceholderText("Select an entry to read it in full.")
        self.detail.setTabChangesFocus(True)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        splitter.setSizes([420, 140])

        self.verify_progress = TaskProgressRow("Verify", self)
        self.verify_result = QLabel(self)
        self.verify_result.setWordWrap(True)
        self.verify_result.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verify_result.setAccessibleName("Trail check result")
        self.copy_head_button = QPushButton(theme.icon("copy", 18), "Copy head", self)
        self.copy_head_button.setAccessibleName("Copy the trail head")
        self.copy_head_button.clicked.connect(self.copy_head)
        verify_row = QHBoxLayout()
        verify_row.addWidget(self.verify_result, 1)
        verify_row.addWidget(self.copy_head_button)
        self.verify_result.hide()
        self.copy_head_button.hide()

        self.status = QLabel(self)
        self.status.setObjectName("hintText")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Paper trail status")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 12, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.owed_banner)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.verify_progress)
        layout.addLayout(verify_row)
        layout.addWidget(self.status)
        self._update_buttons()

    # -- loading -------------------------------------------------------------------------------

    def load(self, case: Case) -> None:
        """Show the first window of the case's trail (again for the same case: every group
        the rep had scrolled to, so the selection and scroll stay)."""
        same_case = self.case is not None and self.case.id == case.id
        through = self.model.last_root if same_case else None
        super().load(case)
        if not same_case:
            self._every_row.cancel()
            self._pending_seq = None
            self.model.clear()
            self.status.clear()
            self.detail.clear()
            self._hide_verify()
        session = self.context.session
        self.followups = session.followups.owed_for_case(case.ref)
        self.model.read_windows(_trail_feed(session, case.ref), through=through)
        self._show_owed()
        self._show_selected()
        self._update_buttons()

    # -- every row, off the GUI thread (a sort on a column other than the number) --------------

    @property
    def loading(self) -> bool:
        """True while every row of the trail is being read on a worker."""
        return self._every_row.loading

    def _start_every_row(self) -> None:
        if self.case is None or not self.context.is_open:
            return
        session, ref = self.context.session, self.case.ref
        ordering = self.model.ordering  # taken here, on the GUI thread
        model = self.model

        def job(control: TaskControl) -> PreparedRows[TrailRow]:
            windows = session.trail_log.every_window(ref, limit=TRAIL_WINDOW,
                                                     between=control.check_cancelled)
            followups = session.followups.for_case(ref)
            rows = build_trail_rows([e for w in windows for e in w.entries], followups)
            return model.ordered_for(rows, ordering)

        self._every_row_job = job
        self.status.setText("Reading the whole paper trail to sort it…")
        self._every_row.start()

    def _read_every_row(self, control: TaskControl) -> PreparedRows[TrailRow]:
        job = self._every_row_job
        if job is None:
            raise Cancelled()
        return job(control)

    def _show_every_row(self, rows: PreparedRows[TrailRow]) -> None:
        self._every_row_job = None
        if self.case is None:
            return
        self.model.set_rows(rows)
        if self.status.text().startswith("Reading the whole paper trail"):
            self.status.clear()
        pending, self._pending_seq = self._pending_seq, None
        if pending is not None:
            self.show_entry(pending)
        self._show_selected()
        self._update_buttons()

    def _every_row_failed(self) -> None:
        self._every_row_job = None
        self._pending_seq = None
        if self.case is not None:
            self.status.setText("The paper trail could not be read in full to sort it.")

    def clear(self) -> None:
        super().clear()
        if self._verify_task is not None:
            self._verify_task.cancel()
        self._verify_task = None
        self.verify_progress.end()
        self._every_row.cancel()
        self._every_row_job = None
        self._pending_seq = None
        self.model.clear()
        self.followups = []
        self.detail.clear()
        self.status.clear()
        self.owed_banner.clear()
        self.owed_banner.hide()
        self._hide_verify()
        for dialog in (self.log_dialog, self.draft_dialog):
            if dialog is not None:
                dialog.reject()
        self.log_dialog = None
        self.draft_dialog = None
        self.badge_changed.emit("")
        self._update_buttons()

    def _hide_verify(self) -> None:
        self.last_report = None
        self.verify_result.clear()
        self.verify_result.hide()
        self.copy_head_button.hide()

    def owed(self) -> list[FollowUp]:
        return [f for f in self.followups if f.state is FollowUpState.OWED]

    def _show_owed(self) -> None:
        owed = self.owed()
        overdue = [f for f in owed if f.overdue]
        if not owed:
            self.owed_banner.hide()
            self.badge_changed.emit("")
            return
        lines = []
        for f in sorted(owed, key=lambda f: (not f.overdue, f.due)):
            summary = f.summary if len(f.summary) <= 70 else f.summary[:67] + "…"
            line = html.escape(f"Oral advice #{f.advice_seq} of {format_uk_date(f.advice_date)}"
                               f" (“{summary}”): written follow-up ")
            if f.overdue:
                line += (f"<b style='color:#c0392b'>OVERDUE by {plural(f.days_overdue, 'day')}"
                         f"</b> (was due {format_uk_date(f.due)}).")
            else:
                line += f"due by {format_uk_date(f.due)}."
            lines.append("• " + line)
        head = (f"<b>{plural(len(owed), 'written follow-up')} owed"
                + (f", {len(overdue)} overdue" if overdue else "")
                + "</b>. Select the advice, then <i>Draft follow-up…</i>, send it, and "
                  "<i>Log written follow-up…</i>")
        self.owed_banner.setText(head + "<br>" + "<br>".join(lines))
        self.owed_banner.show()
        self.badge_changed.emit(f"{len(owed)} owed")

    # -- selection -----------------------------------------------------------------------------

    def selected_row(self) -> TrailRow | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = rows[0].data(ROW_ROLE)
        return row if isinstance(row, TrailRow) else None

    def select_entry(self, seq: int) -> bool:
        """Select entry ``seq`` (showing every kind if the filter hides it), fetching the
        timeline's rows up to it if it lies beyond the rows fetched so far. While every row
        is being read (a sort), it is selected when they arrive (True if it is of the case)."""
        row = self.model.row_of(seq)
        if row < 0 and self.case is not None and not self.model.complete:
            group = self.context.session.trail_log.group_of(self.case.ref, seq)
            if group is None:
                return False
            if self.model.waiting_for_every_row:
                self._pending_seq = seq
                return True
            self.model.fetch_through(group)
            row = self.model.row_of(seq)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            self.kind_filter.setCurrentIndex(0)
            index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectRow(index.row())
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def show_entry(self, seq: int) -> bool:
        """Select entry ``seq`` and give the timeline the focus; scrolled again once the tab
        has its final size (it may just have been shown)."""
        if not self.select_entry(seq):
            return False
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        QTimer.singleShot(0, self._scroll_to_selected)
        return True

    def _scroll_to_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.table.scrollTo(rows[0], QAbstractItemView.ScrollHint.PositionAtCenter)

    def _selection_changed(self, _s: QItemSelection, _d: QItemSelection) -> None:
        self._show_selected()
        self._update_buttons()

    def _show_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            self.detail.clear()
            return
        e = row.entry
        lines = [f"#{e.seq} · {e.label} · {format_moment(e.occurred)}",
                 f"Written to the trail {format_moment(e.ts)}"]
        status = status_text(row)
        if status:
            lines.append(status)
        lines += ["", e.summary]
        if e.detail:
            lines += ["", e.detail]
        narrative = e.payload.get("narrative")
        if isinstance(narrative, str) and narrative:
            lines += ["", narrative]
        self.detail.setPlainText("\n".join(lines))

    def _advice_followup(self, row: TrailRow | None) -> FollowUp | None:
        """The follow-up of the selected oral advice, or the only one owed."""
        if row is not None and row.followup is not None:
            return row.followup
        if row is None or row.entry.kind != EntryKind.ORAL_ADVICE.value:
            owed = self.owed()
            return owed[0] if len(owed) == 1 else None
        return None

    def _update_buttons(self) -> None:
        open_case = (self.case is not None and self.case.status is CaseStatus.OPEN
                     and self.context.is_open)
        row = self.selected_row()
        followup = self._advice_followup(row)
        self.log_button.setEnabled(open_case)
        self.correct_button.setEnabled(open_case and row is not None
                                       and row.entry.is_logged_kind
                                       and row.entry.is_current and not row.entry.erased)
        self.draft_button.setEnabled(self.case is not None and followup is not None)
        self.discharge_button.setEnabled(open_case and followup is not None
                                         and followup.state is FollowUpState.OWED)
        self.verify_button.setEnabled(self._verify_task is None and self.context.is_open)
        self.kind_filter.setEnabled(self.case is not None)

    def _fill_view(self) -> None:
        """Read the next window while a kind filter leaves the view with room to spare."""
        if self.proxy.kinds is None or not self.isVisible() or not self.model.canFetchMore():
            return
        last = self.proxy.rowCount() - 1
        if last >= 0:
            rect = self.table.visualRect(self.proxy.index(last, 0))
            if not self.table.viewport().rect().intersects(rect):
                return
        self.model.fetchMore()

    def _filter_changed(self) -> None:
        value = self.kind_filter.currentData()
        if value == ALL_KINDS:
            self.proxy.set_kinds(None)
        elif value == LOGGED_KINDS:
            self.proxy.set_kinds([k.value for k in EntryKind])
        elif value == SYSTEM_KINDS:
            self.proxy.set_kinds([k.value for k in EntryKind], exclude=True)
        else:
            self.proxy.set_kinds([str(value)])
        self._fill_timer.start()
        self._update_buttons()

    # -- dialogs -------------------------------------------------------------------------------

    def open_log_dialog(self, *, kind: EntryKind | None = None,
                        follows_up: int | None = None) -> LogEntryDialog | None:
        if self.case is None or not self.context.is_open:
            return None
        dialog = LogEntryDialog(self.context, self.case.ref, self, kind=kind,
                                follows_up=follows_up)
        dialog.logged.connect(self._logged)
        self.log_dialog = dialog
        dialog.open()
        return dialog

    def open_correct_dialog(self) -> LogEntryDialog | None:
        row = self.selected_row()
        if self.case is None or row is None or not self.context.is_open:
            return None
        entry: LogEntry = row.entry
        dialog = LogEntryDialog(self.context, self.case.ref, self, correcting=entry)
        dialog.logged.connect(self._logged)
        self.log_dialog = dialog
        dialog.open()
        return dialog

    def open_discharge_dialog(self) -> LogEntryDialog | None:
        followup = self._advice_followup(self.selected_row())
        if followup is None:
            return None
        return self.open_log_dialog(kind=EntryKind.EMAIL_SENT, follows_up=followup.advice_seq)

    def open_draft_dialog(self) -> FollowUpDraftDialog | None:
        followup = self._advice_followup(self.selected_row())
        if self.case is None or followup is None or not self.context.is_open:
            return None
        rep_name = self._rep_name or (self.context.session.profile.get().name or "")
        dialog = FollowUpDraftDialog(self.context, self.case.ref, followup.advice_seq, self,
                                     rep_name=rep_name, union_name=self._union_name)
        dialog.names_changed.connect(self._remember_names)
        self.draft_dialog = dialog
        dialog.open()
        return dialog

    def _remember_names(self, rep: str, union: str) -> None:
        self._rep_name, self._union_name = rep, union

    def _logged(self, done: object) -> None:
        seq = getattr(done, "seq", None)
        due = getattr(done, "followup_due", None)
        discharged = getattr(done, "discharged", None)
        text = f"Entry #{seq} logged." if seq is not None else "Logged."
        if due is not None:
            text += f" A written follow-up is owed by {format_uk_date(due)}."
        if discharged is not None:
            text += f" The written follow-up of oral advice #{discharged} is done."
        self.status.setText(text)
        if self.case is not None and self.context.is_open:
            try:
                self.load(self.case)
            except VaultError as exc:
                self.status.setText(str(exc))
            if isinstance(seq, int):
                self.select_entry(seq)

    # -- verifying -----------------------------------------------------------------------------

    def verify(self) -> Task | None:
        """Check the whole chain on a worker; the result shows below the timeline."""
        if self._verify_task is not None or not self.context.is_open:
            return None
        trail = self.context.session.trail

        def job(control: TaskControl) -> ChainReport:
            control.check_cancelled()
            return trail.verify()

        task = self.context.tasks.start("verify-trail", job)
        self._verify_task = task
        self._hide_verify()
        self.verify_progress.begin(task, "Checking every entry of the paper trail…", 0)
        task.signals.finished.connect(self._verified)
        task.signals.failed.connect(self._verify_failed)
        self._update_buttons()
        return task

    def _verified(self, report: object) -> None:
        self._verify_task = None
        self.verify_progress.end()
        self._update_buttons()
        if not isinstance(report, ChainReport):
            return
        self.last_report = report
        if report.ok:
            self.verify_result.setObjectName("")
            checked = plural(report.entries, "entry", "entries")
            self.verify_result.setText(
                f"✓ The paper trail is intact: {checked} checked, "
                f"none changed, removed or reordered. Head: {self.head_text(report)} — note "
                "this down; a later check must show the same head or a later one.")
            self.copy_head_button.show()
        else:
            self.verify_result.setObjectName("errorText")
            where = f" at entry #{report.broken_at}" if report.broken_at is not None else ""
            problem = report.problem.rstrip(".")
            self.verify_result.setText(f"✗ The paper trail is broken{where}: {problem}. "
                                       "Entries from there on cannot be trusted; keep the "
                                       "vault as it is and ask for help.")
            self.copy_head_button.hide()
        self.verify_result.style().unpolish(self.verify_result)
        self.verify_result.style().polish(self.verify_result)
        self.verify_result.show()

    def _verify_failed(self, error: object) -> None:
        self._verify_task = None
        self.verify_progress.end()
        self._update_buttons()
        if isinstance(error, Cancelled):
            self.status.setText("The check was cancelled.")
            return
        self.verify_result.setObjectName("errorText")
        self.verify_result.setText(str(error) if isinstance(error, VaultError)
                                   else "The paper trail could not be checked.")
        self.verify_result.show()

    @staticmethod
    def head_text(report: ChainReport) -> str:
        """"#42 · 0d6917d7dcf1": the sequence number and the first 12 hex digits of its MAC."""
        return f"#{report.head_seq} · {report.head_mac[:12]}"

    def copy_head(self) -> None:
        if self.last_report is None:
            return
        self.context.clipboard.copy(self.head_text(self.last_report))
        seconds = self.context.clipboard.clear_after_ms // 1000
        self.status.setText(f"Trail head copied. The clipboard is cleared in {seconds} seconds.")


def _trail_feed(session: Session, ref: str) -> TrailFeed:
    """Windows of case ``ref``'s timeline as rows, each with its groups' follow-ups."""

    def feed(after: int | None, oldest_first: bool, through: int | None) -> TrailPage:
        window = session.trail_log.window(ref, after=after, limit=TRAIL_WINDOW,
                                          oldest_first=oldest_first, through=through)
        followups = session.followups.for_advice(ref, window.roots) if window.roots else []
        return TrailPage(build_trail_rows(window.entries, followups), window.roots,
                         window.next_after)

    return feed
