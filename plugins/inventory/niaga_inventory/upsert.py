"""Insert a row unless it exists, safely when two transactions try at once."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_missing(session: Session, model: Any, **values: Any) -> None:
    """``INSERT ... ON CONFLICT DO NOTHING``: a concurrent insert of the same key waits for
    the other transaction instead of failing on the unique constraint."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(model).values(**values).on_conflict_do_nothing())
