"""PPh final UMKM (PP 55/2022): 0.5 % of a month's gross turnover.

Gross turnover (peredaran bruto) is what the month's sales invoices (counter sales
included) come to before PPN, less the month's credit notes. An individual taxpayer
(``tax.taxpayer_kind`` = ``individual``) pays nothing on the first Rp 500 juta of a
calendar year: the month that crosses it pays on the part above. Past Rp 4,8 miliar a year
the regime no longer fits (a warning; it is the tax office's call from the next year).
Paying stores the billing code and raises ``tax_pph_paid``; cash/bank posts the expense.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.clock import shop_today, shop_tz
from niaga.contracts import PaymentInfo
from niaga.errors import Conflict, Invalid, Refused
from niaga.money import ZERO, round_rupiah
from niaga.runtime import hooks
from niaga_sales.coretax import month_bounds
from niaga_sales.models import CreditNote, Invoice
from niaga_tax.models import PphPayment
from niaga_tax.settings import INDIVIDUAL, taxpayer_kind

RATE = Decimal("0.005")
#: the yearly turnover an individual taxpayer pays no PPh final on
EXEMPT_TURNOVER = Decimal("500000000")
#: the yearly turnover up to which PP 55/2022's final rate applies
TURNOVER_CAP = Decimal("4800000000")
#: a billing code (kode billing) has 15 digits
BILLING_CODE = re.compile(r"^[0-9]{15}$")
METHODS = ("bank_transfer", "cash")


@dataclass(frozen=True)
class PphFinal:
    month: str
    kind: str
    turnover: Decimal
    #: the year's turnover before this month
    earlier: Decimal
    #: the part of this month's turnover free of tax (the Rp 500 juta of an individual)
    exempt: Decimal
    tax: Decimal
    payment: PphPayment | None

    @property
    def taxable(self) -> Decimal:
        return self.turnover - self.exempt

    @property
    def year_to_date(self) -> Decimal:
        return self.earlier + self.turnover

    @property
    def over_cap(self) -> bool:
        return self.year_to_date > TURNOVER_CAP


def turnover(session: Session, start: dt.date, end: dt.date) -> Decimal:
    """Gross turnover from ``start`` up to (not including) ``end``: invoices before PPN
    less credit notes before PPN."""
    sold = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(Invoice.total - Invoice.tax), 0)).where(
            Invoice.invoice_date >= start, Invoice.invoice_date < end
        )
    )
    back = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(CreditNote.total - CreditNote.tax), 0)).where(
            CreditNote.note_date >= start, CreditNote.note_date < end
        )
    )
    return Decimal(sold) - Decimal(back)


def figure(session: Session, month: str | None) -> PphFinal:
    """The PPh final of ``month``."""
    start, end = month_bounds(month)
    key = f"{start:%Y-%m}"
    kind = taxpayer_kind(session)
    this = turnover(session, start, end)
    earlier = turnover(session, start.replace(month=1), start)
    exempt = ZERO
    if kind == INDIVIDUAL:
        exempt = min(max(EXEMPT_TURNOVER - earlier, ZERO), max(this, ZERO))
    tax = round_rupiah(max(this - exempt, ZERO) * RATE)
    payment = session.scalar(sa.select(PphPayment).where(PphPayment.month == key))
    return PphFinal(key, kind, this, earlier, exempt, tax, payment)


def pay(
    session: Session,
    month: str | None,
    billing_code: str,
    paid_on: dt.date | None,
    method: str = "bank_transfer",
    account: str | None = None,
) -> PphPayment:
    """Record that the PPh final of ``month`` was paid with ``billing_code``."""
    found = figure(session, month)
    code = re.sub(r"[\s.\-]", "", billing_code or "")
    if not BILLING_CODE.match(code):
        raise Invalid(
            "A billing code has 15 digits (not {value})",
            value=billing_code,
            fields={"billing_code": ["15 digits"]},
        )
    if method not in METHODS:
        raise Invalid("Pay by bank transfer or cash", fields={"method": ["bank_transfer, cash"]})
    day = paid_on or shop_today(session)
    if day > shop_today(session):
        raise Invalid("The payment date cannot be in the future", fields={"paid_on": ["future"]})
    if found.payment is not None:
        raise Conflict("PPh final of {month} is paid already", month=found.month)
    if found.tax <= 0:
        raise Refused("There is no PPh final to pay for {month}", month=found.month)
    payment = PphPayment(
        month=found.month,
        turnover=found.turnover,
        exempt=found.exempt,
        tax=found.tax,
        billing_code=code,
        paid_on=day,
        method=method,
        account=account or None,
    )
    session.add(payment)
    session.flush()
    hooks().tax_pph_paid(
        session=session,
        payment=PaymentInfo(
            id=payment.id,
            target=f"tax.pph_final:{payment.id}",
            amount=payment.tax,
            method=method,
            status="paid",
            # noon of the day paid, where the shop is: the entry falls on that day
            occurred_at=dt.datetime.combine(day, dt.time(12), tzinfo=shop_tz(session)),
            account=payment.account,
        ),
    )
    return payment
