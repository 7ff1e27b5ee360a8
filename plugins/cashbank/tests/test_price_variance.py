"""Issue 18 item 5: a return to the supplier at the bill's price while the stock leaves at
average cost clears Barang Diterima Belum Ditagih and puts the price difference on cost of
sales. Figures are worked out here from the two purchase prices."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from niaga.runtime import collect
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


def received(api: Any, supplier_id: int, product_id: int, price: str) -> dict[str, Any]:
    """10 units ordered and received at ``price``; returns the receipt."""
    line = {"product_id": product_id, "quantity": "10", "unit_price": price}
    order = api.post(
        "/api/purchasing/orders", json={"supplier_id": supplier_id, "lines": [line]}
    ).get_json()
    for action in ("send", "confirm"):
        assert api.post(f"/api/purchasing/orders/{order['id']}/{action}").status_code == 200
    receipt = api.post(
        "/api/purchasing/receipts",
        json={
            "order_id": order["id"],
            "lines": [{"order_line_id": order["lines"][0]["id"], "quantity": "10"}],
        },
    )
    assert receipt.status_code == 201, receipt.get_json()
    return receipt.get_json()


def billed_at(api: Any, receipt: dict[str, Any], price: str) -> dict[str, Any]:
    line = {"receipt_line_id": receipt["lines"][0]["id"], "unit_price": price}
    bill = api.post(
        "/api/purchasing/bills",
        json={"receipt_ids": [receipt["id"]], "lines": [line], "post": True},
    )
    assert bill.status_code == 201, bill.get_json()
    return bill.get_json()


def stock_value(api: Any, product_id: int) -> tuple[Decimal, Decimal]:
    """(average cost, stock value) of the product, from inventory's own valuation."""
    report = api.get("/api/inventory/valuation").get_json()
    row = next(r for r in report["lines"] if r["product_id"] == product_id)
    return Decimal(row["unit_cost"]), Decimal(row["value"])


def test_a_bill_priced_above_the_receipt_corrects_stock_on_hand_and_cost_of_what_is_sold(api, db):
    """Issue 18 item 5, bills: 10 received at 10.000, 4 sold, then billed at 10.500. The
    5.000 difference is 500 a unit: the 6 on hand take 3.000 into Persediaan (their average
    becomes 10.500), the 4 sold 2.000 into HPP; Barang Diterima Belum Ditagih ends at zero,
    and inventory's own stock value agrees with the ledger."""
    supplier = api.post("/api/purchasing/suppliers", json={"name": "CV Maju"}).get_json()
    product = api.post(
        "/api/inventory/products", json={"sku": "KOPI", "name": "Kopi", "base_unit": "pcs"}
    ).get_json()
    receipt = received(api, supplier["id"], product["id"], "10000")
    sold = api.post(
        "/api/inventory/issues", json={"lines": [{"product_id": product["id"], "quantity": "4"}]}
    )
    assert sold.status_code == 201, sold.get_json()
    bill = billed_at(api, receipt, "10500")
    assert Decimal(bill["subtotal"]) == 10 * Decimal(10500)
    books = balances(db)
    per_unit = Decimal(10500) - Decimal(10000)
    assert books["1-1400"] == 6 * Decimal(10000) + 6 * per_unit == Decimal(63000)
    assert books["5-1000"] == 4 * Decimal(10000) + 4 * per_unit == Decimal(42000)
    assert books["2-1150"] == 0
    assert books["2-1100"] == -(Decimal(105000) + Decimal(105000) * 11 / 100)  # with PPN
    assert stock_value(api, product["id"]) == (Decimal(10500), Decimal(63000))
    # the rest sold at the corrected average: cost of sales is what the bill charged
    api.post(
        "/api/inventory/issues", json={"lines": [{"product_id": product["id"], "quantity": "6"}]}
    )
    books = balances(db)
    assert books["5-1000"] == Decimal(105000) and books["1-1400"] == 0
    problems = dict(collect("niaga_check", session=db))
    assert not any(problems.values()), problems


def test_a_bill_priced_below_the_receipt_takes_value_out_of_stock(api, db):
    """All 10 still on hand, billed at 9.000 instead of 10.000: Persediaan loses 10.000,
    nothing reaches cost of sales, GRNI ends at zero."""
    supplier = api.post("/api/purchasing/suppliers", json={"name": "CV Maju"}).get_json()
    product = api.post(
        "/api/inventory/products", json={"sku": "GULA", "name": "Gula", "base_unit": "pcs"}
    ).get_json()
    receipt = received(api, supplier["id"], product["id"], "10000")
    billed_at(api, receipt, "9000")
    books = balances(db)
    assert books["1-1400"] == 10 * Decimal(9000)
    assert books["2-1150"] == 0 and books.get("5-1000", Decimal(0)) == 0
    assert stock_value(api, product["id"]) == (Decimal(9000), Decimal(90000))
