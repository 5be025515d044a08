"""The message-box seam: every alert and confirmation of the app goes through ``MessageBoxes``.

Tests queue the next answer with ``set_next_answer`` instead of patching Qt classes (the
keepassxc ``MessageBox::setNextAnswer`` pattern). The box is still built exactly as a rep
would see it, and kept in ``last_box`` so a test can check its wording and default button.

Notices (information, warning, error) are shown window-modal but non-blocking: nothing waits
on them. Confirmations block for the answer. A dangerous confirmation (destroy, decrypt out
of the vault) makes Cancel the default and the Escape button, so Enter never does harm.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

log = logging.getLogger(__name__)


class Answer(Enum):
    """What a rep answered (or, for tests, what they will answer)."""

    ACCEPT = "accept"
    CANCEL = "cancel"
    DEFAULT = "default"  # queue only: "press Enter", i.e. whatever the default button is


@dataclass(frozen=True)
class ConfirmRecord:
    """What the last confirmation said and which button Enter would have pressed."""

    title: str
    text: str
    accept_text: str
    default_is_cancel: bool
    answered: bool


class MessageBoxes:
    """Builds and shows the app's message boxes; one instance per app, passed to pages."""

    def __init__(self) -> None:
        self._next: deque[Answer] = deque()
        self.last_box: QMessageBox | None = None
        self.last_confirm: ConfirmRecord | None = None

    def set_next_answer(self, answer: Answer) -> None:
        """Answer the next confirmation without showing it (tests)."""
        self._next.append(answer)

    # -- notices -------------------------------------------------------------------------------

    def information(self, parent: QWidget | None, title: str, text: str) -> QMessageBox:
        return self._notice(parent, QMessageBox.Icon.Information, title, text)

    def warning(self, parent: QWidget | None, title: str, text: str) -> QMessageBox:
        return self._notice(parent, QMessageBox.Icon.Warning, title, text)

    def error(self, parent: QWidget | None, title: str, text: str) -> QMessageBox:
        return self._notice(parent, QMessageBox.Icon.Critical, title, text)

    def _notice(self, parent: QWidget | None, icon: QMessageBox.Icon, title: str,
                text: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
        box.setAccessibleName(title)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.WindowModal)
        self.last_box = box
        box.open()
        return box

    # -- confirmations -------------------------------------------------------------------------

    def build_confirm(self, parent: QWidget | None, title: str, text: str, *, accept_text: str,
                      dangerous: bool = False, informative: str = "") -> QMessageBox:
        """The confirmation box as shown; dangerous ones default to Cancel."""
        box = QMessageBox(parent)
        box.setIcon(QMessageBox.Icon.Warning if dangerous else QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        if informative:
            box.setInformativeText(informative)
        box.setAccessibleName(title)
        role = (QMessageBox.ButtonRole.DestructiveRole if dangerous
                else QMessageBox.ButtonRole.AcceptRole)
        accept = box.addButton(accept_text, role)
        accept.setAccessibleName(accept_text)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        box.setEscapeButton(cancel)
        box.setDefaultButton(cancel if dangerous else accept)
        box.setProperty("acceptButton", accept)
        return box

    def confirm(self, parent: QWidget | None, title: str, text: str, *, accept_text: str,
                dangerous: bool = False, informative: str = "") -> bool:
        """True only when the rep chose ``accept_text``."""
        box = self.build_confirm(parent, title, text, accept_text=accept_text,
                                 dangerous=dangerous, informative=informative)
        accept_button = box.property("acceptButton")
        default_is_cancel = not _same_button(box.defaultButton(), accept_button)
        if self._next:
            answer = self._next.popleft()
            if answer is Answer.DEFAULT:
                accepted = not default_is_cancel
            else:
                accepted = answer is Answer.ACCEPT
        else:
            box.exec()
            accepted = _same_button(box.clickedButton(), accept_button)
        box.deleteLater()
        self.last_confirm = ConfirmRecord(title, text, accept_text, default_is_cancel, accepted)
        log.info("confirmation answered: %s", "accept" if accepted else "cancel")
        return accepted


def _same_button(a: QAbstractButton | None, b: QAbstractButton | None) -> bool:
    return a is not None and b is not None and a is b
