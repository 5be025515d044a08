"""Shared helpers for the GUI tests: sample files, setup through the services, widget scans."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QCommandLinkButton,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from vault.domain import CaseFlags, Category


def make_pdf(path: Path, pages: int = 2, heading: str = "Letter from the employer") -> Path:
    c = canvas.Canvas(str(path), pagesize=A4)
    for number in range(1, pages + 1):
        c.setFont("Helvetica-Bold", 18)
        c.drawString(72, 770, heading)
        c.setFont("Helvetica", 11)
        y = 740
        for line in ("Dear member,",
                     "We write to invite you to a meeting under the disciplinary procedure.",
                     "You have the right to be accompanied by a trade union representative.",
                     f"Page {number} of {pages}."):
            c.drawString(72, y, line)
            y -= 18
        c.showPage()
    c.save()
    return path


def make_png(path: Path, width: int = 120, height: int = 80) -> Path:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(QColor("#3a7bd5"))
    assert image.save(str(path), "PNG")
    return path


def make_text(path: Path,
              text: str = "Notes from the first meeting.\nAgreed: write to HR.\n") -> Path:
    path.write_text(text, "utf-8")
    return path


def add_member_and_case(session, *, name: str = "Alex Canary-Member",  # type: ignore[no-untyped-def]
                        title: str = "Grievance about shift pattern",
                        category: Category = Category.GRIEVANCE,
                        flags: CaseFlags = CaseFlags()):
    member = session.members.add(name, membership_number="UCU-4471", employer="Northfield "
                                 "University", email="alex@example.org")
    case = session.cases.open(member.id, title, category, flags=flags)
    return member, case


def visible_texts(root: QWidget) -> list[str]:
    """Every string a person could read in ``root`` and its children (and its window title)."""
    texts = [root.windowTitle()]
    for widget in [root, *root.findChildren(QWidget)]:
        if isinstance(widget, QCommandLinkButton):
            texts.append(widget.description())
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            texts.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            texts.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            texts.extend(widget.itemText(i) for i in range(widget.count()))
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            for row in range(model.rowCount(QModelIndex())):
                col = 0
                while model.index(row, col).isValid():
                    value = model.index(row, col).data(Qt.ItemDataRole.DisplayRole)
                    if value:
                        texts.append(str(value))
                    col += 1
        texts.append(widget.toolTip())
        texts.append(widget.accessibleName())
        texts.append(widget.accessibleDescription())
    return [t for t in texts if t]


def loaded_page(window, key: str, timeout: float = 15.0):  # type: ignore[no-untyped-def]
    """Page ``key`` once it shows its rows (Home, Cases and Members read them off the GUI
    thread)."""
    import time

    from PySide6.QtWidgets import QApplication

    page = window.pages[key]
    deadline = time.monotonic() + timeout
    while not page.is_loaded:
        assert time.monotonic() < deadline, f"the {key} page did not load"
        QApplication.processEvents()
        time.sleep(0.005)
    return page


def loaded_home(window, timeout: float = 15.0):  # type: ignore[no-untyped-def]
    """The Home page once its cards are filled."""
    return loaded_page(window, "home", timeout)
