"""The database: one metadata for core and all plugins, engines and sessions.

* Every model derives from :class:`Model`; plugin tables are named ``<plugin>_<thing>``.
* SQLite (the embedded default) runs in WAL mode with a busy timeout, foreign keys on, and
  every transaction begins ``IMMEDIATE``: a writer waits for the other writer instead of
  failing half-way when it upgrades a read lock. Only a GET or HEAD request's transactions
  (:func:`reads_only`) begin deferred, so reading never takes the write lock. Writers of
  one process queue at a gate (:class:`_WriterGate`) before SQLite's own lock, so fifty of
  them take turns instead of one starving in SQLite's sleep-and-retry busy handler.
  PostgreSQL is used as it is.
* In a request or CLI command, :func:`session` returns the session of the current app
  context; it is closed (rolled back if not committed) when the context ends.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from decimal import Decimal
from typing import Any, TypeVar, cast, overload

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    make_transient_to_detached,
    mapped_column,
    sessionmaker,
)

from niaga.timesource import utcnow

T = TypeVar("T")

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: Money: 18 digits, 2 decimals. Quantities and unit costs: 4 decimals.
Money = sa.Numeric(18, 2, asdecimal=True)
Quantity = sa.Numeric(18, 4, asdecimal=True)
UnitCost = sa.Numeric(18, 4, asdecimal=True)


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
    """An instant, always returned timezone-aware in UTC on both databases.

    SQLite keeps no offset, so values are stored as UTC and read back with ``+00:00``;
    PostgreSQL's ``timestamptz`` is normalised to UTC too, so a read gives the same string
    as the write did.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        # a naive instant is taken as UTC, the way every instant here is kept
        value = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Model(DeclarativeBase):
    """Base of every table. Set ``__audit__ = False`` on append-only ledgers, which are
    their own audit trail."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {Decimal: Money, dt.datetime: UTCDateTime()}
    __audit__ = True


def table_of(model: type[Model]) -> sa.Table:
    """A model's table, typed as the table it is (SQLAlchemy types ``__table__`` loosely)."""
    return cast(sa.Table, model.__table__)


M = TypeVar("M", bound=Model)


def column_attributes(model: type[Model]) -> tuple[Any, ...]:
    """``model``'s mapped columns, in the order :func:`detached` takes their values."""
    return tuple(getattr(model, attr.key) for attr in sa.inspect(model).column_attrs)


def detached(model: type[M], values: Sequence[Any]) -> M:
    """A ``model`` instance holding ``values`` (of :func:`column_attributes`, in order) as
    if loaded from the database, owned by no session: a value to keep across sessions
    (:func:`niaga.runtime.shared`), used read-only or brought into a session with
    :func:`adopt`."""
    keys = [attribute.key for attribute in column_attributes(model)]
    instance = model(**dict(zip(keys, values, strict=True)))
    make_transient_to_detached(instance)
    return instance


def assign(obj: Any, **values: Any) -> None:
    """Set the attributes of ``obj`` whose value differs: one set to an equal value would
    still mark the object changed, and every later flush would work through it."""
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)


def adopt(sess: Session, instance: M) -> M:
    """``sess``'s own instance of the row ``instance`` (:func:`detached`) holds: the one
    ``sess`` already has, changes and all, or else a copy of ``instance`` joined to it
    without a statement."""
    key = sa.inspect(instance).key
    existing = sess.identity_map.get(key) if key is not None else None
    return cast(M, existing) if existing is not None else sess.merge(instance, load=False)


def insert_on_conflict(sess: Session | sa.Connection, target: Any) -> Any:
    """``INSERT`` of the database in use, which has ``on_conflict_do_nothing()`` and
    ``on_conflict_do_update()`` (PostgreSQL's or SQLite's)."""
    bind = sess.get_bind() if isinstance(sess, Session) else sess
    return _dialect_insert(bind.dialect.name, target)


def _dialect_insert(dialect: str, target: Any) -> Any:
    from sqlalchemy.dialects import postgresql, sqlite

    return (postgresql if dialect == "postgresql" else sqlite).insert(target)


def insert_unless_present(sess: Session, model: type[Model], *keys: str) -> Any:
    """``INSERT … ON CONFLICT (keys) DO NOTHING RETURNING`` the row, for ``sess``'s
    database: run it with the row's values as parameters; it returns no row when one with
    the same ``keys`` exists (an event posted once, a ledger row recorded once). Built once
    per database kind, model and keys."""
    return _insert_unless_present(sess.get_bind().dialect.name, model, keys)


