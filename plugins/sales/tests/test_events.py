"""What other plugins see: events with contract Documents, discounts contributed through
``sales_adjustments``, and validation hooks that can refuse."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from niaga import hookimpl
from niaga.contracts import Document
from niaga.errors import Refused
from niaga_sales.contracts import Adjustment

pytestmark = pytest.mark.plugins("sales")


class Spy:
    """A stand-in for loyalty and cash/bank: hears every sales event, gives a voucher."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, Any]] = []
        self.refuse_cancel = False

    @hookimpl
    def sales_adjustments(self, session: Any, order: Any, customer_id: Any) -> list[Adjustment]:
        if order.data.get("voucher_code") == "HEMAT5":
            return [Adjustment("voucher", "Voucher HEMAT5", Decimal("-5000"), "loyalty", "v:1")]
        return []

    @hookimpl
    def sales_validate_order(self, session: Any, order: Any, action: str) -> None:
        if action == "cancel" and self.refuse_cancel:
            raise Refused("Voucher already redeemed elsewhere")

    @hookimpl
    def sales_order_confirmed(self, session: Any, order: Any) -> None:
        self.heard.append(("confirmed", order))

    @hookimpl
    def sales_order_cancelled(self, session: Any, order: Any) -> None:
        self.heard.append(("cancelled", order))

    @hookimpl
    def sales_order_delivered(self, session: Any, order: Any, delivery: Any) -> None:
        self.heard.append(("delivered", delivery))

    @hookimpl
    def sales_invoice_issued(self, session: Any, invoice: Any) -> None:
        self.heard.append(("issued", invoice))

    @hookimpl
    def sales_invoice_paid(self, session: Any, invoice: Any, payment: Any) -> None:
        self.heard.append(("paid", payment))

    @hookimpl
    def sales_return_posted(self, session: Any, credit_note: Any) -> None:
        self.heard.append(("returned", credit_note))

    def kinds(self) -> list[str]:
        return [name for name, _ in self.heard]

    def last(self, name: str) -> Any:
        return [value for kind, value in self.heard if kind == name][-1]


@pytest.fixture
def spy(app: Any) -> Iterator[Spy]:
    listener = Spy()
    host = app.extensions["niaga"].host
    host.pm.register(listener, name="spy")
    host._callers.clear()
    yield listener
    host.pm.unregister(listener)
    host._callers.clear()


def test_events_carry_contract_documents(api, customer, line, spy):
    order = api.post(
        "/api/sales/orders",
        json={
            "customer_id": customer["id"],
            "lines": [line("Susu kental", "4", "12500")],
            "voucher_code": "HEMAT5",
        },
    ).get_json()
    adjustment = [x for x in order["lines"] if x["kind"] == "adjustment"]
    assert adjustment[0]["source"] == "loyalty" and Decimal(adjustment[0]["net"]) == -5000
    assert Decimal(order["total"]) == Decimal("45000")
    api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    confirmed = spy.last("confirmed")
    assert isinstance(confirmed, Document)
    assert confirmed.reference == f"sales.order:{order['id']}"
    assert confirmed.party_id == customer["id"]
    assert confirmed.data["voucher_code"] == "HEMAT5"
    assert confirmed.data["adjustments"] == [
        {"source": "loyalty", "reference": "v:1", "amount": "-5000"}
    ]
    assert confirmed.subtotal == sum(x.net for x in confirmed.lines) - confirmed.discount

    api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    delivery = spy.last("delivered")
    assert delivery.kind == "sales.delivery" and delivery.data["order"] == confirmed.reference
    invoice = api.post(f"/api/sales/orders/{order['id']}/invoice").get_json()
    issued = spy.last("issued")
    assert issued.reference == f"sales.invoice:{invoice['id']}"
    assert issued.data["order"] == confirmed.reference and issued.total == Decimal("45000")
    api.post(f"/api/sales/invoices/{invoice['id']}/payments", json={"amount": "45000"})
    paid = spy.last("paid")
    assert paid.target == issued.reference and paid.amount == 45000 and paid.method == "cash"
    api.post(
        f"/api/sales/invoices/{invoice['id']}/returns",
        json={"lines": [{"invoice_line_id": invoice["lines"][0]["id"], "quantity": "1"}]},
    )
    returned = spy.last("returned")
    assert returned.kind == "sales.credit_note"
    assert returned.related == issued.reference
    assert returned.data["order"] == confirmed.reference
    assert spy.kinds() == ["confirmed", "delivered", "issued", "paid", "returned"]


def test_pos_sale_raises_issued_and_paid(api, spy):
    api.post("/api/sales/pos/sessions", json={})
    api.post(
        "/api/sales/pos/sales",
        json={
            "client_ref": "till-1-000009",
            "lines": [{"description": "Es teh", "quantity": "2", "unit_price": "5000"}],
            "method": "qris",
        },
    )
    assert spy.kinds() == ["issued", "paid"]
    assert spy.last("issued").data["pos_sale"].startswith("sales.pos_sale:")
    assert spy.last("paid").method == "qris"


def test_validation_hook_can_refuse_a_cancel(api, customer, line, spy):
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line("x", "1", "1000")]}
    ).get_json()
    api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
    spy.refuse_cancel = True
    refused = api.post(f"/api/sales/orders/{order['id']}/cancel")
    assert refused.status_code == 422
    assert api.get(f"/api/sales/orders/{order['id']}").get_json()["state"] == "confirmed"
    spy.refuse_cancel = False
    assert api.post(f"/api/sales/orders/{order['id']}/cancel").status_code == 200
    assert spy.kinds() == ["confirmed", "cancelled"]
