"""Values read once per transaction: settings, posting rules, anything a request reads many
times that its own transaction decides.

:func:`memo` hands out a dict kept in ``session.info``. It is forgotten when the session's
outermost transaction ends and on every rollback (a savepoint's included), so nothing read
or written inside rolled-back work outlives it, and the next transaction reads afresh what
other processes committed meanwhile. Code that writes a memoised value updates or drops
its memo in the same call.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

_KEY = "niaga_memo"


def memo(session: Session, name: str) -> dict[Any, Any]:
    """The memo ``name`` of ``session``'s current transaction (empty at first)."""
    return session.info.setdefault(_KEY, {}).setdefault(name, {})


def forget(session: Session, name: str | None = None) -> None:
    """Drop the memo ``name`` (all of them without a name)."""
    if name is None:
        session.info.pop(_KEY, None)
    else:
        session.info.get(_KEY, {}).pop(name, None)


def _transaction_ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        forget(session)


def _rolled_back(session: Session, _previous: SessionTransaction) -> None:
    forget(session)


if not event.contains(Session, "after_transaction_end", _transaction_ended):
    event.listen(Session, "after_transaction_end", _transaction_ended)
    event.listen(Session, "after_soft_rollback", _rolled_back)
