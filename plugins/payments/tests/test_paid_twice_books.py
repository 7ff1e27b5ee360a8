"""Money that arrives twice for one sales invoice, with sales and the books: the invoice
shows the overpayment, the later payment is flagged, ``niaga check`` names both before
anything is done, and one refund of the extra payment resolves all of it: the invoice is
paid once, the customer's credit is gone, the gateway's account holds one payment, and no
sales return is booked (nothing came back)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from niaga.runtime import collect
from niaga_cashbank.models import Account, JournalEntry, JournalLine
from niaga_payments import states
from niaga_payments.models import Payment
from niaga_payments.registry import use_standin
from niaga_payments.testing import Harness, configure
from niaga_sales.testing import invoiced

pytestmark = pytest.mark.plugins("sales", "payments", "cashbank")

PRICE = Decimal("150000")


def problems(db) -> list[str]:
    found = [p for _, items in collect("niaga_check", session=db) for p in items]
    db.commit()
    return found


def balances(db, reference: str | None = None) -> dict[str, Decimal]:
    """Debit minus credit per account code (of one document's entries, or all)."""
    statement = (
        sa.select(Account.code, sa.func.sum(JournalLine.debit) - sa.func.sum(JournalLine.credit))
        .join(Account, JournalLine.account_id == Account.id)
        .join(JournalEntry, JournalLine.entry_id == JournalEntry.id)
        .group_by(Account.code)
    )
    if reference is not None:
        statement = statement.where(JournalEntry.reference == reference)
    found = {code: Decimal(amount) for code, amount in db.execute(statement)}
    db.commit()
    return {code: amount for code, amount in found.items() if amount}


def test_paid_twice_is_shown_reported_and_refunded_in_the_books(app, db, api, midtrans_standin):
    configure(db, "midtrans", {"enabled": True, **midtrans_standin.settings})
    use_standin(app, "midtrans", midtrans_standin.base_url)
    customer = api.post("/api/sales/customers", json={"shop_name": "Toko Uji"}).get_json()
    line = {"description": "Beras 5 kg", "quantity": "2", "unit_price": "75000"}
    invoice = invoiced(api, customer["id"], [line])
    decoy = invoiced(api, customer["id"], [line])
    assert Decimal(invoice["total"]) == PRICE
    target = f"sales.invoice:{invoice['id']}"
    gateway = Harness(app, db, api, "midtrans", midtrans_standin)
    first = gateway.start(target)
    second = gateway.start(f"sales.invoice:{decoy['id']}")
    # two starts racing each other can both open a payment for one document
    db.execute(sa.update(Payment).where(Payment.id == second["id"]).values(target=target))
    db.commit()
    assert problems(db) == []
    gateway.pay(first)
    gateway.pay(second)

    shown = api.get(f"/api/sales/invoices/{invoice['id']}").get_json()
    db.commit()
    assert Decimal(shown["paid_amount"]) == 2 * PRICE  # the document shows the overpayment
    assert Decimal(shown["open_amount"]) == 0
    twice = gateway.payment(second["id"])
    assert twice.flagged and "Paid twice" in twice.flag_reason
    receivable = balances(db, target)["1-1300"]
    assert receivable == -PRICE  # the customer is in credit by one payment
    found = problems(db)
    assert f"payments: {target} is paid 2 times; refund the extra payments" in found
    assert any(f"payment {second['id']} needs review: Paid twice" in p for p in found)

    refund = api.post(f"/api/payments/{second['id']}/refunds", json={"reason": "dobel"})
    assert refund.status_code == 201, refund.get_json()
    db.commit()
    assert gateway.payment(second["id"]).status == states.REFUNDED
    assert not gateway.payment(second["id"]).flagged
    after = api.get(f"/api/sales/invoices/{invoice['id']}").get_json()
    db.commit()
    assert Decimal(after["paid_amount"]) == PRICE and after["state"] == "paid"
    books = balances(db)
    assert "1-1300" not in balances(db, target)  # no credit left on the invoice
    assert books["1-1300"] == PRICE  # only the decoy invoice is still owed
    assert books["1-1250"] == PRICE  # the gateway holds one payment, the other went back
    assert books["4-1000"] == -2 * PRICE  # two sales
    assert "4-1100" not in books  # a refund of money paid twice is no sales return
    assert problems(db) == []
