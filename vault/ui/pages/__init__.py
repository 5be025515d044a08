"""Pages of the main window (Home, Members, Cases, the case page, Settings, Help)."""
