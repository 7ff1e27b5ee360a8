"""Issue 18: what sales hands the books. Credit notes carry their share of order-level
discounts, and a delivery can be invoiced on its own, so revenue lands with its cost.

Every expected figure is worked out here from the prices, the 12 % PPN on an 11/12 base
and the discount, independently of the code under test.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
import sqlalchemy as sa

from niaga import settings
from niaga.clock import shop_today
from niaga_sales.models import Invoice

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


def _deliver(api, order, quantities):
    lines = [
        {"order_line_id": line["id"], "quantity": quantity}
        for line, quantity in zip(order["lines"], quantities, strict=False)
        if quantity
    ]
    delivery = api.post(
        f"/api/sales/orders/{order['id']}/deliveries", json={"lines": lines, "deliver": True}
    )
    assert delivery.status_code == 201, delivery.get_json()
    return delivery.get_json()


def test_invoices_per_delivery_add_up_to_the_order(api, customer, line, pkp):
    order = _order(api, customer, line)
    first = _deliver(api, order, ["1", "2"])
    invoice = api.post(f"/api/sales/deliveries/{first['id']}/invoice")
    assert invoice.status_code == 201, invoice.get_json()
    invoice = invoice.get_json()
    # 1 × 50.000 + 2 × 25.000 = 100.000 of 200.000: half the discount of 10.000
    net = Decimal(100000) - 5000
    tax = rupiah(50000 * PPN) + rupiah(50000 * PPN) + rupiah(Decimal(-10000) * PPN / 2)
    assert (Decimal(invoice["subtotal"]), Decimal(invoice["tax"])) == (net, tax)
    again = api.post(f"/api/sales/deliveries/{first['id']}/invoice")
    assert again.status_code == 409
    assert api.get(f"/api/sales/orders/{order['id']}").get_json()["state"] == (
        "partially_delivered"
    )
    _deliver(api, order, ["2", None])
    rest = api.post(f"/api/sales/orders/{order['id']}/invoice")
    assert rest.status_code == 201, rest.get_json()
    rest = rest.get_json()
    assert Decimal(invoice["total"]) + Decimal(rest["total"]) == Decimal(order["total"])
    assert Decimal(invoice["tax"]) + Decimal(rest["tax"]) == Decimal(order["tax"])
    assert api.get(f"/api/sales/orders/{order['id']}").get_json()["state"] == "invoiced"
    assert api.post(f"/api/sales/orders/{order['id']}/invoice").status_code == 409
    assert api.post("/api/sales/deliveries/999/invoice").status_code == 404


def test_a_delivery_of_an_order_invoiced_as_a_whole_is_not_invoiced_again(api, customer, line):
    order = _order(api, customer, line)
    delivery = _deliver(api, order, ["3", "2"])
    assert api.post(f"/api/sales/orders/{order['id']}/invoice").status_code == 201
    again = api.post(f"/api/sales/deliveries/{delivery['id']}/invoice")
    assert again.status_code == 409, again.get_json()


@pytest.mark.plugins("sales", "inventory", "cashbank")
def test_partial_delivery_books_revenue_with_its_cost(api, db, customer, pkp):
    """Issue 18 item 1: with ``sales.invoice_each_delivery`` the Laba Rugi after a first
    delivery shows its revenue beside its cost, never a gross loss."""
    from niaga_cashbank.reports import month_period, profit_and_loss

    settings.put(db, "sales.invoice_each_delivery", True)
    db.commit()
    product = api.post(
        "/api/inventory/products",
        json={"sku": "KP-01", "name": "Kopi", "base_unit": "pcs", "price": "15000"},
    ).get_json()
    received = api.post(
        "/api/inventory/receipts",
        json={"lines": [{"product_id": product["id"], "quantity": "100", "cost": "10000"}]},
    )
    assert received.status_code == 201, received.get_json()
    order = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer["id"],
            "lines": [{"product_id": product["id"], "quantity": "40"}],
            "discount_amount": "6000",
        },
    ).get_json()
    api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    _deliver(api, order, ["10"])
    report = profit_and_loss(db, month_period(shop_today(db)), compare=False)
    # 10 of 40 left: cost 10 × 10.000; revenue 10 × 15.000 less a quarter of the discount
    assert report.totals["cost"] == Decimal(100000)
    assert report.totals["revenue"] == Decimal(150000) - Decimal(6000) / 4
    assert report.totals["gross_profit"] == Decimal(48500)
    db.expire_all()
    assert db.scalars(sa.select(Invoice.subtotal)).all() == [Decimal(148500)]
