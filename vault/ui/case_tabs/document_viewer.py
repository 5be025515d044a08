"""The in-app document viewer: PDFs, images and text shown straight from memory.

Nothing is written to disk: a PDF is loaded into ``QPdfDocument`` from a ``QBuffer``, an image
through ``QImage.loadFromData``, text decoded into a read-only editor. ``clear()`` (on lock or
when another case loads) closes the PDF and drops every byte the viewer held.

Above the document: the page count (PDFs), zoom out / in with the zoom shown, "Fit width"
(the default), and "Larger view" (``larger_requested``: the Documents tab shows the same bytes
in a big window that locking closes like every dialog). Ctrl+plus / Ctrl+minus zoom too.

``prepare_view`` does the heavy part — the bytes are decrypted straight into a ``QByteArray``
(``ViewBuffer``), an image or text decoded — and is safe on a worker thread, so even a 200 MB
PDF reaches the GUI thread ready to show: what is left there (``QPdfDocument.load`` from the
``QBuffer``, the view's layout) measured 2–3 ms for a 200 MiB PDF (issue 11). The residual
pauses while it decrypts came from the GUI thread waiting for the interpreter lock, so the
buffer hands the lock over every 256 KiB.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QResizeEvent, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from vault.domain import Document, format_size
from vault.ui.widgets.sensitive_text_edit import SensitiveTextEdit

log = logging.getLogger(__name__)

MAX_PREVIEW_BYTES = 200 * 1024 * 1024
MAX_TEXT_CHARS = 2_000_000
YIELD_EVERY_BYTES = 256 * 1024  # the decrypting worker lets the GUI thread in this often
_TEXT_TYPES = ("text/", "application/json", "application/xml", "application/csv")
ZOOM_STEPS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)


class ViewKind(Enum):
    NONE = "none"
    PDF = "pdf"
    IMAGE = "image"
    TEXT = "text"
    UNSUPPORTED = "unsupported"


def view_kind(media_type: str) -> ViewKind:
    if media_type == "application/pdf":
        return ViewKind.PDF
    if media_type.startswith("image/"):
        return ViewKind.IMAGE
    if media_type.startswith(_TEXT_TYPES):
        return ViewKind.TEXT
    return ViewKind.UNSUPPORTED


@dataclass
class PreparedView:
    """A document made ready off the GUI thread (exactly one of the payloads is set)."""

    kind: ViewKind
    pdf: QByteArray | None = None
    image: QImage | None = None
    text: str | None = None


class ViewBuffer:
    """A ``QByteArray`` filled segment by segment off the GUI thread (``DocumentService
    .read_into``'s sink); reserved up front so it never re-grows (no stray plaintext copies)."""

    def __init__(self, expected_size: int) -> None:
        self.data = QByteArray()
        self.data.reserve(max(0, expected_size))
        self._since_yield = 0

    def append(self, chunk: bytes) -> None:
        self.data.append(chunk)
        self._since_yield += len(chunk)
        if self._since_yield >= YIELD_EVERY_BYTES:
            # Hand the interpreter to the GUI thread now and then: otherwise it waits up to the
            # switch interval (5 ms) for every Python callback it runs while a big document
            # decrypts, and a few of those in one event-loop turn add up to a visible pause.
            self._since_yield = 0
            time.sleep(0)

    def wipe(self) -> None:
        self.data.fill(0)
        self.data.clear()


def prepare_view(media_type: str, data: bytes | QByteArray) -> PreparedView:
    """Turn decrypted bytes into what the viewer shows; thread-safe (no widgets touched)."""
    kind = view_kind(media_type)
    raw = data if isinstance(data, QByteArray) else QByteArray(data)
    if kind is ViewKind.PDF:
        return PreparedView(kind, pdf=raw)
    if kind is ViewKind.IMAGE:
        image = QImage()
        if not image.loadFromData(raw):
            return PreparedView(ViewKind.UNSUPPORTED)
        return PreparedView(kind, image=image)
    if kind is ViewKind.TEXT:
        head = raw.left(MAX_TEXT_CHARS * 4) if raw.size() > MAX_TEXT_CHARS * 4 else raw
        text = bytes(head.data()).decode("utf-8", errors="replace")
        if len(text) > MAX_TEXT_CHARS:
            text = text[:MAX_TEXT_CHARS] + "\n\n[… the rest is not shown here]"
        return PreparedView(kind, text=text)
    return PreparedView(kind)


class DocumentViewer(QFrame):
    """Shows one decrypted document held in memory. Emits ``larger_requested``."""

    larger_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, offer_larger: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("homeCard")
        self.setAccessibleName("Document viewer")
        self.kind = ViewKind.NONE
        self.zoom = 1.0  # used once the rep leaves "Fit width"
        self.fit_width = True
        self.title = QLabel(self)
        self.title.setObjectName("sectionTitle")
        self.title.setAccessibleName("Document shown")
        self.title.setWordWrap(True)
        self.note = QLabel("Shown from memory; nothing is written to disk.", self)
        self.note.setObjectName("hintText")
        self.note.setAccessibleName("Viewer note")

        self.placeholder = QLabel("Choose a document to view it here.", self)
        self.placeholder.setObjectName("hintText")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        self.placeholder.setAccessibleName("No document shown")

        self.pdf = QPdfDocument(self)
        self.pdf_view = QPdfView(self)
        self.pdf_view.setAccessibleName("PDF document")
        self.pdf_view.setDocument(self.pdf)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._buffer = QBuffer(self)

        self.image_label = QLabel(self)
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.image_label.setAccessibleName("Image document")
        self.image_scroll = QScrollArea(self)
        self.image_scroll.setWidget(self.image_label)
        self.image_scroll.setWidgetResizable(True)
        self.image_scroll.setAccessibleName("Image document")
        self._image = QImage()

        self.text = SensitiveTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Text document")
        self.text.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)

        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setAccessibleName("Viewer message")

        self.stack = QStackedWidget(self)
        for widget in (self.placeholder, self.pdf_view, self.image_scroll, self.text,
                       self.message):
            self.stack.addWidget(widget)

        self.controls = QWidget(self)
        controls = QHBoxLayout(self.controls)
        controls.setContentsMargins(0, 0, 0, 0)
        self.pages = QLabel(self.controls)
        self.pages.setAccessibleName("Number of pages")
        self.zoom_out_button = QPushButton("−", self.controls)
        self.zoom_out_button.setAccessibleName("Zoom out")
        self.zoom_out_button.setToolTip("Zoom out (Ctrl+minus)")
        self.zoom_out_button.clicked.connect(self.zoom_out)
        self.zoom_label = QLabel(self.controls)
        self.zoom_label.setAccessibleName("Zoom")
        self.zoom_label.setMinimumWidth(self.zoom_label.fontMetrics().horizontalAdvance("400 %"))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in_button = QPushButton("+", self.controls)
        self.zoom_in_button.setAccessibleName("Zoom in")
        self.zoom_in_button.setToolTip("Zoom in (Ctrl+plus)")
        self.zoom_in_button.clicked.connect(self.zoom_in)
        self.fit_button = QPushButton("Fit width", self.controls)
        self.fit_button.setAccessibleName("Fit to width")
        self.fit_button.setCheckable(True)
        self.fit_button.setChecked(True)
        self.fit_button.clicked.connect(lambda checked: self.set_fit_width(checked))
        self.larger_button = QPushButton("Larger view", self.controls)
        self.larger_button.setAccessibleName("Show the document in a larger window")
        self.larger_button.clicked.connect(self.larger_requested)
        self.larger_button.setVisible(offer_larger)
        for button in (self.zoom_out_button, self.zoom_in_button, self.fit_button,
                       self.larger_button):
            button.setAutoDefault(False)
        controls.addWidget(self.pages)
        controls.addStretch(1)
        controls.addWidget(self.zoom_out_button)
        controls.addWidget(self.zoom_label)
        controls.addWidget(self.zoom_in_button)
        controls.addWidget(self.fit_button)
        controls.addWidget(self.larger_button)
        for keys, action in ((QKeySequence.StandardKey.ZoomIn, self.zoom_in),
                             (QKeySequence.StandardKey.ZoomOut, self.zoom_out)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.note)
        layout.addWidget(self.controls)
        layout.addWidget(self.stack, 1)
        self.clear()

    def show_document(self, doc: Document, data: bytes) -> ViewKind:
        """Show ``data`` (the decrypted bytes of ``doc``); returns how it is shown."""
        return self.show_prepared(doc, prepare_view(doc.media_type, data))

    def show_prepared(self, doc: Document, prepared: PreparedView) -> ViewKind:
        """Show a document made ready by ``prepare_view``; returns how it is shown."""
        self.clear()
        self.title.setText(doc.name)
        self.title.show()
        self.note.show()
        kind = prepared.kind
        if kind is ViewKind.PDF and prepared.pdf is not None:
            self._show_pdf(prepared.pdf)
        elif kind is ViewKind.IMAGE and prepared.image is not None:
            self._show_image(prepared.image)
        elif kind is ViewKind.TEXT and prepared.text is not None:
            self._show_text(prepared.text)
        elif view_kind(doc.media_type) is ViewKind.IMAGE:
            kind = ViewKind.UNSUPPORTED
            self._show_message("This image could not be read.")
        else:
            kind = ViewKind.UNSUPPORTED
            self._show_message("This kind of file cannot be shown here. Use “Open with…” "
                               "to open it in another program.")
        self.kind = kind
        self._show_controls(kind)
        return kind

    def show_loading(self, doc: Document) -> None:
        """The document is being decrypted on a worker (its progress shows in the tab)."""
        self.clear()
        self.title.setText(doc.name)
        self.title.show()
        self._show_message(f"Decrypting ({format_size(doc.size)})…")
        self.kind = ViewKind.NONE

    def show_too_large(self, doc: Document) -> None:
        self.clear()
        self.title.setText(doc.name)
        self.title.show()
        self._show_message(f"This document is too large to preview ({format_size(doc.size)}). "
                           "Use “Open with…” to open it in another program.")
        self.kind = ViewKind.UNSUPPORTED

    def show_error(self, doc: Document, text: str) -> None:
        self.clear()
        self.title.setText(doc.name)
        self.title.show()
        self._show_message(text)
        self.kind = ViewKind.UNSUPPORTED

    def clear(self) -> None:
        """Close the document and let go of every byte of it."""
        self.pdf.close()
        self._buffer.close()
        self._buffer.setData(QByteArray())
        self._image = QImage()
        self.image_label.clear()
        self.text.clear()
        self.message.clear()
        self.title.clear()
        self.title.hide()
        self.note.hide()
        self.pages.clear()
        self.controls.hide()
        self.stack.setCurrentWidget(self.placeholder)
        self.kind = ViewKind.NONE

    # -- zoom ----------------------------------------------------------------------------------

    def zoom_in(self) -> None:
        bigger = [z for z in ZOOM_STEPS if z > self._effective_zoom() + 1e-6]
        self._set_zoom(bigger[0] if bigger else ZOOM_STEPS[-1])

    def zoom_out(self) -> None:
        smaller = [z for z in ZOOM_STEPS if z < self._effective_zoom() - 1e-6]
        self._set_zoom(smaller[-1] if smaller else ZOOM_STEPS[0])

    def set_fit_width(self, fit: bool) -> None:
        self.fit_width = fit
        self.fit_button.setChecked(fit)
        self._apply_zoom()

    def _effective_zoom(self) -> float:
        if not self.fit_width:
            return self.zoom
        if self.kind is ViewKind.PDF:
            return float(self.pdf_view.zoomFactor())
        if self.kind is ViewKind.IMAGE and not self._image.isNull():
            return self._fitted_width() / max(1, self._image.width())
        return 1.0

    def _set_zoom(self, factor: float) -> None:
        self.zoom = factor
        self.fit_width = False
        self.fit_button.setChecked(False)
        self._apply_zoom()

    def _apply_zoom(self) -> None:
        if self.kind is ViewKind.PDF:
            if self.fit_width:
                self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            else:
                self.pdf_view.setZoomMode(QPdfView.ZoomMode.Custom)
                self.pdf_view.setZoomFactor(self.zoom)
        elif self.kind is ViewKind.IMAGE:
            self._fit_image()
        elif self.kind is ViewKind.TEXT:
            font = self.text.font()
            font.setPointSizeF(max(6.0, self.font().pointSizeF() * (
                1.0 if self.fit_width else self.zoom)))
            self.text.setFont(font)
        self.zoom_label.setText("Fit" if self.fit_width else f"{round(self.zoom * 100)} %")

    def _show_controls(self, kind: ViewKind) -> None:
        zoomable = kind in (ViewKind.PDF, ViewKind.IMAGE, ViewKind.TEXT)
        self.controls.setVisible(zoomable)
        self.fit_width = True
        self.zoom = 1.0
        self.fit_button.setChecked(True)
        self.fit_button.setVisible(kind in (ViewKind.PDF, ViewKind.IMAGE))
        if kind is ViewKind.PDF:
            n = self.pdf.pageCount()
            self.pages.setText(f"{n} page{'s' if n != 1 else ''}")
        else:
            self.pages.clear()
        self._apply_zoom()

    # -- kinds ---------------------------------------------------------------------------------

    def _show_pdf(self, data: QByteArray) -> None:
        self._buffer.setData(data)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self._buffer)
        self.stack.setCurrentWidget(self.pdf_view)

    def _show_image(self, image: QImage) -> None:
        self._image = image
        self._fit_image()
        self.stack.setCurrentWidget(self.image_scroll)

    def _show_text(self, text: str) -> None:
        self.text.setPlainText(text)
        self.stack.setCurrentWidget(self.text)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def _fitted_width(self) -> int:
        return max(50, self.image_scroll.viewport().width() - 4)

    def _fit_image(self) -> None:
        if self._image.isNull():
            return
        pixmap = QPixmap.fromImage(self._image)
        if self.fit_width:
            width = self._fitted_width()
            if pixmap.width() > width:
                pixmap = pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        else:
            pixmap = pixmap.scaledToWidth(max(1, round(self._image.width() * self.zoom)),
                                          Qt.TransformationMode.SmoothTransformation)
        self.image_label.setPixmap(pixmap)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.kind is ViewKind.IMAGE and self.fit_width:
            self._fit_image()
