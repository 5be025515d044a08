"""Run the real command line in a child process with a fast KDF: ``python -m …cli_driver ARGS``.

The child gets what a user's shell gives ``casevault``: argv decoded by Python (with
surrogateescape for bytes that are not UTF-8), real file descriptors 1 and 2 (so C libraries'
writes to stderr are seen), the private log of ``vault.app.configure_logging``, umask 077.
Only the KDF is fast (``Argon2Params(1, 8, 1)``), as in every test.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> int:
    os.umask(0o077)
    from vault.app import configure_logging
    from vault.cli import main as cli_main
    from vault.clock import SystemClock
    from vault.crypto.kdf import Argon2Params
    from vault.session import VaultManager

    configure_logging()

    def factory(args):  # type: ignore[no-untyped-def]
        return VaultManager(root=Path(args.vault), clock=SystemClock(),
                            kdf_params=Argon2Params(1, 8, 1))

    return cli_main(sys.argv[1:], manager_factory=factory)


if __name__ == "__main__":
    raise SystemExit(main())
