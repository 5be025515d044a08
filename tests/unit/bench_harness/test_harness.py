"""The benchmark harness: interleaving, pair-by-pair ratios, child peak memory, JSON and the
generated report; and one quick smoke run of a real bench (never a timed assertion)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import report, run_all
from benchmarks.harness import MIN_REPEATS, Bench, interleave, paired, run_process

ROOT = Path(__file__).resolve().parents[3]


def test_ours_and_the_peer_alternate_abba_for_at_least_five_rounds() -> None:
    calls: list[str] = []
    a, b = interleave(lambda: calls.append("ours"), lambda: calls.append("peer"), repeats=2)
    assert len(a) == len(b) == MIN_REPEATS
    assert calls[:4] == ["ours", "peer", "peer", "ours"]
    assert calls.count("ours") == calls.count("peer") == MIN_REPEATS


def test_ratios_are_taken_pair_by_pair_not_from_the_medians() -> None:
    stats = paired([2.0, 10.0, 3.0, 4.0, 5.0], [1.0, 10.0, 1.0, 4.0, 1.0])
    assert stats.samples == (2.0, 1.0, 3.0, 1.0, 5.0)
    assert (stats.min, stats.median, stats.max) == (1.0, 2.0, 5.0)


def test_a_callable_may_report_its_own_duration() -> None:
    a, _b = interleave(lambda: -0.25, lambda: None)
    assert a == [0.25] * MIN_REPEATS


def test_a_child_process_reports_its_own_peak_memory_not_ours() -> None:
    big = run_process([sys.executable, "-c", "b = bytearray(80 * 2**20); b[::4096] = b'x' * "
                       "len(b[::4096])"])
    small = run_process(["true"])
    assert big.maxrss_bytes > 80 * 2**20
    assert small.maxrss_bytes < 40 * 2**20  # not inherited from this (pytest) process


def test_figures_go_to_json_and_the_report_is_generated_from_it(tmp_path: Path) -> None:
    bench = Bench("example", out_dir=tmp_path, description="An example bench.")
    bench.add_samples("thing done", [0.2, 0.1, 0.3, 0.2, 0.2], [0.1] * 5, peer_name="cp",
                      target="≤ 2")
    bench.value("growth", [3.0] * 5, "MiB")
    bench.finish()
    data = json.loads((tmp_path / "example.json").read_text())
    [fig, growth] = data["figures"]
    assert fig["ratio"]["median"] == pytest.approx(2.0) and fig["peer_name"] == "cp"
    assert growth["peer"] is None and data["repeats"] == MIN_REPEATS
    out = tmp_path / "benchmarks.md"
    assert report.main(["--results", str(tmp_path), "--out", str(out)]) == 0
    text = out.read_text()
    assert "| thing done | 200.0 ms (100.0 ms–300.0 ms) | cp | 100.0 ms | **2.00**" in text
    assert "do not edit by" in text


def test_run_all_picks_up_every_bench_module() -> None:
    names = {p.name for p in run_all.discover()}
    assert {"bench_documents.py", "bench_casework.py", "bench_gui.py",
            "bench_conflicts.py"} <= names
    assert [p.name for p in run_all.discover(["documents"])] == ["bench_documents.py"]


def test_quick_smoke_run_of_the_documents_bench(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_documents.py"), "--quick",
         "--sizes", "1", "--in-process-only", "--out", str(tmp_path), "--dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads((tmp_path / "documents.quick.json").read_text())
    names = [f["name"] for f in data["figures"]]
    assert "import 1 MiB (in-process)" in names and "doc get 1 MiB (in-process)" in names
    for f in data["figures"]:
        if f["peer"] is not None:
            assert len(f["ours"]["samples"]) == len(f["peer"]["samples"]) >= MIN_REPEATS
