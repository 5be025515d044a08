"""The shape of the code (issue 7): no import circles, and the front ends never reach past
the services into the vault's keys and files."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[3]


def _cycle(graph: grimp.ImportGraph) -> list[str] | None:
    modules = sorted(graph.modules)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.find_modules_directly_imported_by(m)):
            if not n.startswith("vault"):
                continue
            if state.get(n) == 1:
                return [*stack[stack.index(n):], n]
            if n not in state:
                found = visit(n)
                if found:
                    return found
        stack.pop()
        state[m] = 2
        return None

    for m in modules:
        if m not in state:
            found = visit(m)
            if found:
                return found
    return None


def test_no_import_circle_in_the_vault_package() -> None:
    graph = grimp.build_graph("vault", exclude_type_checking_imports=True)
    assert _cycle(graph) is None


def test_the_circle_finder_finds_a_circle() -> None:
    graph = grimp.ImportGraph()
    for m in ("vault.a", "vault.b", "vault.c"):
        graph.add_module(m)
    graph.add_import(importer="vault.a", imported="vault.b")
    graph.add_import(importer="vault.b", imported="vault.c")
    graph.add_import(importer="vault.c", imported="vault.a")
    assert _cycle(graph) == ["vault.a", "vault.b", "vault.c", "vault.a"]


def _reaches_into_vault(source: str) -> list[int]:
    """Lines where code reads ``<something>.session.vault`` or ``session.vault``."""
    hits = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "vault":
            value = node.value
            if (isinstance(value, ast.Name) and value.id == "session") or (
                    isinstance(value, ast.Attribute) and value.attr == "session"):
                hits.append(node.lineno)
    return hits


def test_front_ends_never_touch_session_vault() -> None:
    offenders = []
    for folder in ("ui", "cli"):
        for path in sorted((ROOT / "vault" / folder).rglob("*.py")):
            for line in _reaches_into_vault(path.read_text("utf-8")):
                offenders.append(f"{path.relative_to(ROOT)}:{line}")
    assert offenders == []


def test_the_session_vault_check_catches_a_reach() -> None:
    assert _reaches_into_vault("x = self._context.session.vault.db") == [1]
    assert _reaches_into_vault("session.vault.change_passphrase(a, b)") == [1]
    assert _reaches_into_vault("session.admin.verify()") == []