@functools.cache
def _insert_unless_present(dialect: str, model: type[Model], keys: tuple[str, ...]) -> Any:
    return (
        _dialect_insert(dialect, model)
        .on_conflict_do_nothing(index_elements=list(keys))
        .returning(model)
    )


class TimestampMixin:
    """``created_at`` and ``updated_at`` columns."""

    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


#: Connections a pool keeps beyond one per serving thread (the embedded worker, ``/readyz``).
POOL_SPARE = 2
#: Connections it may open beyond those for a moment (threads of jobs, tests, commands).
POOL_OVERFLOW = 8
#: Seconds a request waits for a pooled connection before it is answered 503 (busy).
POOL_TIMEOUT_SECONDS = 10
#: Seconds after which a pooled connection is replaced; no ping on every checkout.
POOL_RECYCLE_SECONDS = 1800


def create_engine(url: str, *, threads: int = 8, **kwargs: Any) -> Engine:
    """An engine for ``url``, with the SQLite settings described above.

    Its pool holds a connection per serving thread (``threads``) and :data:`POOL_SPARE`
    more, so a request never waits for another's connection; a caller beyond those takes
    one of :data:`POOL_OVERFLOW` more, and past those waits :data:`POOL_TIMEOUT_SECONDS`
    and then gets ``sqlalchemy.exc.TimeoutError``, answered 503 with ``Retry-After``
    (:mod:`niaga.health`). No ping on checkout: connections are recycled instead.
    ``kwargs`` override any of it.
    """
    options: dict[str, Any] = {
        "pool_size": threads + POOL_SPARE,
        "max_overflow": POOL_OVERFLOW,
        "pool_timeout": POOL_TIMEOUT_SECONDS,
        "pool_recycle": POOL_RECYCLE_SECONDS,
    }
    if url.startswith("sqlite"):
        if sa.engine.make_url(url).database in (None, "", ":memory:"):
            options = {}  # one in-memory database per connection: no pool to size
        engine = sa.create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False},
            **{**options, **kwargs},
        )
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return sa.create_engine(url, **{**options, **kwargs})


SQLITE_BUSY_SECONDS = 30


