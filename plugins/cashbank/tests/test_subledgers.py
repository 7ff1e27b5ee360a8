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
