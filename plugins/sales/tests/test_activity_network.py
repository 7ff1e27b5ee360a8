"""Status and action-plan quadrant of a seeded network of 50 retailers, checked against what
the test works out itself from the sales it made: counter sales before the period, in the
period before and in the period (30 days up to 30 November), orders placed, cancelled and
left as drafts, the owner's thresholds at their defaults and changed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import uuid
from collections import defaultdict
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from niaga import settings
from niaga_sales import activity, orders, pos
from niaga_sales.models import Customer

pytestmark = pytest.mark.plugins("sales")

WIB = dt.timezone(dt.timedelta(hours=7))
END = dt.date(2026, 11, 30)
NOW = (dt.date(2026, 11, 1), END)
BEFORE = (dt.date(2026, 10, 2), dt.date(2026, 10, 31))
EARLIER = (dt.date(2026, 8, 1), dt.date(2026, 10, 1))
PRICES = (25000, 40000, 60000, 100000, 150000)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=WIB)


def some_day(rng: random.Random, span: tuple[dt.date, dt.date]) -> dt.date:
    return span[0] + dt.timedelta(days=rng.randint(0, (span[1] - span[0]).days))


@pytest.fixture
def network(app, db, owner, shop_clock):
    """50 retailers with seeded random purchases; returns what the test knows of each:
    sales now and before, placed orders now, first and last purchase."""
    rng = random.Random(2211)
    shop_clock(at(END))
    pos.open_session(db, owner.id)
    known: dict[str, dict] = {}
    for n in range(50):
        customer = Customer(
            code=f"N{n:03d}", shop_name=f"Toko {n:02d}", area=("Palu", "Donggala")[n % 2]
        )
        db.add(customer)
        db.flush()
        me = {"id": customer.id, "now": Decimal(0), "before": Decimal(0), "orders": 0}
        me.update(portal=0, other=0)  # purchases in the period by channel
        days: list[dt.date] = []
        plan = (
            ("earlier", EARLIER, rng.choice((0, 0, 1))),
            ("before", BEFORE, rng.choice((0, 0, 1, 2, 3, 5))),
            ("now", NOW, rng.choice((0, 0, 1, 2, 3))),
        )
        for name, span, count in plan:
            for _ in range(count):
                day = some_day(rng, span)
                quantity, price = rng.randint(1, 4), rng.choice(PRICES)
                pos.record_sale(
                    db,
                    owner.id,
                    uuid.uuid4().hex,
                    [
                        {
                            "description": "Gula 1 kg",
                            "quantity": str(quantity),
                            "unit_price": str(price),
                        }
                    ],
                    customer_id=customer.id,
                    sold_at=at(day),
                )
                days.append(day)
                if name in ("now", "before"):
                    me[name] += Decimal(quantity * price)
                if name == "now":
                    me["other"] += 1  # a counter sale
        # some retailers also order (placed, cancelled, or only a draft) in the period
        kind = rng.choice(("none", "none", "none", "placed", "cancelled", "draft"))
        if kind != "none":
            day = some_day(rng, NOW)
            source = "portal" if n % 2 == 0 else "admin"
            order = orders.create_order(
                db,
                customer.id,
                [{"description": "Kopi", "quantity": "1", "unit_price": "10000"}],
                order_date=day,
                source=source,
            )
            if kind in ("placed", "cancelled"):
                orders.confirm_order(db, order.id)
            if kind == "cancelled":
                orders.cancel_order(db, order.id)
            if kind == "placed":
                me["orders"] += 1
                me["portal" if source == "portal" else "other"] += 1
                days.append(day)
        me["first"] = min(days) if days else None
        me["last"] = max(days) if days else None
        known[customer.shop_name] = me
    db.commit()
    return known


def expected(known: dict[str, dict], percent: int) -> dict[str, tuple[str, str]]:
    """(status, quadrant) of each retailer by the rules the user guide gives."""
    selling = sorted(k["now"] for k in known.values() if k["now"] > 0)
    half = len(selling) // 2
    middle = selling[half] if len(selling) % 2 else (selling[half - 1] + selling[half]) / 2
    found = {}
    for name, k in known.items():
        bought_now = k["now"] > 0 or k["orders"] > 0
        falling = k["now"] < k["before"] * percent / 100
        if k["last"] is None:
            status = "never"
        elif not bought_now:
            status = "inactive"
        elif NOW[0] <= k["first"] <= NOW[1]:
            status = "new"
        else:
            status = "declining" if falling else "active"
        high = k["now"] > 0 and k["now"] >= middle
        low_or_falling = falling or k["now"] == 0
        quadrant = {
            (True, False): "keep",
            (True, True): "rescue",
            (False, False): "develop",
            (False, True): "reactivate",
        }[(high, low_or_falling)]
        found[name] = (status, quadrant)
    return found


def test_fifty_retailers_match_the_hand_worked_status_and_quadrant(db, network):
    # the seed gives every status and every quadrant, so none is checked vacuously
    want = expected(network, 50)
    assert {s for s, _ in want.values()} == set(activity.STATUSES)
    assert {q for _, q in want.values()} == set(activity.QUADRANTS)

    period = activity.period_ending(db, END)
    assert (period.start, period.before.start, period.before.end) == (NOW[0], *BEFORE)
    rows = activity.retailer_activity(db, period)
    assert len(rows) == 50
    assert {r.shop_name: (r.status, r.quadrant) for r in rows} == want
    for r in rows:
        k = network[r.shop_name]
        assert (r.sales, r.sales_before, r.orders) == (k["now"], k["before"], k["orders"])
        assert r.last_purchase == k["last"]
        assert (r.portal_orders, r.other_purchases) == (k["portal"], k["other"])
        every = k["portal"] + k["other"]
        assert r.portal_share == (Decimal(k["portal"]) / every if every else None)
    # some bought through the portal and at the counter both, so the share is not trivial
    assert any(0 < (r.portal_share or 0) < 1 for r in rows)
    # most sales first
    assert [r.sales for r in rows] == sorted((r.sales for r in rows), reverse=True)


def test_the_owners_threshold_changes_who_is_declining(db, network):
    settings.put(db, "sales.declining_percent", 80)
    db.commit()
    want = expected(network, 80)
    assert want != expected(network, 50)  # the seed has retailers between 50% and 80%
    found = activity.retailer_activity(db, activity.period_ending(db, END))
    assert {r.shop_name: (r.status, r.quadrant) for r in found} == want


def test_the_screen_counts_each_status_and_lists_each_quadrant(db, logged_in, network):
    want = expected(network, 50)
    page = logged_in.get("/admin/sales/retailers?end=2026-11-30").get_data(as_text=True)
    counts = defaultdict(int)
    for status, _ in want.values():
        counts[status] += 1
    for status in activity.STATUSES:
        assert re.search(rf'data-status="{status}">{counts[status]}<', page), status
    row = r'<tr data-customer="\d+" data-status="(\w+)" data-quadrant="(\w+)">'
    rows = re.findall(row + r"\s*<td><a [^>]*>([^<]+)</a>", page)
    assert len(rows) == 50
    assert {name: (status, quadrant) for status, quadrant, name in rows} == want
    assert "baru" in page and "di bawah 50%" in page
    only_new = logged_in.get("/admin/sales/retailers?end=2026-11-30&status=new").get_data(
        as_text=True
    )
    listed = re.findall(r'<tr data-customer="\d+" data-status="(\w+)"', only_new)
    assert listed == ["new"] * counts["new"]
    # the same list for a spreadsheet: one row per retailer, statuses in Indonesian
    exported = logged_in.get("/admin/sales/retailers?end=2026-11-30&format=csv")
    assert exported.mimetype == "text/csv"
    text = exported.get_data(as_text=True).removeprefix("\ufeff")  # the BOM Excel wants
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][:4] == ["Kode", "Toko", "Wilayah", "Status"] and len(table) == 51
    by_shop = {row[1]: row for row in table[1:]}
    for name, k in network.items():
        every = k["portal"] + k["other"]
        share = by_shop[name][10].replace(",", ".")  # written the Indonesian way, 0,5
        assert (Decimal(share) if share else None) == (
            round(Decimal(k["portal"]) / every, 4) if every else None
        )
    # and as XLSX, with numbers as number cells
    book = load_workbook(
        io.BytesIO(logged_in.get("/admin/sales/retailers?end=2026-11-30&format=xlsx").data)
    )
    sheet = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert sheet[0][:4] == ["Kode", "Toko", "Wilayah", "Status"] and len(sheet) == 51
    assert sorted(str(row[1]) for row in sheet[1:]) == sorted(row[1] for row in table[1:])
    assert {row[3] for row in table[1:]} == {
        "baru",
        "aktif",
        "menurun",
        "tidak aktif",
        "belum pernah",
    }
