"""The monthly PPN recap of a PKP shop and its closing.

PPN Keluaran is the PPN of the month's sales invoices (counter sales included) less that
of its credit notes, as stored on the documents. PPN Masukan creditable is the PPN of the
posted bills whose supplier Faktur Pajak is dated in the month, less that of the month's
returns to suppliers; bills of the month without a faktur are shown apart (not creditable
until one is recorded). What the last closed month carried forward (lebih bayar) is set
off first. These are the amounts the books carry on PPN Keluaran and PPN Masukan when
every bill has its faktur in its own month.

Closing a month stores the figures and raises ``tax_ppn_closed``; cash/bank posts the
closing entry. A month is closed once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from niaga.clock import shop_today
from niaga.contracts import Document
from niaga.errors import Conflict, Refused
from niaga.money import ZERO
from niaga.runtime import hooks
from niaga_purchasing.models import Bill, SupplierReturn
from niaga_sales.coretax import month_bounds
from niaga_sales.models import CreditNote, Invoice
from niaga_sales.tax_invoice import is_pkp
from niaga_tax.models import PpnPeriod


@dataclass(frozen=True)
class PpnRecap:
    month: str
    output_tax: Decimal
    input_tax: Decimal
    #: PPN of the month's posted bills without a supplier faktur (not creditable yet)
    input_waiting: Decimal
    carried_in: Decimal
    #: the closing, when the month is closed
    closed: PpnPeriod | None
    #: whether the month is over (a closing before its end is allowed but shown)
    over: bool

    @property
    def balance(self) -> Decimal:
        """Output less creditable input less what was carried in: positive is payable."""
        return self.output_tax - self.input_tax - self.carried_in

    @property
    def payable(self) -> Decimal:
        return max(self.balance, ZERO)

    @property
    def carried_out(self) -> Decimal:
        return max(-self.balance, ZERO)


def _sum(session: Session, column: sa.ColumnElement, *where: sa.ColumnElement) -> Decimal:
    return Decimal(
        session.scalar(sa.select(sa.func.coalesce(sa.func.sum(column), 0)).where(*where))
    )


def recap(session: Session, month: str | None) -> PpnRecap:
    """The PPN figures of ``month`` (``2026-11``); a shop that is not PKP has none."""
    start, end = month_bounds(month)
    if not is_pkp(session):
        raise Refused("The shop is not a PKP, so it has no PPN to report")
    key = f"{start:%Y-%m}"
    output = _sum(
        session, Invoice.tax, Invoice.invoice_date >= start, Invoice.invoice_date < end
    ) - _sum(session, CreditNote.tax, CreditNote.note_date >= start, CreditNote.note_date < end)
    posted = Bill.status != "draft"
    creditable = _sum(
        session,
        Bill.tax,
        posted,
        Bill.tax_invoice_number != "",
        Bill.tax_invoice_date >= start,
        Bill.tax_invoice_date < end,
    ) - _sum(
        session,
        SupplierReturn.tax,
        SupplierReturn.return_date >= start,
        SupplierReturn.return_date < end,
    )
    waiting = _sum(
        session,
        Bill.tax,
        posted,
        Bill.tax_invoice_number == "",
        Bill.bill_date >= start,
        Bill.bill_date < end,
    )
    earlier = session.scalar(
        sa.select(PpnPeriod).where(PpnPeriod.month < key).order_by(PpnPeriod.month.desc())
    )
    closed = session.scalar(sa.select(PpnPeriod).where(PpnPeriod.month == key))
    if closed is not None:  # a closed month shows what was closed (and booked)
        output, creditable = closed.output_tax, closed.input_tax
    return PpnRecap(
        month=key,
        output_tax=output,
        input_tax=creditable,
        input_waiting=waiting,
        carried_in=closed.carried_in if closed else earlier.carried_out if earlier else ZERO,
        closed=closed,
        over=end <= shop_today(session),
    )


def close(session: Session, month: str | None) -> PpnPeriod:
    """Close ``month``: store its figures and raise ``tax_ppn_closed`` (the closing
    entry, dated the month's last day or today when the month is not over)."""
    figures = recap(session, month)
    if figures.closed is not None:
        raise Conflict("PPN of {month} is closed already", month=figures.month)
    later = session.scalar(sa.select(PpnPeriod.month).where(PpnPeriod.month > figures.month))
    if later:
        raise Refused("PPN of {later} is closed already; months are closed in order", later=later)
    start, end = month_bounds(figures.month)
    day = min(end - dt.timedelta(days=1), shop_today(session))
    if day < start:
        raise Refused("The month {month} has not started yet", month=figures.month)
    period = PpnPeriod(
        month=figures.month,
        output_tax=figures.output_tax,
        input_tax=figures.input_tax,
        carried_in=figures.carried_in,
        payable=figures.payable,
        carried_out=figures.carried_out,
        closed_on=day,
    )
    session.add(period)
    session.flush()
    data = {
        name: str(getattr(period, name))
        for name in ("output_tax", "input_tax", "carried_in", "payable", "carried_out")
    }
    hooks().tax_ppn_closed(
        session=session,
        period=Document(
            kind="tax.ppn_period",
            id=period.id,
            number=f"PPN {period.month}",
            date=day,
            party_id=None,
            party_name="",
            lines=(),
            subtotal=period.payable,
            tax=ZERO,
            total=period.payable,
            data=data,
        ),
    )
    return period
