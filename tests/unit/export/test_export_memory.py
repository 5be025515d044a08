"""A 300 MiB document exports with peak memory growth under 64 MiB (measured in a child)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.export import sevenzip
from tests.unit.export.memory_child import PASS

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.slow
def test_300_mib_document_keeps_memory_flat(tmp_path: Path) -> None:
    size = 300 * 1024 * 1024
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "tests.unit.export.memory_child",
                           str(tmp_path), str(size)],
                          capture_output=True, text=True, env=env, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    growth_mib = (report["peak_kib"] - report["base_kib"]) / 1024
    assert growth_mib < 64, f"peak memory grew by {growth_mib:.1f} MiB"
    assert report["member"] == report["sha"]
    archive = tmp_path / "big.zip"
    assert sevenzip.test_ok(archive, PASS)
    # 7-Zip's own extraction of the 300 MiB member hashes to the document's digest.
    out = tmp_path / "out"
    assert sevenzip.extract(archive, PASS, out).returncode == 0
    digest = hashlib.sha256()
    with (out / "01-document.pdf").open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    assert digest.hexdigest() == report["sha"]
