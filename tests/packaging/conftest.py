"""Fixtures of the packaging tests: a private Xvfb server."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator

import pytest

SCREEN = (1280, 800)


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is needed: apt-get install xvfb x11-apps (see .ci/run)"
    return found


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private X server; yields its DISPLAY (":N", chosen by Xvfb itself)."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        [tool("Xvfb"), "-displayfd", str(write_fd), "-screen", "0",
         f"{SCREEN[0]}x{SCREEN[1]}x24", "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    assert number.isdigit(), "Xvfb did not start"
    yield f":{number}"
    proc.terminate()
    proc.wait(timeout=10)


