"""Desktop hygiene (issue 11): lock on a screen-lock signal and the viewer on a large PDF.

- lock: a screensaver ``ActiveChanged(true)`` on a private D-Bus until the vault is locked and
  every view emptied, each beside one D-Bus round trip (``GetId``) on the same bus;
- viewer: the longest pause of the GUI thread (gap between 5 ms timer ticks) while a large PDF
  (200 MiB; 20 MiB with ``--quick``) is decrypted off the GUI thread and shown, beside the
  longest gap of the same idle window over as long (the machine's own jitter), round by round;
  and the time from choosing the document to its first page beside ``cat`` of the plaintext.

Usage: python benchmarks/bench_desktop.py [--quick] [--repeats N] [--out DIR] [--size-mib MIB]
[--locks N] [--dir DIR]
"""

from __future__ import annotations

import os
import shutil
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

from benchmarks.common import timed
from benchmarks.harness import Bench
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


def main(argv: list[str] | None = None) -> int:
    ap = Bench.arguments(__doc__.splitlines()[0] if __doc__ else "")
    ap.add_argument("--size-mib", type=int, default=None, help="PDF size (default 200; 20 quick)")
    ap.add_argument("--locks", type=int, default=None, help="lock rounds (default 30; 5 quick)")
    ap.add_argument("--dir", type=Path, default=None)
    args = ap.parse_args(argv)
    bench = Bench.from_args("desktop", args, __doc__ or "")
    size_mib = args.size_mib or (20 if args.quick else 200)
    locks = max(5, args.locks or (5 if args.quick else 30))
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

        # -- lock on a screen-lock signal, each beside a D-Bus round trip --------------------
        bench.group = "lock on a screen-lock signal (Cases page showing)"
        locked_at: list[float] = []
        ctl.locked.connect(lambda: locked_at.append(time.perf_counter()))
        bus = DBusAddress("/org/freedesktop/DBus", bus_name="org.freedesktop.DBus",
                          interface="org.freedesktop.DBus")
        latencies: list[float] = []
        trips: list[float] = []
        for _ in range(locks):
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
            trips.append(timed(lambda: emitter.send_and_get_reply(new_method_call(bus, "GetId"))))
        bench.add_samples(f"ScreenSaver ActiveChanged → locked, views emptied ({locks} rounds)",
                          latencies, trips, peer_name="one D-Bus round trip (GetId)", unit="ms",
                          target="≤ 100 ms")
        bench.add_percentiles("  p95 of those rounds", latencies, trips,
                              peer_name="D-Bus round trip p95", p=95, target="≤ 100 ms")

        # -- the viewer on a large PDF ---------------------------------------------------------
        bench.group = f"viewer: a {size_mib} MiB PDF decrypted and shown"
        pdf = work / "bundle.pdf"
        big_pdf(pdf, size_mib << 20)
        ctl.open_session(manager.unlock(PASSPHRASE))
        ctl.session.documents.import_file(case.ref, pdf)
        ctl.main_window.open_case(case.ref, "documents")
        tab = ctl.main_window.case_page.tab_by_key["documents"]
        tab.load(ctl.session.cases.get(case.ref))
        doc = tab.model.row_at(0)
        gaps: list[float] = []
        clock = QElapsedTimer()
        ticker = QTimer()
        ticker.setInterval(5)
        ticker.timeout.connect(lambda: gaps.append(clock.restart() / 1000.0))
        pauses: list[float] = []
        idles: list[float] = []
        shows: list[float] = []
        cats: list[float] = []
        for _ in range(bench.repeats):
            tab.table.clearSelection()  # the viewer empties; choosing it again decrypts again
            settle(app, 1.0)
            gaps.clear()
            clock.start()
            ticker.start()
            start = time.perf_counter()
            tab.select_document(doc.id)
            wait_until(app, lambda: tab.viewer.pdf.pageCount() > 0, timeout=600)
            shown = time.perf_counter() - start
            ticker.stop()
            pauses.append(max(gaps) if gaps else shown)
            shows.append(shown)
            # The same ticker on the idle window for as long: the machine's own jitter.
            gaps.clear()
            clock.start()
            ticker.start()
            settle(app, shown)
            ticker.stop()
            idles.append(max(gaps) if gaps else 0.0)
            cats.append(timed(lambda: subprocess.run(["cat", str(pdf)],
                                                     stdout=subprocess.DEVNULL, check=True)))
        bench.add_samples("longest GUI-thread pause while it decrypts and shows", pauses, idles,
                          peer_name="idle window, as long", unit="ms", target="≤ 100 ms")
        bench.add_samples("choose the document → first page shown", shows, cats,
                          peer_name="cat of the plaintext", unit="s")
        ctl.shutdown()
        emitter.close()
    finally:
        daemon.terminate()
        daemon.wait(10)
        shutil.rmtree(work, ignore_errors=True)
    return bench.finish()


if __name__ == "__main__":
    raise SystemExit(main())
