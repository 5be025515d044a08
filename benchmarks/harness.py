"""The honest benchmark harness: ours and a peer interleaved in one run, repeated, paired.

Every bench module (``benchmarks/bench_*.py``) builds a ``Bench``, records figures into it and
calls ``bench.finish()``, which prints a table and writes ``<out>/<bench>.json``. The pieces:

- ``compare(name, ours, peer)`` runs ``ours`` and ``peer`` alternately (ours first on even
  rounds, the peer first on odd ones, so neither always runs on a warmer cache) for at least
  five rounds, and keeps min / median / max of each side and of the ratio *taken pair by pair*
  (round i of ours over round i of the peer, both measured seconds apart);
- ``measure(name, fn)`` is the same for a figure with no peer (the KDF time, a build time);
- ``value(name, v, unit)`` records a single number (a size, a memory growth);
- ``run_process(argv)`` runs a whole child process and returns its wall time and its own
  ``ru_maxrss`` (real peak memory of that process, from ``os.wait4``), for figures a user
  waits for: start-up, unlock, CLI commands;
- ``sample_rss()`` samples this process's RSS in a thread, for growth during one call.

Peers are whatever a user would compare us to: ``cp``+``sync``, ``cat``, ``age``, plain sqlite3,
a bare PySide6 window. A figure is a measurement, never a pass/fail test; ``target`` is only
printed beside it. ``--quick`` shrinks sizes and repeats for a CI smoke run.

Other benches plug in with::

    bench = Bench.from_argv("export", argv)
    bench.compare("export 100 MiB", lambda: ours(), lambda: peer(), peer_name="7z a")
    return bench.finish()
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS_DIR = HERE / "results"
GNU_TIME = "/usr/bin/time"
MIN_REPEATS = 5
SCHEMA = 1


@dataclass(frozen=True)
class Stats:
    """min / median / max of a list of samples (and the samples, for the JSON)."""

    min: float
    median: float
    max: float
    samples: tuple[float, ...]

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stats:
        if not samples:
            raise ValueError("no samples")
        return cls(min(samples), statistics.median(samples), max(samples), tuple(samples))


@dataclass(frozen=True)
class Figure:
    """One measured figure: ours, optionally a peer measured in the same rounds, ratios."""

    name: str
    unit: str
    ours: Stats
    peer_name: str = ""
    peer: Stats | None = None
    ratio: Stats | None = None  # ours_i / peer_i, pair by pair
    target: str = ""
    note: str = ""
    group: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ProcessRun:
    """A child process: its wall time, its own peak RSS (``ru_maxrss``) and its exit code."""

    seconds: float
    maxrss_bytes: int
    returncode: int
    stdout: bytes = b""


def run_process(argv: Sequence[str], *, env: dict[str, str] | None = None,
                stdin: bytes | None = None, cwd: Path | None = None,
                check: bool = True) -> ProcessRun:
    """Run ``argv`` to completion; time it from spawn to exit and read its own ``ru_maxrss``.

    Linux carries a process's peak RSS across ``exec``, so a child forked from this (large)
    benchmark process would report at least our own size. The child is therefore started by
    GNU ``time`` (a small process), whose ``%M`` is the peak RSS of exactly that grandchild;
    without ``/usr/bin/time``, ``os.wait4``'s ``ru_maxrss`` is used (an upper bound).
    """
    report = None
    command = list(argv)
    if os.path.exists(GNU_TIME):
        fd, name = tempfile.mkstemp(prefix="bench-rss-")
        os.close(fd)
        report = Path(name)
        command = [GNU_TIME, "-f", "%M", "-o", str(report), *command]
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=cwd,
                            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin)
        proc.stdin.close()
    out = proc.stdout.read() if proc.stdout is not None else b""
    err = proc.stderr.read() if proc.stderr is not None else b""
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if check and proc.returncode != 0:
        raise RuntimeError(f"{argv[0]} exited {proc.returncode}: {err.decode(errors='replace')}")
    scale = 1 if sys.platform == "darwin" else 1024
    maxrss = usage.ru_maxrss * scale
    if report is not None:
        text = report.read_text().strip().splitlines()
        report.unlink(missing_ok=True)
        if text and text[-1].isdigit():
            maxrss = int(text[-1]) * 1024
    return ProcessRun(seconds, maxrss, proc.returncode, out)


def rss_bytes() -> int:
    """Resident set size of this process now (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


@dataclass
class PeakRss:
    baseline: int = 0
    peak: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def growth(self) -> int:
        return max(0, self.peak - self.baseline)


@contextmanager
def sample_rss(interval: float = 0.002) -> Iterator[PeakRss]:
    """Sample RSS in a thread while the block runs; ``growth`` is peak minus the start."""
    result = PeakRss(baseline=rss_bytes(), peak=rss_bytes())

    def run() -> None:
        while not result._stop.is_set():
            result.peak = max(result.peak, rss_bytes())
            time.sleep(interval)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    try:
        yield result
    finally:
        result._stop.set()
        t.join()
        result.peak = max(result.peak, rss_bytes())


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


Timed = Callable[[], object]


def _time_once(fn: Timed, setup: Callable[[], object] | None,
               teardown: Callable[[], object] | None) -> float:
    if setup is not None:
        setup()
    start = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - start
    if teardown is not None:
        teardown()
    # A callable may time itself (e.g. a child process reporting its own figure).
    if isinstance(result, float) and result < 0:
        return -result
    return elapsed


def interleave(ours: Timed, peer: Timed, repeats: int = MIN_REPEATS, *,
               setup: Callable[[], object] | None = None,
               teardown: Callable[[], object] | None = None,
               peer_setup: Callable[[], object] | None = None,
               peer_teardown: Callable[[], object] | None = None,
               warmup: bool = False) -> tuple[list[float], list[float]]:
    """Time ``ours`` and ``peer`` alternately ``repeats`` times (ABBA order); return samples.

    ``setup``/``teardown`` run around each timed call of ours (outside the timing), and the
    ``peer_*`` ones around the peer's (default: the same as ours). A callable that returns a
    negative float reports its own duration (its absolute value), e.g. a child process that
    timed the part that matters itself.
    """
    repeats = max(MIN_REPEATS, repeats)
    p_setup = peer_setup if peer_setup is not None else setup
    p_teardown = peer_teardown if peer_teardown is not None else teardown
    if warmup:
        _time_once(ours, setup, teardown)
        _time_once(peer, p_setup, p_teardown)
    a: list[float] = []
    b: list[float] = []
    for i in range(repeats):
        if i % 2 == 0:
            a.append(_time_once(ours, setup, teardown))
            b.append(_time_once(peer, p_setup, p_teardown))
        else:
            b.append(_time_once(peer, p_setup, p_teardown))
            a.append(_time_once(ours, setup, teardown))
    return a, b


def paired(ours: Sequence[float], peer: Sequence[float]) -> Stats:
    """The ratio taken pair by pair (round i against round i)."""
    return Stats.of([o / p if p else float("inf") for o, p in zip(ours, peer, strict=True)])


def _git_commit() -> str:
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True)
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--",
                                "vault", "benchmarks"], capture_output=True, text=True,
                               check=True).stdout.strip()
        return out.stdout.strip() + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _fmt(value: float, unit: str) -> str:
    if unit == "s" and value < 1:
        return f"{value * 1000:.1f} ms"
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value:.2f} ms"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    return f"{value:.3g} {unit}".strip()


