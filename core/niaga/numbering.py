"""Document numbers for every plugin: one counter per series and period, shaped by a pattern.

A *series* is a document kind (``sales.order``, ``purchasing.bill``); a *pattern* is how
its numbers look, chosen by the owner: ``SO/{yyyy}/{mm}/{seq:04}``. Placeholders:
``{yyyy}`` (2026), ``{yy}`` (26), ``{mm}`` (01-12), ``{dd}`` (01-31) and ``{seq}`` with an
optional width (``{seq:04}``); ``{year}``, ``{month}`` and ``{day}`` are accepted as
synonyms. The counter starts again with each *period* the pattern shows: daily with
``{dd}``, monthly with ``{mm}``, yearly with ``{yyyy}``/``{yy}``, never otherwise. The
period is that of the document's business date (:func:`niaga.clock.shop_today`).

Two ways to draw a number, both safe with many writers on SQLite and PostgreSQL:

* ``gapless=True`` (invoices, credit notes: documents the tax office counts) bumps the
  counter inside the caller's transaction, so a rolled-back document gives its number
  back. The counter row stays locked until that transaction ends: draw the number as the
  last thing before commit, after the lines are written.
* ``gapless=False`` (orders, deliveries, receipts, vouchers) bumps it in a short
  transaction of its own on PostgreSQL, so documents of one series never wait for each
  other; a rolled-back document leaves a gap. That transaction runs on a small pool of
  its own (:func:`_draw_engine`), never on a second connection of the caller's pool: a
  caller already holds one of those, and a burst of callers each waiting for a second
  would empty the pool and wait for each other until the pool timeout. SQLite has one
  writer at a time anyway, so there the caller's transaction is used.
"""

from __future__ import annotations

import datetime as dt
import functools
import string
import threading
import weakref
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from niaga.db import create_engine, insert_on_conflict, table_of
from niaga.errors import Invalid
from niaga.models import Sequence

_SYNONYMS = {"year": "yyyy", "month": "mm", "day": "dd"}
_DATE_FIELDS = {"yyyy", "yy", "mm", "dd"}


def _fields(pattern: str) -> list[tuple[str, str]]:
    """``(name, format spec)`` of each placeholder, synonyms resolved."""
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError:
        return [("", "")]
    return [
        (_SYNONYMS.get(name, name), spec or "") for _, name, spec, _ in parsed if name is not None
    ]


def validate_pattern(pattern: str) -> None:
    """Raise :class:`Invalid` unless ``pattern`` has ``{seq}`` and only known placeholders."""
    fields = _fields(pattern)
    names = {name for name, _ in fields}
    well_formed = "seq" in names and names <= _DATE_FIELDS | {"seq"} and len(pattern) <= 40
    if well_formed:
        try:
            render(pattern, dt.date(2026, 1, 1), 1)
        except (ValueError, KeyError, IndexError):
            well_formed = False
    if not well_formed:
        raise Invalid(
            "A number pattern needs {{seq}} and may use {{yyyy}}, {{yy}}, {{mm}}, {{dd}}, "
            "for example SO/{{yyyy}}/{{mm}}/{{seq:04}}",
            fields={"pattern": ["Invalid pattern"]},
        )


def _values(day: dt.date) -> dict[str, Any]:
    values: dict[str, Any] = {
        "yyyy": day.year,
        "yy": f"{day.year % 100:02d}",
        "mm": f"{day.month:02d}",
        "dd": f"{day.day:02d}",
    }
    for synonym, name in _SYNONYMS.items():
        values[synonym] = values[name]
    return values


def render(pattern: str, day: dt.date, seq: int) -> str:
    """The number ``seq`` of ``pattern`` for a document dated ``day``."""
    return pattern.format(seq=seq, **_values(day))


def period_of(pattern: str, day: dt.date) -> str:
    """The counter's period for ``day``: ``2026-12-01``, ``2026-12``, ``2026`` or empty."""
    names = {name for name, _ in _fields(pattern)}
    if "dd" in names:
        return day.isoformat()
    if "mm" in names:
        return f"{day:%Y-%m}"
    if names & {"yyyy", "yy"}:
        return f"{day:%Y}"
    return ""


def next_number(
    session: Session, series: str, pattern: str, day: dt.date, *, gapless: bool = False
) -> str:
    """Hand out the next number of ``series`` for a document dated ``day``."""
    validate_pattern(pattern)
    period = period_of(pattern, day)
    if gapless or session.get_bind().dialect.name == "sqlite":
        seq = _bump(session, series, period)
    else:
        with _draw_engine(session.get_bind()).connect() as own:  # type: ignore[arg-type]
            seq = _bump(own, series, period)
            own.commit()
    return render(pattern, day, seq)


#: Connections of a draw pool: a draw is one short statement, so a few serve many threads.
DRAW_POOL_SIZE = 2
DRAW_POOL_OVERFLOW = 2
_draw_engines: weakref.WeakKeyDictionary[Engine, Engine] = weakref.WeakKeyDictionary()
_draw_engines_lock = threading.Lock()


def _draw_engine(engine: Engine) -> Engine:
    """The pool that non-gapless draws on ``engine``'s database use, made on first use and
    dropped with ``engine``. Its holders wait for nothing but each other's one-statement
    transactions, so it cannot run dry the way a shared pool does."""
    with _draw_engines_lock:
        drawer = _draw_engines.get(engine)
        if drawer is None:
            drawer = _draw_engines[engine] = create_engine(
                engine.url.render_as_string(hide_password=False),
                pool_size=DRAW_POOL_SIZE,
                max_overflow=DRAW_POOL_OVERFLOW,
            )
        return drawer


@functools.cache
def _bump_statement() -> sa.Update:
    """``last + 1`` of the series ``of_series`` in ``of_period``, returning it (built once)."""
    table = table_of(Sequence)
    key = (table.c.series == sa.bindparam("of_series")) & (
        table.c.period == sa.bindparam("of_period")
    )
    return sa.update(table).where(key).values(last=table.c.last + 1).returning(table.c.last)


def _bump(connection: Session | Connection, series: str, period: str) -> int:
    table = table_of(Sequence)
    bump, params = _bump_statement(), {"of_series": series, "of_period": period}
    seq = connection.execute(bump, params).scalar()
    if seq is not None:
        return int(seq)
    # The period's first number. No savepoint to catch a race: opening one would write
    # the caller's pending document before its number is set.
    opened = connection.execute(
        insert_on_conflict(connection, table)
        .values(series=series, period=period, last=1)
        .on_conflict_do_nothing(index_elements=["series", "period"])
        .returning(table.c.last)
    ).scalar()
    if opened is not None:
        return 1
    return int(connection.execute(bump, params).scalar_one())  # another opened it first


def peek(session: Session, series: str, pattern: str, day: dt.date) -> str:
    """The number the next document of ``series`` would get (for a settings preview)."""
    last = session.scalar(
        sa.select(Sequence.last).where(
            Sequence.series == series, Sequence.period == period_of(pattern, day)
        )
    )
    return render(pattern, day, (last or 0) + 1)
