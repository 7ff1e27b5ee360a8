"""One number that changes whenever the shop's configuration does, kept by the database.

Every request needs the enabled plugins and the stored settings, and every posting the
posting rules: small tables that change a few times a year. Reading them once per process
is safe only if each process learns, without an extra statement, that another process has
changed them. So ``core_config_version`` holds one counter, and a trigger on each
*watched* table bumps it in the same transaction as any INSERT, UPDATE, DELETE (or, on
PostgreSQL, TRUNCATE), whatever code or SQL console sends it. A request reads the counter
as one more column of a statement it makes anyway (the API token's lookup,
:func:`column`), and a per-process cache (:func:`niaga.runtime.shared`) is used only when
it was filled at the counter value this transaction saw.

The counter takes a **random** value on each change rather than counting up: a transaction
that reads the counter after changing a watched table sees its own, uncommitted value, and
if it rolls back, no later change may reuse that value for other rows. A transaction that
changes a watched table through the ORM stops using and filling the cache for the rest of
the transaction (:func:`written`; models say they are watched with ``__config__ = True``).

Core watches ``core_plugin_state`` and ``core_setting``. A plugin whose cached values come
from its own tables watches them in its own migration and unwatches them in the
downgrade::

    from niaga.config_version import unwatch, watch

    def upgrade() -> None:
        watch("cashbank_posting_rule")

    def downgrade() -> None:
        unwatch("cashbank_posting_rule")
"""

from __future__ import annotations

from itertools import chain
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from niaga.append_only import check_name, drop_unused_function
from niaga.memo import memo
from niaga.models import ConfigVersion

TABLE = ConfigVersion.__tablename__
#: The PostgreSQL function the watch triggers run; shared by every watched table.
FUNCTION = "niaga_config_changed"

_POSTGRESQL_FUNCTION = f"""CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {TABLE} SET version = (random() * 9.0e18)::bigint;
    RETURN NULL;
END $$"""

_SQLITE_OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def column() -> sa.ScalarSelect[int]:
    """The counter as a column to add to a statement (``NULL`` if its row is missing)."""
    return sa.select(ConfigVersion.version).where(ConfigVersion.id == 1).scalar_subquery()


def saw(db: Session, version: int | None) -> None:
    """Record the counter value ``db``'s transaction read (``None``: its row is missing)."""
    state = memo(db, "config_version")
    if version is not None and not state.get("written"):
        state["seen"] = version


def seen(db: Session) -> int | None:
    """The counter value ``db``'s transaction read, unless it has changed a watched table."""
    return memo(db, "config_version").get("seen")


def written(db: Session) -> None:
    """``db``'s transaction changes a watched table: from now on it reads its own
    configuration, and never fills the process's cache with uncommitted rows."""
    memo(db, "config_version").update(seen=None, written=True)


def _watched(cls: Any) -> bool:
    return bool(getattr(cls, "__config__", False))


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if any(_watched(type(obj)) for obj in chain(session.new, session.dirty, session.deleted)):
        written(session)


def _before_bulk(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        mapper = state.bind_mapper
        if mapper is not None and _watched(mapper.class_):
            written(state.session)


if not event.contains(Session, "before_flush", _before_flush):
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "do_orm_execute", _before_bulk)


def statements(table: str, dialect: str) -> list[str]:
    """The SQL making every change to ``table`` bump the counter, on ``dialect``."""
    check_name(table)
    if dialect == "postgresql":
        # once per statement: a bulk change bumps the counter once, and the row stays hot
        # for the shortest time
        return [
            _POSTGRESQL_FUNCTION,
            f"CREATE TRIGGER {table}_config_changed AFTER INSERT OR UPDATE OR DELETE OR "
            f"TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()",
        ]
    if dialect == "sqlite":  # per row: SQLite has no statement triggers
        return [
            f"CREATE TRIGGER {table}_config_{op.lower()} AFTER {op} ON {table} "
            f"BEGIN UPDATE {TABLE} SET version = random(); END"
            for op in _SQLITE_OPERATIONS
        ]
    raise ValueError(f"watch triggers are written for sqlite and postgresql, not {dialect}")


def drop_statements(table: str, dialect: str) -> list[str]:
    """The SQL removing what :func:`statements` created for ``table``."""
    check_name(table)
    if dialect == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {table}_config_changed ON {table}",
            drop_unused_function(FUNCTION),
        ]
    if dialect == "sqlite":
        return [f"DROP TRIGGER IF EXISTS {table}_config_{op.lower()}" for op in _SQLITE_OPERATIONS]
    raise ValueError(f"watch triggers are written for sqlite and postgresql, not {dialect}")


def watch(*tables: str) -> None:
    """In an Alembic migration: make every change to each of ``tables`` bump the counter."""
    from alembic import op

    for table in tables:
        for sql in statements(table, op.get_bind().dialect.name):
            op.execute(sql)


def unwatch(*tables: str) -> None:
    """In an Alembic downgrade: remove what :func:`watch` put on ``tables``."""
    from alembic import op

    for table in tables:
        for sql in drop_statements(table, op.get_bind().dialect.name):
            op.execute(sql)
