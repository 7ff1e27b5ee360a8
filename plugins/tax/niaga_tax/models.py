"""The closed PPN months and the PPh final payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from niaga.db import Model, Money, TimestampMixin


class PpnPeriod(TimestampMixin, Model):
    """A month whose PPN was closed (posted): the figures as they were closed."""

    __tablename__ = "tax_ppn_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: ``2026-11``
    month: Mapped[str] = mapped_column(sa.String(7), unique=True)
    output_tax: Mapped[Decimal] = mapped_column(Money)
    input_tax: Mapped[Decimal] = mapped_column(Money)
    carried_in: Mapped[Decimal] = mapped_column(Money)
    payable: Mapped[Decimal] = mapped_column(Money)
    carried_out: Mapped[Decimal] = mapped_column(Money)
    closed_on: Mapped[dt.date] = mapped_column()


class PphPayment(TimestampMixin, Model):
    """The PPh final UMKM paid for a month, with the billing code (kode billing) it was
    paid with."""

    __tablename__ = "tax_pph_payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(sa.String(7), unique=True)
    turnover: Mapped[Decimal] = mapped_column(Money)
    exempt: Mapped[Decimal] = mapped_column(Money)
    tax: Mapped[Decimal] = mapped_column(Money)
    billing_code: Mapped[str] = mapped_column(sa.String(15))
    paid_on: Mapped[dt.date] = mapped_column()
    method: Mapped[str] = mapped_column(sa.String(20))
    account: Mapped[str | None] = mapped_column(sa.String(20))
