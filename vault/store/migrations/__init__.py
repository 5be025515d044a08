"""Numbered schema migrations: ``NNNN_name.sql`` files applied in order on ``user_version``."""
