"""The viewer's buffer lets the GUI thread run while a big document decrypts (issue 11): the
decrypting worker hands over the interpreter lock every 256 KiB, so the GUI thread never waits
out the switch interval for each of its callbacks (a 200 MiB PDF paused the window 119 ms)."""

from __future__ import annotations

import pytest

from vault.ui.case_tabs import document_viewer
from vault.ui.case_tabs.document_viewer import YIELD_EVERY_BYTES, ViewBuffer

SEGMENT = 64 * 1024


def test_the_buffer_yields_the_interpreter_every_256_kib(monkeypatch: pytest.MonkeyPatch):
    yields: list[float] = []
    monkeypatch.setattr(document_viewer.time, "sleep", yields.append)
    buffer = ViewBuffer(4 << 20)
    for _ in range((4 << 20) // SEGMENT):
        buffer.append(b"\0" * SEGMENT)
    assert yields == [0] * ((4 << 20) // YIELD_EVERY_BYTES)
    assert buffer.data.size() == 4 << 20
    buffer.wipe()
    assert buffer.data.size() == 0
