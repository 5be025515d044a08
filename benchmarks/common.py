"""Shared helpers for the benchmarks: timing, RSS sampling, printing figures beside peers."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


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
def sample_rss(interval: float = 0.005) -> Iterator[PeakRss]:
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


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def figure(name: str, ours: float, peer_name: str, peer: float, unit: str = "s",
           target: str = "") -> str:
    ratio = ours / peer if peer else float("inf")
    line = (f"{name:<44} {ours:9.3f} {unit}   {peer_name:<22} {peer:9.3f} {unit}"
            f"   ratio {ratio:5.2f}")
    if target:
        line += f"   (target {target})"
    print(line, flush=True)
    return line


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]
