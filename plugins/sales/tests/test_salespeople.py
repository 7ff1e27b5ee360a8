"""Issue 22, salespeople: orders carry who took them, retailers who looks after them, and
a salesperson's achievement of a month is their net sales counted like the sales analysis
(invoiced less returned, before PPN, each document on its own date).

The expected achievement is worked out here from the prices, quantities and dates the test
uses, not read back from the code under test.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from niaga import settings

pytestmark = pytest.mark.plugins("sales", "inventory")

WIB = dt.timezone(dt.timedelta(hours=7))
PRICE = {"KOPI": Decimal(15000), "GULA": Decimal(14000)}
# (day, salesperson or None, retailer, [(sku, quantity, discount %)])
ORDERS = [
    (dt.date(2026, 10, 30), "ANI", "A", [("KOPI", 5, 0)]),  # October: not counted
    (dt.date(2026, 11, 3), "ANI", "A", [("KOPI", 4, 10), ("GULA", 2, 0)]),
    (dt.date(2026, 11, 12), "ANI", "B", [("GULA", 10, 0)]),
    (dt.date(2026, 11, 12), "BUDI", "C", [("KOPI", 6, 0)]),
    (dt.date(2026, 11, 20), None, "A", [("GULA", 3, 0)]),  # taken at the office
    (dt.date(2026, 12, 1), "ANI", "B", [("KOPI", 1, 0)]),  # December: not counted
]
RETURN = (dt.date(2026, 11, 25), 2, "GULA", 4)  # 4 kg of the 3rd order's sugar come back
TARGET = Decimal(300000)


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=WIB)


@pytest.fixture
def network(api, db, shop_clock, make_user):
    settings.put(db, "core.vat_registered", True)  # PPN charged; targets are before it
    db.commit()
    shop_clock(at(dt.date(2026, 10, 1)))
    products = {}
    for sku, price in PRICE.items():
        made = api.post(
            "/api/inventory/products",
            json={"sku": sku, "name": sku.title(), "base_unit": "pcs", "price": str(price)},
        )
        assert made.status_code == 201, made.get_json()
        products[sku] = made.get_json()["id"]
        api.post(
            "/api/inventory/receipts",
            json={"lines": [{"product_id": products[sku], "quantity": "500", "cost": "5000"}]},
        )
    login = make_user("cashier", email="ani@toko.id", name="Ani")
    people = {}
    for code, name, user in (("ANI", "Ani Lestari", login.id), ("BUDI", "Budi", None)):
        made = api.post(
            "/api/sales/salespeople", json={"code": code, "name": name, "user_id": user}
        )
        assert made.status_code == 201, made.get_json()
        people[code] = made.get_json()["id"]
    retailers = {}
    for code, owner in (("A", "ANI"), ("B", "ANI"), ("C", "BUDI")):
        made = api.post(
            "/api/sales/customers",
            json={"shop_name": f"Toko {code}", "salesperson_id": people[owner]},
        )
        assert made.status_code == 201, made.get_json()
        retailers[code] = made.get_json()["id"]
    invoices = []
    for day, person, retailer, lines in ORDERS:
        shop_clock(at(day))
        body = {
            "customer_id": retailers[retailer],
            "lines": [
                {
                    "product_id": products[sku],
                    "quantity": str(quantity),
                    **({"discount_percent": str(discount)} if discount else {}),
                }
                for sku, quantity, discount in lines
            ],
        }
        if person:
            body["salesperson_id"] = people[person]
        order = api.post("/api/sales/orders", json=body)
        assert order.status_code == 201, order.get_json()
        order_id = order.get_json()["id"]
        assert api.post(f"/api/sales/orders/{order_id}/confirm", json={}).status_code == 200
        api.post(f"/api/sales/orders/{order_id}/deliveries", json={"deliver": True})
        invoice = api.post(f"/api/sales/orders/{order_id}/invoice")
        assert invoice.status_code == 201, invoice.get_json()
        invoices.append(invoice.get_json())
    day, index, sku, quantity = RETURN
    shop_clock(at(day))
    line_id = next(li["id"] for li in invoices[index]["lines"] if li["product_id"] == products[sku])
    returned = api.post(
        f"/api/sales/invoices/{invoices[index]['id']}/returns",
        json={"lines": [{"invoice_line_id": line_id, "quantity": str(quantity)}]},
    )
    assert returned.status_code == 201, returned.get_json()
    # a counter sale in November: nobody's
    api.post("/api/sales/pos/sessions", json={"opening_cash": "0"})
    sold = api.post(
        "/api/sales/pos/sales",
        json={
            "client_ref": uuid.uuid4().hex,
            "lines": [{"product_id": products["KOPI"], "quantity": "2"}],
        },
    )
    assert sold.status_code == 201, sold.get_json()
    return {"people": people, "retailers": retailers, "products": products, "login": login}


def expected_november() -> dict[str | None, Decimal]:
    """Net sales before PPN of November per salesperson, from ORDERS and RETURN."""
    found: dict[str | None, Decimal] = {}
    for day, person, _, lines in ORDERS:
        if day.month != 11:
            continue
        for sku, quantity, discount in lines:
            amount = quantity * PRICE[sku] * (100 - discount) / 100
            found[person] = found.get(person, Decimal(0)) + amount
    day, index, sku, quantity = RETURN
    person = ORDERS[index][1]
    found[person] -= quantity * PRICE[sku]
    found[None] = found.get(None, Decimal(0)) + 2 * PRICE["KOPI"]  # the counter sale
    return found


def test_achievement_is_the_salespersons_net_sales_of_the_month(api, network):
    want = expected_november()
    # Ani: 4 × 15.000 − 10 % + 2 × 14.000 + 10 × 14.000 − 4 × 14.000 = 166.000
    assert want["ANI"] == Decimal(166000)
    assert want["BUDI"] == Decimal(90000)
    ani = network["people"]["ANI"]
    put = api.put(
        f"/api/sales/salespeople/{ani}/targets",
        json={"month": "2026-11-15", "amount": str(TARGET)},
    )
    assert put.status_code == 200, put.get_json()
    assert put.get_json()["month"] == "2026-11-01"
    rows = {r["salesperson"]: r for r in api.get("/api/sales/targets?month=2026-11-01").get_json()}
    assert Decimal(rows["Ani Lestari"]["achieved"]) == want["ANI"]
    assert Decimal(rows["Ani Lestari"]["target"]) == TARGET
    assert Decimal(rows["Ani Lestari"]["percent"]) == (want["ANI"] * 100 / TARGET).quantize(
        Decimal("0.1")
    )
    assert rows["Ani Lestari"]["retailers"] == 2
    assert Decimal(rows["Budi"]["achieved"]) == want["BUDI"]
    assert rows["Budi"]["target"] is None and rows["Budi"]["percent"] is None
    # the same figures as the analysis by salesperson, which adds up to the month's total
    analysis = api.get("/api/sales/analysis?start=2026-11-01&end=2026-11-30&by=salesperson")
    found = {r["key"]: Decimal(r["sales"]) for r in analysis.get_json()["rows"]}
    assert found == {
        str(ani): want["ANI"],
        str(network["people"]["BUDI"]): want["BUDI"],
        "": want[None],
    }
    assert Decimal(analysis.get_json()["total"]) == sum(want.values())
    # December so far: Ani's one order
    december = api.get("/api/sales/targets?month=2026-12-01").get_json()
    assert {r["salesperson"]: Decimal(r["achieved"]) for r in december} == {
        "Ani Lestari": PRICE["KOPI"],
        "Budi": Decimal(0),
    }


def test_orders_and_retailers_filter_by_salesperson(api, network):
    ani, budi = network["people"]["ANI"], network["people"]["BUDI"]
    mine = api.get(f"/api/sales/orders?salesperson_id={ani}").get_json()
    assert len(mine) == 4 and {o["salesperson_id"] for o in mine} == {ani}
    invoiced = api.get(f"/api/sales/invoices?salesperson_id={budi}").get_json()
    assert len(invoiced) == 1 and invoiced[0]["customer_id"] == network["retailers"]["C"]
    shops = api.get(f"/api/sales/customers?salesperson_id={budi}").get_json()
    assert [c["shop_name"] for c in shops] == ["Toko C"]
    moved = api.patch(
        f"/api/sales/customers/{network['retailers']['C']}", json={"salesperson_id": ani}
    )
    assert moved.status_code == 200 and moved.get_json()["salesperson_id"] == ani


def test_bad_salesperson_input_is_refused_without_a_trace(api, network):
    ani = network["people"]["ANI"]
    clash = api.post("/api/sales/salespeople", json={"code": "ani", "name": "Another"})
    assert (
        clash.status_code == 422 and clash.get_json()["error"]["code"] == "salesperson_code_taken"
    )
    same_login = api.post(
        "/api/sales/salespeople",
        json={"code": "CICI", "name": "Cici", "user_id": network["login"].id},
    )
    assert same_login.status_code == 422
    assert len(api.get("/api/sales/salespeople").get_json()) == 2
    negative = api.put(
        f"/api/sales/salespeople/{ani}/targets", json={"month": "2026-11-01", "amount": "-1"}
    )
    assert negative.status_code == 422
    unknown = api.post(
        "/api/sales/orders",
        json={
            "customer_id": network["retailers"]["A"],
            "lines": [{"product_id": network["products"]["KOPI"], "quantity": "1"}],
            "salesperson_id": 9999,
        },
    )
    assert unknown.status_code == 422 and "salesperson_id" in unknown.get_json()["error"]["fields"]
    api.patch(f"/api/sales/salespeople/{network['people']['BUDI']}", json={"active": False})
    inactive = api.post(
        "/api/sales/orders",
        json={
            "customer_id": network["retailers"]["A"],
            "lines": [{"product_id": network["products"]["KOPI"], "quantity": "1"}],
            "salesperson_id": network["people"]["BUDI"],
        },
    )
    assert inactive.status_code == 422
    assert api.get("/api/sales/targets?month=bad").status_code == 422
