"""``make dist``: build the one-folder bundle, check it, time it, and pack the Linux tarball.

Steps: PyInstaller with ``packaging/casevault.spec`` → ``dist/casevault-bundle/``; the user guide
as a PDF beside the executable; on Linux, every shared library in the bundle must resolve
(``ldd``), then ``dist/casevault-<version>-linux-<arch>.tar.gz`` holds the bundle, the install
script, the ``.desktop`` file, the AppStream metadata and the icons. Finally it prints the
bundle's size and its start-up times (``--version``, and the GUI until its first window shows,
offscreen), which docs/benchmarks.md records beside ``make run``'s.

Options: ``--dist DIR`` and ``--work DIR`` (the tests build into a temporary folder),
``--no-tarball``, ``--no-timing``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
BUNDLE = "casevault-bundle"
APP_ID = "org.casevault.CaseworkVault"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def version() -> str:
    sys.path.insert(0, str(ROOT))
    from vault import __version__

    return __version__


def executable(bundle: Path) -> Path:
    return bundle / ("casevault.exe" if os.name == "nt" else "casevault")


def run_pyinstaller(dist: Path, work: Path) -> Path:
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", str(dist), "--workpath", str(work), str(PACKAGING / "casevault.spec")]
    subprocess.run(cmd, check=True, cwd=ROOT)
    return dist / BUNDLE


def write_guide_pdf(bundle: Path) -> Path:
    """The same guide as the Help page, as a PDF next to the executable."""
    out = bundle / "casework-vault-guide.pdf"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "vault.reports.user_guide", str(out)], check=True,
                   env=env, cwd=ROOT)
    return out


# Libraries every desktop that would load the plugin needing them has: Qt's Wayland plugin
# only loads in a Wayland session, whose compositor brings libwayland-*. Where they are missing,
# Qt falls back to xcb, which the bundle carries.
SESSION_PROVIDED = ("libwayland-client.so.0", "libwayland-cursor.so.0", "libwayland-egl.so.1")


def unresolved_libraries(bundle: Path) -> list[str]:
    """Shared libraries in the bundle with a dependency that resolves nowhere (Linux, ``ldd``).

    The system's own libraries (libc, libGL, …) are left out by PyInstaller on purpose and
    resolve from the machine; anything else "not found" here would fail on the rep's machine
    too. ``SESSION_PROVIDED`` libraries are allowed to be missing on the build machine.
    """
    if not sys.platform.startswith("linux") or shutil.which("ldd") is None:
        return []
    internal = bundle / "_internal"
    env = {**os.environ, "LD_LIBRARY_PATH": str(internal)}
    problems = []
    for path in sorted(internal.rglob("*.so*")):
        if path.is_symlink() or not path.is_file():
            continue
        out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env,
                             check=False).stdout
        for line in out.splitlines():
            if "not found" in line and line.split()[0] not in SESSION_PROVIDED:
                problems.append(f"{path.relative_to(bundle)}: {line.strip()}")
    return problems


def glibc_needed(bundle: Path) -> str | None:
    """The newest glibc symbol version any bundled binary needs (Linux, ``objdump -T``)."""
    if not sys.platform.startswith("linux") or shutil.which("objdump") is None:
        return None
    newest: tuple[int, ...] = ()
    for path in [executable(bundle), *sorted((bundle / "_internal").rglob("*.so*"))]:
        if path.is_symlink() or not path.is_file():
            continue
        out = subprocess.run(["objdump", "-T", str(path)], capture_output=True, text=True,
                             check=False).stdout
        for word in (w.strip("()") for w in out.split()):
            if word.startswith("GLIBC_2."):
                version = tuple(int(p) for p in word[6:].split(".") if p.isdigit())
                newest = max(newest, version)
    return ".".join(map(str, newest)) if newest else None


def tree_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def _clean_env(home: Path) -> dict[str, str]:
    """No Python on PATH, no virtual environment, a throw-away home: as on a rep's machine."""
    empty_bin = home / "bin"
    empty_bin.mkdir(exist_ok=True)
    env = {"PATH": str(empty_bin), "HOME": str(home), "CASEVAULT_DIR": str(home / "vault"),
           "CASEVAULT_CONFIG_DIR": str(home / "config"), "CASEVAULT_LOG_DIR": str(home / "logs"),
           "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring", "LANG": "C.UTF-8"}
    if os.name == "nt":  # Windows processes need these to start at all (random numbers, temp)
        env.update({k: os.environ[k] for k in ("SYSTEMROOT", "WINDIR", "TEMP", "TMP",
                                               "USERPROFILE", "LOCALAPPDATA", "APPDATA")
                    if k in os.environ})
    return env


