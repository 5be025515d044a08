"""Export speed beside 7-Zip on the same plaintext, interleaved, with JSON results.

Two cases, each exported through ``ExportService.export_case`` from a real vault (CVF1
documents decrypted and streamed into the WinZip AE-2 writer, the archive fsynced):

- one large already-compressed document (random bytes, stored as a PDF would be), beside
  ``7zz a -tzip -mem=AES256 -mx0`` of the same file;
- a case of many text documents (deflated), beside ``7zz a -tzip -mem=AES256 -mx1`` of the
  same files.

Ours and 7-Zip alternate, run after run, so a busy machine slows both alike; each pair gives a
ratio (ours / 7-Zip). 7-Zip is followed by ``sync FILE`` because our export fsyncs its
archive (the durable write is part of it); the time without that sync is recorded too. Our
export is measured two ways: documents only (``include_summary=False, include_trail=False``:
the index and manifest are still written) and the default bundle with the case summary and
paper-trail PDFs. The target is ratio <= 1.0 for the documents-only export.

Usage: python benchmarks/bench_export.py [--size-mib 1024] [--files 2000] [--repeats 5]
                                         [--dir DIR] [--json-out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vault.clock import SystemClock
from vault.crypto.kdf import Argon2Params
from vault.domain import Category
from vault.session import Session, VaultManager

PASSPHRASE = "benchmark passphrase orbit lantern harbour"
BUNDLE_PASSPHRASE = "saddle-unwind-oxidize-gravity-jukebox-pelican-lumber-sequel"
_TEXT = ("the member said that manager raised the matter at the meeting on tuesday grievance "
         "hearing notes union branch rep letter outcome appeal consultation rota shift pay "
         "contract witness statement agreed action point follow up advice written")
WORDS = tuple(_TEXT.split())


@dataclass
class Series:
    """One measured thing, run several times."""

    name: str
    seconds: list[float] = field(default_factory=list)

    def stats(self) -> dict[str, float]:
        return {"min": min(self.seconds), "median": statistics.median(self.seconds),
                "max": max(self.seconds)}


@dataclass
class CaseResult:
    case: str
    plaintext_bytes: int
    files: int
    peer_command: str
    ours_docs: Series
    ours_full: Series
    peer_synced: Series
    peer_unsynced: Series
    ours_archive_bytes: int = 0
    peer_archive_bytes: int = 0

    def ratios(self, ours: Series) -> list[float]:
        return [a / b for a, b in zip(ours.seconds, self.peer_synced.seconds, strict=True)]

    def summary(self) -> dict[str, object]:
        data = asdict(self)
        for key in ("ours_docs", "ours_full", "peer_synced", "peer_unsynced"):
            data[key]["stats"] = getattr(self, key).stats()
        for key in ("ours_docs", "ours_full"):
            r = self.ratios(getattr(self, key))
            data[f"ratio_{key}"] = {"pairs": r, "min": min(r), "median": statistics.median(r),
                                    "max": max(r)}
        return data


def seven_zip() -> str:
    found = shutil.which("7zz") or shutil.which("7z")
    if not found:
        raise SystemExit("7-Zip (7zz, Debian package 7zip) is needed as the peer")
    return found


def make_random(path: Path, size: int) -> None:
    with path.open("wb") as fh:
        left = size
        while left:
            n = min(left, 1 << 20)
            fh.write(os.urandom(n))
            left -= n


def make_texts(folder: Path, count: int, seed: int = 2026) -> int:
    rng = random.Random(seed)
    folder.mkdir()
    total = 0
    for i in range(count):
        words = rng.randint(150, 2500)
        data = " ".join(rng.choice(WORDS) for _ in range(words)).encode()
        (folder / f"note-{i:04d}.txt").write_bytes(data)
        total += len(data)
    return total


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def peer_run(cmd: list[str], out: Path, cwd: Path) -> tuple[float, float]:
    """(seconds for 7-Zip + sync of its archive, seconds for 7-Zip alone)."""
    out.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=True)
    alone = time.perf_counter() - start
    subprocess.run(["sync", str(out)], check=True)
    return time.perf_counter() - start, alone


def ours_run(session: Session, ref: str, out: Path, *, full: bool) -> float:
    out.unlink(missing_ok=True)
    return timed(lambda: session.export.export_case(
        ref, out, include_summary=full, include_trail=full, passphrase=None,
        for_member=True))


def bench_case(session: Session, work: Path, name: str, sources: list[Path], peer_opts: list[str],
               peer_inputs: list[str], peer_cwd: Path, repeats: int) -> CaseResult:
    member = session.members.add(f"Bench {name}")
    case = session.cases.open(member.id, f"Benchmark {name}", Category.OTHER)
    for src in sources:
        session.documents.import_file(case.ref, src)
    tool = seven_zip()
    peer_out = work / f"peer-{name}.zip"
    ours_out = work / f"ours-{name}.zip"
    cmd = [tool, "a", "-tzip", "-mem=AES256", *peer_opts, f"-p{BUNDLE_PASSPHRASE}",
           str(peer_out), *peer_inputs]
    result = CaseResult(
        case=name, plaintext_bytes=sum(p.stat().st_size for p in sources), files=len(sources),
        peer_command=" ".join([Path(tool).name, "a", "-tzip", "-mem=AES256", *peer_opts,
                               "-p…", "out.zip", f"<{len(peer_inputs)} inputs>"]),
        ours_docs=Series("ours, documents only"), ours_full=Series("ours, with summary+trail"),
        peer_synced=Series("7-Zip + sync"), peer_unsynced=Series("7-Zip alone"))
    # warm the page cache and both code paths once
    peer_run(cmd, peer_out, peer_cwd)
    ours_run(session, case.ref, ours_out, full=False)
    for i in range(repeats):
        # alternate who goes first so neither always meets a cold cache or a busy neighbour
        first_ours = i % 2 == 0
        if not first_ours:
            synced, alone = peer_run(cmd, peer_out, peer_cwd)
        result.ours_docs.seconds.append(ours_run(session, case.ref, ours_out, full=False))
        if first_ours:
            synced, alone = peer_run(cmd, peer_out, peer_cwd)
        result.peer_synced.seconds.append(synced)
        result.peer_unsynced.seconds.append(alone)
        result.ours_full.seconds.append(ours_run(session, case.ref, ours_out, full=True))
        print(f"  {name} run {i + 1}: ours {result.ours_docs.seconds[-1]:.2f} s "
              f"(full {result.ours_full.seconds[-1]:.2f} s), 7-Zip+sync {synced:.2f} s "
              f"(alone {alone:.2f} s)", flush=True)
    result.ours_archive_bytes = ours_out.stat().st_size
    result.peer_archive_bytes = peer_out.stat().st_size
    ours_out.unlink(missing_ok=True)
    peer_out.unlink(missing_ok=True)
    return result


def report(result: CaseResult) -> None:
    for series in (result.ours_docs, result.ours_full, result.peer_synced, result.peer_unsynced):
        st = series.stats()
        print(f"{result.case + ': ' + series.name:<48} min {st['min']:7.3f} s  median "
              f"{st['median']:7.3f} s  max {st['max']:7.3f} s")
    for series in (result.ours_docs, result.ours_full):
        r = result.ratios(series)
        print(f"{result.case + ': ratio ' + series.name:<48} min {min(r):5.2f}  median "
              f"{statistics.median(r):5.2f}  max {max(r):5.2f}   (target <= 1.0; pairs: "
              + ", ".join(f"{x:.2f}" for x in r) + ")")
    print(f"{result.case + ': archive bytes':<48} ours {result.ours_archive_bytes}  7-Zip "
          f"{result.peer_archive_bytes}", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mib", type=int, default=1024)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--dir", type=Path, default=None)
    ap.add_argument("--json-out", type=Path, default=None)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="cvbench-export-", dir=args.dir))
    results: list[CaseResult] = []
    try:
        manager = VaultManager(root=work / "vault", clock=SystemClock(),
                               kdf_params=Argon2Params(1, 8, 1))
        session = manager.create(PASSPHRASE)
        big = work / "large.pdf"
        make_random(big, args.size_mib << 20)
        print(f"large document: {args.size_mib} MiB of random bytes", flush=True)
        results.append(bench_case(session, work, "large", [big], ["-mx0"], [big.name], work,
                                  args.repeats))
        report(results[-1])
        big.unlink()
        texts = work / "texts"
        total = make_texts(texts, args.files)
        print(f"text case: {args.files} files, {total / 2**20:.1f} MiB", flush=True)
        files = sorted(texts.iterdir())
        results.append(bench_case(session, work, "text", files, ["-mx1"],
                                  [p.name for p in files], texts, args.repeats))
        report(results[-1])
        session.lock()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    payload = {"benchmark": "export", "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
               "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                           "load_average": os.getloadavg()},
               "repeats": args.repeats, "cases": [r.summary() for r in results]}
    out = args.json_out or Path(__file__).resolve().parent / "results" / "export.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(payload, indent=2))
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
