"""The one registry of paper-trail entry kinds.

Two families share one namespace of kind strings: the ten kinds a rep logs (``EntryKind``,
DOMAIN.md "The paper trail", kept in ``vault.domain`` because the command line and the forms
name them) and the events the product writes itself (``TrailEvent``). ``label`` and
``is_logged`` answer for any kind string, so no caller needs to know which family it is.
"""

from __future__ import annotations

from enum import StrEnum

from vault.domain import EntryKind


class TrailEvent(StrEnum):
    """Entries the product writes itself when a rep acts."""

    # the vault and its records
    MEMBER_ADDED = "member-added"
    CASE_OPENED = "case-opened"
    CASE_UPDATED = "case-updated"
    CONSENT_TO_SHARE = "consent-to-share"
    DOCUMENT_ADDED = "document-added"
    DOCUMENT_RETURNED = "document-returned"
    DOCUMENT_EXPORTED = "document-exported"
    PASSPHRASE_CHANGED = "passphrase-changed"  # noqa: S105 (an event name)
    # backups and the recovery code (issue 11)
    BACKUP_WRITTEN = "backup-written"
    BACKUP_REMOVED = "backup-removed"
    RECOVERY_CODE_MADE = "recovery-code-made"
    PASSPHRASE_RECOVERED = "passphrase-reset-with-recovery-code"  # noqa: S105 (an event name)
    # casework
    PARTY_ADDED = "party-added"
    CONFLICT_CHECK = "conflict-check"
    CONFLICT_DECISION = "conflict-decision"
    FIRST_MEETING = "first-meeting"
    NARRATIVE_AGREED = "narrative-agreed"
    ISSUE_ADDED = "issue-added"
    ISSUE_UPDATED = "issue-updated"
    ACTION_ADDED = "action-added"
    ACTION_UPDATED = "action-updated"
    FOLLOW_UP_WAIVED = "follow-up-waived"
    FOLLOW_UP_DRAFTED = "follow-up-drafted"
    ESCALATION_DECISION = "escalation-decision"
    OFF_RECORD_CONSENT = "off-record-consent"


# Old names, kept so each module can say which family it writes.
SystemEvent = TrailEvent
CaseworkEvent = TrailEvent

_LOGGED = frozenset(k.value for k in EntryKind)
_EVENT_LABELS = {
    TrailEvent.PASSPHRASE_CHANGED: "Passphrase changed",
    TrailEvent.DOCUMENT_EXPORTED: "Copy saved outside the vault",
}


def is_logged(kind: str) -> bool:
    """True for the ten kinds a rep logs; False for entries the product wrote."""
    return kind in _LOGGED


def label(kind: str) -> str:
    """A readable name for any kind: "Oral advice", "Party added", …"""
    if kind in _LOGGED:
        return EntryKind(kind).label
    try:
        return _EVENT_LABELS[TrailEvent(kind)]
    except (ValueError, KeyError):
        return kind.replace("-", " ").capitalize()


def known_kinds() -> list[str]:
    """Every kind string the product knows, logged kinds first."""
    return [k.value for k in EntryKind] + [e.value for e in TrailEvent]
