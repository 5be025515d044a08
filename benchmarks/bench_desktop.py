"""Desktop hygiene figures, each beside a peer measured in the same run.

- lock latency: a screensaver ``ActiveChanged(true)`` on a private D-Bus until the vault is
  locked and every view emptied, vs one D-Bus round trip (``GetId``) on the same bus;
- viewer: the longest pause of the GUI thread while a large PDF (default 200 MiB) is decrypted
  and shown, vs the longest pause of the same idle window over the same time (the machine's own
  jitter), vs the whole time from choosing it to its first page (what the pause would be if
  the GUI thread did the work), and that time vs ``cat`` of the plaintext.

Usage: python benchmarks/bench_desktop.py [--size-mib 200] [--locks 30] [--dir DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jeepney import DBusAddress, new_method_call, new_signal
from jeepney.io.blocking import open_dbus_connection
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from benchmarks.common import figure, percentile, timed
from vault.clock import SystemClock
from vault.crypto.kdf import Argon2Params
from vault.domain import Category
from vault.session import VaultManager
from vault.settings import SettingsStore
from vault.ui.dbus_lock_signals import BusAddresses
from vault.ui.session_lock_watcher import SessionLockWatcher
from vault.ui.vault_controller import VaultController

PASSPHRASE = "benchmark passphrase orbit lantern harbour"


def big_pdf(path: Path, size: int) -> None:
    """A valid one-page PDF padded with an unreferenced stream of random bytes to ``size``."""
    content = b"BT /F1 24 Tf 72 720 Td (Large scanned bundle) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> "
        b">> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    with open(path, "wb") as fh:
        fh.write(b"%PDF-1.4\n")
        offsets = []
        for number, body in enumerate(objects, start=1):
            offsets.append(fh.tell())
            fh.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        pad = max(0, size - fh.tell() - 1024)
        offsets.append(fh.tell())
        fh.write(b"5 0 obj\n<< /Length %d >>\nstream\n" % pad)
        chunk = os.urandom(1 << 20)
        left = pad
        while left:
            n = min(left, len(chunk))
            fh.write(chunk[:n])
            left -= n
        fh.write(b"\nendstream\nendobj\n")
        xref = fh.tell()
        fh.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1))
        for off in offsets:
            fh.write(b"%010d 00000 n \n" % off)
        fh.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                 % (len(offsets) + 1, xref))


def wait_until(app: QApplication, predicate, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("benchmark step timed out")
        app.processEvents()
        time.sleep(0.001)


def settle(app: QApplication, seconds: float = 0.5) -> None:
    """Let pending layout and paint work finish, as on a window the rep has been looking at."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.005)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--size-mib", type=int, default=200)
    ap.add_argument("--locks", type=int, default=30)
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="cvbench-desktop-", dir=args.dir))
    daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                              stdout=subprocess.PIPE, text=True)
    app = QApplication.instance() or QApplication(["bench"])
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        manager = VaultManager(root=work / "vault", clock=SystemClock(),
                               kdf_params=Argon2Params(1, 8, 1))
        watcher = SessionLockWatcher(app, addresses=BusAddresses(session=address, system=None))
        ctl = VaultController(app, manager, lock_watcher=watcher,
                              settings_store=SettingsStore(work / "settings.json"))
        session = manager.create(PASSPHRASE)
        member = session.members.add("Bench Member")
        case = session.cases.open(member.id, "Bench case", Category.GRIEVANCE)
        session.lock()
        ctl.start()
        assert watcher.dbus is not None and watcher.dbus.wait_ready()
        emitter = open_dbus_connection(address)

        # -- lock latency ----------------------------------------------------------------------
        locked_at: list[float] = []
        ctl.locked.connect(lambda: locked_at.append(time.perf_counter()))
        latencies = []
        for _ in range(args.locks):
            ctl.open_session(manager.unlock(PASSPHRASE))
            ctl.main_window.show_page("cases")
            settle(app)
            locked_at.clear()
            sent = time.perf_counter()
            emitter.send(new_signal(DBusAddress("/org/freedesktop/ScreenSaver",
                                                interface="org.freedesktop.ScreenSaver"),
                                    "ActiveChanged", "b", (True,)))
            wait_until(app, lambda: bool(locked_at))
            latencies.append(locked_at[0] - sent)
        bus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                          interface="org.freedesktop.DBus")
        trips = [timed(lambda: emitter.send_and_get_reply(new_method_call(bus, "GetId")))
                 for _ in range(args.locks)]
        figure("lock on screensaver signal, median", statistics.median(latencies) * 1000,
               "D-Bus round trip", statistics.median(trips) * 1000, "ms", "< 100 ms")
        figure("lock on screensaver signal, p95", percentile(latencies, 95) * 1000,
               "D-Bus round trip p95", percentile(trips, 95) * 1000, "ms", "< 100 ms")

        # -- viewer ------------------------------------------------------------------------------
        pdf = work / "bundle.pdf"
        big_pdf(pdf, args.size_mib << 20)
        peer_cat = timed(lambda: subprocess.run(["cat", str(pdf)], stdout=subprocess.DEVNULL,
                                                check=True))
        ctl.open_session(manager.unlock(PASSPHRASE))
        ctl.session.documents.import_file(case.ref, pdf)
        ctl.main_window.open_case(case.ref, "documents")
        tab = ctl.main_window.case_page.tab_by_key["documents"]
        tab.load(ctl.session.cases.get(case.ref))
        gaps: list[float] = []
        clock = QElapsedTimer()
        ticker = QTimer()
        ticker.setInterval(5)
        ticker.timeout.connect(lambda: (gaps.append(clock.restart() / 1000.0)))
        doc = tab.model.row_at(0)
        settle(app, 1.0)
        clock.start()
        ticker.start()
        start = time.perf_counter()
        tab.select_document(doc.id)
        wait_until(app, lambda: tab.viewer.pdf.pageCount() > 0, timeout=600)
        shown = time.perf_counter() - start
        ticker.stop()
        longest = max(gaps) if gaps else shown
        # The same ticker on an idle window for as long: the machine's own scheduling jitter.
        gaps.clear()
        clock.start()
        ticker.start()
        settle(app, shown)
        ticker.stop()
        idle = max(gaps) if gaps else 0.0
        figure(f"viewer {args.size_mib} MiB PDF: longest GUI pause", longest * 1000,
               "idle window, same time", idle * 1000, "ms", "pause < 100 ms")
        figure(f"viewer {args.size_mib} MiB PDF: longest GUI pause", longest * 1000,
               "choose -> first page", shown * 1000, "ms", "pause < 100 ms")
        figure(f"viewer {args.size_mib} MiB PDF: choose -> first page", shown, "cat plaintext",
               peer_cat, "s")
        ctl.shutdown()
        emitter.close()
    finally:
        daemon.terminate()
        daemon.wait(10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
