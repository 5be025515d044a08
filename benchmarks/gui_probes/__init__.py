"""Probes the GUI benchmark runs: pytest-qt measurements and the start-up child process."""
