"""Purchasing settings (``purchasing.<name>``): number patterns, default PPN, accounts."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from sqlalchemy.orm import Session

from niaga import settings
from niaga.errors import Invalid
from niaga_purchasing.numbering import validate_pattern
from niaga_purchasing.pricing import parse_tax_base


def _pattern(value: str) -> None:
    try:
        validate_pattern(value)
    except Invalid as exc:
        raise ma.ValidationError(str(exc)) from None


def _tax_base(value: str) -> None:
    try:
        parse_tax_base(value)
    except Invalid as exc:
        raise ma.ValidationError(str(exc)) from None


def _pattern_field(default: str) -> ma.fields.String:
    return ma.fields.String(load_default=default, validate=[ma.validate.Length(3, 80), _pattern])


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
