"""The one registry of paper-trail entry kinds.

Two families share one namespace of kind strings: the eleven kinds a rep logs (``EntryKind``,
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
    CASE_EXPORTED = "case-exported"  # an encrypted bundle holding the case (or part of a SAR)
    SUBJECT_ACCESS_EXPORT = "subject-access-export"  # a SAR bundle of a member with no case
    PASSPHRASE_CHANGED = "passphrase-changed"  # noqa: S105 (an event name)
    MEMBER_EDITED = "member-edited"
    DOCUMENT_RENAMED = "document-renamed"
    DOCUMENT_REMOVED = "document-removed"
    KEY_DATE_ADDED = "key-date-added"
    KEY_DATE_REMOVED = "key-date-removed"
    PROFILE_CHANGED = "profile-changed"
    CHECKED_BACK = "checked-back"
    POLICY_ADDED = "policy-added"
    POLICY_REMOVED = "policy-removed"
    POLICY_LINKED = "policy-linked"
    POLICY_UNLINKED = "policy-unlinked"
    # backups and the recovery code (issue 11)
    BACKUP_WRITTEN = "backup-written"
    BACKUP_REMOVED = "backup-removed"
    RECOVERY_CODE_MADE = "recovery-code-made"
    PASSPHRASE_RECOVERED = "passphrase-reset-with-recovery-code"  # noqa: S105 (an event name)
    # casework
    PARTY_ADDED = "party-added"
    PARTY_EDITED = "party-edited"
    PARTY_REMOVED = "party-removed"
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
    # retention (issue 9)
    CASE_CLOSED = "case-closed"
    CASE_REOPENED = "case-reopened"
    RETENTION_HOLD = "retention-hold"
    RETENTION_HOLD_RELEASED = "retention-hold-released"
    CASE_DESTROYED = "case-destroyed"
    # Issue 16: a union member not in the vault, the hand-over after stepping aside, the agreed
    # narrative submitted, and records added by mistake deleted.
    PARTY_NOT_IN_VAULT = "party-not-in-vault"
    HANDED_OVER = "handed-over"
    NARRATIVE_SUBMITTED = "narrative-submitted"
    RECORD_DELETED = "record-deleted"


# Old names, kept so each module can say which family it writes.
SystemEvent = TrailEvent
CaseworkEvent = TrailEvent

_LOGGED = frozenset(k.value for k in EntryKind)
_EVENT_LABELS = {
    TrailEvent.PASSPHRASE_CHANGED: "Passphrase changed",
    TrailEvent.DOCUMENT_EXPORTED: "Copy saved outside the vault",
    TrailEvent.RETENTION_HOLD: "Legal hold set",
    TrailEvent.RETENTION_HOLD_RELEASED: "Legal hold released",
    TrailEvent.CASE_DESTROYED: "Case destroyed (cryptographic erase)",
    TrailEvent.PARTY_NOT_IN_VAULT: "Union member not in the vault",
    TrailEvent.HANDED_OVER: "Case handed over",
    TrailEvent.CASE_EXPORTED: "Encrypted bundle exported",
    TrailEvent.SUBJECT_ACCESS_EXPORT: "Subject access export",
}


def is_logged(kind: str) -> bool:
    """True for the kinds a rep logs; False for entries the product wrote."""
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
