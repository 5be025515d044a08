"""The main window shell: navigation rail, toolbar, page stack and status bar."""
