"""Sales analysis against the books and against figures the test works out itself: counter
sales of products in two categories and a free line to three retailers in two areas and to
walk-in customers, with PPN charged, a line discount, a return, and sales just outside the
range; every breakdown adds up to the revenue of the Laba Rugi for November."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from collections import defaultdict
from decimal import Decimal

import pytest

from niaga import settings
from niaga.clock import shop_today

pytestmark = pytest.mark.plugins("sales", "inventory", "cashbank")

WIB = dt.timezone(dt.timedelta(hours=7))
START, END = dt.date(2026, 11, 1), dt.date(2026, 11, 30)
PRODUCTS = {  # sku: (name, category, price)
    "KOPI": ("Kopi bubuk 200 g", "Minuman", Decimal(15000)),
    "TEH": ("Teh celup", "Minuman", Decimal(8000)),
    "GULA": ("Gula pasir 1 kg", "Sembako", Decimal(14000)),
}
CUSTOMERS = {"A": "Palu", "B": "Palu", "C": "Donggala"}
# (day, customer or None for walk-in, [(sku or free text, quantity, discount %)])
SALES = [
    (dt.date(2026, 10, 31), "A", [("KOPI", 5, 0)]),  # the day before: not in November
    (dt.date(2026, 11, 2), "A", [("KOPI", 3, 10), ("GULA", 2, 0)]),
    (dt.date(2026, 11, 2), None, [("TEH", 4, 0)]),
    (dt.date(2026, 11, 9), "B", [("GULA", 10, 0), ("Ongkos kirim", 1, 0)]),
    (dt.date(2026, 11, 15), "C", [("TEH", 6, 0), ("KOPI", 2, 0)]),
    (dt.date(2026, 11, 30), None, [("GULA", 1, 0)]),
    (dt.date(2026, 12, 1), "B", [("TEH", 1, 0)]),  # the day after
]
FREE_PRICE = Decimal(5000)
RETURN = ("B", "GULA", 3, dt.date(2026, 11, 20))  # 3 of B's 10 kg of sugar come back


def at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=WIB)


@pytest.fixture
def shop(api, db, shop_clock):
    settings.put(db, "core.vat_registered", True)  # PPN charged: the analysis is before it
    db.commit()
    shop_clock(at(dt.date(2026, 10, 1)))
    products = {}
    for sku, (name, category, price) in PRODUCTS.items():
        made = api.post(
            "/api/inventory/products",
            json={
                "sku": sku,
                "name": name,
                "base_unit": "pcs",
                "price": str(price),
                "category": category,
            },
        )
        assert made.status_code == 201, made.get_json()
        products[sku] = made.get_json()["id"]
        received = api.post(
            "/api/inventory/receipts",
            json={"lines": [{"product_id": products[sku], "quantity": "100", "cost": "5000"}]},
        )
        assert received.status_code == 201, received.get_json()
    customers = {}
    for code, area in CUSTOMERS.items():
        made = api.post("/api/sales/customers", json={"shop_name": f"Toko {code}", "area": area})
        customers[code] = made.get_json()["id"]
    assert api.post("/api/sales/pos/sessions", json={"opening_cash": "0"}).status_code in (200, 201)
    invoices = {}
    for day, code, lines in SALES:
        shop_clock(at(day))
        body = []
        for what, quantity, discount in lines:
            if what in products:
                line = {
                    "product_id": products[what],
                    "quantity": str(quantity),
                    "unit_price": str(PRODUCTS[what][2]),
                }
            else:
                line = {
                    "description": what,
                    "quantity": str(quantity),
                    "unit_price": str(FREE_PRICE),
                }
            if discount:
                line["discount_percent"] = str(discount)
            body.append(line)
        sold = api.post(
            "/api/sales/pos/sales",
            json={
                "client_ref": uuid.uuid4().hex,
                "customer_id": customers[code] if code else None,
                "lines": body,
            },
        )
        assert sold.status_code == 201, sold.get_json()
        invoices[(day, code)] = sold.get_json()["invoice"]
    code, sku, quantity, day = RETURN
    invoice = invoices[(dt.date(2026, 11, 9), code)]
    line_id = next(li["id"] for li in invoice["lines"] if li["product_id"] == products[sku])
    shop_clock(at(day))
    returned = api.post(
        f"/api/sales/invoices/{invoice['id']}/returns",
        json={"lines": [{"invoice_line_id": line_id, "quantity": str(quantity)}]},
    )
    assert returned.status_code == 201, returned.get_json()
    shop_clock(at(END))
    return {"products": products, "customers": customers}


def expected(shop) -> dict[str, dict[str, Decimal]]:
    """Net sales of November before PPN by each breakdown, from SALES and RETURN."""
    found: dict[str, dict[str, Decimal]] = {
        by: defaultdict(Decimal) for by in ("retailer", "area", "product", "category", "day")
    }
    ids, customers = shop["products"], shop["customers"]

    def add(day, code, what, amount):
        product = PRODUCTS.get(what)
        found["retailer"][str(customers[code]) if code else "walk-in"] += amount
        found["area"][CUSTOMERS[code] if code else ""] += amount
        found["product"][f"product:{ids[what]}" if product else f"text:{what.lower()}"] += amount
        found["category"][product[1] if product else ""] += amount
        found["day"][day.isoformat()] += amount

    for day, code, lines in SALES:
        if not START <= day <= END:
            continue
        for what, quantity, discount in lines:
            price = PRODUCTS[what][2] if what in PRODUCTS else FREE_PRICE
            add(day, code, what, quantity * price * (100 - discount) / 100)
    code, sku, quantity, day = RETURN
    add(day, code, sku, -quantity * PRODUCTS[sku][2])
    return {by: dict(values) for by, values in found.items()}


def analysis(api, by: str) -> dict:
    answer = api.get(f"/api/sales/analysis?start={START}&end={END}&by={by}")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def test_every_breakdown_adds_up_to_the_revenue_in_the_books(api, db, shop):
    from niaga_cashbank.reports import month_period, profit_and_loss

    want = expected(shop)
    total = sum(want["day"].values())
    # 40.500 + 28.000 + 32.000 + 140.000 + 5.000 + 48.000 + 30.000 + 14.000 - 42.000
    assert total == Decimal(295500)
    books = profit_and_loss(db, month_period(shop_today(db)), compare=False)
    assert books.totals["revenue"] == total
    for by, values in want.items():
        got = analysis(api, by)
        assert Decimal(got["total"]) == total, by
        rows = {r["key"]: Decimal(r["sales"]) for r in got["rows"]}
        if by == "retailer":  # the walk-in customer is a customer of its own
            walk_in = next(k for k in rows if int(k) not in shop["customers"].values())
            rows["walk-in"] = rows.pop(walk_in)
        assert rows == values, by
    sugar = next(
        r
        for r in analysis(api, "product")["rows"]
        if r["key"] == f"product:{shop['products']['GULA']}"
    )
    assert (Decimal(sugar["invoiced"]), Decimal(sugar["returned"])) == (
        Decimal(182000),
        Decimal(42000),
    )


def test_the_list_apis_filter_by_date(api, shop):
    invoices = api.get("/api/sales/invoices?date_from=2026-11-01&date_to=2026-11-30").get_json()
    assert sorted(i["invoice_date"] for i in invoices) == sorted(
        day.isoformat() for day, _, _ in SALES if START <= day <= END
    )
    assert (
        api.get("/api/sales/invoices?date_from=2026-12-01").get_json()[0]["invoice_date"]
        == "2026-12-01"
    )
    assert api.get("/api/sales/orders?date_from=bad").status_code == 422
    assert api.get("/api/sales/analysis?by=colour").status_code == 422
    refused = api.get("/api/sales/analysis?start=2026-11-30&end=2026-11-01")
    assert refused.status_code == 422


def test_the_screen_in_indonesian_shows_the_total_chart_and_csv(logged_in, shop):
    page = logged_in.get(f"/admin/sales/analysis?start={START}&end={END}&by=category")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Analisis penjualan" in html
    assert "Rp 295.500" in html and 'id="analysis-chart"' in html
    assert "Minuman" in html and "Sembako" in html and "(tanpa kategori)" in html
    exported = logged_in.get(f"/admin/sales/analysis?start={START}&end={END}&by=area&format=csv")
    assert exported.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    # plain numbers a spreadsheet reads; the last row is the total
    assert [Decimal(v) for v in rows[-1][1:]] == [Decimal(337500), Decimal(42000), Decimal(295500)]
    by_area = {r[0]: Decimal(r[3]) for r in rows[1:-1]}
    assert by_area == {
        "Palu": Decimal(40500 + 28000 + 140000 + 5000 - 42000),
        "Donggala": Decimal(48000 + 30000),
        "(tanpa wilayah)": Decimal(32000 + 14000),
    }
    bad = logged_in.get("/admin/sales/analysis?start=31-11-2026")
    assert bad.status_code == 200 and "flash error" in bad.get_data(as_text=True)
