"""The shop's business day, document numbering and timestamps, on both databases."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa

from niaga import clock, numbering, settings
from niaga.errors import Invalid
from niaga.models import Setting
from niaga.testing import database_kind, shop_today

WIB_HALF_PAST_MIDNIGHT = dt.datetime(2026, 11, 30, 17, 30, tzinfo=dt.UTC)  # 1 Dec 00:30 WIB


def test_business_day_follows_the_shop_zone(app, db, shop_clock):
    shop_clock(WIB_HALF_PAST_MIDNIGHT)
    with app.app_context():
        assert clock.utcnow().date() == dt.date(2026, 11, 30)
        assert clock.shop_today(db) == dt.date(2026, 12, 1)
        assert clock.shop_now(db).hour == 0
    settings.put_stored(db, "core.timezone", "WIT")
    db.commit()
    shop_clock(dt.datetime(2026, 12, 31, 14, 30, tzinfo=dt.UTC))  # 23:30 WIT
    with app.app_context():
        assert clock.shop_today(db) == dt.date(2026, 12, 31)
        assert clock.shop_date(dt.datetime(2026, 12, 31, 15, 0, tzinfo=dt.UTC), db) == dt.date(
            2027, 1, 1
        )


def test_the_test_kits_today_is_jakartas_day_at_month_end(app, shop_clock):
    """At 18:00 UTC on 31 December the machine is still in December while Jakarta, where
    documents are dated, is on 1 January: tests take "today" from ``shop_today``."""
    shop_clock(dt.datetime(2026, 12, 31, 18, 0, tzinfo=dt.UTC))  # 1 Jan 2027, 01:00 WIB
    assert clock.utcnow().date() == dt.date(2026, 12, 31)
    assert shop_today() == dt.date(2027, 1, 1)  # outside an app context, as at import
    with app.app_context():
        assert shop_today() == dt.date(2027, 1, 1)  # the shop's stored zone, WIB here


def test_a_frozen_clock_needs_an_aware_instant():
    with pytest.raises(ValueError), clock.frozen(dt.datetime(2026, 1, 1)):
        pass


def test_month_bounds():
    assert clock.month_bounds(dt.date(2026, 2, 14)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert clock.month_bounds(dt.date(2026, 12, 1)) == (dt.date(2026, 12, 1), dt.date(2026, 12, 31))


@pytest.mark.parametrize(
    ("pattern", "number", "period"),
    [
        ("SO/{yyyy}/{mm}/{seq:04}", "SO/2026/12/0001", "2026-12"),
        ("PO/{year}/{month}/{seq:04d}", "PO/2026/12/0001", "2026-12"),
        ("INV-{yy}{mm}{dd}-{seq}", "INV-261201-1", "2026-12-01"),
        ("CN/{yyyy}/{seq:05}", "CN/2026/00001", "2026"),
        ("KAS-{seq:06}", "KAS-000001", ""),
    ],
)
def test_patterns_render_and_choose_their_period(pattern, number, period):
    day = dt.date(2026, 12, 1)
    assert numbering.render(pattern, day, 1) == number
    assert numbering.period_of(pattern, day) == period


@pytest.mark.parametrize("pattern", ["SO/{yyyy}", "SO/{seq}/{hour}", "SO/{seq", "{seq:zz}", ""])
def test_bad_patterns_are_refused(pattern):
    with pytest.raises(Invalid):
        numbering.validate_pattern(pattern)


@pytest.mark.parametrize("gapless", [True, False])
def test_counters_run_per_series_and_period(db, gapless):
    december, january = dt.date(2026, 12, 31), dt.date(2027, 1, 1)
    draw = lambda series, day: numbering.next_number(  # noqa: E731
        db, series, "X/{yyyy}/{mm}/{seq:03}", day, gapless=gapless
    )
    assert [draw("sales.order", december) for _ in range(3)] == [
        "X/2026/12/001",
        "X/2026/12/002",
        "X/2026/12/003",
    ]
    assert draw("sales.invoice", december) == "X/2026/12/001"
    assert draw("sales.order", january) == "X/2027/01/001"
    db.commit()
    assert numbering.peek(db, "sales.order", "X/{yyyy}/{mm}/{seq:03}", december) == "X/2026/12/004"


def test_a_gapless_number_is_given_back_when_the_document_is_rolled_back(db):
    day = dt.date(2026, 12, 1)
    assert numbering.next_number(db, "sales.invoice", "F{seq}", day, gapless=True) == "F1"
    db.rollback()
    assert numbering.next_number(db, "sales.invoice", "F{seq}", day, gapless=True) == "F1"


@pytest.mark.parametrize("gapless", [True, False])
def test_fifty_concurrent_documents_get_fifty_consecutive_numbers(app, gapless):
    if database_kind() != "postgresql":
        pytest.skip("concurrency between writers is proven on PostgreSQL")
    maker = app.extensions["niaga"].sessionmaker
    numbers: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(50)

    def create() -> None:
        with maker() as own:
            try:
                start.wait()
                number = numbering.next_number(
                    own,
                    "cashbank.voucher",
                    "BKK/{yyyy}/{seq:04}",
                    dt.date(2026, 12, 1),
                    gapless=gapless,
                )
                own.execute(sa.text("SELECT pg_sleep(0.01)"))  # the rest of the document
                own.commit()
                numbers.append(number)
            except BaseException as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

    threads = [threading.Thread(target=create) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(numbers) == [f"BKK/2026/{n:04d}" for n in range(1, 51)]


def test_timestamps_read_back_as_they_were_written(db):
    written = dt.datetime(2026, 12, 1, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    row = Setting(key="core.test_stamp", value=1, changed_at=written)
    db.add(row)
    db.commit()
    db.expire_all()
    again = db.get(Setting, "core.test_stamp")
    assert again.changed_at.isoformat() == "2026-11-30T17:30:00+00:00"
    fresh = db.scalar(sa.select(Setting.changed_at).where(Setting.key == "core.test_stamp"))
    assert fresh.isoformat() == "2026-11-30T17:30:00+00:00"
    assert fresh == written
