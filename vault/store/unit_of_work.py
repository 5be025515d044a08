"""The unit of work: the one way services read and write the vault database.

``with uow.write() as tx`` opens a write transaction (``BEGIN IMMEDIATE`` on the single writer
connection; nested calls become savepoints, so one service may call another). ``with uow.read()
as tx`` opens a read transaction on the calling thread's own reader connection — a consistent
snapshot that never waits for the writer, so a long verify or export in a worker cannot stall
the GUI thread. A read opened while the same thread is inside a write joins that write (it must
see what the write has done so far).

A ``Tx`` exposes the repositories (``tx.members``, ``tx.cases`` …) and ``tx.case_key(case)``.
SQL lives only in the repositories; services see neither connections nor the VMK.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from functools import cached_property

import sqlcipher3

from vault.crypto.secret import SecretKey
from vault.domain import Case
from vault.errors import DatabaseDamaged, ReadOnlyVault, StorageError, VaultLocked
from vault.store.case_dates_repo import CaseDatesRepository
from vault.store.cases_repo import CasesRepository
from vault.store.conflicts_repo import ConflictsRepository
from vault.store.db import DAMAGED_MESSAGE, Database, is_damage
from vault.store.documents_repo import DocumentsRepository
from vault.store.escalations_repo import EscalationsRepository
from vault.store.first_meeting_repo import FirstMeetingRepository
from vault.store.followups_repo import FollowupsRepository
from vault.store.intents_repo import IntentsRepository
from vault.store.key_holder import POLICY_KEY_NAME, KeyHolder
from vault.store.members_repo import MembersRepository
from vault.store.meta_repo import MetaRepository
from vault.store.off_record_repo import OffRecordConsentsRepository
from vault.store.parties_repo import PartiesRepository
from vault.store.people_repo import PeopleRepository
from vault.store.policies_repo import PoliciesRepository
from vault.store.rep_profile_repo import RepProfileRepository
from vault.store.retention_repo import RetentionRepository
from vault.store.search_index import SearchIndex
from vault.store.trail_links_repo import TrailLinksRepository
from vault.store.trail_repo import TrailRepository
from vault.store.trail_store import TrailStore

log = logging.getLogger(__name__)


class Tx:
    """One open transaction: repositories over its connection, and case keys."""

    def __init__(self, conn: sqlcipher3.Connection, keys: KeyHolder, chain: TrailStore,
                 *, writable: bool) -> None:
        self._conn = conn
        self._keys = keys
        self._chain = chain
        self.writable = writable

    @property
    def connection(self) -> sqlcipher3.Connection:
        """The raw connection, for repositories built outside this module (training)."""
        return self._conn

    # -- repositories --------------------------------------------------------------------------

    @cached_property
    def members(self) -> MembersRepository:
        return MembersRepository(self._conn)

    @cached_property
    def cases(self) -> CasesRepository:
        return CasesRepository(self._conn)

    @cached_property
    def documents(self) -> DocumentsRepository:
        return DocumentsRepository(self._conn)

    @cached_property
    def parties(self) -> PartiesRepository:
        return PartiesRepository(self._conn)

    @cached_property
    def people(self) -> PeopleRepository:
        return PeopleRepository(self._conn)

    @cached_property
    def conflicts(self) -> ConflictsRepository:
        return ConflictsRepository(self._conn)

    @cached_property
    def escalations(self) -> EscalationsRepository:
        return EscalationsRepository(self._conn)

    @cached_property
    def first_meeting(self) -> FirstMeetingRepository:
        return FirstMeetingRepository(self._conn)

    @cached_property
    def followups(self) -> FollowupsRepository:
        return FollowupsRepository(self._conn)

    @cached_property
    def off_record(self) -> OffRecordConsentsRepository:
        return OffRecordConsentsRepository(self._conn)

    @cached_property
    def trail_links(self) -> TrailLinksRepository:
        return TrailLinksRepository(self._conn)

    @cached_property
    def search_index(self) -> SearchIndex:
        return SearchIndex(self._conn)

    @cached_property
    def intents(self) -> IntentsRepository:
        return IntentsRepository(self._conn)

    @cached_property
    def case_dates(self) -> CaseDatesRepository:
        return CaseDatesRepository(self._conn)

    @cached_property
    def policies(self) -> PoliciesRepository:
        return PoliciesRepository(self._conn)

    @cached_property
    def rep_profile(self) -> RepProfileRepository:
        return RepProfileRepository(self._conn)

    @cached_property
    def meta(self) -> MetaRepository:
        return MetaRepository(self._conn)

    @cached_property
    def retention(self) -> RetentionRepository:
        return RetentionRepository(self._conn)

    @cached_property
    def trail(self) -> TrailRepository:
        return TrailRepository(self._conn, self._chain)

    # -- keys ----------------------------------------------------------------------------------

    def case_key(self, case: Case | str) -> SecretKey:
        """The data key of ``case`` (a ``Case`` or a case id), unwrapped once per unlock.

        Raises:
            IntegrityError: the key was destroyed or does not open.
            NotFound: no such case.
        """
        case_id = case.id if isinstance(case, Case) else case
        return self._keys.case_key(case_id, self.cases.wrapped_key(case_id))

    def new_case_key(self, case_id: str) -> bytes:
        """A fresh random data key for a new case; returns its VMK-wrapped form to store."""
        _dek, wrapped = self._keys.new_case_key(case_id)
        return wrapped

    def forget_case_key(self, case_id: str) -> None:
        """Wipe a case key from memory (secure deletion; the wrapped key is dropped by the
        caller in the same transaction)."""
        self._keys.forget(case_id)

    @property
    def vault_payload_key(self) -> SecretKey:
        return self._keys.vault_payload_key

    def library_key(self) -> SecretKey:
        """The policy library's own key (made on first use, stored wrapped by the VMK)."""
        return self._keys.named_key(self.meta, POLICY_KEY_NAME)


