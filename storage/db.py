"""Engine, sessions and schema migrations."""

from __future__ import annotations

import contextlib
import logging
import os
import select
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, func
from sqlalchemy import select as select_
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from storage.errors import NotFound

MIGRATIONS = Path(__file__).parent / "migrations"
M = TypeVar("M")
logger = logging.getLogger(__name__)
# A pooled connection is replaced after this long, before idle timeouts of firewalls and load
# balancers (the shortest common one is 350 s) can drop it silently.
RECYCLE_SECONDS = 300
# A connection that sat in the pool longer than this is pinged (one round trip) before use.
PING_IDLE_SECONDS = 10.0


def make_engine(url: str) -> Engine:
    """An engine for PostgreSQL or SQLite; SQLite gets the pragmas a server database has."""
    if url.startswith("sqlite"):
        file = url.removeprefix("sqlite:///")
        if url.startswith("sqlite:///") and file not in ("", ":memory:"):
            _private_database(Path(file))
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    # No JIT: a search's plan at a million documents costs above `jit_above_cost`, and compiling
    # it took 190 ms of a 260 ms query (BENCHMARKS.md, "Search ... a million"); no query here
    # runs long enough to win that back. Custom plans only: psycopg prepares a statement run
    # five times, and PostgreSQL may then plan it once for any values, blind to how unequal
    # departments and words are (a two-word search: 68 ms planned for its values, 89 generic).
    engine = create_engine(
        url,
        pool_size=10,
        max_overflow=20,
        pool_recycle=RECYCLE_SECONDS,
        connect_args={"options": "-c jit=off -c plan_cache_mode=force_custom_plan"},
    )
    _check_on_checkout(engine)
    return engine


def _private_database(path: Path) -> None:
    """Make the SQLite file 0600 (its directory 0700 if new) before SQLite opens it.

    SQLite gives the -wal and -shm files the mode of the database file, so all three are
    readable by the owner only; files left 0644 by older versions are tightened too.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError, PermissionError):
            if file.stat().st_mode & 0o077:
                file.chmod(0o600)


def _check_on_checkout(engine: Engine) -> None:
    """Hand out only live connections, like `pool_pre_ping`, without its round trip each time.

    A server that ends a connection (restart, `pg_terminate_backend`, `idle_session_timeout`)
    sends an error and closes the socket, so a connection that went idle healthy and has input
    waiting is suspect: it is pinged, as is one idle for long, and a dead one is replaced before
    use. Pinging every checkout cost a round trip per transaction, about a fifth of the audit
    append rate (BENCHMARKS.md).
    """

    @event.listens_for(engine, "checkin")
    def _idle(_dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _live(
        dbapi_connection: Any, record: ConnectionPoolEntry, _proxy: PoolProxiedConnection
    ) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None:
            return  # just connected
        if dbapi_connection.closed:
            raise DisconnectionError("the connection was closed while idle")
        if not _has_input(dbapi_connection) and time.monotonic() - idle_since < PING_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("the connection failed its ping") from error


def _has_input(dbapi_connection: Any) -> bool:
    # One non-blocking poll of the socket, no round trip: an idle connection expects no input.
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN)
    return bool(poller.poll(0))


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit, so responses can be built from them."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: committed if the block succeeds, rolled back (and undone) if it raises."""
    with factory() as session:
        try:
            yield session
        except BaseException:
            finish(session, ok=False)
            raise
        finish(session, ok=True)


def get_one(
    session: Session, model: type[M], key: uuid.UUID, what: str, options: Sequence[Any] = ()
) -> M:
    """The row of `model` with this primary key; NotFound ("no such <what>") if there is none."""
    found = session.get(model, key, options=list(options))
    if found is None:
        raise NotFound(f"no such {what}")
    return found


def only_one(session: Session, lock: int) -> bool:
    """Whether this transaction takes the round `lock` names, of which one may run at a time.

    PostgreSQL: a transaction-scoped advisory lock, tried and never waited for (another process
    doing the round now makes this one's redundant). SQLite has one writer anyway."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(select_(func.pg_try_advisory_xact_lock(lock))))


def alembic_config(engine: Engine) -> Config:
    """Alembic configuration bound to an engine, without an alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration."""
    command.upgrade(alembic_config(engine), "head")


def on_rollback(session: Session, undo: Callable[[], None]) -> None:
    """Run `undo` if this unit of work rolls back (an object stored ahead of its row)."""
    session.info.setdefault("on_rollback", []).append(undo)


def finish(session: Session, ok: bool) -> None:
    """End a unit of work: commit if `ok`, else roll back; undo side effects on any rollback."""
    undo: list[Callable[[], None]] = session.info.pop("on_rollback", [])
    try:
        if ok:
            session.commit()
            return
        session.rollback()
    except BaseException as error:
        session.rollback()
        if ok and isinstance(error, DBAPIError) and error.connection_invalidated:
            # The connection was lost around the COMMIT, which may have landed: deleting the
            # objects could leave rows without them. An object without a row is the fixity
            # check's to remove.
            logger.warning("commit outcome unknown (connection lost); clean-up left to fixity")
            raise
        _run_all(undo)
        raise
    _run_all(undo)


def _run_all(undo: list[Callable[[], None]]) -> None:
    for step in reversed(undo):
        try:
            step()
        except Exception:  # the fixity check removes whatever an undo step could not
            logger.warning("rollback clean-up step failed; the fixity check will remove the orphan")
