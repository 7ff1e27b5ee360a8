"""Paying suppliers: full or partial payments against a posted bill, from a cash or bank
account. Paying more than is still owed is refused. A supplier who owes the shop on a bill
(goods returned after it was paid) pays back through :func:`receive_refund`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga import l10n, money
from niaga.clock import shop_today
from niaga.contracts import PaymentInfo
from niaga.errors import Invalid, Refused
from niaga.runtime import hooks
from niaga_purchasing.bills import get_bill, orders_of
from niaga_purchasing.documents import bill_document, reference
from niaga_purchasing.models import Bill, SupplierPayment
from niaga_purchasing.orders import refresh_status
from niaga_purchasing.settings import get as setting
from niaga_purchasing.settings import next_number

ZERO = Decimal("0")
METHODS = ("cash", "bank_transfer")
PAYABLE = ("posted", "partially_paid")


def settle_status(bill: Bill) -> None:
    """A posted bill is paid when nothing is open any more, partially paid in between."""
    if bill.status == "draft":
        return
    if bill.amount_open <= 0:
        bill.status = "paid"
    elif bill.amount_paid > 0:
        bill.status = "partially_paid"
    else:
        bill.status = "posted"


def pay_bill(
    session: Session, bill_id: int, data: dict[str, Any], refund: bool = False
) -> SupplierPayment:
    """Pay ``data["amount"]`` on a bill (``method`` cash or bank_transfer, ``account`` code
    defaulting to the cash or bank account setting); raises ``purchasing_bill_paid``.
    ``refund`` is for :func:`receive_refund` (a negative amount, checked there)."""
    bill = get_bill(session, bill_id, lock=True)
    amount = money.round_rupiah(Decimal(data["amount"]))
    if not refund:
        _check_payment(bill, amount)
    method = data.get("method") or "bank_transfer"
    if method not in METHODS:
        raise Invalid("Pay suppliers by cash or bank_transfer, not {method}", method=method)
    account = data.get("account") or setting(
        session, "cash_account" if method == "cash" else "bank_account"
    )
    paid_date: dt.date = data.get("paid_date") or shop_today(session)
    payment = SupplierPayment(
        number=next_number(session, "payment", paid_date),
        bill=bill,
        supplier_id=bill.supplier_id,
        amount=amount,
        method=method,
        account=account,
        paid_date=paid_date,
        reference=data.get("reference") or "",
    )
    session.add(payment)
    bill.amount_paid += amount
    settle_status(bill)
    session.flush()
    for order in orders_of(session, bill):
        refresh_status(session, order)
    session.flush()
    hooks().purchasing_bill_paid(
        session=session, bill=bill_document(bill), payment=payment_info(payment)
    )
    return payment


def _check_payment(bill: Bill, amount: Decimal) -> None:
    if bill.status not in PAYABLE:
        if bill.status == "draft":
            raise Refused("Post bill {number} before paying it", number=bill.number)
        raise Refused("Bill {number} is already paid", number=bill.number)
    if amount <= 0:
        raise Invalid("A payment must be more than zero", fields={"amount": ["more than zero"]})
    if amount > bill.amount_open:
        raise Refused(
            "Paying {amount} is more than the {open} still owed on bill {number}",
            amount=l10n.format_money(amount),
            open=l10n.format_money(bill.amount_open),
            number=bill.number,
            code="overpayment",
            fields={"amount": ["more than owed"]},
        )


def receive_refund(session: Session, bill_id: int, data: dict[str, Any]) -> SupplierPayment:
    """Money a supplier pays back on a bill it owes on (a return after the bill was paid):
    recorded as a payment the other way (a negative amount), into the cash or bank account
    of ``method``; raises ``purchasing_bill_paid`` with that negative amount, so the books
    take the money in and clear the supplier's debit balance. More than the supplier owes on
    the bill is refused."""
    bill = get_bill(session, bill_id, lock=True)
    owed_to_us = -bill.amount_open
    amount = money.round_rupiah(Decimal(data["amount"]))
    if amount <= 0:
        raise Invalid("A refund must be more than zero", fields={"amount": ["more than zero"]})
    if bill.status == "draft" or owed_to_us <= 0:
        raise Refused(
            "The supplier owes nothing on bill {number}",
            number=bill.number,
            code="nothing_to_refund",
        )
    if amount > owed_to_us:
        raise Refused(
            "A refund of {amount} is more than the {owed} the supplier owes on bill {number}",
            amount=l10n.format_money(amount),
            owed=l10n.format_money(owed_to_us),
            number=bill.number,
            code="over_refund",
            fields={"amount": ["more than owed"]},
        )
    return pay_bill(session, bill_id, {**data, "amount": -amount}, refund=True)


def payment_info(payment: SupplierPayment) -> PaymentInfo:
    """The contract value of a supplier payment (``target`` is the bill's reference)."""
    return PaymentInfo(
        id=payment.id,
        target=reference("bill", payment.bill_id),
        amount=payment.amount,
        method=payment.method,
        status="paid",
        occurred_at=payment.created_at,
        account=payment.account,
    )


def payments_query(bill_id: int | None = None, supplier_id: int | None = None) -> sa.Select[Any]:
    statement = sa.select(SupplierPayment).order_by(SupplierPayment.id.desc())
    if bill_id:
        statement = statement.where(SupplierPayment.bill_id == bill_id)
    if supplier_id:
        statement = statement.where(SupplierPayment.supplier_id == supplier_id)
    return statement
