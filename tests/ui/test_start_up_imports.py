"""Start-up: the unlock window shows before the services and pages are imported; the services load
on a thread afterwards, the pages when first built (issue 12: start → unlock ≤ 3× a bare window).

The figure itself is measured in ``benchmarks/bench_gui.py``; these tests hold the cause in
place. Each runs a fresh interpreter, as a rep's start is, and fails if a heavy module comes
back on the way to the first window.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from vault.ui.builtin_pages import default_registry
from vault.ui.lazy import Lazy

# Each of these costs tens of milliseconds or more and none is needed to show the unlock card.
HEAVY = ["vault.session.services", "vault.casework.documents", "vault.export.service",
         "vault.retention.erase", "vault.admin.service", "reportlab", "markdown_it",
         "rapidfuzz", "vault.ui.pages.home_page", "vault.ui.case_tabs.paper_trail_tab",
         "vault.ui.pages.case_page", "vault.backup.writer"]

_CHILD = textwrap.dedent("""
    import json, os, sys, time
    os.umask(0o077)
    from vault import app as composition
    composition.configure_logging()
    from PySide6.QtCore import QTimer
    from vault.ui.application import create_application
    from vault.ui.vault_controller import VaultController
    qt_app = create_application([])
    controller = VaultController(qt_app, composition.manager_for(sys.argv[1]))
    controller.start()
    window = controller.visible_window()
    shown = window is not None and window.isVisible()
    heavy = json.loads(sys.argv[2])
    at_window = [m for m in heavy if m in sys.modules]
    deadline = time.monotonic() + 60
    while controller.preloading is None and time.monotonic() < deadline:
        qt_app.processEvents()
    if controller.preloading is not None:
        controller.preloading.join(60)
    after = [m for m in heavy if m not in sys.modules
             and not m.startswith("vault.ui.") and m != "markdown_it"]  # Qt pages: GUI thread
    controller.shutdown()
    print(json.dumps({"title": window.windowTitle() if window else "", "shown": shown,
                      "at_window": at_window, "missing_after_preload": after}))
""")


def _start(vault_dir: Path, tmp_path: Path) -> dict[str, object]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", CASEVAULT_LOG_DIR=str(tmp_path / "log"),
               XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_RUNTIME_DIR=str(tmp_path / "run"))
    (tmp_path / "run").mkdir(mode=0o700, exist_ok=True)
    done = subprocess.run([sys.executable, "-c", _CHILD, str(vault_dir), json.dumps(HEAVY)],
                          env=env, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("existing", [True, False], ids=["unlock", "create"])
def test_the_first_window_shows_before_the_services_and_pages_are_imported(
        tmp_path: Path, existing: bool) -> None:
    vault_dir = tmp_path / "vault"
    if existing:  # a key file is all the unlock window looks at
        vault_dir.mkdir(mode=0o700)
        (vault_dir / "vault.keys").write_text("{}")
    result = _start(vault_dir, tmp_path)
    assert result["shown"] is True
    assert result["at_window"] == [], "imported on the way to the first window"
    assert result["missing_after_preload"] == [], "not preloaded after the window showed"


def test_every_lazily_named_page_tab_and_home_reader_resolves() -> None:
    registry = default_registry()
    named = [s.factory for s in registry.pages()] + [s.factory for s in registry.case_tabs()]
    named += [s.provider for s in registry.home_sections()]
    named += [s.first for s in registry.home_sections() if s.first is not None]
    lazies = [f for f in named if isinstance(f, Lazy)]
    assert len(lazies) == len(named)  # every built-in one is lazy
    for lazy in lazies:
        assert callable(lazy.resolve()), lazy


def test_a_wrong_name_fails_when_resolved_not_silently() -> None:
    with pytest.raises(AttributeError):
        Lazy("vault.ui.pages.home_page", "NoSuchPage").resolve()
    with pytest.raises(ImportError):
        Lazy("vault.ui.pages.no_such_module", "X")()
