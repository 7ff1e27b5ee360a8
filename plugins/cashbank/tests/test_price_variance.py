"""Issue 18 item 5: a return to the supplier at the bill's price while the stock leaves at
average cost clears Barang Diterima Belum Ditagih and puts the price difference on cost of
sales. Figures are worked out here from the two purchase prices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from niaga_cashbank import ledger

pytestmark = pytest.mark.plugins("purchasing", "inventory", "cashbank")


def balances(db: Any) -> dict[str, Decimal]:
    """Debit minus credit per account code, read from the ledger."""
    db.expire_all()
    net = ledger.net(db)
    return {account.code: net.get(account.id, Decimal(0)) for account in ledger.accounts(db)}


def bought(api: Any, supplier_id: int, product_id: int, price: str) -> dict[str, Any]:
    line = {"product_id": product_id, "quantity": "10", "unit_price": price}
    order = api.post(
        "/api/purchasing/orders", json={"supplier_id": supplier_id, "lines": [line]}
    ).get_json()
    for action in ("send", "confirm"):
        assert api.post(f"/api/purchasing/orders/{order['id']}/{action}").status_code == 200
    received = api.post(
        "/api/purchasing/receipts",
        json={
            "order_id": order["id"],
            "lines": [{"order_line_id": order["lines"][0]["id"], "quantity": "10"}],
        },
    )
    assert received.status_code == 201, received.get_json()
    bill = api.post("/api/purchasing/bills", json={"order_id": order["id"], "post": True})
    assert bill.status_code == 201, bill.get_json()
    return bill.get_json()


def test_return_at_the_bill_price_clears_grni_and_books_the_difference(api, db):
    supplier = api.post("/api/purchasing/suppliers", json={"name": "PT Sumber"}).get_json()
    product = api.post(
        "/api/inventory/products", json={"sku": "TEH", "name": "Teh", "base_unit": "pcs"}
    ).get_json()
    bought(api, supplier["id"], product["id"], "10000")
    second = bought(api, supplier["id"], product["id"], "12000")
    back = api.post(
        "/api/purchasing/returns",
        json={
            "bill_id": second["id"],
            "lines": [{"bill_line_id": second["lines"][0]["id"], "quantity": "5"}],
        },
    )
    assert back.status_code == 201, back.get_json()
    books = balances(db)
    average = (10 * Decimal(10000) + 10 * Decimal(12000)) / 20
    # 5 leave at the average 11.000 but the supplier credits the bill's 12.000 each
    assert books["1-1400"] == 15 * average
    assert books["2-1150"] == 0
    assert books["5-1000"] == -(5 * Decimal(12000) - 5 * average) == Decimal(-5000)
