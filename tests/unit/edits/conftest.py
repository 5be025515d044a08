"""The CLI runner of tests/unit/cli, for the edit commands."""

from tests.unit.cli.conftest import Result, run  # noqa: F401
