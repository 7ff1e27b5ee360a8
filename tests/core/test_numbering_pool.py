"""A burst of writers that fills the connection pool still gets its document numbers: a
non-gapless draw on PostgreSQL never asks the caller's pool for a second connection."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from niaga import numbering
from niaga.db import create_engine, make_sessionmaker
from niaga.testing import database_kind

WRITERS = 4


def test_writers_holding_every_pooled_connection_all_draw_a_number(database_url):
    if database_kind() != "postgresql":
        pytest.skip("SQLite draws in the caller's transaction; the pool question is PostgreSQL's")
    engine = create_engine(database_url, pool_size=WRITERS, max_overflow=0, pool_timeout=3)
    maker = make_sessionmaker(engine)
    all_hold_a_connection = threading.Barrier(WRITERS)
    numbers: list[str] = []
    errors: list[BaseException] = []

    def write() -> None:
        with maker() as own:
            try:
                own.execute(sa.text("SELECT 1"))  # the document's transaction has begun
                all_hold_a_connection.wait(timeout=10)
                number = numbering.next_number(own, "sales.order", "SO{seq}", dt.date(2026, 12, 1))
                own.commit()
                numbers.append(number)
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    assert not errors
    assert sorted(numbers) == [f"SO{n}" for n in range(1, WRITERS + 1)]
