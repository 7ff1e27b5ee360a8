"""Issue 18 item 7: ``niaga check`` reconciles the sub-ledgers with their control accounts
(receivables invoice by invoice against Piutang Usaha, the points held against Liabilitas
Poin Loyalitas), is clean after real sales, payments, a return and points, and names the
account and the document when one side is broken on purpose."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.db import utcnow
from niaga.runtime import collect
from niaga_loyalty.models import Entry, Member
from niaga_sales.models import Invoice

pytestmark = pytest.mark.plugins("sales", "loyalty", "cashbank")


def cashbank_problems(db) -> list[str]:
    return dict(collect("niaga_check", session=db)).get("cashbank", [])


def test_check_reconciles_receivables_and_points_and_names_a_break(api, db):
    assert api.post("/api/loyalty/programs", json={"name": "Poin Mitra"}).status_code == 201
    customer = api.post(
        "/api/sales/customers", json={"shop_name": "Toko Jaya", "phone": "0813111"}
    ).get_json()
    invoices = []
    for price in ("50000", "80000"):
        line = {"description": "Beras", "quantity": "10", "unit_price": price}
        order = api.post(
            "/api/sales/orders", json={"customer_id": customer["id"], "lines": [line]}
        ).get_json()
        api.post(f"/api/sales/orders/{order['id']}/confirm", json={})
        api.post(f"/api/sales/orders/{order['id']}/deliveries", json={"deliver": True})
        invoices.append(api.post(f"/api/sales/orders/{order['id']}/invoice").get_json())
    first, second = invoices
    paid = api.post(f"/api/sales/invoices/{first['id']}/payments", json={"amount": "500000"})
    assert paid.status_code == 201, paid.get_json()
    api.post(f"/api/sales/invoices/{second['id']}/payments", json={"amount": "100000"})
    api.post(
        f"/api/sales/invoices/{second['id']}/returns",
        json={"lines": [{"invoice_line_id": second["lines"][0]["id"], "quantity": "2"}]},
    )
    db.expire_all()
    assert cashbank_problems(db) == []
    # break the receivables sub-ledger: sales forgets 1.000 paid on the second invoice
    db.execute(
        sa.update(Invoice)
        .where(Invoice.id == second["id"])
        .values(paid_amount=Invoice.paid_amount - 1000)
    )
    # and the points: a movement recorded behind the books' back
    member = db.scalars(sa.select(Member)).one()
    db.add(
        Entry(
            member_id=member.id,
            kind="adjust",
            points=7,
            value=Decimal(700),
            reference="test:behind-the-books",
            occurred_at=utcnow(),
        )
    )
    db.commit()
    problems = cashbank_problems(db)
    assert len(problems) == 2, problems
    receivable, points = problems
    assert receivable.startswith(f"1-1300 Piutang Usaha sales.invoice:{second['id']}:")
    # the books still hold the whole payment: they show 1.000 less owed than sales does
    assert receivable.endswith("(difference Rp -1.000)")
    assert points.startswith("2-1300 Liabilitas Poin Loyalitas:")
    assert points.endswith("(difference Rp -700)")


@pytest.mark.plugins("purchasing", "inventory", "cashbank")
def test_check_reconciles_payables_and_stock_and_names_a_break(api, db):
    """Utang Usaha bill by bill against purchasing, Persediaan against inventory's stock
    value: clean after a receipt, a bill, a part payment and a return; each named when its
    sub-ledger is changed behind the books' back."""
    from niaga_inventory.models import Valuation
    from niaga_purchasing.models import Bill

    supplier = api.post("/api/purchasing/suppliers", json={"name": "PT Sumber"}).get_json()
    product = api.post(
        "/api/inventory/products", json={"sku": "TEH", "name": "Teh", "base_unit": "pcs"}
    ).get_json()
    line = {"product_id": product["id"], "quantity": "10", "unit_price": "10000"}
    order = api.post(
        "/api/purchasing/orders", json={"supplier_id": supplier["id"], "lines": [line]}
    ).get_json()
    for action in ("send", "confirm"):
        api.post(f"/api/purchasing/orders/{order['id']}/{action}")
    api.post(
        "/api/purchasing/receipts",
        json={
            "order_id": order["id"],
            "lines": [{"order_line_id": order["lines"][0]["id"], "quantity": "10"}],
        },
    )
    bill = api.post("/api/purchasing/bills", json={"order_id": order["id"], "post": True})
    assert bill.status_code == 201, bill.get_json()
    bill = bill.get_json()
    api.post(f"/api/purchasing/bills/{bill['id']}/payments", json={"amount": "50000"})
    back = api.post(
        "/api/purchasing/returns",
        json={
            "bill_id": bill["id"],
            "lines": [{"bill_line_id": bill["lines"][0]["id"], "quantity": "1"}],
        },
    )
    assert back.status_code == 201, back.get_json()
    db.expire_all()
    assert cashbank_problems(db) == []
    db.execute(
        sa.update(Bill).where(Bill.id == bill["id"]).values(amount_paid=Bill.amount_paid + 2000)
    )
    db.execute(
        sa.update(Valuation)
        .where(Valuation.product_id == product["id"])
        .values(value=Valuation.value - 3000)
    )
    db.commit()
    payable, stock = cashbank_problems(db)
    assert payable.startswith(f"2-1100 Utang Usaha purchasing.bill:{bill['id']}:")
    # purchasing thinks 2.000 more was paid: the books show 2.000 more owed
    assert payable.endswith("(difference Rp 2.000)")
    assert stock.startswith("1-1400 Persediaan Barang Dagang: books Rp 90.000,")
    assert stock.endswith("inventory stock value Rp 87.000 (difference Rp 3.000)")
