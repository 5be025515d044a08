"""Run in a child process by test_export_memory: export one large CVF1 document, print RSS.

Usage: python -m tests.unit.export.memory_child FOLDER SIZE_BYTES
"""

from __future__ import annotations

import datetime as dt
import json
import os
import resource
import sys
from collections.abc import Iterator
from pathlib import Path

from vault.crypto import cvf1
from vault.crypto.secret import SecretKey
from vault.export.bundle import BundleKind, BundleSource, write_bundle
from vault.reports.bundle_index import render_bundle_index
from vault.reports.export_views import BundleIndexView, ReportContext

PASS = "saddle-unwind-oxidize-gravity-jukebox-pelican-lumber-sequel"
DEK = SecretKey(bytes(range(32)))
CASE_ID = "c" * 32
WHEN = dt.datetime(2026, 11, 23, 10, 30)


class RandomSource:
    """``size`` random bytes, read without ever holding them all."""

    def __init__(self, size: int) -> None:
        self.left = size

    def readinto(self, view: memoryview) -> int:
        n = min(len(view), self.left)
        self.left -= n
        view[:n] = os.urandom(n)
        return n

    def read(self, n: int) -> bytes:
        n = min(n, self.left)
        self.left -= n
        return os.urandom(n)


def index(rows):  # type: ignore[no-untyped-def]
    return render_bundle_index(BundleIndexView(ReportContext(WHEN, "ab" * 32), "B", (), rows))


def encrypted(path: Path, size: int, file_id: bytes) -> cvf1.EncryptResult:
    with path.open("wb") as out:
        return cvf1.encrypt_stream(RandomSource(size), out, DEK, case_id=CASE_ID, file_id=file_id)


def source(path: Path, size: int, file_id: bytes, sha256: str) -> BundleSource:
    def chunks() -> Iterator[bytes]:
        with path.open("rb") as fh:
            yield from cvf1.iter_plaintext(fh, DEK, case_id=CASE_ID, file_id=file_id)

    return BundleSource("doc", BundleKind.DOCUMENT, "application/pdf", size, chunks,
                        known_sha256=sha256)


def main() -> None:
    folder, size = Path(sys.argv[1]), int(sys.argv[2])
    # Warm every code path on a small bundle first, so the baseline holds the libraries.
    small = encrypted(folder / "small.cvf", 3 << 20, bytes(16))
    write_bundle(folder / "warm.zip", [source(folder / "small.cvf", 3 << 20, bytes(16),
                                              small.sha256)], PASS, render_index=index,
                 modified=WHEN)
    big = encrypted(folder / "doc.cvf", size, b"\x01" * 16)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = write_bundle(folder / "big.zip", [source(folder / "doc.cvf", size, b"\x01" * 16,
                                                      big.sha256)], PASS,
                          render_index=index, modified=WHEN)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"base_kib": base, "peak_kib": peak, "sha": big.sha256,
                      "member": result.members[0].sha256}))


if __name__ == "__main__":
    main()