class _WriterGate:
    """One SQLite writer at a time per engine, in arrival order.

    Held from ``BEGIN IMMEDIATE`` to the end of the transaction (commit, rollback or the
    pool's reset of a connection given back mid-transaction). A wait past the busy timeout
    goes on to SQLite's own locking, so a gate never blocks longer than SQLite would have.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def enter(self, connection_info: dict[str, Any]) -> None:
        if self._lock.acquire(timeout=SQLITE_BUSY_SECONDS):
            connection_info["niaga_gate"] = True

    def leave(self, connection_info: dict[str, Any]) -> None:
        if connection_info.pop("niaga_gate", False):
            self._lock.release()


_reads_only: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "niaga_reads_only", default=False
)
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def reads_only(value: bool) -> None:
    """Whether this thread's coming SQLite transactions only read (a GET or HEAD request):
    they begin deferred, taking no write lock, instead of ``IMMEDIATE``."""
    _reads_only.set(value)


def _writes(statement: str) -> bool:
    return statement.lstrip()[:7].upper().startswith(_WRITES)


def _configure_sqlite(engine: Engine) -> None:
    gate = _WriterGate()

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        if _reads_only.get():
            connection.exec_driver_sql("BEGIN")
            return
        gate.enter(connection.info)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            gate.leave(connection.info)
            raise

    @event.listens_for(engine, "before_cursor_execute")
    def on_execute(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # A read-only request that writes after all queues at the gate like any writer;
        # SQLite refuses the upgrade if another writer committed since its reads began
        # ("database is locked", answered 503 by niaga.health so the client retries).
        if _reads_only.get() and "niaga_gate" not in connection.info and _writes(statement):
            gate.enter(connection.info)

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def on_end(connection: Any) -> None:
        gate.leave(connection.info)

    @event.listens_for(engine, "reset")
    def on_reset(_dbapi_connection: Any, record: Any, _state: Any) -> None:
        gate.leave(record.info)

    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection: Any, record: Any) -> None:
        if record is not None:
            gate.leave(record.info)


class UnitSession(Session):
    """A session whose work can be held in one unit with a row the caller writes itself.

    While :meth:`hold` is in effect (an ``Idempotency-Key`` request, see
    :mod:`niaga.idempotency`), ``commit()`` and ``rollback()`` act on a SAVEPOINT: code that
    commits keeps its usual meaning towards the rest of its own code (what it committed
    survives a later ``rollback()``), but nothing reaches the database for good until the
    holder calls :meth:`unhold` and commits the real transaction, together with its own rows.

    After a ``commit()`` the next savepoint is opened when it is first needed, before the
    next write: the reads that build a view's answer after its commit cost no SAVEPOINT
    and ROLLBACK TO.
    """

    _held: bool = False
    _savepoint: Any = None

    @property
    def held(self) -> bool:
        return self._held

    def hold(self) -> None:
        """From now on ``commit()``/``rollback()`` end a savepoint of the open transaction."""
        self._held = True
        self._savepoint = self.begin_nested()

    def unhold(self) -> None:
        """Drop what was not committed since the last ``commit()``; the real transaction,
        with everything committed meanwhile, stays open for the holder to end."""
        self._held = False
        self._end_savepoint(commit=False)

    def commit(self) -> None:
        if not self._held:
            super().commit()
            return
        if self._savepoint is None:
            self.flush()  # opens one if there is anything to write
        self._end_savepoint(commit=True)

    def rollback(self) -> None:
        if not self._held:
            super().rollback()
            return
        if self._savepoint is None:  # nothing written since the last commit
            with suppress(sa.exc.SQLAlchemyError):  # pending objects that cannot be written
                self._before_write()  # what is pending goes in a savepoint, to be undone
        self._end_savepoint(commit=False)

    def close(self) -> None:
        self._held = False
        self._savepoint = None
        super().close()

    def connection(self, *args: Any, **kwargs: Any) -> Any:
        # whoever takes the connection itself may write on it
        self._before_write()
        return super().connection(*args, **kwargs)

    def _before_write(self) -> None:
        if self._held and self._savepoint is None:
            self.flush()  # what is pending is written inside the savepoint (before_flush)
            if self._savepoint is None:
                self._savepoint = self.begin_nested()

    def _before_flush(self) -> None:
        if self._held and self._savepoint is None:
            self._savepoint = self.begin_nested()  # inside a flush: begins without flushing

    def _end_savepoint(self, *, commit: bool) -> None:
        savepoint = self._savepoint
        if savepoint is None:
            return
        try:
            with suppress(sa.exc.InvalidRequestError):  # already closed by a failure
                savepoint.commit() if commit else savepoint.rollback()
        finally:  # not before: committing flushes, and a flush needs it open
            self._savepoint = None


@event.listens_for(UnitSession, "before_flush")
def _savepoint_before_flush(sess: Session, *_args: Any) -> None:
    if isinstance(sess, UnitSession):
        sess._before_flush()


@event.listens_for(UnitSession, "do_orm_execute")
def _savepoint_before_write(state: Any) -> None:
    if not state.is_select and isinstance(state.session, UnitSession):
        state.session._before_write()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False, class_=UnitSession)


def session() -> UnitSession:
    """The session of the current app context (created on first use)."""
    from flask import current_app, g

    existing = g.get("_niaga_session")
    if existing is None:
        existing = current_app.extensions["niaga"].sessionmaker()
        g._niaga_session = existing
    return existing


def close_session(_exc: BaseException | None = None) -> None:
    from flask import g

    existing = g.pop("_niaga_session", None)
    if existing is not None:
        existing.close()


@overload
def committed() -> None: ...
@overload
def committed(value: T) -> T: ...
def committed(value: Any = None) -> Any:
    """End the work of a request, command or job: commit its session and hand ``value``
    back, as in ``return committed(create_order(session(), data))`` (or ``committed()``
    after work that returns nothing). The one way code that
    writes ends its work; an exception before it leaves nothing behind (the request's error
    handler, or the end of the command, rolls the session back). Inside a request with an
    Idempotency-Key the commit ends a savepoint and the key's transaction commits it all."""
    session().commit()
    return value


@contextmanager
def transaction(sess: Session | None = None) -> Iterator[Session]:
    """Commit the block's work, or roll all of it back on an exception (for blocks that
    must not leave a half-done change in a session that lives on, such as a test's)."""
    sess = sess or session()
    try:
        yield sess
        sess.commit()
    except BaseException:
        sess.rollback()
        raise


def lock_for_update(statement: sa.Select[Any]) -> sa.Select[Any]:
    """``SELECT ... FOR UPDATE`` (a no-op on SQLite, where the write transaction is exclusive)."""
    return statement.with_for_update()
