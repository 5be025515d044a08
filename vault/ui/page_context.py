"""What every page and case tab is given while the vault is unlocked.

A ``PageContext`` is built at unlock and dropped at lock: it holds the session (every service),
the app-wide helpers (tasks, message boxes, file dialogs, clipboard, settings, the "Open
with…" opener) and a
``Navigator`` for moving between pages. Pages announce their writes on ``events.changed`` so
other pages and the status bar refresh.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from vault.clock import Clock
from vault.session import VaultManager
from vault.ui.file_dialogs import FileDialogs
from vault.ui.live_settings import LiveSettings
from vault.ui.message_boxes import MessageBoxes
from vault.ui.open_with import ExternalOpener
from vault.ui.sensitive_clipboard import SensitiveClipboard
from vault.ui.task_runner import TaskRunner

if TYPE_CHECKING:  # the registry's factories take a PageContext: import for types only
    from vault.session import Session
    from vault.ui.registry import UiRegistry


class VaultEvents(QObject):
    """App-wide notifications while unlocked."""

    changed = Signal()  # something was written through a service
    restore_requested = Signal()  # "Restore from backup…" (Settings → Backups): the controller


class Navigator(Protocol):
    """Moving around the main window (implemented by ``MainWindow``)."""

    def show_page(self, key: str) -> None: ...

    def open_case(self, ref: str, tab: str | None = None, entry: int | None = None) -> None:
        """Show case ``ref`` at ``tab``; ``entry``: a paper-trail entry to select there."""

    def open_member(self, member_id: str) -> None: ...

    def new_member(self) -> QWidget | None: ...

    def new_case(self, member_id: str | None = None) -> QWidget | None: ...


@dataclass
class PageContext:
    session: Session
    manager: VaultManager
    settings: LiveSettings
    tasks: TaskRunner
    message_boxes: MessageBoxes
    file_dialogs: FileDialogs
    clipboard: SensitiveClipboard
    events: VaultEvents
    navigator: Navigator
    registry: UiRegistry
    opener: ExternalOpener = field(default_factory=ExternalOpener)

    @property
    def clock(self) -> Clock:
        return self.session.clock

    @property
    def is_open(self) -> bool:
        """False once the vault locked: late callbacks must then do nothing."""
        return not self.session.is_locked
