"""``python -m vault``: the same entry point as the ``casevault`` command."""

from vault.app import main

raise SystemExit(main())
