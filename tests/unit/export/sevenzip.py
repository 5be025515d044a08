"""7-Zip (``7zz``, Debian package ``7zip``) as the judge of every bundle byte.

No skip when it is missing: CI installs it, and a missing judge must fail loudly.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

SEVEN_ZIP = shutil.which("7zz") or "7zz"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SEVEN_ZIP, *map(str, args)], capture_output=True, text=True,
                          timeout=600, stdin=subprocess.DEVNULL)


def test_ok(archive: Path, passphrase: str) -> bool:
    result = run("t", f"-p{passphrase}", archive)
    return result.returncode == 0 and "Everything is Ok" in result.stdout


def technical_listing(archive: Path, passphrase: str) -> list[dict[str, str]]:
    """``7zz l -slt`` parsed into one dict per member."""
    result = run("l", "-slt", f"-p{passphrase}", archive)
    assert result.returncode == 0, result.stdout + result.stderr
    body = result.stdout.split("----------", 1)[1]
    members = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(" = ", 1) for line in block.splitlines() if " = " in line)
        if "Path" in fields:
            members.append(fields)
    return members


def extract(archive: Path, passphrase: str, out: Path) -> subprocess.CompletedProcess[str]:
    return run("x", "-y", f"-o{out}", f"-p{passphrase}", archive)
