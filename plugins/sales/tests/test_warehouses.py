"""Issue 22, several warehouses: an order, its delivery, a counter sale and a return take
and bring back stock in the warehouse chosen for them, never in another; the books show
the same entries whichever warehouse the goods left from; a warehouse cannot sell more
than it holds even when another has plenty.

Every expected quantity and amount is worked out here from what the test received and sold.
"""

from __future__ import annotations

import uuid
from collections import Counter
from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga import settings

pytestmark = pytest.mark.plugins("sales", "inventory", "cashbank")

COST, PRICE = Decimal(10000), Decimal(15000)


@pytest.fixture
def stocked(api, db, customer):
    """Coffee: 50 in the default warehouse, 20 in Cabang Donggala (same cost)."""
    settings.put(db, "core.vat_registered", True)
    db.commit()
    product = api.post(
        "/api/inventory/products",
        json={"sku": "KP-01", "name": "Kopi", "base_unit": "pcs", "price": str(PRICE)},
    ).get_json()
    branch = api.post("/api/inventory/warehouses", json={"code": "DGL", "name": "Cabang Donggala"})
    assert branch.status_code == 201, branch.get_json()
    warehouses = api.get("/api/inventory/warehouses").get_json()
    default = next(w["id"] for w in warehouses if w["is_default"])
    for warehouse, quantity in ((default, "50"), (branch.get_json()["id"], "20")):
        received = api.post(
            "/api/inventory/receipts",
            json={
                "lines": [
                    {
                        "product_id": product["id"],
                        "quantity": quantity,
                        "cost": str(COST),
                        "warehouse_id": warehouse,
                    }
                ]
            },
        )
        assert received.status_code == 201, received.get_json()
    return {
        "product": product["id"],
        "default": default,
        "branch": branch.get_json()["id"],
        "customer": customer["id"],
    }


def on_hand(api, product_id: int) -> dict[int, tuple[Decimal, Decimal]]:
    """``{warehouse id: (on hand, reserved)}`` as inventory reports it."""
    found = api.get(f"/api/inventory/products/{product_id}/stock").get_json()
    return {
        w["warehouse_id"]: (Decimal(w["on_hand"]), Decimal(w["reserved"]))
        for w in found["warehouses"]
    }


def sell(api, shop, quantity: str, warehouse_id: int | None) -> dict:
    """An order confirmed, delivered and invoiced; from ``warehouse_id`` when given."""
    body = {
        "customer_id": shop["customer"],
        "lines": [{"product_id": shop["product"], "quantity": quantity}],
    }
    if warehouse_id is not None:
        body["warehouse_id"] = warehouse_id
    order = api.post("/api/sales/orders", json=body)
    assert order.status_code == 201, order.get_json()
    order = order.get_json()
    confirmed = api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    assert confirmed.status_code == 200, confirmed.get_json()
    delivered = api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    assert delivered.status_code == 201, delivered.get_json()
    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice")
    assert invoice.status_code == 201, invoice.get_json()
    return {"order": confirmed.get_json(), "invoice": invoice.get_json()}


def entries(db, invoice_id: int, order_id: int) -> Counter:
    """The journal lines of a sale (its invoice and its delivery's stock moves) as
    ``(account code, debit, credit)``, without ids or dates."""
    from niaga_cashbank.models import JournalEntry, JournalLine

    db.expire_all()
    rows = db.scalars(
        sa.select(JournalLine)
        .join(JournalEntry)
        .where(
            sa.or_(
                JournalEntry.reference == f"sales.invoice:{invoice_id}",
                JournalEntry.reference == f"sales.order:{order_id}",
                JournalLine.document == f"sales.invoice:{invoice_id}",
            )
        )
    ).all()
    return Counter((line.account_code, line.debit, line.credit) for line in rows)


def test_a_sale_from_the_second_warehouse_moves_stock_only_there(api, db, stocked):
    before = on_hand(api, stocked["product"])
    assert before[stocked["default"]] == (Decimal(50), Decimal(0))
    assert before[stocked["branch"]] == (Decimal(20), Decimal(0))
    order = api.post(
        "/api/sales/orders",
        json={
            "customer_id": stocked["customer"],
            "lines": [{"product_id": stocked["product"], "quantity": "8"}],
            "warehouse_id": stocked["branch"],
        },
    ).get_json()
    assert order["warehouse_id"] == stocked["branch"]
    api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    # reserved in the branch only
    assert on_hand(api, stocked["product"])[stocked["branch"]] == (Decimal(20), Decimal(8))
    assert on_hand(api, stocked["product"])[stocked["default"]] == (Decimal(50), Decimal(0))
    api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    after = on_hand(api, stocked["product"])
    assert after[stocked["branch"]] == (Decimal(12), Decimal(0))
    assert after[stocked["default"]] == (Decimal(50), Decimal(0))
    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice").get_json()
    # a return goes back to the branch the goods left from
    line_id = invoice["lines"][0]["id"]
    returned = api.post(
        f"/api/sales/invoices/{invoice['id']}/returns",
        json={"lines": [{"invoice_line_id": line_id, "quantity": "3"}]},
    )
    assert returned.status_code == 201, returned.get_json()
    after = on_hand(api, stocked["product"])
    assert after[stocked["branch"]] == (Decimal(15), Decimal(0))
    assert after[stocked["default"]] == (Decimal(50), Decimal(0))
    listed = api.get(f"/api/sales/orders?warehouse_id={stocked['branch']}").get_json()
    assert [o["id"] for o in listed] == [order["id"]]


