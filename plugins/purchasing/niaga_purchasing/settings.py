"""Purchasing settings (``purchasing.<name>``): number patterns, default PPN, accounts.

Document numbers come from core's :mod:`niaga.numbering`, one series per document kind
(``purchasing.order``, ``purchasing.receipt``, ``purchasing.bill``, ``purchasing.payment``,
``purchasing.return``, ``purchasing.supplier``), shaped by the owner's pattern settings.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import marshmallow as ma
from sqlalchemy.orm import Session

from niaga import numbering, settings
from niaga.errors import Invalid
from niaga.money import tax_base_parts

#: document kind -> the setting holding its number pattern
PATTERN_SETTINGS = {
    "order": "order_number_pattern",
    "receipt": "receipt_number_pattern",
    "bill": "bill_number_pattern",
    "payment": "payment_number_pattern",
    "return": "return_number_pattern",
}
#: supplier codes (``SUP0001``) are a series too, with a fixed pattern
SUPPLIER_CODE_PATTERN = "SUP{seq:04d}"


def _pattern(value: str) -> None:
    try:
        numbering.validate_pattern(value)
    except Invalid as exc:
        raise ma.ValidationError(exc.message()) from None


def _tax_base(value: str) -> None:
    try:
        tax_base_parts(value)
    except ValueError:
        raise ma.ValidationError(
            "The tax base must be a fraction from 0 to 1, like 11/12 or 1"
        ) from None


def _pattern_field(default: str) -> ma.fields.String:
    return ma.fields.String(load_default=default, validate=[ma.validate.Length(3, 40), _pattern])


class PurchasingSettings(ma.Schema):
    """What the owner can shape in purchasing."""

    order_number_pattern = _pattern_field("PO/{year}/{month}/{seq:04d}")
    receipt_number_pattern = _pattern_field("GR/{year}/{month}/{seq:04d}")
    bill_number_pattern = _pattern_field("BILL/{year}/{month}/{seq:04d}")
    payment_number_pattern = _pattern_field("PAY/{year}/{month}/{seq:04d}")
    return_number_pattern = _pattern_field("RET/{year}/{month}/{seq:04d}")
    #: PPN charged by VAT-registered (PKP) suppliers: 12 % on a tax base of 11/12 since 2025
    tax_rate = ma.fields.Decimal(
        load_default="0.12", as_string=True, validate=ma.validate.Range(0, 1)
    )
    tax_base = ma.fields.String(load_default="11/12", validate=_tax_base)
    cash_account = ma.fields.String(load_default="1-1100", validate=ma.validate.Length(1, 20))
    bank_account = ma.fields.String(load_default="1-1200", validate=ma.validate.Length(1, 20))


def get(session: Session, name: str) -> Any:
    """The value of ``purchasing.<name>``."""
    return settings.get(session, f"purchasing.{name}")


def next_number(session: Session, kind: str, day: dt.date) -> str:
    """The next number of document ``kind`` (``order``, ``bill``...) dated ``day``, drawn
    from core's series ``purchasing.<kind>`` (not gap-free: a rolled-back document leaves a
    gap, and the counter is never held while the document is written)."""
    if kind == "supplier":
        pattern = SUPPLIER_CODE_PATTERN
    else:
        pattern = str(get(session, PATTERN_SETTINGS[kind]))
    return numbering.next_number(session, f"purchasing.{kind}", pattern, day)
