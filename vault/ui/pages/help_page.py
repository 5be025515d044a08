"""Help: the guide for reps (``resources/guide/user-guide.md``, rendered), then what is true of
this vault now (the auto-lock minutes, the union profile's useful links, every keyboard
shortcut), with "Take the tour again" and "Save the guide as PDF…".

The guide's own ``#…`` links scroll the page; web links open in the system browser only when
the rep clicks them (nothing is fetched by the app). The PDF is written on a worker.
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from vault.errors import VaultError
from vault.reports import user_guide
from vault.ui import theme
from vault.ui.dialogs.first_run_tour_dialog import FirstRunTourDialog
from vault.ui.page_context import PageContext
from vault.ui.pages.vault_page import VaultPage
from vault.ui.task_runner import Task, TaskControl
from vault.ui.widgets.page_header import PageHeader

log = logging.getLogger(__name__)

FIXED_SHORTCUTS = (
    ("Ctrl+L", "Lock the vault now"),
    ("Ctrl+F", "Search members and cases"),
    ("Ctrl+N", "Open a new case"),
    ("Ctrl+Shift+M", "Add a new member"),
    ("Enter", "Open the selected case, document or Home item"),
    ("Tab / Shift+Tab", "Move between controls"),
)
GUIDE_PDF_NAME = "casework-vault-guide.pdf"


class HelpPage(VaultPage):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.header = PageHeader("Help", "The guide for reps, and what Casework Vault can and "
                                 "cannot do for you.", self)
        self.tour_button = QPushButton(theme.icon("help", 18), "Take the tour again", self)
        self.tour_button.setAccessibleName("Take the first-run tour again")
        self.tour_button.clicked.connect(self.show_tour)
        self.pdf_button = QPushButton(theme.icon("document", 18), "Save the guide as PDF…", self)
        self.pdf_button.setAccessibleName("Save the guide as a PDF")
        self.pdf_button.clicked.connect(self.save_pdf)
        self.status = QLabel(self)
        self.status.setAccessibleName("Help status")
        self.status.setWordWrap(True)
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("Help text")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self.follow_link)
        self.browser.document().setDocumentMargin(14)
        self.tour: FirstRunTourDialog | None = None
        self._task: Task | None = None
        self.browser.setHtml(self._html())
        buttons = QHBoxLayout()
        buttons.addWidget(self.tour_button)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(self.header)
        layout.addLayout(buttons)
        layout.addWidget(self.browser, 1)

    # -- content -------------------------------------------------------------------------------

    def shortcuts(self) -> list[tuple[str, str]]:
        pages = [(QKeySequence(spec.shortcut).toString(), f"Go to {spec.title}")
                 for spec in self.context.registry.pages() if spec.shortcut]
        return [*FIXED_SHORTCUTS, *pages]

    def _guide_html(self) -> str:
        try:
            return user_guide.to_html(user_guide.load_guide())
        except VaultError as exc:
            log.warning("user guide not shown: %s", type(exc).__name__)
            return f"<p><b>{html.escape(str(exc))}</b></p>"

    def _union_links(self) -> str:
        profile = self.context.session.training.current_profile()
        if profile is None or not profile.links:
            return ("<p>Choose your union on the Training page to see its support centre, "
                    "regional office and training links here.</p>")
        items = "".join(
            f"<li><a href='{html.escape(link.url, quote=True)}'>{html.escape(link.title)}</a>"
            + (f" — {html.escape(link.note)}" if link.note else "") + "</li>"
            for link in profile.links)
        return f"<p>From the {html.escape(profile.name)} profile:</p><ul>{items}</ul>"

    def _html(self) -> str:
        rows = "".join(
            f"<tr><td style='padding:2px 16px 2px 0'><b>{html.escape(keys)}</b></td>"
            f"<td>{html.escape(what)}</td></tr>" for keys, what in self.shortcuts())
        minutes = self.context.settings.current.auto_lock_minutes
        return (
            self._guide_html()
            + "<hr/><h2><a name='this-vault'></a>This vault now</h2>"
            f"<p>Auto-lock is set to <b>{minutes} minutes</b> without input (change it in "
            "Settings). Ctrl+L locks at once.</p>"
            "<h3>Your union's links</h3>" + self._union_links()
            + "<h3>Every keyboard shortcut</h3>"
            f"<table>{rows}</table>"
        )

    def refresh(self) -> None:
        self.browser.setHtml(self._html())

    # -- links, tour, PDF ----------------------------------------------------------------------

    def follow_link(self, url: QUrl) -> None:
        """``#anchor`` scrolls the guide; http(s) opens the browser; anything else is ignored."""
        if url.scheme() in ("", "about") and url.fragment():
            self.browser.scrollToAnchor(url.fragment())
        elif url.scheme() in ("http", "https"):
            QDesktopServices.openUrl(url)

    def show_tour(self) -> FirstRunTourDialog:
        self.tour = FirstRunTourDialog(self.context.session.root,
                                       self.context.settings.current.auto_lock_minutes, self)
        self.tour.open()
        return self.tour

    def save_pdf(self) -> Task | None:
        """Ask where, then write the guide as a PDF on a worker (it holds no member data)."""
        if self._task is not None:
            return None
        out = self.context.file_dialogs.save_file(self, "Save the guide as", GUIDE_PDF_NAME)
        if out is None:
            self.status.setText("No PDF was saved.")
            return None
        if out.suffix.lower() != ".pdf":
            out = out.with_name(out.name + ".pdf")

        def job(control: TaskControl) -> Path:
            control.check_cancelled()
            return user_guide.write_pdf(out)

        self._task = self.context.tasks.start("guide-pdf", job)
        self.pdf_button.setEnabled(False)
        self.status.setText("Writing the PDF…")
        self._task.signals.finished.connect(self._saved)
        self._task.signals.failed.connect(self._failed)
        return self._task

    def _saved(self, path: object) -> None:
        self._task = None
        self.pdf_button.setEnabled(True)
        self.status.setText(f"The guide was saved to {path}.")

    def _failed(self, error: object) -> None:
        self._task = None
        self.pdf_button.setEnabled(True)
        self.status.setText(str(error) if isinstance(error, VaultError)
                            else "The guide could not be saved as a PDF.")
