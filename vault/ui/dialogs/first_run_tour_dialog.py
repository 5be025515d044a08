"""The first-run tour: four short steps shown after a vault is created, skippable at any point
and reopened from Help ("Take the tour again").

The steps: where the vault lives (its folder, and that it is encrypted and named by no member),
the lock (auto-lock minutes, Ctrl+L, the passphrase nobody can recover), the three habits of
the casework guide (encrypt, keep cases apart, follow oral advice up in writing) and where the
guide is. The recovery code is not mentioned: the app has none yet. Say it here once it does.

The dialog holds no member data (only the vault's folder and a setting), so it may stay open
over the main window; the controller still closes it on lock with everything else.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from vault.ui import theme


@dataclass(frozen=True)
class TourStep:
    title: str
    icon: str
    html: str


def tour_steps(vault_root: Path, auto_lock_minutes: int) -> list[TourStep]:
    """The tour's steps for this vault (folder) and the current auto-lock setting."""
    folder = html.escape(str(vault_root))
    return [
        TourStep("Your vault is ready", "shield", (
            "<p>Everything you keep here is stored, encrypted, in one folder on this "
            f"computer:</p><p><b>{folder}</b></p>"
            "<p>No file or folder in it carries a member's name. The status bar at the bottom "
            "of the window always shows where the vault is. Keep the folder out of Dropbox, "
            "OneDrive and other cloud-sync folders.</p>")),
        TourStep("The lock", "lock", (
            f"<p>The vault locks itself after <b>{auto_lock_minutes} minutes</b> without input "
            "(change this in Settings). Press <b>Ctrl+L</b>, or the lock button on the "
            "toolbar, whenever you step away.</p>"
            "<p>Locking closes every screen and clears anything you copied from the vault. "
            "To carry on, type your passphrase again. If you forget it, the <b>recovery "
            "code</b> you were just shown is the only way back: keep the printed sheet somewhere "
            "safe, away from the laptop (make a new one in Settings → Backups).</p>")),
        TourStep("Three habits", "check", (
            "<p>The union's casework guide asks three things of every rep:</p><ol>"
            "<li><b>Encrypt.</b> Keep notes and documents in the vault, not in loose files or "
            "email folders. Send cases only as encrypted bundles.</li>"
            "<li><b>Keep cases apart.</b> One member's papers never go into another's case. "
            "The vault checks for conflicts when you open a case or add a party.</li>"
            "<li><b>Follow oral advice up in writing.</b> Log advice you give by phone or in a "
            "meeting as oral advice; Home then shows the written follow-up you owe until you "
            "log it.</li></ol>")),
        TourStep("Help is one key away", "help", (
            "<p>Start on <b>Home</b>: it lists what needs you today. Add your first member "
            "with <b>New member</b> (Ctrl+Shift+M) and open a case with <b>New case</b> "
            "(Ctrl+N).</p>"
            "<p><b>Help</b> (F1) has the guide for reps: the daily routine, a case from first "
            "meeting to destruction, and what the vault does not protect. You can take this "
            "tour again from there.</p>")),
    ]


class FirstRunTourDialog(QDialog):
    """Back / Next through the steps; Skip tour (or Esc) closes it at any step."""

    def __init__(self, vault_root: Path, auto_lock_minutes: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Casework Vault")
        self.setAccessibleName("First-run tour")
        self.setMinimumWidth(520)
        self.steps = tour_steps(vault_root, auto_lock_minutes)
        self.stack = QStackedWidget(self)
        for step in self.steps:
            self.stack.addWidget(self._page(step))
        self.position = QLabel(self)
        self.position.setAccessibleName("Tour step")
        self.skip_button = QPushButton("Skip tour", self)
        self.skip_button.setAccessibleName("Skip the tour")
        self.skip_button.clicked.connect(self.reject)
        self.back_button = QPushButton("Back", self)
        self.back_button.setAccessibleName("Previous step")
        self.back_button.clicked.connect(self.back)
        self.next_button = QPushButton("Next", self)
        self.next_button.setDefault(True)
        self.next_button.clicked.connect(self.next)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.position)
        buttons.addSpacing(12)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 16)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self._update()

    def _page(self, step: TourStep) -> QWidget:
        page = QWidget(self)
        icon = QLabel(page)
        icon.setPixmap(theme.pixmap(step.icon, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel(f"<h2>{html.escape(step.title)}</h2>", page)
        text = QLabel(step.html, page)
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        text.setAccessibleName(step.title)
        column = QVBoxLayout()
        column.addWidget(title)
        column.addWidget(text, 1)
        row = QHBoxLayout(page)
        row.addWidget(icon)
        row.addSpacing(12)
        row.addLayout(column, 1)
        return page

    @property
    def current(self) -> int:
        return self.stack.currentIndex()

    def next(self) -> None:
        if self.current == len(self.steps) - 1:
            self.accept()
            return
        self.stack.setCurrentIndex(self.current + 1)
        self._update()

    def back(self) -> None:
        if self.current > 0:
            self.stack.setCurrentIndex(self.current - 1)
            self._update()

    def _update(self) -> None:
        last = self.current == len(self.steps) - 1
        self.position.setText(f"{self.current + 1} of {len(self.steps)}")
        self.back_button.setEnabled(self.current > 0)
        self.next_button.setText("Done" if last else "Next")
        self.next_button.setAccessibleName("Finish the tour" if last else "Next step")
        self.skip_button.setVisible(not last)
