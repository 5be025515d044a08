"""The composition root: process hygiene, logging, paths, services; then the GUI or the CLI.

Before the GUI, the system libraries Qt's X11 plugin needs are checked (``vault.desktop_libs``),
so a missing ``libxcb-cursor0`` is one plain line naming the package, not Qt's error.

Everything is wired here and nowhere else. ``casevault`` with no command starts the GUI;
with a command it runs the CLI over the same services.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import platformdirs

from vault import desktop_libs
from vault.clock import SystemClock
from vault.crypto import kdf
from vault.errors import CryptoUnavailable
from vault.paths import APP_NAME, default_vault_dir
from vault.session import VaultManager, builtin_profiles
from vault.settings import SettingsStore, default_settings_path

log = logging.getLogger("vault")


def configure_logging() -> Path:
    """Log to a private rotating file; logs hold ids and events, never personal data."""
    log_dir = Path(os.environ.get("CASEVAULT_LOG_DIR") or platformdirs.user_log_dir(APP_NAME,
                                                                                   appauthor=False))
    log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    log_file = log_dir / "casevault.log"
    handler = logging.handlers.RotatingFileHandler(log_file, maxBytes=1_000_000, backupCount=3,
                                                   encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    os.chmod(log_file, 0o600)
    return log_file


def manager_for(vault_dir: str | None) -> VaultManager:
    root = Path(vault_dir).expanduser() if vault_dir else default_vault_dir()
    profiles, errors = builtin_profiles()
    for error in errors:
        log.warning("union profile skipped: %s", error)
    # The head log outside the vault folder (in the per-user config folder) is what catches a
    # whole vault folder put back from an older copy (docs/threat-model.md).
    return VaultManager(root=root, clock=SystemClock(), profiles=profiles, profile_errors=errors,
                        settings=SettingsStore().load(),
                        head_log_dir=default_settings_path().parent / "heads")


def _cli_manager(args: argparse.Namespace) -> VaultManager:
    return manager_for(args.vault)


def main(argv: Sequence[str] | None = None) -> int:
    os.umask(0o077)
    argv = list(sys.argv[1:] if argv is None else argv)
    configure_logging()
    try:
        kdf.self_test()
    except CryptoUnavailable as exc:
        sys.stderr.write(f"casevault: {exc}\n")
        return 1
    if _wants_gui(argv):
        problem = desktop_libs.check(os.environ)
        if problem:  # Qt's own message would say "reinstall the application", which is wrong
            log.warning("desktop libraries missing; GUI not started")
            sys.stderr.write(problem + "\n")
            return 1
        from vault.ui.application import run_gui

        vault_dir = _gui_vault_option(argv)
        return run_gui(manager_for(vault_dir), argv)
    from vault.cli import main as cli_main

    return cli_main(argv, manager_factory=_cli_manager)


def _wants_gui(argv: list[str]) -> bool:
    """No command (only global options like --vault DIR) means the GUI."""
    rest = [a for a in argv if not a.startswith("-")]
    if "--vault" in argv:
        i = argv.index("--vault")
        if i + 1 < len(argv) and argv[i + 1] in rest:
            rest.remove(argv[i + 1])
    return not rest and not any(a in ("-h", "--help", "--version") for a in argv)


def _gui_vault_option(argv: list[str]) -> str | None:
    for i, a in enumerate(argv):
        if a == "--vault" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--vault="):
            return a.split("=", 1)[1]
    return None


if __name__ == "__main__":
    raise SystemExit(main())
