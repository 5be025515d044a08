"""A 300 MiB document exports with peak memory growth under 64 MiB (measured in a child)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.export import sevenzip

CHILD = r"""
import datetime as dt, json, os, resource, sys
from pathlib import Path
from vault.crypto import cvf1
from vault.crypto.secret import SecretKey
from vault.export.bundle import BundleKind, BundleSource, write_bundle
from vault.reports.bundle_index import render_bundle_index
from vault.reports.export_views import BundleIndexView, ReportContext

folder = Path(sys.argv[1]); size = int(sys.argv[2])
dek = SecretKey(bytes(range(32))); case_id = "c" * 32; file_id = bytes(16)
when = dt.datetime(2026, 11, 23, 10, 30)
index = lambda rows: render_bundle_index(BundleIndexView(ReportContext(when, "ab" * 32), "B", (), rows))
# warm up every code path on a small bundle first, so the baseline includes the libraries
class Random:
    def __init__(self, n): self.left = n
    def read(self, n):
        n = min(n, self.left); self.left -= n; return os.urandom(n)
    def readinto(self, view):
        data = self.read(len(view)); view[:len(data)] = data; return len(data)
def chunks():
    with open(folder / "doc.cvf", "rb") as fh:
        yield from cvf1.iter_plaintext(fh, dek, case_id=case_id, file_id=file_id)
with open(folder / "small.cvf", "wb") as out:
    cvf1.encrypt_stream(Random(3 << 20), out, dek, case_id=case_id, file_id=file_id)
def small():
    with open(folder / "small.cvf", "rb") as fh:
        yield from cvf1.iter_plaintext(fh, dek, case_id=case_id, file_id=file_id)
write_bundle(folder / "warm.zip", [BundleSource("w", BundleKind.DOCUMENT, "application/pdf", 3 << 20, small)],
             "warm-up-passphrase-words-here", render_index=index, modified=when)
with open(folder / "doc.cvf", "wb") as out:
    enc = cvf1.encrypt_stream(Random(size), out, dek, case_id=case_id, file_id=file_id)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = write_bundle(folder / "big.zip", [BundleSource("big", BundleKind.DOCUMENT, "application/pdf", size, chunks,
                      known_sha256=enc.sha256)], "saddle-unwind-oxidize-gravity-jukebox-pelican-lumber-sequel",
                      render_index=index, modified=when)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"base_kib": base, "peak_kib": peak, "sha": enc.sha256,
                  "member": result.members[0].sha256}))
"""


@pytest.mark.slow
def test_300_mib_document_keeps_memory_flat(tmp_path: Path) -> None:
    size = 300 * 1024 * 1024
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    done = subprocess.run([sys.executable, "-c", CHILD, str(tmp_path), str(size)],
                          capture_output=True, text=True, env=env, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    growth_mib = (report["peak_kib"] - report["base_kib"]) / 1024
    assert growth_mib < 64, f"peak memory grew by {growth_mib:.1f} MiB"
    assert report["member"] == report["sha"]
    assert sevenzip.test_ok(tmp_path / "big.zip",
                            "saddle-unwind-oxidize-gravity-jukebox-pelican-lumber-sequel")