def test_the_books_are_the_same_whichever_warehouse_sells(api, db, stocked):
    from niaga.clock import shop_today
    from niaga_cashbank.reports import month_period, profit_and_loss

    main = sell(api, stocked, "5", None)
    branch = sell(api, stocked, "5", stocked["branch"])
    assert main["order"]["warehouse_id"] == stocked["default"]  # the default, written down
    assert branch["order"]["warehouse_id"] == stocked["branch"]
    first = entries(db, main["invoice"]["id"], main["order"]["id"])
    second = entries(db, branch["invoice"]["id"], branch["order"]["id"])
    assert first and first == second
    # the test's own figures: 10 sold at 15.000 (cost 10.000), PPN 12 % of 11/12
    report = profit_and_loss(db, month_period(shop_today(db)), compare=False)
    assert report.totals["revenue"] == 10 * PRICE
    assert report.totals["cost"] == 10 * COST
    stock = api.get(f"/api/inventory/products/{stocked['product']}/stock").get_json()
    assert Decimal(stock["value"]) == (70 - 10) * COST
    by_branch = api.get("/api/sales/analysis?by=warehouse").get_json()
    rows = {int(r["key"]): Decimal(r["sales"]) for r in by_branch["rows"]}
    assert rows == {stocked["default"]: 5 * PRICE, stocked["branch"]: 5 * PRICE}
    assert {r["label"] for r in by_branch["rows"]} == {"Gudang Utama", "Cabang Donggala"}


def test_the_second_warehouse_cannot_sell_more_than_it_holds(api, db, stocked):
    order = api.post(
        "/api/sales/orders",
        json={
            "customer_id": stocked["customer"],
            "lines": [{"product_id": stocked["product"], "quantity": "21"}],
            "warehouse_id": stocked["branch"],
        },
    ).get_json()
    refused = api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    assert refused.status_code == 409, refused.get_json()
    assert refused.get_json()["error"]["code"] == "insufficient_stock"
    assert api.get(f"/api/sales/orders/{order['id']}").get_json()["state"] == "draft"
    # the counter of the branch is refused too, although the default warehouse has 50
    opened = api.post(
        "/api/sales/pos/sessions", json={"opening_cash": "0", "warehouse_id": stocked["branch"]}
    )
    assert opened.status_code == 201, opened.get_json()
    assert opened.get_json()["warehouse_id"] == stocked["branch"]
    sale = api.post(
        "/api/sales/pos/sales",
        json={
            "client_ref": uuid.uuid4().hex,
            "lines": [{"product_id": stocked["product"], "quantity": "21"}],
        },
    )
    assert sale.status_code == 409, sale.get_json()
    assert on_hand(api, stocked["product"]) == {
        stocked["default"]: (Decimal(50), Decimal(0)),
        stocked["branch"]: (Decimal(20), Decimal(0)),
    }
    # within what it holds, the counter sells from the branch only
    sold = api.post(
        "/api/sales/pos/sales",
        json={
            "client_ref": uuid.uuid4().hex,
            "lines": [{"product_id": stocked["product"], "quantity": "20"}],
        },
    )
    assert sold.status_code == 201, sold.get_json()
    assert on_hand(api, stocked["product"]) == {
        stocked["default"]: (Decimal(50), Decimal(0)),
        stocked["branch"]: (Decimal(0), Decimal(0)),
    }


def test_an_unknown_or_inactive_warehouse_is_refused(api, stocked):
    body = {
        "customer_id": stocked["customer"],
        "lines": [{"product_id": stocked["product"], "quantity": "1"}],
    }
    unknown = api.post("/api/sales/orders", json={**body, "warehouse_id": 9999})
    assert unknown.status_code == 422, unknown.get_json()
    assert "warehouse_id" in unknown.get_json()["error"]["fields"]
    closed = api.patch(f"/api/inventory/warehouses/{stocked['branch']}", json={"active": False})
    assert closed.status_code == 200, closed.get_json()
    inactive = api.post("/api/sales/orders", json={**body, "warehouse_id": stocked["branch"]})
    assert inactive.status_code == 422
    session = api.post(
        "/api/sales/pos/sessions", json={"opening_cash": "0", "warehouse_id": stocked["branch"]}
    )
    assert session.status_code == 422
    assert api.get("/api/sales/orders").get_json() == []
