"""The export benchmark runs end to end at toy sizes, 7-Zip its peer (it broke once, unnoticed,
when sharing a bundle with the branch began to need the member's consent)."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks import bench_export


def test_export_benchmark_runs_at_toy_sizes(tmp_path: Path) -> None:
    out = tmp_path / "export.json"
    assert bench_export.main(["--size-mib", "1", "--files", "5", "--repeats", "1",
                              "--dir", str(tmp_path), "--json-out", str(out)]) == 0
    data = json.loads(out.read_text())
    cases = {c["case"]: c for c in data["cases"]}
    assert set(cases) == {"large", "text"}
    assert cases["text"]["files"] == 5
