"""Union wording for prompts (issue 16): every prompt that names a body uses the chosen union's
profile, and none cites a union before one is chosen."""

from __future__ import annotations

import pytest

from vault.training.profile import UnionProfile
from vault.training.union_wording import escalation_reason, union_wording


@pytest.mark.parametrize(("key", "body", "said"), [
    ("ucu", "notify your UCU regional office", "Your UCU regional office has been notified"),
    ("bectu", "tell your Bectu dedicated officer",
     "Your Bectu dedicated officer has been told"),
    ("prospect", "tell your Prospect officer", "Your Prospect officer has been told"),
])
def test_each_union_names_its_own_body(profiles: dict[str, UnionProfile], key: str, body: str,
                                       said: str) -> None:
    wording = union_wording(profiles[key])
    text = wording.escalation_instruction(dismissal=True)
    assert text == ("Dismissal is threatened: escalate this case to a more experienced branch "
                    f"caseworker and {body}.")
    assert wording.notified_label() == said
    others = {"ucu": "UCU", "bectu": "Bectu", "prospect": "Prospect"}
    for other_key, name in others.items():
        if other_key != key:
            assert name not in text


def test_before_a_union_is_chosen_no_union_is_cited() -> None:
    wording = union_wording(None)
    text = wording.escalation_instruction(discrimination=True)
    assert text.startswith("Discrimination is alleged: escalate")
    for name in ("UCU", "Bectu", "Prospect"):
        assert name not in text and name not in wording.help_text
    assert wording.links == ()


def test_the_reason_says_only_what_applies() -> None:
    assert escalation_reason(dismissal=True, discrimination=False) == "Dismissal is threatened"
    assert escalation_reason(dismissal=False, discrimination=True) == "Discrimination is alleged"
    assert "and" in escalation_reason(dismissal=True, discrimination=True)
    assert escalation_reason(dismissal=False, discrimination=False) == ""
    plain = union_wording(None).escalation_instruction()
    assert plain.startswith("Escalate this case")


def test_links_beside_escalation_come_from_the_profile(profiles: dict[str, UnionProfile]) -> None:
    ucu = union_wording(profiles["ucu"])
    urls = {link.url for link in ucu.links}
    assert {"https://ucu.custhelp.com/", "https://www.ucu.org.uk/yourcontacts",
            "https://www.acas.org.uk", "https://www.thompsons.law.co.uk"} <= urls
    assert "https://www.ucu.org.uk/training" not in urls  # training is for Help, not here
    bectu = union_wording(profiles["bectu"])
    assert all("ucu" not in link.url for link in bectu.links)
    assert any("acas" in link.url for link in bectu.links)
