"""The PySide6 desktop interface: windows, pages, dialogs, table models, workers and hygiene.

Only this package imports Qt. It never writes vault state itself: every change goes through a
service of the unlocked ``vault.session.Session``. ``vault.ui.application.run_gui`` is the
entry point the composition root calls.
"""
