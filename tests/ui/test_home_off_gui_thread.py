"""Home's cards are read off the GUI thread, and a lock never waits for them (issue 12).

The section providers read every follow-up, escalation and conflict of the vault, so their
cost grows with it; the window must show (counts first) without waiting, and a lock during the
load must stay within the 100 ms budget, leaving nothing behind.
"""

from __future__ import annotations

import threading
import time

from tests.ui.helpers import add_member_and_case, loaded_home
from vault.errors import VaultLocked
from vault.ui.page_context import PageContext
from vault.ui.registry import HomeItem


def test_providers_run_on_a_worker_and_the_window_shows_counts_first(controller, ui_manager,
                                                                      qtbot):
    threads: list[threading.Thread] = []
    release = threading.Event()

    def slow(context: PageContext) -> list[HomeItem]:
        threads.append(threading.current_thread())
        release.wait(10)
        return [HomeItem(text=f"{s.case.ref}: slow item", case_ref=s.case.ref)
                for s in context.session.cases.list()]

    controller.registry.add_home_section("slow", "Slow section", slow, order=1)
    session = ui_manager.create("correct horse battery staple orbit")
    add_member_and_case(session)
    controller.open_session(session)
    home = controller.main_window.pages["home"]
    # The window is up with the counts while the provider is still blocked.
    assert controller.main_window.isVisible()
    assert home.open_stat.number.text() == "1" and home.members_stat.number.text() == "1"
    card = next(c for c in home.cards if c.section.key == "slow")
    assert not home.is_loaded and card.empty.text() == "Loading…" and not card.buttons
    release.set()
    loaded_home(controller.main_window)
    assert threads and all(t is not threading.main_thread() for t in threads)
    assert len(card.buttons) == 1 and card.buttons[0].text().endswith(": slow item")


def test_a_lock_while_home_loads_does_not_wait_for_it(controller, ui_manager, qtbot):
    reads = {"locked": False}
    started = threading.Event()

    def endless(context: PageContext) -> list[HomeItem]:
        started.set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:  # a provider reading for a long time
            try:
                context.session.cases.list()
            except VaultLocked:
                reads["locked"] = True
                raise
        return []

    controller.registry.add_home_section("endless", "Endless section", endless, order=1)
    session = ui_manager.create("correct horse battery staple orbit")
    add_member_and_case(session)
    controller.open_session(session)
    assert started.wait(5)
    t = time.perf_counter()
    controller.lock()
    took = time.perf_counter() - t
    assert controller.session is None and not controller.main_window.pages
    assert took < 1.0, f"lock waited {took:.2f} s for Home's reads"
    # The abandoned provider's next read is refused: nothing reads a locked vault.
    qtbot.waitUntil(lambda: reads["locked"], timeout=5_000)


def test_a_card_reads_only_its_first_items_and_more_reads_the_rest(controller, ui_manager,
                                                                   qtbot):
    whole_reads = []

    def whole(context: PageContext) -> list[HomeItem]:
        whole_reads.append(threading.current_thread())
        return [HomeItem(text=f"item {i}") for i in range(25)]

    def first(context: PageContext, n: int) -> tuple[list[HomeItem], int]:
        return [HomeItem(text=f"item {i}") for i in range(n)], 25

    controller.registry.add_home_section("long", "Long section", whole, order=1, first=first)
    session = ui_manager.create("correct horse battery staple orbit")
    controller.open_session(session)
    home = loaded_home(controller.main_window)
    card = next(c for c in home.cards if c.section.key == "long")
    assert len(card.buttons) == 10 and not card.complete and whole_reads == []
    assert card.more.text() == "15 more…"
    card.more.click()
    qtbot.waitUntil(lambda: home.full_list.model is not None
                    and home.full_list.model.rowCount() == 25, timeout=5_000)
    assert whole_reads and whole_reads[0] is not threading.main_thread()
    assert home.full_list.title.text() == "Long section — all 25"
