"""What still refers to a row: a delete that a foreign key refuses is a 409 naming the
records in the way, never a 500.

The database is the judge (a check before the delete would race with a new reference); when
it refuses, the rows being deleted are looked up in every table with a foreign key to them.
Unique clashes of a race (two requests saving the same code) are a 409 too; any other
integrity error is a bug and stays a 500."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from niaga.db import Model, session
from niaga.errors import Conflict
from niaga.web import handle_niaga_error, handle_unexpected, safely

#: SQLSTATE of PostgreSQL, and the start of SQLite's message, per kind of clash.
FOREIGN_KEY = ("23503", "FOREIGN KEY constraint failed")
UNIQUE = ("23505", "UNIQUE constraint failed")


def referrers(db: Session, table: sa.Table, key: Any) -> dict[str, int]:
    """``{referring table: rows}`` for the rows that point at ``table``'s row ``key``
    through a single-column foreign key."""
    found: dict[str, int] = {}
    for other in Model.metadata.sorted_tables:
        for fk in other.foreign_keys:
            if fk.column.table is not table:
                continue
            rows = db.scalar(sa.select(sa.func.count()).select_from(other).where(fk.parent == key))
            if rows:
                found[other.name] = found.get(other.name, 0) + int(rows)
    return found


def _kind(exc: IntegrityError) -> str | None:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    text = str(exc.orig)
    for kind, (state, message) in {"foreign_key": FOREIGN_KEY, "unique": UNIQUE}.items():
        if sqlstate == state or text.startswith(message):
            return kind
    return None


#: Where a session keeps the rows its current flush deletes.
DELETING = "niaga_deleting"


def _remember_deletes(db: Session, *_: Any) -> None:
    """Before each flush, note the rows it deletes: a refused flush forgets them."""
    db.info[DELETING] = [
        (sa.inspect(obj).mapper.local_table, sa.inspect(obj).identity) for obj in db.deleted
    ]


def conflict_for(exc: IntegrityError) -> Conflict | None:
    """The 409 for a foreign-key or unique clash (the session rolled back), or ``None``."""
    db = session()
    doomed = db.info.pop(DELETING, [])
    db.rollback()
    kind = _kind(exc)
    if kind == "unique":
        return Conflict("This is already saved; reload and try again", code="already_exists")
    if kind != "foreign_key":
        return None
    found: dict[str, int] = {}
    for table, identity in doomed:
        if identity and len(identity) == 1:
            for name, rows in referrers(db, table, identity[0]).items():
                found[name] = found.get(name, 0) + rows
    db.rollback()
    used_by = ", ".join(f"{name} ({rows})" for name, rows in sorted(found.items()))
    return Conflict(
        "It is still used by {used_by}; change or remove those first",
        code="still_referenced",
        used_by=used_by or "other records",
        fields={"_schema": [f"referenced by {name}" for name in sorted(found)]},
    )


def init_app(app: Flask) -> None:
    def handle_integrity_error(exc: IntegrityError) -> Response:
        conflict = conflict_for(exc)
        return handle_niaga_error(conflict) if conflict else handle_unexpected(exc)

    app.register_error_handler(IntegrityError, safely(handle_integrity_error))
    if not sa.event.contains(Session, "before_flush", _remember_deletes):
        sa.event.listen(Session, "before_flush", _remember_deletes)
