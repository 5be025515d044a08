"""The export tests reuse the command-line fixtures (an in-process CLI over a fast KDF)."""

from tests.unit.cli.conftest import initialised, run  # noqa: F401
