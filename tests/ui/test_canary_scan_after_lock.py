"""No planted canary (UTF-8 or UTF-16-LE, in a file's bytes or its name) survives a lock in the
vault folder, the "Open with…" runtime folder, the temp folder, the settings or the log, after
a workflow through the GUI: import, view in the app, Open with…, copy to the clipboard, lock."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import add_member_and_case
from vault.ui.case_tabs.document_viewer import ViewKind
from vault.ui.message_boxes import Answer

CANARIES = {
    "name": "Ophelia Canarysong",
    "title": "Canarytitle dismissal appeal",
    "body": "CANARY-BODY-OPENWITH-77c1",
    "docname": "canary-openwith-letter.txt",
}


def _hits(root: Path) -> list[tuple[str, str]]:
    found = []
    needles = {}
    for key, value in CANARIES.items():
        needles[key] = value.encode("utf-8").lower()
        needles[key + "/utf16"] = value.encode("utf-16-le").lower()
    for path in root.rglob("*"):
        for key, value in CANARIES.items():
            if value.lower() in path.name.lower():
                found.append((str(path), key + "/filename"))
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes().lower()
            found.extend((str(path), key) for key, n in needles.items() if n in data)
    return found


@pytest.fixture
def private_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    run = tmp_path / "run-user"
    run.mkdir(mode=0o700)
    os.chmod(run, 0o700)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(run))
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    return run, tmp


def test_no_canary_left_after_open_with_and_lock(unlocked, qtbot, tmp_path, ui_dirs,
                                                  private_dirs):
    run, tmp = private_dirs
    _m, case = add_member_and_case(unlocked.session, name=CANARIES["name"],
                                   title=CANARIES["title"])
    outside = tmp_path / "outside"
    outside.mkdir()
    source = outside / CANARIES["docname"]
    source.write_text((CANARIES["body"] + "\n") * 2000, "utf-8")
    window = unlocked.main_window
    window.open_case(case.ref, "documents")
    tab = window.case_page.tab_by_key["documents"]
    unlocked.file_dialogs.set_next_open_paths([source])
    with qtbot.waitSignal(tab.imported, timeout=20_000):
        tab.pick_files()
    qtbot.waitUntil(lambda: tab.viewer.kind is ViewKind.TEXT, timeout=20_000)
    unlocked.message_boxes.set_next_answer(Answer.ACCEPT)
    unlocked.opener.set_next_result(True)
    task = tab.open_with()
    with qtbot.waitSignal(task.signals.done, timeout=20_000):
        pass
    [opened] = unlocked.opener.opened
    assert opened.is_relative_to(run)
    assert _hits(run)  # the scan sees the copy while it is open: it can fail
    tab.viewer.text.selectAll()
    tab.viewer.text.copy()
    assert CANARIES["body"] in QApplication.clipboard().text()

    unlocked.lock()

    assert QApplication.clipboard().text() == ""
    source.unlink()  # the rep's own original, outside the vault, is not ours to scan
    for root in (unlocked.manager.root, run, tmp, ui_dirs / "config", ui_dirs / "logs"):
        assert _hits(root) == [], root
