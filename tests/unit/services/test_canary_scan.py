"""No plaintext on disk: plant canaries in every field and scan every byte the vault wrote."""

from __future__ import annotations

from pathlib import Path

from vault.domain import CaseFlags, Category

CANARIES = {
    "name": "Zebedee Canarywhistle",
    "number": "CANARYNUM77431",
    "email": "canary.mailbox@example.org",
    "employer": "Canaryworks Holdings",
    "title": "Canarytitle grievance about rota",
    "document": "CANARY-DOCUMENT-BODY-5f2a9",
    "docname": "canary-filename-secret.txt",
}


def _scan(root: Path) -> list[tuple[str, str]]:
    hits = []
    needles = {k: v.encode() for k, v in CANARIES.items()}
    needles16 = {k: v.encode("utf-16-le") for k, v in CANARIES.items()}
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            all_needles = {**needles, **{k + "/utf16": v for k, v in needles16.items()}}
            for key, needle in all_needles.items():
                if needle in data or needle.lower() in data.lower():
                    hits.append((str(path), key))
        for key, value in CANARIES.items():
            if value.lower() in path.name.lower():
                hits.append((str(path), key + "/filename"))
    return hits


def test_no_canary_under_vault_or_logs(manager, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import os

    s = manager.create("correct horse battery staple orbit")
    m = s.members.add(CANARIES["name"], membership_number=CANARIES["number"],
                      email=CANARIES["email"], employer=CANARIES["employer"])
    case = s.cases.open(m.id, CANARIES["title"], Category.DISCRIMINATION,
                        flags=CaseFlags(discrimination_alleged=True))
    src_dir = tmp_path / "outside"
    src_dir.mkdir()
    src = src_dir / CANARIES["docname"]
    src.write_text((CANARIES["document"] + "\n") * 5000)
    s.documents.import_file(case.ref, src)
    s.cases.set_consent_to_share(case.ref, True)
    # Reading in-app must not write plaintext anywhere either.
    assert CANARIES["document"].encode() in s.documents.read_bytes(case.ref,
                                                                   s.documents.list(case.ref)[0].id)
    hits_open = _scan(manager.root)
    s.lock()
    hits = _scan(manager.root) + _scan(Path(os.environ["CASEVAULT_LOG_DIR"])
                                       if Path(os.environ["CASEVAULT_LOG_DIR"]).exists()
                                       else manager.root)
    assert hits_open == []
    assert hits == []