def format_stats(stats: Stats, unit: str) -> str:
    if stats.min == stats.max:
        return _fmt(stats.median, unit)
    return f"{_fmt(stats.median, unit)} ({_fmt(stats.min, unit)}–{_fmt(stats.max, unit)})"


class Bench:
    """Collects the figures of one bench module and writes them as JSON."""

    def __init__(self, name: str, *, quick: bool = False, repeats: int = MIN_REPEATS,
                 out_dir: Path = RESULTS_DIR, description: str = "") -> None:
        self.name = name
        self.quick = quick
        self.repeats = max(MIN_REPEATS, repeats)
        self.out_dir = out_dir
        self.description = description
        self.figures: list[Figure] = []
        self.context: dict[str, Any] = {}
        self.group = ""
        self._started = time.perf_counter()
        if hasattr(os, "getloadavg"):
            self.context["load_avg_start"] = list(os.getloadavg())

    @staticmethod
    def arguments(description: str = "") -> argparse.ArgumentParser:
        """The options every bench accepts; a bench may add its own to this parser."""
        ap = argparse.ArgumentParser(description=description)
        ap.add_argument("--quick", action="store_true",
                        help="small sizes, minimum repeats: a smoke run for CI")
        ap.add_argument("--repeats", type=int, default=MIN_REPEATS,
                        help=f"rounds per figure (at least {MIN_REPEATS})")
        ap.add_argument("--out", type=Path, default=RESULTS_DIR,
                        help="folder for the JSON results (default benchmarks/results)")
        return ap

    @classmethod
    def from_args(cls, name: str, args: argparse.Namespace, description: str = "") -> Bench:
        return cls(name, quick=args.quick, repeats=args.repeats, out_dir=args.out,
                   description=description)

    @classmethod
    def from_argv(cls, name: str, argv: Sequence[str] | None = None,
                  description: str = "") -> Bench:
        return cls.from_args(name, cls.arguments(description).parse_args(argv), description)

    # -- recording -----------------------------------------------------------------------------

    def add(self, figure: Figure) -> Figure:
        if self.group and not figure.group:
            figure = Figure(**{**figure.__dict__, "group": self.group})
        self.figures.append(figure)
        print(self._line(figure), flush=True)
        return figure

    def compare(self, name: str, ours: Timed, peer: Timed, *, peer_name: str,
                unit: str = "s", target: str = "", note: str = "", repeats: int | None = None,
                setup: Callable[[], object] | None = None,
                teardown: Callable[[], object] | None = None,
                peer_setup: Callable[[], object] | None = None,
                peer_teardown: Callable[[], object] | None = None,
                warmup: bool = False) -> Figure:
        """Interleave ``ours`` and ``peer`` (see ``interleave``) and record the figure."""
        a, b = interleave(ours, peer, repeats or self.repeats, setup=setup, teardown=teardown,
                          peer_setup=peer_setup, peer_teardown=peer_teardown, warmup=warmup)
        return self.add_samples(name, a, b, peer_name=peer_name, unit=unit, target=target,
                                note=note)

    def add_samples(self, name: str, ours: Sequence[float], peer: Sequence[float] | None = None,
                    *, peer_name: str = "", unit: str = "s", target: str = "",
                    note: str = "") -> Figure:
        """Record samples measured elsewhere (e.g. per-query latencies, paired by index)."""
        scale = 1000.0 if unit == "ms" else 1.0
        a = [x * scale for x in ours]
        if peer is None:
            return self.add(Figure(name, unit, Stats.of(a), target=target, note=note))
        b = [x * scale for x in peer]
        return self.add(Figure(name, unit, Stats.of(a), peer_name, Stats.of(b), paired(a, b),
                               target, note))

    def add_percentiles(self, name: str, ours: Sequence[float], peer: Sequence[float], *,
                        peer_name: str, p: float, unit: str = "ms", target: str = "",
                        note: str = "", rounds: int = MIN_REPEATS) -> Figure:
        """A percentile of many per-query timings, split into ``rounds`` interleaved rounds.

        ``ours[i]`` and ``peer[i]`` must be the same query measured back to back. The figure's
        samples are the percentile within each round, so min/median/max show its spread.
        """
        n = len(ours)
        rounds = max(1, min(rounds, n))
        size = n // rounds
        a = [percentile(ours[r * size:(r + 1) * size], p) for r in range(rounds)]
        b = [percentile(peer[r * size:(r + 1) * size], p) for r in range(rounds)]
        return self.add_samples(name, a, b, peer_name=peer_name, unit=unit, target=target,
                                note=note)

    def measure(self, name: str, fn: Timed, *, unit: str = "s", target: str = "",
                note: str = "", repeats: int | None = None) -> Figure:
        samples = [_time_once(fn, None, None) for _ in range(max(MIN_REPEATS,
                                                                 repeats or self.repeats))]
        return self.add_samples(name, samples, unit=unit, target=target, note=note)

    def value(self, name: str, samples: float | Sequence[float], unit: str, *,
              target: str = "", note: str = "", peer_name: str = "",
              peer: Sequence[float] | None = None) -> Figure:
        values = [float(samples)] if isinstance(samples, int | float) else list(samples)
        if peer is None:
            return self.add(Figure(name, unit, Stats.of(values), target=target, note=note))
        return self.add(Figure(name, unit, Stats.of(values), peer_name, Stats.of(list(peer)),
                               paired(values, list(peer)), target, note))

    # -- output --------------------------------------------------------------------------------

    def _line(self, f: Figure) -> str:
        line = f"{f.name:<52} {format_stats(f.ours, f.unit):<34}"
        if f.peer is not None and f.ratio is not None:
            line += (f" {f.peer_name:<26} {format_stats(f.peer, f.unit):<30}"
                     f" ratio {f.ratio.median:5.2f} ({f.ratio.min:.2f}–{f.ratio.max:.2f})")
        if f.target:
            line += f"  [target {f.target}]"
        return line

    def finish(self) -> int:
        """Write ``<out>/<name>.json`` (or ``<name>.quick.json``); return an exit status."""
        self.out_dir.mkdir(parents=True, exist_ok=True)
        suffix = ".quick.json" if self.quick else ".json"
        path = self.out_dir / f"{self.name}{suffix}"
        payload = {
            "schema": SCHEMA,
            "bench": self.name,
            "description": self.description,
            "quick": self.quick,
            "repeats": self.repeats,
            "commit": _git_commit(),
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "seconds": round(time.perf_counter() - self._started, 1),
            "machine": {
                "python": platform.python_version(),
                "system": f"{platform.system()} {platform.release()}",
                "cpus": os.cpu_count(),
                "load_avg_start": self.context.pop("load_avg_start", None),
                "load_avg_end": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
            },
            "context": self.context,
            "figures": [f.to_json() for f in self.figures],
        }
        path.write_text(json.dumps(payload, indent=1) + "\n", encoding="utf-8")
        print(f"-> {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}", flush=True)
        return 0


def load_results(folder: Path, *, quick: bool = False) -> list[dict[str, Any]]:
    """Every bench JSON in ``folder`` (full runs, or quick ones), sorted by bench name."""
    pattern = "*.quick.json" if quick else "*.json"
    found = []
    for path in sorted(folder.glob(pattern)):
        if not quick and path.name.endswith(".quick.json"):
            continue
        found.append(json.loads(path.read_text("utf-8")))
    return found
