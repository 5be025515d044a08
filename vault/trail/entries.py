"""The one view of a paper-trail entry, and the typed payload a rep-logged entry carries.

``TrailEntry`` is what every reader gets — the case page, the command line, reports, exports.
It is built from a stored row (``vault.store.trail_store.StoredEntry``) plus the links that
point at it (a correction, a written follow-up, a "not followed" note).

``LoggedPayload`` replaces the dict-with-magic-keys that rep-logged entries used to be passed
around as: it reads and writes the same JSON keys, so stored entries are unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from vault.domain import EntryKind
from vault.store.off_record_repo import parse_moment
from vault.store.trail_links_repo import CORRECTS, FOLLOWS_UP, NOT_FOLLOWED
from vault.store.trail_store import StoredEntry
from vault.trail import kinds

Moment = dt.date | dt.datetime
Incoming = dict[tuple[str, int], list[int]]


@dataclass(frozen=True)
class LoggedPayload:
    """The encrypted content of an entry. Unknown keys are kept in ``extra``."""

    summary: str
    occurred: str | None = None
    detail: str | None = None
    not_followed: bool = False
    off_record: bool = False
    channel: str | None = None
    extra: tuple[tuple[str, Any], ...] = ()

    _KNOWN = ("summary", "occurred", "detail", "not_followed", "off_record", "channel")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LoggedPayload:
        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) else None

        return cls(
            summary=str(data.get("summary", "")),
            occurred=text("occurred"),
            detail=text("detail"),
            not_followed=bool(data.get("not_followed")),
            off_record=bool(data.get("off_record")),
            channel=text("channel"),
            extra=tuple(sorted((k, v) for k, v in data.items() if k not in cls._KNOWN)),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"summary": self.summary}
        if self.occurred is not None:
            out["occurred"] = self.occurred
        if self.detail:
            out["detail"] = self.detail
        if self.not_followed:
            out["not_followed"] = True
        if self.off_record:
            out["off_record"] = True
        if self.channel:
            out["channel"] = self.channel
        out.update(dict(self.extra))
        return out


@dataclass(frozen=True)
class TrailEntry:
    """One paper-trail entry as every reader sees it.

    ``occurred`` is when it happened (for product-written entries, when it was written);
    ``ts`` is when it was written. ``corrected_by`` is the entry that corrects this one (it is
    then superseded). ``not_followed`` is true when the entry is flagged or a later note says
    the member chose not to follow it. ``erased`` entries belong to a destroyed case.
    """

    seq: int
    ts: dt.datetime
    occurred: Moment
    kind: str
    case_ref: str
    summary: str
    detail: str | None
    links: dict[str, int]
    off_record: bool
    not_followed: bool
    corrected_by: int | None
    followed_up_by: int | None
    erased: bool
    payload: dict[str, Any]

    @property
    def label(self) -> str:
        """A readable kind: "Oral advice", or the product event name."""
        return kinds.label(self.kind)

    @property
    def is_logged_kind(self) -> bool:
        """True for the ten kinds a rep logs; False for entries the product wrote."""
        return kinds.is_logged(self.kind)

    @property
    def corrects(self) -> int | None:
        return self.links.get(CORRECTS)

    @property
    def follows_up(self) -> int | None:
        return self.links.get(FOLLOWS_UP)

    @property
    def is_current(self) -> bool:
        return self.corrected_by is None


def entry_view(stored: StoredEntry, incoming: Incoming) -> TrailEntry:
    """The view of ``stored`` given the links into its case (``TrailLinksRepository``)."""
    raw = stored.payload or {}
    payload = LoggedPayload.from_dict(raw)
    occurred: Moment = parse_moment(payload.occurred) if payload.occurred else stored.ts
    seq = stored.seq
    corrections = incoming.get((CORRECTS, seq))
    follow_ups = incoming.get((FOLLOWS_UP, seq))
    return TrailEntry(
        seq=seq, ts=stored.ts, occurred=occurred, kind=stored.kind, case_ref=stored.case_ref,
        summary=payload.summary, detail=payload.detail, links=stored.links,
        off_record=payload.off_record or stored.kind == EntryKind.OFF_THE_RECORD.value,
        not_followed=payload.not_followed or (NOT_FOLLOWED, seq) in incoming,
        corrected_by=corrections[0] if corrections else None,
        followed_up_by=follow_ups[0] if follow_ups else None,
        erased=stored.payload is None, payload=raw,
    )
