"""Help: what the vault protects and what it does not (DESIGN.md §1 in plain words), what to
set up first, the useful links of the rep's union profile, and the keyboard shortcuts.

It says only what this version does. Encrypted bundles to email, destroying a case at the end of
its archive period and backups are being built: they are listed under "Coming in a later
version" (``NOT_YET``) until they land, and then move into ``PROTECTS``.
"""

from __future__ import annotations

import html

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QTextBrowser, QVBoxLayout, QWidget

from vault.training.union_wording import NO_UNION_NOTE
from vault.ui.page_context import PageContext
from vault.ui.pages.vault_page import VaultPage
from vault.ui.widgets.page_header import PageHeader
from vault.ui.widgets.useful_links_label import links_html

PROTECTS = (
    "A lost or stolen laptop, whether it is switched off or the app is locked: members, cases, "
    "notes and documents are all encrypted, and nothing on disk carries a member's name.",
    "Someone else using this computer account while the vault is locked.",
    "Tampering: each case file and the paper trail are checked, and any change is detected.",
)
# Being built now (exports, secure destruction, backups). Each line moves into PROTECTS, in the
# present tense, when its feature lands; until then Help says plainly that it is not here.
NOT_YET = (
    "Sending a case bundle by email as an encrypted zip (opened with a passphrase you send "
    "another way, by phone or text). Until then, do not email case files from this app's "
    "copies without encrypting them yourself.",
    "Destroying a closed case at the end of its archive period so that its files cannot be "
    "read even by someone who gets the disk later. Until then, closed cases stay in the vault.",
    "Backups of the vault. Until then, keep the vault folder on a computer with full-disk "
    "encryption and remember that a lost passphrase cannot be recovered.",
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
    ("Ctrl+F", "Search: type to find members, cases, parties, first meetings and the paper "
               "trail"),
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
        self.browser.setOpenExternalLinks(True)
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
            "<h3>Coming in a later version</h3>"
            f"<ul>{_items(NOT_YET)}</ul>"
            "<h3>Before you rely on it</h3>"
            f"<ul>{_items(PREREQUISITES)}</ul>"
            f"{self._links_html()}"
            "<h3>Locking</h3>"
            f"<p>The vault locks itself after {minutes} minutes without input (change this in "
            "Settings), and whenever you press Ctrl+L. Locking clears every screen and the "
            "clipboard.</p>"
            "<h3>Keyboard shortcuts</h3>"
            f"<table>{rows}</table>"
        )

    def _links_html(self) -> str:
        """The union profile's useful links (support centre, solicitors, ACAS, regional
        contacts, training), or how to get them before a union is chosen."""
        if not self.context.is_open:
            return ""
        training = self.context.session.training
        profile = training.current_profile()
        if profile is None:
            return f"<h3>Useful links</h3><p>{html.escape(NO_UNION_NOTE)}</p>"
        wording = training.wording()
        return (f"<h3>Useful links ({html.escape(profile.name)})</h3>"
                f"<p>{html.escape(wording.help_text)}</p>"
                f"<p>{links_html(profile.links, with_notes=True)}</p>")

    def refresh(self) -> None:
        self.browser.setHtml(self._html())
