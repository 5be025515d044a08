"""The rep's own profile (Settings → You): name, role, branch, casework email, phone and
signature block — asked for once and used by follow-up notes, PDFs and email drafts.

It lives inside the encrypted vault. The UCU guide recommends a separate casework email
account rather than a work one; ``email_warning`` says so when the address looks like a work
address.
"""

from __future__ import annotations

import logging

from vault.casework.members import work_email_warning
from vault.casework.validation import clean_email, clean_text
from vault.store.rep_profile_repo import RepProfile
from vault.store.unit_of_work import UnitOfWork
from vault.trail.kinds import TrailEvent
from vault.trail.service import PaperTrail

log = logging.getLogger(__name__)

__all__ = ["RepProfile", "RepProfileService"]


class RepProfileService:
    def __init__(self, uow: UnitOfWork, trail: PaperTrail) -> None:
        self._uow = uow
        self._trail = trail

    def get(self) -> RepProfile:
        with self._uow.read() as tx:
            return tx.rep_profile.load()

    def set(self, profile: RepProfile) -> RepProfile:
        """Save the profile (every field optional; text cleaned, email checked).

        Raises:
            InvalidInput: a field too long, or a malformed email.
        """
        clean = RepProfile(
            name=clean_text(profile.name, "Your name", required=False, max_len=200),
            role=clean_text(profile.role, "Your role", required=False, max_len=200),
            branch=clean_text(profile.branch, "Branch", required=False, max_len=200),
            email=clean_email(profile.email),
            phone=clean_text(profile.phone, "Phone", required=False, max_len=40),
            signature=clean_text(profile.signature, "Signature", required=False, max_len=1000),
        )
        with self._uow.write() as tx:
            tx.rep_profile.save(clean)
            self._trail.record(tx, kind=TrailEvent.PROFILE_CHANGED.value, case=None,
                               payload={"summary": "Rep profile updated"})
        log.info("rep profile updated")
        return clean

    @staticmethod
    def email_warning(profile: RepProfile, employer: str | None = None) -> str | None:
        """A warning when the casework email looks like a work address."""
        if profile.email is None:
            return None
        warning = work_email_warning(profile.email, employer)
        if warning is None:
            return None
        return ("This looks like a work address. The UCU guide suggests a separate email "
                "account for casework, not your work one.")
