"""The current instant: one source for the whole process, which tests can stop.

Below everything else (the database layer stamps rows with it); :mod:`niaga.clock` builds
the shop's business day on top of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

_frozen_at: dt.datetime | None = None


def utcnow() -> dt.datetime:
    """The current instant, timezone-aware in UTC (frozen in tests)."""
    return _frozen_at if _frozen_at is not None else dt.datetime.now(dt.UTC)


@contextmanager
def frozen(moment: dt.datetime) -> Iterator[None]:
    """Stop the clock at ``moment`` (timezone-aware) for the block: every business date
    and timestamp the code takes is then derived from it. For tests."""
    global _frozen_at
    if moment.tzinfo is None:
        raise ValueError("freeze the clock at an aware datetime")
    previous, _frozen_at = _frozen_at, moment.astimezone(dt.UTC)
    try:
        yield
    finally:
        _frozen_at = previous
