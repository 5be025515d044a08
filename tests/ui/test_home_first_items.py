"""Home's cards read only their first items and a count (issue 12): for each costly section,
``first(context, n)`` must give exactly the whole list's first ``n`` and its length."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from vault.demo.generator import DemoOptions, fill_demo_vault
from vault.ui.builtin_pages import default_registry


@pytest.fixture(scope="module")
def demo_context(tmp_path_factory):  # type: ignore[no-untyped-def]
    from vault.clock import SystemClock
    from vault.crypto.kdf import Argon2Params
    from vault.session import VaultManager

    manager = VaultManager(root=tmp_path_factory.mktemp("home") / "vault", clock=SystemClock(),
                           kdf_params=Argon2Params(1, 8, 1))
    session = manager.create("correct horse battery staple orbit")
    fill_demo_vault(session, DemoOptions(cases=120, documents_every=0, training=False))
    yield SimpleNamespace(session=session, clock=session.clock)
    session.lock()


SECTIONS = [s for s in default_registry().home_sections() if s.first is not None]


def test_the_costly_sections_have_a_first_reader() -> None:
    assert {s.key for s in SECTIONS} >= {"follow-ups-owed", "escalations", "action-points",
                                         "check-back", "conflicts"}


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.key)
@pytest.mark.parametrize("n", [1, 3, 10])
def test_first_items_are_the_whole_lists_first(demo_context, section, n) -> None:  # type: ignore[no-untyped-def]
    whole = section.provider(demo_context)
    first, total = section.first(demo_context, n)
    assert total == len(whole)
    assert [(i.text, i.detail, i.case_ref, i.tab, i.urgent) for i in first] == \
        [(i.text, i.detail, i.case_ref, i.tab, i.urgent) for i in whole[:n]]


def test_the_demo_gives_every_costly_section_more_than_a_card_holds(demo_context) -> None:  # type: ignore[no-untyped-def]
    # Otherwise the test above would compare short lists only.
    for section in SECTIONS:
        if section.key != "action-points":  # due within a week: few in any vault
            assert section.first(demo_context, 10)[1] > 10, section.key
