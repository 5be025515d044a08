"""Run every benchmark; each prints its figures beside a peer measured in the same run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ["bench_documents.py", "bench_conflicts.py", "bench_casework.py", "bench_backup.py"]


def main() -> int:
    status = 0
    for name in BENCHES:
        path = HERE / name
        if not path.exists():
            continue
        print(f"\n== {name}", flush=True)
        status |= subprocess.run([sys.executable, str(path)], check=False).returncode
    return status


if __name__ == "__main__":
    raise SystemExit(main())
