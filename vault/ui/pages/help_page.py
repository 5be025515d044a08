"""Help: what the vault protects and what it does not (DESIGN.md §1 in plain words), what to
set up first, and the keyboard shortcuts."""

from __future__ import annotations

import html

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from vault.ui.page_context import PageContext
from vault.ui.pages.vault_page import VaultPage
from vault.ui.widgets.page_header import PageHeader

PROTECTS = (
    "A lost or stolen laptop, whether it is switched off or the app is locked: members, cases, "
    "notes and documents are all encrypted, and nothing on disk carries a member's name.",
    "Someone else using this computer account while the vault is locked.",
    "Case bundles you email: they are encrypted zips, opened with a passphrase you send "
    "another way (by phone or text).",
    "A laptop whose cases were destroyed: destroying a case erases its key, so its files "
    "cannot be read even by someone who gets the disk later.",
    "Tampering: each case file and the paper trail are checked, and any change is detected.",
)
DOES_NOT_PROTECT = (
    "Malicious software running on this computer while the vault is unlocked. Keep the "
    "computer up to date and lock the vault (Ctrl+L) when you step away.",
    "Copies you make yourself: a decrypted copy saved with “Save a copy as…”, a printout, or a "
    "document opened in another program is outside the vault's protection.",
    "A forgotten passphrase: nobody can recover it, and without it the vault stays closed.",
    "Someone watching your screen or reading over your shoulder.",
)
PREREQUISITES = (
    "Turn on full-disk encryption (BitLocker, FileVault or LUKS).",
    "Use a screen lock with a password on this computer.",
    "Keep your passphrase somewhere safe; it cannot be reset.",
)
FIXED_SHORTCUTS = (
    ("Ctrl+L", "Lock the vault now"),
    ("Ctrl+F", "Search members and cases"),
    ("Ctrl+N", "Open a new case"),
    ("Ctrl+Shift+M", "Add a new member"),
    ("Enter", "Open the selected case, document or Home item"),
    ("Tab / Shift+Tab", "Move between controls"),
)


def _items(lines: tuple[str, ...]) -> str:
    return "".join(f"<li>{html.escape(line)}</li>" for line in lines)


class HelpPage(VaultPage):
    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.header = PageHeader("Help", "What Casework Vault does for you, and what it cannot "
                                 "do.", self)
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("Help text")
        self.browser.setOpenExternalLinks(False)
        self.browser.document().setDocumentMargin(14)
        self.browser.setHtml(self._html())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 12)
        layout.addWidget(self.header)
        layout.addWidget(self.browser, 1)

    def shortcuts(self) -> list[tuple[str, str]]:
        pages = [(QKeySequence(spec.shortcut).toString(), f"Go to {spec.title}")
                 for spec in self.context.registry.pages() if spec.shortcut]
        return [*FIXED_SHORTCUTS, *pages]

    def _html(self) -> str:
        rows = "".join(
            f"<tr><td style='padding:2px 16px 2px 0'><b>{html.escape(keys)}</b></td>"
            f"<td>{html.escape(what)}</td></tr>" for keys, what in self.shortcuts())
        minutes = self.context.settings.current.auto_lock_minutes
        return (
            "<h3>What the vault protects</h3>"
            f"<ul>{_items(PROTECTS)}</ul>"
            "<h3>What it does not protect against</h3>"
            f"<ul>{_items(DOES_NOT_PROTECT)}</ul>"
            "<h3>Before you rely on it</h3>"
            f"<ul>{_items(PREREQUISITES)}</ul>"
            "<h3>Locking</h3>"
            f"<p>The vault locks itself after {minutes} minutes without input (change this in "
            "Settings), and whenever you press Ctrl+L. Locking clears every screen and the "
            "clipboard.</p>"
            "<h3>Keyboard shortcuts</h3>"
            f"<table>{rows}</table>"
        )

    def refresh(self) -> None:
        self.browser.setHtml(self._html())
