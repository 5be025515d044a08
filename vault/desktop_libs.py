"""Before Qt starts on Linux: are the system libraries of Qt's X11 (``xcb``) plugin installed?

Qt 6.5 and later need ``libxcb-cursor.so.0`` and a handful of other xcb libraries that minimal
Debian installs and Ubuntu 22.04 lack. Without them Qt exits with "Could not load the Qt platform
plugin "xcb" … Reinstalling the application may fix this problem", which sends a rep the wrong
way. This module finds the missing ones first and says, in one line, which package to install
on Debian/Ubuntu, Fedora and Arch. In the bundled app it first loads the bundle's own copies
of what the system lacks, so the bundle starts on a minimal install without any package.

A leaf with no Qt and nothing else of the vault: ``vault.app`` calls it before importing the
GUI, and ``make run`` runs this file with the system's ``python3`` before the virtual
environment exists (``python3 vault/desktop_libs.py``: exit 0 when fine or not applicable, 1
with the line on stderr when something is missing). Keep it standard-library only and free of
syntax newer than Python 3.8 for that reason.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SystemLibrary:
    """A shared library the xcb plugin loads, and the package that provides it per family."""

    soname: str
    debian: str
    fedora: str
    arch: str


# What libqxcb.so and libQt6XcbQpa.so.6 of the PySide6 wheel link against and do not ship
# (`ldd` on PySide6 6.12), plus the GL/EGL/fontconfig libraries QtGui itself needs.
XCB_LIBRARIES: tuple[SystemLibrary, ...] = (
    SystemLibrary("libxcb-cursor.so.0", "libxcb-cursor0", "xcb-util-cursor", "xcb-util-cursor"),
    SystemLibrary("libxcb-icccm.so.4", "libxcb-icccm4", "xcb-util-wm", "xcb-util-wm"),
    SystemLibrary("libxcb-image.so.0", "libxcb-image0", "xcb-util-image", "xcb-util-image"),
    SystemLibrary("libxcb-keysyms.so.1", "libxcb-keysyms1", "xcb-util-keysyms",
                  "xcb-util-keysyms"),
    SystemLibrary("libxcb-render-util.so.0", "libxcb-render-util0", "xcb-util-renderutil",
                  "xcb-util-renderutil"),
    SystemLibrary("libxcb-util.so.1", "libxcb-util1", "xcb-util", "xcb-util"),
    SystemLibrary("libxkbcommon-x11.so.0", "libxkbcommon-x11-0", "libxkbcommon-x11",
                  "libxkbcommon-x11"),
    SystemLibrary("libxkbcommon.so.0", "libxkbcommon0", "libxkbcommon", "libxkbcommon"),
    SystemLibrary("libxcb-randr.so.0", "libxcb-randr0", "libxcb", "libxcb"),
    SystemLibrary("libxcb-render.so.0", "libxcb-render0", "libxcb", "libxcb"),
    SystemLibrary("libxcb-shape.so.0", "libxcb-shape0", "libxcb", "libxcb"),
    SystemLibrary("libxcb-shm.so.0", "libxcb-shm0", "libxcb", "libxcb"),
    SystemLibrary("libxcb-sync.so.1", "libxcb-sync1", "libxcb", "libxcb"),
    SystemLibrary("libxcb-xfixes.so.0", "libxcb-xfixes0", "libxcb", "libxcb"),
    SystemLibrary("libxcb-xkb.so.1", "libxcb-xkb1", "libxcb", "libxcb"),
    SystemLibrary("libxcb.so.1", "libxcb1", "libxcb", "libxcb"),
    SystemLibrary("libX11-xcb.so.1", "libx11-xcb1", "libX11-xcb", "libx11"),
    SystemLibrary("libX11.so.6", "libx11-6", "libX11", "libx11"),
    SystemLibrary("libGL.so.1", "libgl1", "libglvnd-glx", "libglvnd"),
    SystemLibrary("libEGL.so.1", "libegl1", "libglvnd-egl", "libglvnd"),
    SystemLibrary("libfontconfig.so.1", "libfontconfig1", "fontconfig", "fontconfig"),
)

# Where the dynamic loader looks when neither LD_LIBRARY_PATH nor its cache names a library.
_DEFAULT_DIRS = ("/lib", "/usr/lib", "/lib64", "/usr/lib64", "/usr/local/lib",
                 "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu",
                 "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu")
_LDCONFIG_CANDIDATES = ("/sbin/ldconfig", "/usr/sbin/ldconfig", "/usr/bin/ldconfig")


class LibraryLocator:
    """Answers "is this soname installed?" from folders and the loader's cache.

    ``system()`` builds one as the dynamic loader sees the machine (``LD_LIBRARY_PATH``,
    ``ldconfig -p``, the default folders) and confirms a library it did not find by trying to
    load it, so an unusual layout never raises a false alarm. A locator built from explicit
    folders (``--library-path``, the tests) answers from those folders only.
    """

    def __init__(self, dirs: Iterable[Path], cached: Iterable[str] = (), *,
                 try_loading: bool = False) -> None:
        self.dirs = tuple(dirs)
        self.cached = frozenset(cached)
        self.try_loading = try_loading

    @classmethod
    def system(cls, environ: Mapping[str, str]) -> LibraryLocator:
        dirs = [Path(p) for p in environ.get("LD_LIBRARY_PATH", "").split(os.pathsep) if p]
        dirs.extend(Path(d) for d in _DEFAULT_DIRS)
        return cls(dirs, _ldconfig_sonames(), try_loading=True)

    def has(self, soname: str) -> bool:
        if soname in self.cached:
            return True
        if any((folder / soname).exists() for folder in self.dirs):
            return True
        return self.try_loading and _loads(soname)


def _ldconfig_sonames() -> frozenset[str]:
    """The sonames in the loader's cache (``ldconfig -p``), or none if ldconfig is absent."""
    exe = shutil.which("ldconfig") or next(
        (c for c in _LDCONFIG_CANDIDATES if os.access(c, os.X_OK)), None)
    if exe is None:
        return frozenset()
    try:
        out = subprocess.run([exe, "-p"], capture_output=True, text=True, timeout=10,
                             check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    names = set()
    for line in out.splitlines()[1:]:
        name = line.strip().split(" ", 1)[0]
        if name:
            names.add(name)
    return frozenset(names)


def _loads(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return False
    return True


def load_bundled(missing: Sequence[SystemLibrary], bundle_dir: Path) -> list[SystemLibrary]:
    """Load the bundle's own copies of ``missing`` libraries; return those still missing.

    The PyInstaller bundle carries the xcb libraries of the machine it was built on, but Qt's
    plugin would not find them there (nothing puts the bundle folder on the loader's path).
    Once a library is loaded, the loader satisfies later requests for its soname with it, so
    loading our copies first (globally, dependencies before dependants: a few passes settle the
    order) lets the plugin load. The system's own copies are always preferred: only what the
    system lacks is loaded from the bundle.
    """
    pending = [lib for lib in missing if (bundle_dir / lib.soname).is_file()]
    still = [lib for lib in missing if lib not in pending]
    progress = True
    while pending and progress:
        progress = False
        for lib in list(pending):
            try:
                ctypes.CDLL(str(bundle_dir / lib.soname), mode=ctypes.RTLD_GLOBAL)
            except OSError:
                continue
            pending.remove(lib)
            progress = True
    order = {lib.soname: i for i, lib in enumerate(missing)}
    return sorted(still + pending, key=lambda lib: order[lib.soname])


def needs_check(environ: Mapping[str, str], platform: str = sys.platform) -> bool:
    """True when Qt is about to use its xcb plugin: Linux, a ``DISPLAY``, and either no platform
    forced (and no Wayland session, where Qt picks its Wayland plugin first) or ``xcb`` forced."""
    if not platform.startswith("linux") or not environ.get("DISPLAY"):
        return False
    forced = environ.get("QT_QPA_PLATFORM", "").strip()
    if forced:
        return forced.split(";", 1)[0].split(":", 1)[0].strip() == "xcb"
    return not environ.get("WAYLAND_DISPLAY")


def find_missing(locator: LibraryLocator,
                 required: Sequence[SystemLibrary] = XCB_LIBRARIES) -> list[SystemLibrary]:
    """The libraries of ``required`` that ``locator`` cannot find, in ``required``'s order."""
    return [lib for lib in required if not locator.has(lib.soname)]


def _unique(names: Iterable[str]) -> str:
    return " ".join(dict.fromkeys(names))


def missing_message(missing: Sequence[SystemLibrary]) -> str:
    """One plain line naming the missing libraries and the install command per distribution."""
    libs = ", ".join(lib.soname for lib in missing)
    return (f"casevault: the desktop window needs system libraries that are not installed "
            f"({libs}). Install them, then start again: "
            f"Debian/Ubuntu: sudo apt install {_unique(lib.debian for lib in missing)}; "
            f"Fedora: sudo dnf install {_unique(lib.fedora for lib in missing)}; "
            f"Arch: sudo pacman -S {_unique(lib.arch for lib in missing)}")


def check(environ: Mapping[str, str], locator: LibraryLocator | None = None,
          bundle_dir: Path | None = None) -> str | None:
    """The line to print when Qt's xcb plugin would fail to load here, else None.

    ``bundle_dir`` (default: the PyInstaller bundle's folder when frozen) supplies copies of
    what the system lacks; see ``load_bundled``.
    """
    if not needs_check(environ):
        return None
    missing = find_missing(locator or LibraryLocator.system(environ))
    folder = bundle_dir
    if folder is None and getattr(sys, "frozen", False):
        folder = Path(getattr(sys, "_MEIPASS", os.path.dirname(sys.executable)))
    if missing and folder is not None:
        missing = load_bundled(missing, folder)
    return missing_message(missing) if missing else None


def main(argv: Sequence[str] | None = None) -> int:
    """``python3 vault/desktop_libs.py [--library-path DIR …]``: exit 1 with the line if missing.

    ``--library-path`` checks only those folders (and checks even without a display), which is
    how the tests and a curious rep can see what the check would say.
    """
    parser = argparse.ArgumentParser(prog="desktop_libs",
                                     description="Check the system libraries Qt's xcb needs.")
    parser.add_argument("--library-path", action="append", type=Path, default=[],
                        metavar="DIR", help="look only in DIR (repeatable)")
    args = parser.parse_args(argv)
    if args.library_path:
        missing = find_missing(LibraryLocator(args.library_path))
        message = missing_message(missing) if missing else None
    else:
        message = check(os.environ)
    if message:
        sys.stderr.write(message + "\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
