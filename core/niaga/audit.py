"""The audit log: every insert, update and delete of an audited model, recorded in the same
flush with who did it and the values before and after.

Recording happens in a SQLAlchemy ``after_flush`` listener, so no code path can forget it;
the rows of a transaction are inserted together, in one statement, when it commits.
The actor comes from :func:`acting_as` (the CLI, jobs and plugins set it) or from the
logged-in user or token of the request. Models with ``__audit__ = False`` (append-only
ledgers, which are their own trail) are skipped.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import Flask, has_request_context
from flask_login import current_user
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from niaga.db import table_of, utcnow
from niaga.models import AuditLog
from niaga.sealing import mask_setting_change

#: ``session.info`` key of the audit rows recorded but not inserted yet.
PENDING = "niaga_audit_pending"

_actor: contextvars.ContextVar[str | None] = contextvars.ContextVar("niaga_actor", default=None)
HIDDEN = {"password_hash", "token_hash"}


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Attribute changes made in the block to ``actor`` (``cli:owner@x``, ``plugin:loyalty``)."""
    token = _actor.set(actor)
    try:
        yield
    finally:
        _actor.reset(token)


def current_actor() -> str:
    explicit = _actor.get()
    if explicit:
        return explicit
    if has_request_context():
        # Flask-Login's user, as niaga.auth logs it in (auth sits above this module)
        return current_user.actor if current_user.is_authenticated else "anonymous"
    return "system"


def _jsonable(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, bytes):
        return None
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


_COLUMNS: dict[type, tuple[str, ...]] = {}


def _columns(obj: Any) -> tuple[str, ...]:
    """The audited column attributes of ``obj``'s class (worked out once per class)."""
    found = _COLUMNS.get(type(obj))
    if found is None:
        mapper = inspect(obj).mapper
        found = tuple(c.key for c in mapper.column_attrs if c.key not in HIDDEN)
        _COLUMNS[type(obj)] = found
    return found


def _snapshot(obj: Any) -> dict[str, Any]:
    return {key: _jsonable(getattr(obj, key)) for key in _columns(obj)}


def _changes(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    before, after = {}, {}
    # only an attribute set since the last flush can have changed: its old value is kept
    # in ``committed_state``, so the others need no history
    changed = state.committed_state
    for key in _columns(obj):
        if key not in changed:
            continue
        history = state.attrs[key].history
        if history.has_changes():
            before[key] = _jsonable(history.deleted[0] if history.deleted else None)
            after[key] = _jsonable(history.added[0] if history.added else None)
    return before, after


def _identity(obj: Any) -> str:
    # From the instance, not its identity key: a new row gets that only after the flush.
    ident = inspect(obj).mapper.primary_key_from_instance(obj)
    return ":".join(str(part) for part in ident) if all(p is not None for p in ident) else ""


def record_flush(session: Session, _context: Any) -> None:
    rows: list[dict[str, Any]] = []
    stamp: dict[str, Any] = {}
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not getattr(type(obj), "__audit__", False):
                continue
            if action == "create":
                before, after = None, _snapshot(obj)
            elif action == "delete":
                before, after = _snapshot(obj), None
            else:
                before, after = _changes(obj)
                if not after:
                    continue
            if not stamp:  # when and by whom, worked out once a flush records anything
                stamp = {"occurred_at": utcnow(), "actor": current_actor()[:120]}
            entity, entity_id = type(obj).__tablename__, _identity(obj)
            rows.append(
                {
                    **stamp,
                    "action": action,
                    "entity": entity,
                    "entity_id": entity_id,
                    "before": masked(entity, entity_id, before),
                    "after": masked(entity, entity_id, after),
                }
            )
    if rows:
        transaction = session.get_nested_transaction() or session.get_transaction()
        session.info.setdefault(PENDING, []).append((transaction, rows))


def _within(transaction: Any, ended: Any) -> bool:
    """Whether ``transaction`` is ``ended`` or was begun inside it."""
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


def _drop_rolled_back(session: Session, previous_transaction: Any) -> None:
    """Rows recorded in a transaction or savepoint that was rolled back are not kept."""
    pending = session.info.get(PENDING)
    if pending:
        pending[:] = [
            (transaction, rows)
            for transaction, rows in pending
            if not _within(transaction, previous_transaction)
        ]


def write_pending(session: Session) -> None:
    """Insert the audit rows recorded since the last write, in one statement."""
    pending = session.info.pop(PENDING, None)
    if pending:
        session.connection().execute(_INSERT, [row for _, rows in pending for row in rows])


_INSERT = sa.insert(table_of(AuditLog))


def _forget_on_end(session: Session, transaction: Any) -> None:
    """A transaction ended without committing (closed): its rows are not kept."""
    if transaction.parent is None:
        session.info.pop(PENDING, None)


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint's rows go with the transaction's, or with its rollback
    session.flush()
    write_pending(session)


def _before_audit_read(state: Any) -> None:
    """A query of the audit log in the transaction sees the rows recorded so far."""
    if (
        state.session.info.get(PENDING)
        and state.is_select
        and any(mapper.class_ is AuditLog for mapper in state.all_mappers)
    ):
        write_pending(state.session)


def masked(entity: str, entity_id: str, values: dict[str, Any] | None) -> dict[str, Any] | None:
    """``values`` as the audit log may keep and show them: a secret setting's value is
    masked, so the log records that it changed, never what it is."""
    if entity != "core_setting":
        return values
    return mask_setting_change(entity_id, values)


def _mask_loaded(row: AuditLog, _context: Any) -> None:
    """Rows written before masking existed are masked as they are read (API and pages)."""
    if row.entity == "core_setting":
        for name in ("before", "after"):
            set_committed_value(row, name, masked(row.entity, row.entity_id, getattr(row, name)))


def install() -> None:
    """Listen on every session and mask audit rows as they load (idempotent).

    A flush records its rows in the session; they are inserted in one statement when the
    transaction commits (not one INSERT per flush), dropped with a rolled-back savepoint,
    and written early when the transaction itself reads the audit log."""
    for name, listener in (
        ("after_flush", record_flush),
        ("before_commit", _before_commit),
        ("after_soft_rollback", _drop_rolled_back),
        ("after_transaction_end", _forget_on_end),
        ("do_orm_execute", _before_audit_read),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)
    if not event.contains(AuditLog, "load", _mask_loaded):
        event.listen(AuditLog, "load", _mask_loaded)


def init_app(app: Flask) -> None:
    del app
    install()
