"""Document import and export speed and memory, beside cp/cat measured in the same run.

- import (CVF1 encrypt + fsync) of a large file vs `cp` + `sync` of the same file;
- peak memory growth during the import (must stay flat whatever the file size);
- `doc get` (decrypt to a file, fsync) vs `cat file > out` + `sync`;
- unlock time (Argon2id at the stored, calibrated parameters), parameters printed.

Usage: python benchmarks/bench_documents.py [--size-mib 1024] [--dir DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import figure, sample_rss, timed
from vault.clock import SystemClock
from vault.domain import Category
from vault.session import VaultManager

PASSPHRASE = "benchmark passphrase orbit lantern harbour"


def make_file(path: Path, size: int) -> None:
    chunk = os.urandom(1 << 20)
    with open(path, "wb") as fh:
        written = 0
        while written < size:
            n = min(len(chunk), size - written)
            fh.write(chunk[:n])
            written += n


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mib", type=int, default=1024)
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="cvbench-", dir=args.dir))
    try:
        src = work / "plain.bin"
        size = args.size_mib << 20
        make_file(src, size)
        subprocess.run(["cat", str(src)], stdout=subprocess.DEVNULL, check=True)  # warm cache

        peer_cp = timed(lambda: (subprocess.run(["cp", str(src), str(work / "cp.bin")], check=True),
                                 subprocess.run(["sync", str(work / "cp.bin")], check=True)))
        (work / "cp.bin").unlink()

        manager = VaultManager(root=work / "vault", clock=SystemClock())
        t0 = time.perf_counter()
        session = manager.create(PASSPHRASE)
        create_s = time.perf_counter() - t0
        member = session.members.add("Bench Mark")
        case = session.cases.open(member.id, "Benchmark", Category.OTHER)
        with sample_rss() as rss:
            t0 = time.perf_counter()
            doc = session.documents.import_file(case.ref, src)
            ours_import = time.perf_counter() - t0
        print(f"file size: {args.size_mib} MiB")
        figure("import (encrypt + fsync)", ours_import, "cp + sync", peer_cp, target="<= 1.3")
        growth = rss.growth / 2**20
        print(f"{'import peak memory growth':<44} {growth:9.1f} MiB   (target <= 64 MiB)")

        out = work / "out.bin"
        t0 = time.perf_counter()
        session.documents.save_copy(case.ref, doc.id, out)
        ours_get = time.perf_counter() - t0
        out.unlink()
        peer_cat = timed(lambda: (subprocess.run(f"cat '{src}' > '{work / 'cat.bin'}'",
                                                 shell=True, check=True),
                                  subprocess.run(["sync", str(work / "cat.bin")], check=True)))
        figure("doc get (decrypt + fsync)", ours_get, "cat > file + sync", peer_cat,
               target="<= 2")
        session.lock()

        t0 = time.perf_counter()
        session = manager.unlock(PASSPHRASE)
        unlock_s = time.perf_counter() - t0
        slot = session.vault.keyfile.slots[0]
        p = slot.params
        session.lock()
        assert p is not None
        print(f"{'unlock (Argon2id + open db + recovery)':<44} {unlock_s:9.3f} s    "
              f"params t={p.time_cost} m={p.memory_kib // 1024} MiB p={p.lanes}; "
              f"create incl. calibration {create_s:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
