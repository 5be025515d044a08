"""Unit tests of vault.training and the training record PDF (no Qt)."""
