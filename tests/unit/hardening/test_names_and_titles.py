"""Finding 9: member and party names, and every title, refuse bidi controls, the BOM,
zero-width and other invisible characters — one rule (``vault.labels``) everywhere.

The attack: a member named ``"Jo Bloggs\\u202e..."`` displays reversed in tables and PDFs, and
a name with a zero-width space looks identical to another member's and escapes the conflict
check's eye.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.hardening.support import Cli, one_line_error

SPOOFERS = {
    "RLO": "\u202e", "LRE": "\u202a", "PDF": "\u202c", "LRI": "\u2066", "PDI": "\u2069",
    "RLM": "\u200f", "ALM": "\u061c", "BOM": "\ufeff", "ZWSP": "\u200b", "ZWJ": "\u200d",
    "WJ": "\u2060", "SHY": "\u00ad", "TAG": "\U000e0041", "NUL": "\x00", "BEL": "\x07",
    "PUA": "\ue000",
}


@pytest.mark.parametrize("char", list(SPOOFERS.values()), ids=list(SPOOFERS))
def test_every_name_and_title_refuses_the_character(vault_cli: Cli, char: str) -> None:
    ref = vault_cli.ref
    spoofed = f"Jo Bl{char}oggs"
    attempts = [
        ("member", "add", "--name", spoofed),
        ("party", "add", ref, "--name", spoofed, "--role", "witness"),
        ("case", "open", "--member", "M-0001", "--title", f"Grievance{char} about rota",
         "--category", "grievance"),
        ("conflicts", "check", "--name", spoofed),
    ]
    for argv in attempts:
        line = one_line_error(vault_cli(*argv))
        assert f"U+{ord(char):04X}" in line, line
        assert spoofed not in line
    assert [m["id"] for m in vault_cli.ok("member", "list")] == ["M-0001"]
    assert [c["ref"] for c in vault_cli.ok("case", "list")] == [ref]
    shown = vault_cli.ok("case", "show", ref)
    assert char not in json.dumps(shown, ensure_ascii=False)


def test_a_free_course_title_and_the_reps_name_on_pdfs_use_the_rule(vault_cli: Cli,
                                                                    tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert vault_cli("training", "union", "prospect").code == 0
    line = one_line_error(vault_cli("training", "record", "level2-other", "--date",
                                    "2026-03-01", "--title", "Employment law\u202e 2"))
    assert "U+202E" in line
    out = tmp_path / "private"
    out.mkdir(mode=0o700)
    line = one_line_error(vault_cli("training", "print", "--out", str(out / "r.pdf"),
                                    "--name", "Alex\u200b Rep"))
    assert "U+200B" in line and not (out / "r.pdf").exists()
    oral = vault_cli.ok("log", "add", vault_cli.ref, "--kind", "oral-advice", "--text",
                        "Ask for it in writing")
    line = one_line_error(vault_cli("followup", "draft", str(oral["id"]), "--rep-name",
                                    "Alex\u2066 Rep"))
    assert "U+2066" in line


def test_ordinary_names_from_many_scripts_still_pass(vault_cli: Cli) -> None:
    names = ["Siân O'Connor-Smith", "José Núñez", "王小明", "Αλέξανδρος Παπαδόπουλος",
             "محمد علي", "Nguyễn Văn An", "Dr. J. R. R. Tolkien", "Zoë  \t Brontë"]
    for name in names:
        r = vault_cli("member", "add", "--name", name)
        assert r.code == 0, (name, r.err)
    listed = [m["name"] for m in vault_cli.ok("member", "list")]
    assert "Zoë Brontë" in listed  # whitespace folded, as before


_REFUSED = ("Cf", "Cc", "Cs", "Co", "Cn")


@settings(max_examples=1500, deadline=None)
@given(st.text(max_size=60))
def test_clean_label_never_returns_an_invisible_character(text: str) -> None:
    import unicodedata

    from vault.errors import InvalidInput
    from vault.labels import clean_label

    try:
        cleaned = clean_label(text, "Name", max_len=200)
    except InvalidInput as exc:
        assert "\n" not in str(exc)
        return
    assert cleaned is not None and cleaned == cleaned.strip() and "  " not in cleaned
    assert not any(unicodedata.category(ch) in _REFUSED for ch in cleaned)
