"""Exports: a case bundle and a subject access export, each one encrypted zip and one trail entry.

``ExportService.export_case`` writes an AES-256 (WinZip AE-2) bundle of a case: the documents
chosen (all by default) streamed from CVF1 decryption straight into the archive — no plaintext
file is ever written —, the case summary and the paper-trail listing as PDFs (optional),
``index.pdf`` and ``MANIFEST.sha256``. Off-the-record entries stay out of the trail listing
unless asked for, with a warning. ``subject_access_export`` does the same for everything the
vault holds about a member: every case (summary, full trail, documents), the member's record
and every party record in another case that names them.

Each export records the copy in the paper trail through ``vault.casework.outside_copies`` —
the mechanism ``doc get`` uses — with what, for whom, when, the archive's SHA-256 and its
member count, so the destruction certificate can list every copy. If that entry cannot be
written the bundle is deleted again: no copy exists that the trail does not know of.

The passphrase is generated (``vault.export.passphrase``) unless the rep gives one; it is
returned once in ``ExportOutcome`` and never stored or logged.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from vault.casework.cases import ShareAudience, check_consent_to_share
from vault.casework.members import work_email_warning
from vault.casework.outside_copies import OutsideCopy, record_outside_copy
from vault.clock import Clock
from vault.crypto import cvf1
from vault.domain import Case, Document, Member
from vault.errors import IntegrityError, InvalidInput, StorageError
from vault.export import case_views, email_draft
from vault.export.bundle import (
    BundleKind,
    BundleMember,
    BundleResult,
    BundleSource,
    default_bundle_name,
    write_bundle,
)
from vault.export.bundle_file import export_error
from vault.export.case_views import CaseworkReaders
from vault.export.passphrase import check_typed_passphrase, generate_passphrase
from vault.reports.export_views import (
    BundleIndexView,
    CaseLineView,
    CaseSummaryView,
    IndexRowView,
    LabelledValue,
    MemberRecordView,
    PartyAppearanceView,
    ReportContext,
    TrailListingView,
)
from vault.store.document_store import DocumentStore
from vault.store.fsutil import atomic_write_bytes
from vault.store.unit_of_work import UnitOfWork
from vault.trail.kinds import TrailEvent

# The PDF renderers load reportlab (about 0.2 s): imported on first export, not at start-up.


def render_case_summary(view: CaseSummaryView) -> bytes:
    from vault.reports.case_summary import render_case_summary as render

    return render(view)


def render_trail_listing(view: TrailListingView) -> bytes:
    from vault.reports.trail_listing import render_trail_listing as render

    return render(view)


def render_member_record(view: MemberRecordView) -> bytes:
    from vault.reports.member_record import render_member_record as render

    return render(view)


def render_bundle_index(view: BundleIndexView) -> bytes:
    from vault.reports.bundle_index import render_bundle_index as render

    return render(view)


log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
CancelFlag = Callable[[], bool]

OFF_RECORD_WARNING = ("Off-the-record and without-prejudice entries are included in the paper "
                      "trail PDF. Send them only to someone entitled to see them.")
# Party matches precise enough to be the member (never a fuzzy or nickname guess: a subject
# access export must not hand over somebody else's record).
_SAR_REASONS = {"same-name", "exact-email", "exact-number"}


class DocumentFailed(IntegrityError):
    """A document failed its integrity check during an export; nothing was written.

    ``document_id`` says which (the dialog shows its name; the message holds only the id).
    """

    def __init__(self, document_id: str) -> None:
        super().__init__(f"Document {document_id[:12]} failed its integrity check (damaged "
                         "or tampered); the export stopped and no bundle was written.")
        self.document_id = document_id


@dataclass(frozen=True)
class CaseExportPlan:
    """What the export dialog offers for a case."""

    ref: str
    title: str
    member_name: str
    member_email: str | None
    member_employer: str | None
    email_warning: str | None
    documents: tuple[Document, ...]
    off_record_entries: int
    suggested_name: str


@dataclass(frozen=True)
class SubjectAccessPlan:
    """What a subject access export of a member will hold."""

    member: Member
    case_refs: tuple[str, ...]
    documents: int
    document_bytes: int
    party_records: int
    suggested_name: str


@dataclass(frozen=True)
class ExportOutcome:
    """A finished export. ``passphrase`` is shown once and then dropped by the caller."""

    path: Path
    sha256: str
    size: int
    member_count: int
    members: tuple[BundleMember, ...]
    passphrase: str = field(repr=False)
    passphrase_generated: bool
    documents: int
    trail_entries: tuple[int, ...]
    warnings: tuple[str, ...] = ()


class ExportService:
    """Case bundles and subject access exports over one unlocked vault."""

    def __init__(self, uow: UnitOfWork, clock: Clock, readers: CaseworkReaders,
                 store: DocumentStore) -> None:
        self._uow = uow
        self._clock = clock
        self._readers = readers
        self._store = store

    # -- case bundles --------------------------------------------------------------------------

    def plan_case(self, ref: str) -> CaseExportPlan:
        """What can go in a bundle of ``ref``.

        Raises:
            NotFound: no such case.
        """
        r = self._readers
        case = r.cases.get(ref)
        member = r.cases.member_of(case)
        return CaseExportPlan(
            ref=case.ref, title=case.title, member_name=member.name, member_email=member.email,
            member_employer=member.employer,
            email_warning=work_email_warning(member.email, member.employer),
            documents=tuple(r.documents.list(case.ref)),
            off_record_entries=case_views.off_record_count(r, case),
            suggested_name=default_bundle_name(self._clock.now()),
        )

    def export_case(
        self,
        ref: str,
        out: Path,
        *,
        document_ids: tuple[str, ...] | None = None,
        include_summary: bool = True,
        include_trail: bool = True,
        include_off_record: bool = False,
        passphrase: str | None = None,
        recipient: str = "",
        overwrite: bool = False,
        progress: Progress | None = None,
        cancelled: CancelFlag | None = None,
        for_member: bool = False,
    ) -> ExportOutcome:
        """Write the bundle of a case to ``out``; all or nothing; one trail entry.

        A bundle is for the branch (a regional officer, a more experienced caseworker) unless
        ``for_member``: sharing it needs the member's recorded consent (UCU guide point 11;
        ``check_consent_to_share``), checked before anything is written.

        ``document_ids`` (ids or 6+ character prefixes) chooses documents; None means all and
        ``()`` none. ``passphrase`` None generates one. ``recipient`` is recorded in the trail
        entry ("for whom").

        Raises:
            NotFound: no such case or document.
            InvalidInput: nothing chosen; the folder is missing or the file exists; a typed
                passphrase zip tools would read differently.
            WeakPassphrase: a typed passphrase fails the strength rule.
            DocumentFailed: a document failed its integrity check (nothing left behind).
            Cancelled, StorageError: nothing left behind.
        """
        self._uow.refuse_if_read_only()  # a bundle it could not record is never written
        r = self._readers
        case = r.cases.get(ref)
        if case.status.value == "destroyed":
            raise InvalidInput("That case has been destroyed; there is nothing to export.")
        check_consent_to_share(case, ShareAudience.MEMBER if for_member else ShareAudience.BRANCH)
        secret, generated = self._passphrase(passphrase)
        docs = self._chosen_documents(case, document_ids)
        context = self._context()
        sources: list[BundleSource] = [self._document_source(case, d) for d in docs]
        if include_summary:
            pdf = render_case_summary(case_views.case_summary_view(r, case, context))
            sources.append(_pdf_source(f"Case summary {case.ref}", BundleKind.CASE_SUMMARY, pdf))
        warnings: list[str] = []
        if include_trail:
            chain_ok = r.trail.verify().ok
            view = case_views.trail_listing_view(r, case, context,
                                                 include_off_record=include_off_record,
                                                 chain_ok=chain_ok)
            if include_off_record and view.off_record_included:
                warnings.append(OFF_RECORD_WARNING)
            sources.append(_pdf_source(f"Paper trail {case.ref}", BundleKind.PAPER_TRAIL,
                                       render_trail_listing(view)))
        if not sources:
            raise InvalidInput("Nothing was chosen to export.")
        index = _index_renderer(context, f"Case bundle — {case.ref}", (
            LabelledValue("Case", f"{case.ref} · {case.title}"),
            LabelledValue("Documents", str(len(docs))),
        ), ("Off-the-record entries are not included.",)
            if include_trail and not include_off_record else ())
        result = self._write(out, sources, secret, index, overwrite, progress, cancelled)
        copy = OutsideCopy(
            what="case-bundle",
            summary=f"Encrypted bundle exported: {result.member_count} files, "
                    f"{len(docs)} documents ({out.name})",
            for_whom=recipient.strip() or "not stated",
            document_ids=tuple(d.id for d in docs), sha256=result.sha256,
            members=result.member_count,
            extra={"summary_pdf": include_summary, "trail_pdf": include_trail,
                   "off_record": include_off_record and include_trail},
        )
        seqs = self._record(result, [(case, copy)], None)
        log.info("case %s exported (%d members)", case.ref, result.member_count)
        return ExportOutcome(result.path, result.sha256, result.size, result.member_count,
                             result.members, secret, generated, len(docs), seqs,
                             tuple(warnings))

    # -- subject access ------------------------------------------------------------------------

    def plan_subject_access(self, member_id: str) -> SubjectAccessPlan:
        """What a subject access export of ``member_id`` holds.

        Raises:
            NotFound: no such member.
        """
        member = self._readers.members.get(member_id)
        cases = self._member_cases(member)
        docs = [d for c in cases for d in self._readers.documents.list(c.ref)]
        return SubjectAccessPlan(
            member=member, case_refs=tuple(c.ref for c in cases), documents=len(docs),
            document_bytes=sum(d.size for d in docs),
            party_records=len(self._appearances(member, cases)),
            suggested_name=default_bundle_name(self._clock.now()),
        )

    def subject_access_export(
        self,
        member_id: str,
        out: Path,
        *,
        passphrase: str | None = None,
        overwrite: bool = False,
        progress: Progress | None = None,
        cancelled: CancelFlag | None = None,
    ) -> ExportOutcome:
        """Everything the vault holds about a member, as one bundle with its own index.

        Per case: its summary, its full paper trail (off-the-record entries included and
        marked: they are the member's data too) and every document. Then the member record:
        their details, their cases, and each party record in another case that names them
        (exact name, email or membership number only). One trail entry in each case the
        bundle draws on, or one vault-level entry when there is none.

        Raises: as ``export_case`` (NotFound for an unknown member).
        """
        self._uow.refuse_if_read_only()  # a bundle it could not record is never written
        r = self._readers
        member = r.members.get(member_id)
        secret, generated = self._passphrase(passphrase)
        cases = self._member_cases(member)
        appearances = self._appearances(member, cases)
        context = self._context()
        chain_ok = r.trail.verify().ok
        sources: list[BundleSource] = []
        doc_count = 0
        per_case: dict[str, list[str]] = {}
        for case in cases:
            docs = r.documents.list(case.ref)
            doc_count += len(docs)
            per_case[case.ref] = [d.id for d in docs]
            sources.append(_pdf_source(
                f"Case summary {case.ref}", BundleKind.CASE_SUMMARY,
                render_case_summary(case_views.case_summary_view(r, case, context)), case.ref))
            sources.append(_pdf_source(
                f"Paper trail {case.ref}", BundleKind.PAPER_TRAIL,
                render_trail_listing(case_views.trail_listing_view(
                    r, case, context, include_off_record=True, chain_ok=chain_ok)), case.ref))
            sources.extend(self._document_source(case, d, group=case.ref) for d in docs)
        record = MemberRecordView(
            context=context, member=case_views.member_facts(member),
            cases=tuple(CaseLineView(c.ref, c.title, c.category.label, c.status.value, c.opened)
                        for c in cases),
            appearances=tuple(PartyAppearanceView(p_ref, name, role, added)
                              for p_ref, name, role, added, _case in appearances),
        )
        sources.insert(0, _pdf_source("Member record", BundleKind.MEMBER_RECORD,
                                      render_member_record(record)))
        index = _index_renderer(context, "Subject access export", (
            LabelledValue("Member", member.name),
            LabelledValue("Cases", ", ".join(c.ref for c in cases) or "none"),
            LabelledValue("Documents", str(doc_count)),
        ), ("Paper trails include off-the-record entries, marked: they are the member's data.",))
        result = self._write(out, sources, secret, index, overwrite, progress, cancelled)
        summary = (f"Subject access export for member {member.id}: {result.member_count} files "
                   f"({out.name})")
        entries: list[tuple[Case | None, OutsideCopy]] = []
        touched = {c.id: c for c in cases}
        for *_rest, other in appearances:
            touched.setdefault(other.id, other)
        for case in touched.values():
            entries.append((case, OutsideCopy(
                what="subject-access-bundle", summary=summary, for_whom="the member (SAR)",
                document_ids=tuple(per_case.get(case.ref, ())), sha256=result.sha256,
                members=result.member_count, extra={"member": member.id})))
        seqs = self._record(result, entries, OutsideCopy(
            what="subject-access-bundle", summary=summary, for_whom="the member (SAR)",
            sha256=result.sha256, members=result.member_count, extra={"member": member.id}))
        log.info("subject access export for %s (%d members)", member.id, result.member_count)
        return ExportOutcome(result.path, result.sha256, result.size, result.member_count,
                             result.members, secret, generated, doc_count, seqs)

    # -- email draft ---------------------------------------------------------------------------

    def write_email_draft(self, outcome: ExportOutcome, eml: Path, *, to: str, sender: str,
                          employer: str | None = None, overwrite: bool = False
                          ) -> email_draft.Recipient:
        """Save a ``.eml`` draft carrying the bundle (0600, atomically).

        Raises:
            InvalidInput: an address is malformed, the bundle is too large to email, or the
                file exists.
            StorageError: the draft could not be written.
        """
        recipient = email_draft.recipient_for(to, employer)
        sender_address = email_draft.check_address(sender)
        if eml.exists() and not overwrite:
            raise InvalidInput("A file with that name already exists there.")
        if not eml.parent.is_dir():
            raise InvalidInput("That folder does not exist.")
        try:
            if outcome.path.stat().st_size > email_draft.MAX_ATTACHMENT_BYTES:
                raise InvalidInput("The bundle is too large to email (over 18 MB); share it "
                                   "another way.")
            bundle = outcome.path.read_bytes()
        except OSError as exc:
            raise StorageError("The bundle could not be read back for the email draft.") from exc
        data = email_draft.build_draft(bundle, outcome.path.name, recipient,
                                       sender=sender_address, when=self._clock.now())
        atomic_write_bytes(eml, data)
        return recipient

    # -- internals -----------------------------------------------------------------------------

    def _passphrase(self, typed: str | None) -> tuple[str, bool]:
        if typed is None:
            return generate_passphrase(), True
        return check_typed_passphrase(typed), False

    def _context(self) -> ReportContext:
        seq, mac = self._readers.trail.head()
        return ReportContext(generated=self._clock.now().astimezone(), trail_head=mac,
                             trail_seq=seq)

    def _chosen_documents(self, case: Case, ids: tuple[str, ...] | None) -> list[Document]:
        if ids is None:
            return list(self._readers.documents.list(case.ref))
        chosen: list[Document] = []
        for doc_id in ids:
            _case, doc = self._readers.documents.get(case.ref, doc_id)
            if doc.id not in {d.id for d in chosen}:
                chosen.append(doc)
        return chosen

    def _document_source(self, case: Case, doc: Document, group: str = "") -> BundleSource:
        with self._uow.read() as tx:
            dek = tx.case_key(case)
        store = self._store
        file_id = bytes.fromhex(doc.id)

        def chunks() -> Iterator[bytes]:
            try:
                with store.open(case.id, doc.id) as fh:
                    yield from cvf1.iter_plaintext(fh, dek, case_id=case.id, file_id=file_id)
            except IntegrityError as exc:
                raise DocumentFailed(doc.id) from exc

        return BundleSource(doc.name, BundleKind.DOCUMENT, doc.media_type, doc.size, chunks,
                            known_sha256=doc.sha256, group=group)

    def _write(self, out: Path, sources: list[BundleSource], secret: str,
               index: Callable[[tuple[IndexRowView, ...]], bytes], overwrite: bool,
               progress: Progress | None, cancelled: CancelFlag | None) -> BundleResult:
        return write_bundle(Path(out), sources, secret, render_index=index,
                            modified=self._clock.now().astimezone().replace(tzinfo=None),
                            progress=progress, cancelled=cancelled, overwrite=overwrite)

    def _record(self, result: BundleResult, entries: list[tuple[Case | None, OutsideCopy]],
                fallback: OutsideCopy | None) -> tuple[int, ...]:
        """Write the trail entries of a finished bundle; delete the bundle if that fails."""
        try:
            with self._uow.write() as tx:
                seqs = [record_outside_copy(self._readers.trail, tx, case,
                                            TrailEvent.CASE_EXPORTED, copy)
                        for case, copy in entries]
                if not entries and fallback is not None:
                    seqs.append(record_outside_copy(self._readers.trail, tx, None,
                                                    TrailEvent.SUBJECT_ACCESS_EXPORT, fallback))
        except BaseException:
            try:
                os.unlink(result.path)
            except OSError as exc:
                raise export_error(exc) from exc
            raise
        return tuple(seqs)

    def _member_cases(self, member: Member) -> list[Case]:
        summaries = self._readers.cases.list(member_id=member.id)
        return sorted((s.case for s in summaries if s.case.status.value != "destroyed"),
                      key=lambda c: (c.opened, c.ref))

    def _appearances(self, member: Member, cases: list[Case]
                     ) -> list[tuple[str, str, str, dt.datetime, Case]]:
        """Party records in other cases that are this member (exact matches only)."""
        own = {c.ref for c in cases}
        matches = self._readers.conflicts.check(member.name,
                                                membership_number=member.membership_number,
                                                email=member.email)
        found: list[tuple[str, str, str, dt.datetime, Case]] = []
        for match in matches:
            if (match.person_kind != "party" or match.ref is None or match.ref in own
                    or match.reason.value not in _SAR_REASONS):
                continue
            other = self._readers.cases.get(match.ref)
            for party in self._readers.parties.list(match.ref):
                if str(party.id) == match.person_id:
                    found.append((match.ref, party.name, party.role.label, party.added, other))
        return found


def _pdf_source(title: str, kind: BundleKind, pdf: bytes, group: str = "") -> BundleSource:
    return BundleSource(title, kind, "application/pdf", len(pdf), lambda: [pdf], group=group)


def _index_renderer(context: ReportContext, heading: str, about: tuple[LabelledValue, ...],
                    notes: tuple[str, ...]) -> Callable[[tuple[IndexRowView, ...]], bytes]:
    def render(rows: tuple[IndexRowView, ...]) -> bytes:
        return render_bundle_index(BundleIndexView(context, heading, about, rows,
                                                   tuple(n for n in notes if n)))

    return render