class UnitOfWork:
    """Opens read and write transactions over one database and one key holder."""

    def __init__(self, db: Database, keys: KeyHolder, chain: TrailStore) -> None:
        self._db = db
        self._keys = keys
        self._chain = chain
        self._local = threading.local()
        self._closed = False

    def _check(self) -> None:
        if self._closed or self._keys.is_wiped:
            raise VaultLocked()

    @property
    def read_only(self) -> bool:
        """True when the database is open read-only (damaged): ``write()`` raises
        ``ReadOnlyVault``. Services that would write a file before their trail entry check
        this first, so nothing leaves the vault unrecorded."""
        return self._db.read_only

    def refuse_if_read_only(self) -> None:
        """Raise ``ReadOnlyVault`` now rather than after work that cannot be recorded."""
        if self._db.read_only:
            raise ReadOnlyVault()

    @contextlib.contextmanager
    def write(self) -> Iterator[Tx]:
        """A write transaction: committed when the block ends, rolled back on any error.

        Raises:
            VaultLocked: after lock.
            StorageError: the database is busy or refused the commit (nothing changed).
            ReadOnlyVault: the vault is open read-only (its database is damaged).
            DatabaseDamaged: a page read or written in the block fails its check.
        """
        self._check()
        with _damage_as_error(), self._db.transaction() as conn:
            outer = getattr(self._local, "write", None)
            tx = outer or Tx(conn, self._keys, self._chain, writable=True)
            self._local.write = tx
            try:
                yield tx
            finally:
                self._local.write = outer

    @contextlib.contextmanager
    def read(self) -> Iterator[Tx]:
        """A read-only snapshot on this thread's reader (or the thread's open write).

        Raises:
            VaultLocked: after lock.
            DatabaseDamaged: a page read in the block fails its check (SQLite's "corrupt" or
                "not a database"), so every front end shows one plain sentence.
        """
        self._check()
        open_write = getattr(self._local, "write", None)
        if open_write is not None:
            yield open_write
            return
        outer = getattr(self._local, "read", None)
        if outer is not None:
            yield outer
            return
        with self._db.reading() as conn:
            try:
                conn.execute("BEGIN")
            except sqlcipher3.Error as exc:
                raise StorageError("The vault database could not be read.") from exc
            tx = Tx(conn, self._keys, self._chain, writable=False)
            self._local.read = tx
            try:
                with _damage_as_error():
                    yield tx
            except sqlcipher3.OperationalError as exc:
                if self._db.closing:  # interrupted by the lock (Database.close)
                    raise VaultLocked() from exc
                raise
            finally:
                self._local.read = None
                with contextlib.suppress(sqlcipher3.Error):
                    conn.execute("ROLLBACK")

    def close(self) -> None:
        self._closed = True


@contextlib.contextmanager
def _damage_as_error() -> Iterator[None]:
    try:
        yield
    except sqlcipher3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        log.warning("a database page failed its check during a transaction")
        raise DatabaseDamaged(DAMAGED_MESSAGE) from None
