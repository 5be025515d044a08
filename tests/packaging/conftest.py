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




HIDE_LIBRARY = r"""
set -e
lib="$1"; shift
dir=$(dirname "$(readlink -f "$(ldconfig -p | awk -v l="$lib" '$1 == l {print $NF; exit}')")")
work=$(mktemp -d)
mkdir "$work/upper" "$work/work"
for f in "$dir/$lib"*; do mknod "$work/upper/$(basename "$f")" c 0 0; done
mount -t overlay overlay -o "lowerdir=$dir,upperdir=$work/upper,workdir=$work/work" "$dir"
ldconfig -C "$work/ld.so.cache"
mount --bind "$work/ld.so.cache" /etc/ld.so.cache
if [ -e "$dir/$lib" ] || ldconfig -p | grep -q "$lib"; then echo "still visible" >&2; exit 99; fi
set +e
"$@"
"""


def without_library(soname: str, command: list[str], env: dict[str, str],
                    timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in a private mount namespace where ``soname`` is not installed: its
    files are hidden by an overlay whiteout and the loader's cache is rebuilt without it, as
    on a minimal Debian install. Needs root (CI and this project's machines run as root)."""
    assert os.geteuid() == 0, "hiding a system library needs root (unshare -m, mount)"
    return subprocess.run([tool("unshare"), "-m", "sh", "-c", HIDE_LIBRARY, "hide", soname,
                           *command], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)
