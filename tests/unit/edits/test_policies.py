"""The employer's policy library (issue 13, guide point 10): its own key, apart from cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import OTHER_STRONG, STRONG
from vault.domain import Category
from vault.errors import InvalidInput
from vault.store.key_holder import POLICY_KEY_NAME


def _policy_file(tmp_path: Path) -> Path:
    path = tmp_path / "grievance-procedure.txt"
    path.write_bytes(b"POLICY-CANARY-9d1e Grievance procedure, stage one ...\n" * 100)
    return path


def test_policy_is_encrypted_under_its_own_key_and_linkable(manager, tmp_path) -> None:  # type: ignore[no-untyped-def]
    s = manager.create(STRONG)
    m = s.members.add("Kim Lee")
    case = s.cases.open(m.id, "Grievance", Category.GRIEVANCE)
    p = s.policies.add(_policy_file(tmp_path), "Grievance procedure", employer="Northfield",
                       version="2025")
    assert [x.title for x in s.policies.list()] == ["Grievance procedure"]
    with s.vault.uow.read() as tx:
        assert tx.meta.get_blob(POLICY_KEY_NAME) is not None
        library = tx.meta.get("policy_library_id")
    assert library is not None and library not in {c.case.id for c in s.cases.list()}
    on_disk = s.vault.documents.path_for(library, p.id)
    assert on_disk.exists() and b"POLICY-CANARY" not in on_disk.read_bytes()
    s.policies.link(case.ref, p.id[:8])
    with pytest.raises(InvalidInput, match="already linked"):
        s.policies.link(case.ref, p.id)
    assert [x.id for x in s.policies.for_case(case.ref)] == [p.id]
    s.lock()
    s = manager.unlock(STRONG)  # reconciliation must not quarantine the library's files
    assert s.recovery.quarantined_files == 0
    assert s.policies.read_bytes(p.id)[1].startswith(b"POLICY-CANARY")
    assert s.verify().ok
    s.admin.change_passphrase(STRONG, OTHER_STRONG)  # the library key is re-wrapped
    s.lock()
    s = manager.unlock(OTHER_STRONG)
    assert s.policies.read_bytes(p.id)[1].startswith(b"POLICY-CANARY")
    s.policies.remove(p.id, reason="superseded")
    assert s.policies.list() == [] and not on_disk.exists()
    s.lock()
    for path in manager.paths.root.rglob("*"):
        if path.is_file():
            assert b"POLICY-CANARY" not in path.read_bytes()


def test_cli_policy_commands(run, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert run("init").code == 0
    pid = run("policy", "add", str(_policy_file(tmp_path)), "--title", "Grievance procedure",
              "--json").json()["id"]
    assert "Grievance procedure" in run("policy", "list").out
    member = run("member", "add", "--name", "Kim Lee", "--json").json()["id"]
    ref = run("case", "open", "--member", member, "--title", "G", "--category", "grievance",
              "--json").json()["ref"]
    assert run("policy", "link", ref, pid[:10]).code == 0
    out = tmp_path / "copy.txt"
    assert run("policy", "get", pid, "--out", str(out)).code == 0
    assert out.read_bytes().startswith(b"POLICY-CANARY")
    assert run("policy", "remove", pid, "--reason", "old").code == 0
    assert run("verify").code == 0
