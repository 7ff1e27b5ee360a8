"""Issue 18: what sales hands the books. Credit notes carry their share of order-level
discounts, and a delivery can be invoiced on its own, so revenue lands with its cost.

Every expected figure is worked out here from the prices, the 12 % PPN on an 11/12 base
and the discount, independently of the code under test.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from niaga import settings

pytestmark = pytest.mark.plugins("sales")

PPN = Decimal("0.12") * Decimal(11) / Decimal(12)


def rupiah(value: Decimal) -> Decimal:
    return value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)


@pytest.fixture
def pkp(db):
    settings.put(db, "core.vat_registered", True)
    db.commit()


def _order(api, customer, line, discount="10000"):
    order = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer["id"],
            "lines": [line("Kopi bubuk", "3", "50000"), line("Gula aren", "2", "25000")],
            "discount_amount": discount,
        },
    )
    assert order.status_code == 201, order.get_json()
    order = order.get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    return order


def test_full_return_of_a_discounted_invoice_credits_exactly_the_invoice(api, customer, line, pkp):
    order = _order(api, customer, line)
    api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice").get_json()
    items = {x["description"]: x for x in invoice["lines"] if x["kind"] == "item"}
    # the test's own figures: items 150.000 and 50.000, a discount of 10.000 before PPN
    discount_tax = rupiah(Decimal("-10000") * PPN)
    expected_total = (
        Decimal(200000) + rupiah(150000 * PPN) + rupiah(50000 * PPN) - 10000 + discount_tax
    )
    assert Decimal(invoice["total"]) == expected_total == Decimal("210900")
    first = api.post(
        f"/api/sales/invoices/{invoice['id']}/returns",
        json={"lines": [{"invoice_line_id": items["Kopi bubuk"]["id"], "quantity": "3"}]},
    )
    assert first.status_code == 201, first.get_json()
    first = first.get_json()
    # 150.000 of 200.000 came back: three quarters of the discount and of its PPN
    share_net, share_tax = rupiah(Decimal("-10000") * 3 / 4), rupiah(discount_tax * 3 / 4)
    assert Decimal(first["subtotal"]) == 150000 + share_net
    assert Decimal(first["tax"]) == rupiah(150000 * PPN) + share_tax
    second = api.post(
        f"/api/sales/invoices/{invoice['id']}/returns",
        json={"lines": [{"invoice_line_id": items["Gula aren"]["id"], "quantity": "2"}]},
    ).get_json()
    assert Decimal(first["total"]) + Decimal(second["total"]) == expected_total
    assert Decimal(first["tax"]) + Decimal(second["tax"]) == Decimal(invoice["tax"])
    after = api.get(f"/api/sales/invoices/{invoice['id']}").get_json()
    assert Decimal(after["credited_amount"]) == expected_total
    assert Decimal(after["open_amount"]) == 0
