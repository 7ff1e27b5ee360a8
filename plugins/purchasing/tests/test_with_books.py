"""With inventory and cash/bank enabled, the books follow purchasing: receipt, bill,
payments and a return each post balanced entries that clear goods-received-not-billed and
the payable."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest

pytestmark = pytest.mark.plugins("purchasing", "inventory", "cashbank")

PERSEDIAAN, GRNI, UTANG, PPN_MASUKAN, BANK, KAS = (
    "1-1400",
    "2-1150",
    "2-1100",
    "1-1500",
    "1-1200",
    "1-1100",
)


def balances(api: Any) -> dict[str, Decimal]:
    """Debit minus credit per account code over every journal entry."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    entries = api.get("/api/cashbank/entries?page_size=100").get_json()
    for entry in entries:
        for line in entry["lines"]:
            totals[line["account_code"]] += Decimal(line["debit"]) - Decimal(line["credit"])
    assert sum(totals.values()) == 0  # every entry balances
    return totals


def test_books_follow_receipts_bills_payments_and_returns(
    api: Any, supplier: dict, make_order: Any, confirm_order: Any
) -> None:
    product = api.post(
        "/api/inventory/products",
        json={"sku": "KOPI", "name": "Kopi 200 g", "base_unit": "bungkus", "units": {"dus": "24"}},
    ).get_json()
    order = make_order(
        supplier["id"],
        [{"product_id": product["id"], "quantity": "2", "unit": "dus", "unit_price": "240000"}],
    )
    confirm_order(order["id"])
    line = order["lines"][0]
    for quantity in ("1", "1"):
        response = api.post(
            "/api/purchasing/receipts",
            json={
                "order_id": order["id"],
                "lines": [{"order_line_id": line["id"], "quantity": quantity}],
            },
        )
        assert response.status_code == 201, response.get_json()
    books = balances(api)
    assert books[PERSEDIAAN] == Decimal("480000")
    assert books[GRNI] == Decimal("-480000")

    bill = api.post(
        "/api/purchasing/bills", json={"order_id": order["id"], "post": True}
    ).get_json()
    books = balances(api)
    assert books[GRNI] == 0
    assert books[PPN_MASUKAN] == Decimal("52800")  # 480.000 x 11/12 x 12 %
    assert books[UTANG] == -Decimal(bill["total"])

    url = f"/api/purchasing/bills/{bill['id']}/payments"
    assert api.post(url, json={"amount": "300000", "method": "bank_transfer"}).status_code == 201
    assert api.post(url, json={"amount": "100000", "method": "cash"}).status_code == 201
    books = balances(api)
    assert books[BANK] == Decimal("-300000") and books[KAS] == Decimal("-100000")
    assert books[UTANG] == -(Decimal(bill["total"]) - 400000)

    back = api.post(
        "/api/purchasing/returns",
        json={
            "bill_id": bill["id"],
            "lines": [{"bill_line_id": bill["lines"][0]["id"], "quantity": "0.5"}],
        },
    )
    assert back.status_code == 201, back.get_json()
    books = balances(api)
    assert books[PERSEDIAAN] == Decimal("360000")
    assert books[UTANG] == -(Decimal(bill["total"]) - 400000 - Decimal(back.get_json()["total"]))
