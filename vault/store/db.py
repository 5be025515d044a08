"""The SQLCipher connection: keying, pragmas, migrations, checks and re-keying.

One ``Database`` per unlocked vault. All access goes through it under one lock, so the GUI's
worker threads and the GUI thread never write at the same time (SQLite allows one writer).
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import os
import re
import shutil
import stat
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import sqlcipher3

from vault.crypto.secret import SecretKey
from vault.errors import (
    Cancelled,
    DatabaseDamaged,
    DatabaseMissing,
    DatabaseUnreadable,
    IntegrityError,
    ReadOnlyVault,
    StorageError,
    UnsupportedFormat,
    VaultLocked,
)
from vault.store.fsutil import FILE_MODE

log = logging.getLogger(__name__)

# The page cache of each connection while unlocked: 64 MiB of decrypted pages (SQLCipher's
# default, 2,000 pages, is about 8 MiB: at a busy rep's size every query then decrypts pages it
# read moments ago). The threat model says what this keeps in RAM; it goes at lock (close).
CACHE_KIB = 64 * 1024
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")

DAMAGED_MESSAGE = ("The vault database is damaged (a page fails its integrity check); "
                   "restore it from a backup.")
UNREADABLE_PAGE_PROBLEM = "a database page cannot be read (it fails its integrity check)"

Row = sqlcipher3.Row
DatabaseError = sqlcipher3.DatabaseError


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def load_migrations() -> list[Migration]:
    """Every bundled migration, in order. Gaps or duplicates in numbering are a packaging bug."""
    found: list[Migration] = []
    for entry in resources.files("vault.store.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration numbering broken at {migration.name}")
    return found


class Database:
    """An open, keyed SQLCipher database: one writer connection and a reader per thread.

    Writes go through ``transaction()`` on the single writer connection, under one lock.
    Reads may use ``reader()``: a connection of the calling thread's own (WAL lets readers run
    beside the writer), so a long check in a worker never stalls the GUI thread's reads. The
    raw key is kept (in a self-wiping ``SecretKey``) to open those readers, and wiped on close.

    ``create=True`` only for a new vault: otherwise a missing or empty file is refused, so
    deleting ``vault.db`` can never turn into a fresh, empty vault.

    ``read_only=True`` opens a damaged database for reading only (issue 11): SQLite's
    ``mode=ro`` and ``query_only`` on every connection, no pragma that writes, no checkpoint,
    no migration, no check; ``transaction()`` then raises ``ReadOnlyVault``. ``make_read_only``
    turns an open database read-only when damage is found later (the background check).

    Raises on open:
        DatabaseMissing: not ``create`` and the file is missing or empty.
        DatabaseDamaged: the key does not open the file, or the file is damaged
            (``DatabaseUnreadable`` for a read-only open that cannot read even the schema).
        UnsupportedFormat: the schema is newer than this version of the product knows.
    """

    def __init__(self, path: Path, key: SecretKey, *, create: bool = False,
                 read_only: bool = False) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._readers: dict[int, sqlcipher3.Connection] = {}
        self._readers_lock = threading.Lock()
        self._reading = threading.Condition()
        self._active_reads = 0
        self._reading_on: set[sqlcipher3.Connection] = set()  # readers inside ``reading()``
        self._rekeying = False
        self._closing = False
        self.read_only = read_only
        self.checked = False
        if read_only:
            self._open_read_only(path, key)
            return
        new_file = not _existing_regular_file(path)  # a FIFO or link is refused here
        # A write-ahead log left with content means the last session did not close (a crash,
        # a kill, a power cut): only then is the quick check worth making before unlock.
        self.unclean = _has_content(path.with_name(path.name + "-wal"))
        if not create and (new_file or _is_empty(path)):
            raise DatabaseMissing()
        if create and not new_file:
            raise StorageError("A vault database already exists there; it was not changed.")
        try:
            self._conn = sqlcipher3.connect(
                str(path), isolation_level=None, check_same_thread=False
            )
        except sqlcipher3.Error as exc:
            raise StorageError("The vault database could not be opened.") from exc
        self._conn.row_factory = sqlcipher3.Row
        try:
            _quiet_sqlcipher_log(self._conn)
            self._key(key)
            self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher3.DatabaseError as exc:
            self._conn.close()
            raise DatabaseDamaged(
                "The vault database does not open with its key (damaged or replaced)."
            ) from exc
        if new_file:
            path.chmod(FILE_MODE)
        self._key_copy = SecretKey(key.raw())
        try:
            self._configure()
            # Fold a WAL left by a crash into the file (after an interrupted re-key it holds
            # the only new-key copy of every page; cipher_integrity_check reads the file).
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            migrated = self._migrate()
            self.checked = False
            if self.unclean or (migrated and not new_file):
                # Only after a crash (a write-ahead log left with content) or a migration is
                # the quick check worth making before unlock; otherwise it runs in the
                # background once the window shows (issue 12).
                log.info("checking the database before unlock")
                self.quick_check()
                self.checked = True
            self._remove_migration_copies(verify=migrated)
        except sqlcipher3.DatabaseError as exc:
            # A damaged page behind the first one (SQLCipher's HMAC check, or SQLite's own).
            log.warning("database damaged at open: %s", type(exc).__name__)
            self._close_after_failed_open()
            raise DatabaseDamaged(DAMAGED_MESSAGE) from None
        except BaseException:
            self._close_after_failed_open()
            raise

    def _open_read_only(self, path: Path, key: SecretKey) -> None:
        """The read-only open of a damaged database (see the class docstring)."""
        if not _existing_regular_file(path) or _is_empty(path):
            raise DatabaseMissing()
        self.unclean = False
        self.checked = True  # known damaged: no background check
        try:
            self._conn = _connect_read_only(path)
        except sqlcipher3.Error as exc:
            raise DatabaseUnreadable() from exc
        self._conn.row_factory = sqlcipher3.Row
        try:
            _quiet_sqlcipher_log(self._conn)
            self._key(key)
            self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            _read_only_pragmas(self._conn)
            version = self.schema_version
        except sqlcipher3.DatabaseError as exc:
            self._conn.close()
            log.warning("damaged database unreadable even read-only: %s", type(exc).__name__)
            raise DatabaseUnreadable() from None
        migrations = load_migrations()
        if not migrations or version != migrations[-1].version:
            # An older schema cannot be migrated without writing; a newer one is unknown.
            self._conn.close()
            raise DatabaseUnreadable()
        self._key_copy = SecretKey(key.raw())

    def make_read_only(self) -> None:
        """Refuse every write from now on (damage found after the open). Idempotent."""
        with self._lock:
            if self.read_only:
                return
            self.read_only = True
            with contextlib.suppress(sqlcipher3.Error):
                self._conn.execute("PRAGMA query_only = ON")
        log.warning("database switched to read-only after damage was found")

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise ReadOnlyVault()

    def _close_after_failed_open(self) -> None:
        self._close_readers()
        with contextlib.suppress(sqlcipher3.Error):
            self._conn.close()
        self._key_copy.wipe()

    # -- setup ---------------------------------------------------------------------------------

    def _key(self, key: SecretKey) -> None:
        # PRAGMA takes no bound parameters; the value is hex we produced ourselves.
        self._conn.execute(f'PRAGMA key = "{key.sqlcipher_key()}"')

    def _configure(self) -> None:
        c = self._conn
        c.execute("PRAGMA journal_mode = WAL")
        c.execute("PRAGMA synchronous = FULL")
        c.execute("PRAGMA foreign_keys = ON")
        c.execute("PRAGMA busy_timeout = 5000")
        c.execute("PRAGMA temp_store = MEMORY")
        c.execute("PRAGMA secure_delete = ON")
        c.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if sys.platform == "darwin":
            c.execute("PRAGMA fullfsync = ON")

    @property
    def schema_version(self) -> int:
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> bool:
        """Apply pending migrations; True when any ran."""
        migrations = load_migrations()
        current = self.schema_version
        latest = migrations[-1].version if migrations else 0
        if current > latest:
            self._conn.close()
            raise UnsupportedFormat(
                "This vault's database was made by a newer version of Casework Vault."
            )
        pending = [m for m in migrations if m.version > current]
        if not pending:
            return False
        if current > 0:
            self._backup_before_migration(current)
        for migration in pending:
            log.info("applying migration %s", migration.name)
            with self.transaction() as conn:
                for statement in _split_sql(migration.sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {migration.version}")
        return True

    def _backup_before_migration(self, version: int) -> None:
        """Copy the (encrypted) database aside before changing its schema."""
        self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        backup = self.path.with_name(f"{self.path.name}.before-v{version + 1}")
        shutil.copyfile(self.path, backup)
        backup.chmod(FILE_MODE)

    def _remove_migration_copies(self, *, verify: bool) -> None:
        """Remove ``vault.db.before-vN`` copies once the migrated database has verified.

        A copy kept for ever would outlive a later erase of what it holds (issue 8, finding
        10). Right after a migration the full ``integrity_check`` must pass first; a copy left
        by an earlier run (a crash after migrating) goes once ``quick_check`` has passed.
        """
        copies = sorted(self.path.parent.glob(f"{self.path.name}.before-v*"))
        if not copies:
            return
        if verify and self.integrity_check():
            log.warning("migrated database failed integrity_check; its copy is kept")
            return
        for copy in copies:
            try:
                copy.unlink()
            except OSError as exc:
                log.warning("migration copy not removed: %s", type(exc).__name__)
        log.info("removed %d migration copy(ies) after the database verified", len(copies))

    # -- use -----------------------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlcipher3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``): commit on success, roll back on error.

        Called again inside an open transaction (one service asking another), it nests as a
        SAVEPOINT: the inner part rolls back alone on error and commits with the outer one.

        Raises:
            ReadOnlyVault: the database is open read-only (damaged).
        """
        self._refuse_if_read_only()
        with self._lock:
            if self._conn.in_transaction:
                self._depth += 1
                name = f"nested_{self._depth}"
                self._conn.execute(f"SAVEPOINT {name}")
                try:
                    yield self._conn
                except BaseException:
                    self._conn.execute(f"ROLLBACK TO {name}")
                    self._conn.execute(f"RELEASE {name}")
                    raise
                else:
                    self._conn.execute(f"RELEASE {name}")
                finally:
                    self._depth -= 1
                return
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlcipher3.OperationalError as exc:
                raise StorageError("The vault database is busy; try again.") from exc
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            try:
                self._conn.execute("COMMIT")
            except sqlcipher3.OperationalError as exc:
                self._conn.execute("ROLLBACK")
                raise StorageError(
                    "The vault could not save that change; nothing was changed."
                ) from exc

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlcipher3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> sqlcipher3.Row | None:
        with self._lock:
            row: sqlcipher3.Row | None = self._conn.execute(sql, params).fetchone()
            return row

    @property
    def connection(self) -> sqlcipher3.Connection:
        """The raw connection, for repositories; hold ``lock`` or use ``transaction()``."""
        return self._conn

    @property
    def lock(self) -> threading.RLock:
        return self._lock

    # -- checks --------------------------------------------------------------------------------

    def quick_check(self, *, cancelled: Callable[[], bool] | None = None) -> None:
        """SQLite's quick_check of every page.

        Without ``cancelled`` it runs on the writer, under the lock (at open after a crash,
        after a rekey). With ``cancelled`` it runs on the calling thread's reader, so the GUI
        keeps reading and writing meanwhile (the background check after unlock), and stops
        within a few milliseconds once ``cancelled()`` turns true (lock waits for it).

        Raises:
            IntegrityError: the check found damage, or a page cannot be read.
            Cancelled: ``cancelled()`` turned true.
        """
        try:
            if cancelled is None:
                result = self.query("PRAGMA quick_check")
            else:
                stop = cancelled
                with self.reading() as conn:
                    conn.set_progress_handler(lambda: 1 if stop() else 0, 1_000)
                    try:
                        result = conn.execute("PRAGMA quick_check").fetchall()
                    except sqlcipher3.OperationalError as exc:
                        if stop():
                            raise Cancelled() from exc
                        raise IntegrityError("The vault database could not be checked.") from exc
                    finally:
                        conn.set_progress_handler(None, 0)
        except sqlcipher3.DatabaseError as exc:
            log.warning("quick_check could not read the database: %s", type(exc).__name__)
            raise DatabaseDamaged(DAMAGED_MESSAGE) from None
        if [r[0] for r in result] != ["ok"]:
            raise DatabaseDamaged("The vault database is damaged (quick check failed).")

    def integrity_check(self) -> list[str]:
        """Full SQLite integrity check; an empty list means intact.

        A page that cannot even be read (its HMAC fails) is reported as a problem, not raised.
        """
        try:
            rows = [str(r[0]) for r in self.query("PRAGMA integrity_check")]
        except sqlcipher3.DatabaseError as exc:
            log.warning("integrity_check could not read the database: %s", type(exc).__name__)
            return [UNREADABLE_PAGE_PROBLEM]
        return [] if rows == ["ok"] else rows

    def cipher_integrity_check(self) -> list[str]:
        """SQLCipher's page HMAC check of every page; an empty list means intact."""
        try:
            return [str(r[0]) for r in self.query("PRAGMA cipher_integrity_check")]
        except sqlcipher3.DatabaseError as exc:
            log.warning("cipher_integrity_check failed: %s", type(exc).__name__)
            return [UNREADABLE_PAGE_PROBLEM]

    def rekey(self, new_key: SecretKey) -> None:
        """Re-encrypt every page under ``new_key`` (secure deletion, passphrase change).

        Readers are closed first (they hold the old key) and reopen on next use.
        """
        self._refuse_if_read_only()
        with self._no_reads(), self._lock:
            self._close_readers()
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.execute(f'PRAGMA rekey = "{new_key.sqlcipher_key()}"')
            # In WAL mode the re-encrypted pages sit in the WAL until a checkpoint; until then
            # the main file still holds old-key pages (cipher_integrity_check fails on them,
            # found by the kill -9 loop), so write them back now.
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._key_copy.wipe()
            self._key_copy = SecretKey(new_key.raw())
            # Reopen under the new key (DESIGN §3: rekey → reopen and check): a connection that
            # ran the rekey may still hold the old key for some reads (cipher_integrity_check).
            self._conn.close()
            self._conn = sqlcipher3.connect(str(self.path), isolation_level=None,
                                            check_same_thread=False)
            self._conn.row_factory = sqlcipher3.Row
            try:
                self._key(new_key)
                self._conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlcipher3.DatabaseError as exc:
                raise IntegrityError("The vault database does not open with its new key.") from exc
            self._configure()

    def checkpoint(self) -> None:
        """Copy the write-ahead log into the database and truncate it (secure deletion)."""
        self._refuse_if_read_only()
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()

    def vacuum(self) -> None:
        """Rebuild the database file so no freed page keeps old content (secure deletion).

        Waits for readers to finish, like ``rekey``.
        """
        self._refuse_if_read_only()
        with self._no_reads(), self._lock:
            self._conn.execute("VACUUM")

    def key_matches(self, key: SecretKey) -> bool:
        """True when ``key`` is the key this database is open with (constant time)."""
        return hmac.compare_digest(self._key_copy.raw(), key.raw())

    # -- readers -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlcipher3.Connection]:
        """This thread's reader, held for the block: a rekey (which closes readers) waits."""
        with self._reading:
            while self._rekeying:
                self._reading.wait()
            if self._closing:
                raise VaultLocked()
            self._active_reads += 1
        conn: sqlcipher3.Connection | None = None
        try:
            conn = self.reader()
            with self._reading:
                self._reading_on.add(conn)
            yield conn
        finally:
            with self._reading:
                self._reading_on.discard(conn)
                self._active_reads -= 1
                self._reading.notify_all()

    @property
    def closing(self) -> bool:
        """True once ``close`` began (an interrupted read then means the vault locked)."""
        return self._closing

    @contextlib.contextmanager
    def _no_reads(self) -> Iterator[None]:
        with self._reading:
            self._rekeying = True
            while self._active_reads:
                self._reading.wait()
        try:
            yield
        finally:
            with self._reading:
                self._rekeying = False
                self._reading.notify_all()

    def reader(self) -> sqlcipher3.Connection:
        """This thread's read connection (opened on first use, closed on lock or rekey)."""
        ident = threading.get_ident()
        with self._readers_lock:
            conn = self._readers.get(ident)
            if conn is not None:
                return conn
            if self._key_copy.wiped:
                raise StorageError("The vault database is closed.")
            if self.read_only:
                conn = _connect_read_only(self.path)
            else:
                conn = sqlcipher3.connect(str(self.path), isolation_level=None,
                                          check_same_thread=False)
            conn.row_factory = sqlcipher3.Row
            try:
                conn.execute(f'PRAGMA key = "{self._key_copy.sqlcipher_key()}"')
                conn.execute("PRAGMA foreign_keys = ON")
                conn.execute("PRAGMA busy_timeout = 5000")
                conn.execute("PRAGMA temp_store = MEMORY")
                conn.execute("PRAGMA query_only = ON")
                conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            except sqlcipher3.DatabaseError as exc:
                conn.close()
                raise DatabaseDamaged(
                    "The vault database does not open with its key (damaged or replaced)."
                ) from exc
            self._readers[ident] = conn
            return conn

    def _close_readers(self) -> None:
        with self._readers_lock:
            for conn in self._readers.values():
                with contextlib.suppress(sqlcipher3.Error):
                    conn.close()
            self._readers.clear()

    def close(self) -> None:
        """Close every connection and wipe the key copy. A read still open on another thread
        (a background task abandoned at lock) is interrupted and waited for; a read begun
        after this raises ``VaultLocked``."""
        with self._reading:
            self._closing = True
            for conn in self._reading_on:
                conn.interrupt()  # a long query stops now (thread-safe by SQLite's design)
            while self._active_reads:
                self._reading.wait()
        with self._lock:
            self._close_readers()
            if not self.read_only:  # a damaged file is never written, not even by a checkpoint
                with contextlib.suppress(sqlcipher3.Error):
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._conn.close()
            self._key_copy.wipe()


