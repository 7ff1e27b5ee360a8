"""Retailer activity against figures the test works out itself: five retailers with counter
sales, a return and orders on known days; the period is the 30 days up to 30 November."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest

from niaga_sales import activity

pytestmark = pytest.mark.plugins("sales")

WIB = dt.timezone(dt.timedelta(hours=7))
END = dt.date(2026, 11, 30)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=WIB)


@pytest.fixture
def network(api, shop_clock):
    """A: 100.000 before, 120.000 now (and an order now); B: 400.000 before, 3 × 50.000 now
    of which one comes back; C: 50.000 now only; D: 80.000 before, a cancelled order now;
    E: nothing ever."""
    ids = {}
    for code in "ABCDE":
        answer = api.post(
            "/api/sales/customers", json={"shop_name": f"Toko {code}", "area": "Palu"}
        )
        assert answer.status_code == 201, answer.get_json()
        ids[code] = answer.get_json()["id"]
    shop_clock(at(dt.date(2026, 10, 1)))
    assert api.post("/api/sales/pos/sessions", json={"opening_cash": "0"}).status_code in (200, 201)

    def sale(code: str, day: dt.date, quantity: str, price: str) -> dict:
        shop_clock(at(day))
        answer = api.post(
            "/api/sales/pos/sales",
            json={
                "client_ref": uuid.uuid4().hex,
                "customer_id": ids[code],
                "lines": [{"description": "Gula 1 kg", "quantity": quantity, "unit_price": price}],
            },
        )
        assert answer.status_code == 201, answer.get_json()
        return answer.get_json()["invoice"]

    def order(code: str, day: dt.date, then: str | None = None) -> None:
        shop_clock(at(day))
        created = api.post(
            "/api/sales/orders",
            json={
                "customer_id": ids[code],
                "lines": [{"description": "Kopi", "quantity": "1", "unit_price": "10000"}],
            },
        )
        assert created.status_code == 201, created.get_json()
        if then:
            done = api.post(f"/api/sales/orders/{created.get_json()['id']}/{then}", json={})
            assert done.status_code == 200, done.get_json()

    sale("A", dt.date(2026, 10, 10), "2", "50000")
    sale("A", dt.date(2026, 11, 20), "2", "60000")
    order("A", dt.date(2026, 11, 25), then="confirm")
    sale("B", dt.date(2026, 10, 15), "8", "50000")
    b_now = sale("B", dt.date(2026, 11, 5), "3", "50000")
    shop_clock(at(dt.date(2026, 11, 10)))
    returned = api.post(
        f"/api/sales/invoices/{b_now['id']}/returns",
        json={"lines": [{"invoice_line_id": b_now["lines"][0]["id"], "quantity": "1"}]},
    )
    assert returned.status_code == 201, returned.get_json()
    sale("C", dt.date(2026, 11, 29), "1", "50000")
    sale("D", dt.date(2026, 10, 20), "1", "80000")
    order("D", dt.date(2026, 11, 28), then="cancel")
    order("E", dt.date(2026, 11, 28))  # a draft is not an order placed
    shop_clock(at(END))
    return ids


def test_status_and_action_plan_by_independent_figures(db, network):
    period = activity.period_ending(db, END)
    assert (period.start, period.before.start, period.before.end) == (
        dt.date(2026, 11, 1),
        dt.date(2026, 10, 2),
        dt.date(2026, 10, 31),
    )
    now = {"A": 120000, "B": 150000 - 50000, "C": 50000, "D": 0, "E": 0}
    before = {"A": 100000, "B": 400000, "C": 0, "D": 80000, "E": 0}
    selling = sorted(v for v in now.values() if v)
    middle = selling[len(selling) // 2]  # three sellers: the middle one
    expected = {}
    for code in "ABCDE":
        falling = now[code] < before[code] / 2
        high = now[code] > 0 and now[code] >= middle
        quadrant = {(True, False): "keep", (True, True): "rescue", (False, False): "develop"}.get(
            (high, falling or now[code] == 0), "reactivate"
        )
        expected[f"Toko {code}"] = (Decimal(now[code]), Decimal(before[code]), quadrant)
    found = {r.shop_name: r for r in activity.retailer_activity(db, period)}
    assert {name: (r.sales, r.sales_before, r.quadrant) for name, r in found.items()} == expected
    assert {name: r.status for name, r in found.items()} == {
        "Toko A": "active",
        "Toko B": "declining",
        "Toko C": "new",  # its first purchase ever is in the period
        "Toko D": "inactive",
        "Toko E": "never",
    }
    assert (found["Toko A"].orders, found["Toko D"].orders, found["Toko E"].orders) == (1, 0, 0)
    assert found["Toko A"].last_purchase == dt.date(2026, 11, 25)
    assert found["Toko A"].change == Decimal("0.2")


def test_the_screen_in_indonesian_filters_by_status(db, logged_in, network):
    page = logged_in.get("/admin/sales/retailers?days=30&end=2026-11-30").get_data(as_text=True)
    assert "Aktivitas pengecer" in page and "Rencana tindakan" in page
    assert re.search(r'data-status="declining">1<', page)
    assert "Toko B" in re.search(r'data-quadrant="rescue".*?</div>', page, re.S).group(0)
    only = logged_in.get("/admin/sales/retailers?status=inactive&end=2026-11-30").get_data(
        as_text=True
    )
    rows = re.findall(r'<tr data-customer="\d+" data-status="(\w+)"', only)
    assert rows == ["inactive"]
    assert "tidak aktif" in only
    assert "Rp 80.000" in only  # D's sales the month before


def test_a_bad_filter_is_explained_not_a_crash(logged_in, network):
    answer = logged_in.get("/admin/sales/retailers?days=abc&end=31-11-2026")
    assert answer.status_code == 200
    assert "flash error" in answer.get_data(as_text=True)
