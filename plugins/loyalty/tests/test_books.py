"""Issue 18: points in the books. Points follow the net sale after returns whenever the
return comes, and a gift releases the liability at the points' value (its cost is charged
to the promotion expense), so the liability in the ledger is outstanding points × value.

Expected figures are worked out here from the program (Rp 10.000 per point), the point
value (Rp 100) and the gift's cost, independently of the code under test.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from niaga.runtime import collect, hooks
from niaga_inventory.contracts import StockLine
from niaga_loyalty.models import Entry, Member

pytestmark = pytest.mark.plugins("loyalty", "inventory")

PER_POINT, POINT_VALUE = Decimal(10000), Decimal(100)


@pytest.fixture
def customer(api: Any) -> dict[str, Any]:
    response = api.post(
        "/api/sales/customers", json={"shop_name": "Toko Berkah", "phone": "0812888"}
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.fixture
def program(api: Any) -> None:
    assert api.post("/api/loyalty/programs", json={"name": "Poin Mitra"}).status_code == 201


def invoiced(api: Any, customer: dict[str, Any], quantity: str, price: str) -> dict[str, Any]:
    line = {"description": "Minyak 2 L", "quantity": quantity, "unit_price": price}
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]}
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
    return api.post(f"/api/sales/orders/{order['id']}/invoice").get_json()


def pay(api: Any, invoice: dict[str, Any], amount: Any) -> None:
    paid = api.post(f"/api/sales/invoices/{invoice['id']}/payments", json={"amount": str(amount)})
    assert paid.status_code == 201, paid.get_json()


def balance(db: Any, customer: dict[str, Any]) -> int:
    db.expire_all()
    member = db.scalars(sa.select(Member).where(Member.customer_id == customer["id"])).one()
    return member.balance


def test_return_before_the_final_payment_earns_on_the_net_sale(api, db, customer, program):
    invoice = invoiced(api, customer, "10", "70000")
    pay(api, invoice, 200000)
    returned = api.post(
        f"/api/sales/invoices/{invoice['id']}/returns",
        json={"lines": [{"invoice_line_id": invoice["lines"][0]["id"], "quantity": "3"}]},
    )
    assert returned.status_code == 201, returned.get_json()
    open_amount = api.get(f"/api/sales/invoices/{invoice['id']}").get_json()["open_amount"]
    pay(api, invoice, open_amount)
    # 7 of 10 kept: 490.000 earns 49 points, not the 70 of the whole invoice
    assert balance(db, customer) == int(7 * Decimal(70000) / PER_POINT) == 49
    earned = db.scalars(sa.select(Entry).where(Entry.kind == "earn")).one()
    assert earned.spend == 7 * Decimal(70000)


@pytest.mark.plugins("loyalty", "inventory", "cashbank")
def test_gift_releases_the_points_value_and_charges_its_cost(api, db, customer, program):
    from niaga_cashbank import ledger
    from niaga_cashbank.chart import account_by_code

    invoice = invoiced(api, customer, "10", "100000")
    pay(api, invoice, invoice["total"])
    earned = int(Decimal(1000000) / PER_POINT)
    assert balance(db, customer) == earned
    product = api.post(
        "/api/inventory/products",
        json={"sku": "PAYUNG", "name": "Payung", "base_unit": "pcs", "price": "50000"},
    ).get_json()
    hooks().inventory_receive(
        session=db,
        reference="purchasing.receipt:1",
        lines=[StockLine(product_id=product["id"], quantity=Decimal(1), cost=Decimal(20000))],
        kind="receipt",
    )
    db.commit()
    gift = api.post(
        "/api/loyalty/rewards",
        json={"name": "Payung", "kind": "gift", "points_cost": 40, "product_id": product["id"]},
    ).get_json()
    member = db.scalars(sa.select(Member).where(Member.customer_id == customer["id"])).one()
    redeemed = api.post(
        f"/api/loyalty/members/{member.id}/redemptions", json={"reward_id": gift["id"]}
    )
    assert redeemed.status_code == 201, redeemed.get_json()
    db.expire_all()
    left = earned - 40
    assert balance(db, customer) == left
    liability = ledger.balance(db, account_by_code(db, "2-1300"))
    assert liability == left * POINT_VALUE == Decimal(6000)
    # promotion expense: the points earned, less the 40 points' value released, plus the cost
    promotion = ledger.balance(db, account_by_code(db, "6-1400"))
    assert promotion == earned * POINT_VALUE - 40 * POINT_VALUE + 20000
    assert ledger.balance(db, account_by_code(db, "1-1400")) == 0
    problems = dict(collect("niaga_check", session=db))
    assert problems.get("loyalty") == [] and problems.get("cashbank") == [], problems


def test_a_return_on_an_unpaid_invoice_leaves_the_paid_invoice_points_alone(
    api, db, customer, program
):
    """Invoice per delivery: the first invoice earned when paid; a return on the second,
    before it is paid, takes nothing from the first — the second earns on its net."""
    from niaga import settings

    settings.put(db, "sales.invoice_each_delivery", True)
    db.commit()
    line = {"description": "Kopi", "quantity": "50", "unit_price": "15000"}
    order = api.post(
        "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]}
    ).get_json()
    assert api.post(f"/api/sales/orders/{order['id']}/confirm", json={}).status_code == 200
    for quantity in ("30", "20"):
        delivered = api.post(
            f"/api/sales/orders/{order['id']}/deliveries",
            json={
                "lines": [{"order_line_id": order["lines"][0]["id"], "quantity": quantity}],
                "deliver": True,
            },
        )
        assert delivered.status_code == 201, delivered.get_json()
    invoices = sorted(api.get("/api/sales/invoices").get_json(), key=lambda i: i["id"])
    first, second = invoices
    pay(api, first, first["total"])
    assert balance(db, customer) == int(30 * Decimal(15000) / PER_POINT) == 45
    returned = api.post(
        f"/api/sales/invoices/{second['id']}/returns",
        json={"lines": [{"invoice_line_id": second["lines"][0]["id"], "quantity": "5"}]},
    )
    assert returned.status_code == 201, returned.get_json()
    assert balance(db, customer) == 45  # the second invoice has earned nothing to take back
    pay(api, second, api.get(f"/api/sales/invoices/{second['id']}").get_json()["open_amount"])
    # 15 packs kept on the second invoice: 225.000 earns 22 points
    assert balance(db, customer) == 45 + int(15 * Decimal(15000) / PER_POINT) == 67
    # a return after both earned takes its share of its own invoice's points: 2 of 30
    # packs of the first invoice give back 2/30 of its 45 points (not of the order's 67)
    again = api.post(
        f"/api/sales/invoices/{first['id']}/returns",
        json={"lines": [{"invoice_line_id": first["lines"][0]["id"], "quantity": "2"}]},
    )
    assert again.status_code == 201, again.get_json()
    assert balance(db, customer) == 67 - 45 * 2 // 30 == 64
