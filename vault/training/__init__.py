"""Training: union profiles, courses, the Reps 2 route and the derived accreditation status.

Entry point: :class:`vault.training.service.TrainingService`. Profiles are data files loaded by
:mod:`vault.training.profile`; the rules are pure functions in :mod:`vault.training.record`,
:mod:`vault.training.status` and :mod:`vault.training.reminders`.
"""
