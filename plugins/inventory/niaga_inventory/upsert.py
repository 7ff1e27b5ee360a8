"""Insert a row unless it exists, safely when two transactions try at once."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from niaga.db import insert_on_conflict


def insert_missing(session: Session, model: Any, **values: Any) -> int:
    """``INSERT ... ON CONFLICT DO NOTHING``: a concurrent insert of the same key waits for
    the other transaction instead of failing on the unique constraint. Returns the number of
    rows inserted (0 when the row was there)."""
    statement = insert_on_conflict(session, model).values(**values).on_conflict_do_nothing()
    return int(session.execute(statement).rowcount or 0)


def insert_or_add(
    session: Session, model: Any, keys: tuple[str, ...], added: tuple[str, ...], rows: list[Any]
) -> None:
    """Insert ``rows`` (dicts) in one statement; where a row with the same ``keys`` exists,
    add the row's ``added`` columns to it instead (``INSERT ... ON CONFLICT DO UPDATE``).
    ``rows`` must not repeat a key (one statement may change a row only once)."""
    if not rows:
        return
    statement = insert_on_conflict(session, model).values(rows)
    table = model.__table__
    statement = statement.on_conflict_do_update(
        index_elements=[table.c[key] for key in keys],
        set_={name: table.c[name] + statement.excluded[name] for name in added},
    )
    session.execute(statement.execution_options(synchronize_session=False))
