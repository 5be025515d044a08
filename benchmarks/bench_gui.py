"""The desktop app at a busy rep's scale: start-up, unlock to the main window, browse, lock.

For each vault size (1,000 and 10,000 demo cases; ``--quick``: 150) a demo vault is made once
(``benchmarks/demo_vaults.py``: ``vault.demo`` plus one case of 2,000 entries, kept in
``.bench/vaults/`` and reused) with a plain unencrypted copy of its database for the peers.
Then, in a child pytest-qt run (``benchmarks/gui_probes/probe_gui_scale.py``, offscreen), five
interleaved rounds of:

- unlock (Argon2id + open + session) and the main window with Home filled, beside the peer: a
  stdlib sqlite3 SELECT of every case with its member shown in a bare ``QTableView``; the
  figure that matters is "beyond the KDF" (unlock + window − the KDF alone);
- the Cases page shown, and scrolled to the bottom (lazy fetching);
- the case page of the busiest case beside a plain SELECT of the same rows;
- lock until every page and model is gone (target ≤ 100 ms at any size).

And, as whole processes: start → unlock window (``start_probe.py casevault``) beside a bare
PySide6 window (``start_probe.py bare``), each child's own ``ru_maxrss`` beside.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.demo_vaults import CACHE, PASSPHRASE, demo_vault
from benchmarks.harness import ROOT, Bench, run_process

SIZES = (1_000, 10_000, 50_000)
QUICK_SIZES = (150,)
PROBES = Path(__file__).resolve().parent / "gui_probes"


def child_env(work: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(PYTHONPATH=str(ROOT), CASEVAULT_LOG_DIR=str(work / "logs"),
               CASEVAULT_CONFIG_DIR=str(work / "config"), QT_QPA_PLATFORM="offscreen",
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    return env


def run_probe(bench: Bench, cases: int, root: Path, plain: Path, work: Path) -> None:
    out = work / f"probe-{cases}.json"
    env = child_env(work)
    env.update(BENCH_VAULT=str(root), BENCH_PLAIN=str(plain), BENCH_PASSPHRASE=PASSPHRASE,
               BENCH_ROUNDS=str(bench.repeats), BENCH_OUT=str(out))
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    "-o", "python_files=probe_*.py", "-o", "qt_api=pyside6",
                    str(PROBES / "probe_gui_scale.py")], env=env, cwd=ROOT, check=True)
    data = json.loads(out.read_text())
    s, facts = data["samples"], data["facts"]
    with sqlite3.connect(plain) as db:
        entries = db.execute("SELECT count(*) FROM trail").fetchone()[0]
    bench.group = f"{cases:,} cases, {entries:,} trail entries"
    total = [u + w for u, w in zip(s["unlock"], s["window"], strict=True)]
    kdf_median = sorted(s["kdf"])[len(s["kdf"]) // 2]
    bench.add_samples("unlock → main window (Home filled)", total, s["peer_window"],
                      peer_name="sqlite3 SELECT + QTableView", note="KDF included")
    bench.add_samples("  the KDF alone (Argon2id, the vault's parameters)", s["kdf"],
                      note=json.dumps(facts.get("kdf_params")))
    bench.add_samples("  unlock → main window beyond the KDF", [t - kdf_median for t in total],
                      s["peer_window"], peer_name="sqlite3 SELECT + QTableView",
                      target="≤ 0.5 s")
    bench.add_samples("  of which unlock (KDF, open, session)", s["unlock"])
    bench.add_samples("  of which the main window (Home's counts; cards loading)", s["window"])
    home_beyond = [t + u - kdf_median for t, u in zip(s["home_filled"], s["unlock"], strict=True)]
    bench.add_samples("unlock → Home's cards filled, beyond the KDF", home_beyond,
                      s["peer_window"], peer_name="sqlite3 SELECT + QTableView",
                      note="cards read off the GUI thread")
    bench.add_samples("Cases page shown with every case", s["cases_page"],
                      note=f"{facts.get('cases_rows_fetched_at_first')} rows fetched at first; "
                           "read off the GUI thread")
    bench.add_samples("longest GUI-thread pause while Home and Cases load", s["gui_pause"],
                      unit="ms", target="≤ 100 ms",
                      note="gap between 1 ms timer ticks after the window shows")
    bench.add_samples("Cases table scrolled to the bottom", s["scroll"])
    bench.add_samples(f"case page, {facts.get('busiest_case_entries')} entries", s["case_page"],
                      s["case_page_peer"], peer_name="plain SELECT", target="≤ 3")
    bench.add_samples("lock (every page and model dropped)", s["lock"], unit="ms",
                      target="≤ 100 ms")
    bench.context[f"home_{cases}"] = (f"at most {facts.get('home_buttons_max')} buttons per Home "
                                      f"card (longest list {facts.get('home_items_max')})")


def startup(bench: Bench, root: Path, work: Path) -> None:
    bench.group = "whole process: start → first window"
    env = child_env(work)
    rss_ours: list[float] = []
    rss_peer: list[float] = []

    def ours() -> float:
        run = run_process([sys.executable, str(PROBES / "start_probe.py"), "casevault",
                           "--vault", str(root)], env=env)
        rss_ours.append(run.maxrss_bytes / 2**20)
        return -run.seconds

    def peer() -> float:
        run = run_process([sys.executable, str(PROBES / "start_probe.py"), "bare"], env=env)
        rss_peer.append(run.maxrss_bytes / 2**20)
        return -run.seconds

    bench.compare("process start → unlock window", ours, peer,
                  peer_name="bare PySide6 window", target="≤ 3", warmup=True)
    bench.value("  peak RSS of that process (ru_maxrss)", rss_ours[1:], "MiB",
                peer_name="bare PySide6 window", peer=rss_peer[1:])


def main(argv: list[str] | None = None) -> int:
    ap = Bench.arguments(__doc__.splitlines()[0] if __doc__ else "")
    ap.add_argument("--sizes", type=int, nargs="*", metavar="CASES")
    ap.add_argument("--cache", type=Path, default=CACHE, help="where demo vaults are kept")
    args = ap.parse_args(argv)
    bench = Bench.from_args("gui", args, __doc__ or "")
    sizes = tuple(args.sizes) if args.sizes else (QUICK_SIZES if args.quick else SIZES)
    work = Path(tempfile.mkdtemp(prefix="cvbench-gui-"))
    try:
        first_root: Path | None = None
        for cases in sizes:
            root, plain, reused = demo_vault(cases, args.cache)
            bench.context[f"vault_{cases}"] = "reused" if reused else "made for this run"
            first_root = first_root or root
            run_probe(bench, cases, root, plain, work)
        if first_root is not None:
            startup(bench, first_root, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return bench.finish()


if __name__ == "__main__":
    raise SystemExit(main())
