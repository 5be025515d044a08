"""Small parts every dialog and tab shares: the hidden one-line error label and the
accept/Cancel button row (Cancel always present, the accept button the default)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QPushButton, QWidget


def error_label(parent: QWidget, accessible_name: str = "Problem") -> QLabel:
    """A wrapped, hidden label styled as an error; show it with a service's one-line message."""
    label = QLabel(parent)
    label.setObjectName("errorText")
    label.setWordWrap(True)
    label.setAccessibleName(accessible_name)
    label.hide()
    return label


def accept_cancel_buttons(parent: QWidget, text: str, on_accept: Callable[[], object],
                          on_cancel: Callable[[], object], *,
                          accessible_name: str | None = None
                          ) -> tuple[QDialogButtonBox, QPushButton]:
    """A button row with ``text`` as the default accept button and Cancel beside it."""
    buttons = QDialogButtonBox(parent)
    accept = buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
    accept.setAccessibleName(accessible_name or text)
    accept.setDefault(True)
    cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    cancel.setAccessibleName("Cancel")
    buttons.accepted.connect(on_accept)
    buttons.rejected.connect(on_cancel)
    return buttons, accept


def grow_to_fit(dialog: QWidget) -> None:
    """Make ``dialog`` tall enough for what it now shows at its current width.

    A word-wrapped label (a warning, a banner) shown after the dialog opened needs more height
    than the layout's minimum, which does not count wrapping, so it was drawn clipped to one
    squeezed line. Call after showing or changing such a label; the dialog never shrinks.
    """
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    width = dialog.width()
    needed = (layout.totalHeightForWidth(width) if layout.hasHeightForWidth()
              else layout.totalSizeHint().height())
    screen = dialog.screen()
    if screen is not None:  # Qt opens a window at most 2/3 of the screen high; allow it all
        needed = min(needed, screen.availableGeometry().height() - 40)
    if needed > dialog.height():
        dialog.resize(width, needed)
