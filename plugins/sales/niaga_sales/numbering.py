"""Document numbers without gaps or duplicates: ``SO/2026/11/0001``, one counter per
prefix and month, incremented under a row lock."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.db import lock_for_update
from niaga_sales.models import Sequence


def next_number(session: Session, prefix: str, day: dt.date) -> str:
    """The next number for ``prefix`` in the month of ``day``."""
    key = f"{prefix}/{day:%Y}/{day:%m}"
    row = session.scalar(lock_for_update(sa.select(Sequence).where(Sequence.prefix == key)))
    if row is None:
        try:
            with session.begin_nested():
                row = Sequence(prefix=key, last=0)
                session.add(row)
        except sa.exc.IntegrityError:  # another transaction created it first
            row = session.scalar(lock_for_update(sa.select(Sequence).where(Sequence.prefix == key)))
            assert row is not None
    row.last += 1
    session.flush()
    return f"{key}/{row.last:04d}"
