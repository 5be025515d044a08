"""The words every prompt uses for the rep's union: who to tell, and the links beside a prompt.

The casework guide's escalation advice ("escalate to a more experienced branch caseworker and
notify the regional office") names a body that differs by union: UCU's regional office, a
Bectu dedicated officer, a Prospect officer. :func:`union_wording` reads it from the chosen
union's profile (``contacts.regional_office``, ``contacts.notify``), and says it neutrally
before a union is chosen, so no prompt cites one union to a rep of another. Pure functions of
the profile; the GUI, the command line and the casework services all word prompts through it.
"""

from __future__ import annotations

from dataclasses import dataclass

from vault.training.profile import UnionProfile, UsefulLink

# Before a union is chosen: name no union, point at the Training page to choose one.
NO_UNION_BODY = "your union's regional office or officer"
NO_UNION_NOTE = "Choose your union (Training page or Settings) to see who to tell and its links."


@dataclass(frozen=True)
class UnionWording:
    """The body to tell and how, in a union's own words.

    ``body`` is "your UCU regional office", "your Bectu dedicated officer", ...; ``verb`` is the
    profile's word for it ("notify", "tell"); ``links`` are the profile's useful links to show
    beside an escalation prompt (all of them when the profile marks none).
    """

    union_name: str | None
    body: str
    verb: str
    links: tuple[UsefulLink, ...]
    help_text: str

    @property
    def body_capitalised(self) -> str:
        return self.body[:1].upper() + self.body[1:]

    @property
    def past_participle(self) -> str:
        """"notified", "told": how the decision reads once it is done."""
        return {"tell": "told", "notify": "notified", "inform": "informed",
                "contact": "contacted"}.get(self.verb, self.verb + "ed")

    def escalation_instruction(self, *, dismissal: bool = False,
                               discrimination: bool = False) -> str:
        """One sentence: why (when known) and what to do.

        "Dismissal is threatened: escalate this case to a more experienced branch caseworker
        and tell your Bectu dedicated officer." Says only the reason that applies; with
        neither known, just the instruction.
        """
        action = (f"escalate this case to a more experienced branch caseworker and "
                  f"{self.verb} {self.body}.")
        why = escalation_reason(dismissal=dismissal, discrimination=discrimination)
        return f"{why}: {action}" if why else action[:1].upper() + action[1:]

    def notified_label(self) -> str:
        """"Your Bectu dedicated officer has been told" (the escalation dialog's tick)."""
        return f"{self.body_capitalised} has been {self.past_participle}"

    def not_notified_yet(self) -> str:
        """"Your UCU regional office has not been notified yet." """
        return f"{self.body_capitalised} has not been {self.past_participle} yet."


def escalation_reason(*, dismissal: bool, discrimination: bool) -> str:
    """"Dismissal is threatened", "Discrimination is alleged", both, or "" for neither."""
    if dismissal and discrimination:
        return "Dismissal is threatened and discrimination is alleged"
    if dismissal:
        return "Dismissal is threatened"
    if discrimination:
        return "Discrimination is alleged"
    return ""


def union_wording(profile: UnionProfile | None) -> UnionWording:
    """The wording for ``profile``, or the neutral wording before a union is chosen."""
    if profile is None:
        return UnionWording(union_name=None, body=NO_UNION_BODY, verb="tell", links=(),
                            help_text=NO_UNION_NOTE)
    marked = tuple(link for link in profile.links if link.beside_escalation)
    return UnionWording(union_name=profile.name, body=profile.regional_office,
                        verb=profile.notify_verb, links=marked or profile.links,
                        help_text=profile.regional_office_help)
