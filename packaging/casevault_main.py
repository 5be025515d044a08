"""The PyInstaller entry script: the bundled ``casevault`` runs the same ``vault.app.main`` as
the installed command, so one executable serves the GUI (no command) and the CLI."""

from vault.app import main

raise SystemExit(main())
