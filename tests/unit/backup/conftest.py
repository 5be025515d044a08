"""Fixtures for backup tests: a small populated vault and helpers to back it up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from vault.domain import Category


@dataclass
class Populated:
    case_ref: str
    case_id: str
    other_ref: str
    documents: dict[str, bytes]


def populate(session, tmp_path: Path, *, sizes=(0, 10, 70_000, 200_000)) -> Populated:
    member = session.members.add("Bea Backup")
    case = session.cases.open(member.id, "Backup case", Category.GRIEVANCE)
    other = session.cases.open(member.id, "Second case", Category.OTHER)
    docs: dict[str, bytes] = {}
    for n, size in enumerate(sizes):
        src = tmp_path / f"src-{n}.bin"
        data = os.urandom(size)
        src.write_bytes(data)
        ref = case.ref if n % 2 == 0 else other.ref
        docs[session.documents.import_file(ref, src).id] = data
    return Populated(case.ref, case.id, other.ref, docs)


@pytest.fixture
def populated(session, tmp_path: Path) -> Populated:
    return populate(session, tmp_path)


from tests.unit.cli.conftest import Result, initialised, run  # noqa: E402, F401 - CLI fixtures
