"""Retention: archive periods, reminders, closure checklist, crypto-shred and the branch audit."""
