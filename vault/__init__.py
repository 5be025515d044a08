"""Casework Vault: encrypted, segregated case files for UK union reps."""

__version__ = "0.1.0"
