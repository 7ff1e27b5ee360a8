"""Document numbers the owner shapes with a pattern, e.g. ``PO/{year}/{month}/{seq:04d}``.

Placeholders: ``{year}`` (2026), ``{yy}`` (26), ``{month}`` (``01``..``12``), ``{day}``
(``01``..``31``) and ``{seq}`` with an optional format (``{seq:04d}``). The counter runs per
series: everything the pattern renders apart from ``{seq}``, so ``PO/{year}/{month}/...``
starts again at 1 every month. Counters are bumped with an atomic ``UPDATE``, so two clerks
saving at once never get the same number.
"""

from __future__ import annotations

import datetime as dt
import string

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.errors import Invalid
from niaga_purchasing.models import Sequence

FIELDS = {"year", "yy", "month", "day", "seq"}


class _SeqMarker:
    """Stands in for ``{seq}`` while rendering the series key."""

    def __format__(self, spec: str) -> str:
        return "{seq}"


def validate_pattern(pattern: str) -> None:
    """Raise :class:`Invalid` unless ``pattern`` has ``{seq}`` and only known placeholders."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
        render(pattern, dt.date(2026, 1, 1), 1)
    except (ValueError, KeyError, IndexError):
        names = set()
    if "seq" not in names or not names <= FIELDS:
        raise Invalid(
            "A number pattern needs {{seq}} and may use {{year}}, {{yy}}, {{month}}, {{day}}"
        )


def _values(day: dt.date) -> dict[str, object]:
    return {
        "year": day.year,
        "yy": f"{day.year % 100:02d}",
        "month": f"{day.month:02d}",
        "day": f"{day.day:02d}",
    }


def render(pattern: str, day: dt.date, seq: int) -> str:
    return pattern.format(seq=seq, **_values(day))


def next_number(session: Session, pattern: str, day: dt.date) -> str:
    """Hand out the next number of ``pattern``'s series for a document dated ``day``."""
    validate_pattern(pattern)
    key = pattern.format(seq=_SeqMarker(), **_values(day))[:120]
    bump = (
        sa.update(Sequence)
        .where(Sequence.key == key)
        .values(last=Sequence.last + 1)
        .returning(Sequence.last)
    )
    seq = session.execute(bump).scalar()
    if seq is None:
        try:
            with session.begin_nested():
                session.add(Sequence(key=key, last=1))
            seq = 1
        except sa.exc.IntegrityError:  # another transaction created the series first
            seq = session.execute(bump).scalar_one()
    return render(pattern, day, seq)
