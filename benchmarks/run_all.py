"""Run every ``benchmarks/bench_*.py`` (each in its own process), then regenerate the report.

Usage: ``python benchmarks/run_all.py [--quick] [--only NAME ...] [--out DIR] [--doc FILE]``.
Any ``bench_*.py`` dropped into ``benchmarks/`` is picked up; it must accept ``--quick``,
``--repeats`` and ``--out`` (``Bench.arguments()`` gives all three) and write its JSON there.
Each bench prints its figures beside their peers as it goes; ``docs/benchmarks.md`` is then
generated from the JSON (``benchmarks/report.py``). The exit status is non-zero if a bench
failed; the others still run.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import report
from benchmarks.harness import MIN_REPEATS, RESULTS_DIR, ROOT

HERE = Path(__file__).resolve().parent

# Benches written beside the harness (issues 9, 10, 11) with their own options: the command
# each runs with, full and quick. Their figures print with their peers; export writes JSON.
OWN_OPTIONS: dict[str, tuple[list[str], list[str]]] = {
    "bench_erase.py": ([], ["--small"]),
    "bench_export.py": (["--json-out", "{out}/export.json"],
                        ["--size-mib", "64", "--files", "100", "--json-out", "{out}/export.json"]),
    "bench_backup.py": ([], ["--docs", "3", "--doc-mib", "1"]),
}


def discover(only: list[str] | None = None) -> list[Path]:
    benches = sorted(HERE.glob("bench_*.py"))
    if only:
        wanted = {n.removeprefix("bench_").removesuffix(".py") for n in only}
        benches = [b for b in benches if b.stem.removeprefix("bench_") in wanted]
    return benches


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="a smoke run: small sizes, 5 rounds")
    ap.add_argument("--repeats", type=int, default=MIN_REPEATS)
    ap.add_argument("--only", nargs="*", metavar="NAME", help="run only these benches")
    ap.add_argument("--out", type=Path, default=RESULTS_DIR, help="folder for the JSON")
    ap.add_argument("--doc", type=Path, default=None,
                    help="the page to generate (default docs/benchmarks.md for a full run; "
                         "a quick run writes no page unless asked)")
    args = ap.parse_args(argv)
    status = 0
    for path in discover(args.only):
        print(f"\n== {path.name}", flush=True)
        if path.name in OWN_OPTIONS:
            full, quick = OWN_OPTIONS[path.name]
            cmd = [sys.executable, str(path),
                   *(a.replace("{out}", str(args.out)) for a in (quick if args.quick else full))]
        else:
            cmd = [sys.executable, str(path), "--out", str(args.out), "--repeats",
                   str(args.repeats)]
            if args.quick:
                cmd.append("--quick")
        start = time.perf_counter()
        code = subprocess.run(cmd, cwd=ROOT, check=False).returncode
        print(f"== {path.name}: exit {code} after {time.perf_counter() - start:.0f} s",
              flush=True)
        status |= code
    doc = args.doc if args.doc is not None else (None if args.quick else report.DOC)
    if doc is not None:
        report_args = ["--results", str(args.out), "--out", str(doc)]
        if args.quick:
            report_args.append("--quick")
        elif args.doc is None:
            report_args += ["--performance", str(report.PERFORMANCE)]
        status |= report.main(report_args)
    return status


if __name__ == "__main__":
    raise SystemExit(main())