# The peer: the same app from the source checkout, as `make run` starts it (venv Python).
SOURCE_COMMAND = [sys.executable, "-m", "vault"]


def _env_for(command: list[str], home: Path) -> dict[str, str]:
    env = _clean_env(home)
    if command == SOURCE_COMMAND:
        env.update(PATH=os.environ.get("PATH", ""), PYTHONPATH=str(ROOT))
    return env


def time_version(command: list[str], runs: int = 3) -> float:
    """Best wall time of ``casevault --version`` (process start, self-test, exit)."""
    best = float("inf")
    with tempfile.TemporaryDirectory() as home:
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([*command, "--version"], check=True, capture_output=True,
                           env=_env_for(command, Path(home)))
            best = min(best, time.perf_counter() - start)
    return best


def time_gui_start(command: list[str], *, timeout: float = 60.0) -> float:
    """Seconds from spawning the GUI (offscreen, no vault yet) to its first window being shown,
    read from the log line the controller writes when it shows the create-vault window."""
    with tempfile.TemporaryDirectory() as home:
        env = {**_env_for(command, Path(home)), "QT_QPA_PLATFORM": "offscreen"}
        log_file = Path(home) / "logs" / "casevault.log"
        start = time.perf_counter()
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        try:
            while time.perf_counter() - start < timeout:
                if log_file.exists() and "create-vault window shown" in log_file.read_text():
                    return time.perf_counter() - start
                if proc.poll() is not None:
                    raise RuntimeError(f"the GUI exited with status {proc.returncode}")
                time.sleep(0.02)
            raise RuntimeError("the GUI showed no window in time")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def copy_icons(dest: Path) -> None:
    icons = ROOT / "resources" / "icons" / "app"
    (dest / "icons" / "hicolor" / "scalable" / "apps").mkdir(parents=True)
    shutil.copy2(icons / "casevault.svg",
                 dest / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg")
    for size in ICON_SIZES:
        folder = dest / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy2(icons / f"casevault-{size}.png", folder / f"{APP_ID}.png")


def make_tarball(dist: Path, bundle: Path) -> Path:
    """``casevault-<v>-linux-<arch>.tar.gz``: one top folder with the bundle and install.sh."""
    name = f"casevault-{version()}-linux-{platform.machine()}"
    stage = dist / name
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir()
    shutil.copytree(bundle, stage / BUNDLE, symlinks=True)
    for script in ("install.sh", "uninstall.sh"):
        shutil.copy2(PACKAGING / "linux" / script, stage / script)
        (stage / script).chmod(0o755)
    shutil.copy2(PACKAGING / "linux" / f"{APP_ID}.desktop", stage)
    shutil.copy2(PACKAGING / "linux" / f"{APP_ID}.metainfo.xml", stage)
    shutil.copy2(PACKAGING / "linux" / "INSTALL.txt", stage)
    copy_icons(stage)
    archive = dist / f"{name}.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(stage, arcname=name)
    shutil.rmtree(stage)
    return archive


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller")
    parser.add_argument("--no-tarball", action="store_true")
    parser.add_argument("--no-timing", action="store_true")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    bundle = run_pyinstaller(args.dist.resolve(), args.work.resolve())
    write_guide_pdf(bundle)
    problems = unresolved_libraries(bundle)
    if problems:
        print("bundle has unresolved libraries:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    built = time.perf_counter() - started
    print(f"bundle: {bundle} ({tree_size(bundle) / 2**20:.0f} MiB, built in {built:.0f} s)")
    glibc = glibc_needed(bundle)
    if glibc:
        print(f"needs glibc {glibc} or later")
    if sys.platform.startswith("linux") and not args.no_tarball:
        archive = make_tarball(args.dist.resolve(), bundle)
        print(f"tarball: {archive} ({archive.stat().st_size / 2**20:.0f} MiB)")
    if not args.no_timing:
        exe = [str(executable(bundle))]
        for label, timer in (("--version", time_version),
                             ("GUI to its first window (offscreen)", time_gui_start)):
            ours, peer = timer(exe), timer(SOURCE_COMMAND)
            print(f"start-up, {label}: bundle {ours:.2f} s, source checkout (make run) "
                  f"{peer:.2f} s, ratio {ours / peer:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