def _connect_read_only(path: Path) -> sqlcipher3.Connection:
    """A connection that cannot write the file (SQLite's ``mode=ro``)."""
    return sqlcipher3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                              isolation_level=None, check_same_thread=False)


def _read_only_pragmas(conn: sqlcipher3.Connection) -> None:
    conn.execute("PRAGMA query_only = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")


def is_damage(exc: BaseException) -> bool:
    """True for SQLite's "corrupt" and "not a database" errors (a page that fails its check),
    which pysqlite raises as a bare ``DatabaseError``; busy, locked or read-only are not."""
    return type(exc) is sqlcipher3.DatabaseError


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def _is_empty(path: Path) -> bool:
    try:
        return path.stat().st_size == 0
    except OSError:
        return True


def _quiet_sqlcipher_log(conn: sqlcipher3.Connection) -> None:
    """Keep SQLCipher's own ``ERROR CORE …`` lines off stderr (they are for developers, and
    a damaged page would print dozens of them under the one-line error the rep should see).
    The setting is process-wide in SQLCipher; setting it on every connection is harmless."""
    with contextlib.suppress(sqlcipher3.Error):
        conn.execute("PRAGMA cipher_log_level = NONE")


def _existing_regular_file(path: Path) -> bool:
    """True when ``path`` is an ordinary file; False when absent.

    Raises:
        IntegrityError: something else is there (a FIFO would hang SQLite's first read, a
            symlink would redirect it, a folder cannot be a database).
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(st.st_mode):
        log.warning("vault.db is not a regular file")
        raise IntegrityError("The vault database (vault.db) is not an ordinary file (a link, "
                             "pipe or device); refusing to open it.")
    return True


def _split_sql(script: str) -> list[str]:
    """Split a migration into statements; ``sqlite3_complete`` keeps trigger bodies whole.

    ``executescript`` is not used because it commits first, and a migration must be atomic.
    """
    statements: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        if not buf.strip() and line.strip().startswith("--"):
            continue
        buf += line
        if sqlcipher3.complete_statement(buf):
            if buf.strip():
                statements.append(buf.strip())
            buf = ""
    if buf.strip():
        raise RuntimeError("migration ends inside a statement")
    return statements
