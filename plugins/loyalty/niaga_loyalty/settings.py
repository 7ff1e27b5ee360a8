"""The loyalty settings (``loyalty.<name>``) and typed accessors for them."""

from __future__ import annotations

from decimal import Decimal

import marshmallow as ma
from sqlalchemy.orm import Session

from niaga import settings
from niaga.money import to_decimal


class LoyaltySettings(ma.Schema):
    """Owner's choices for the loyalty program."""

    earn_on = ma.fields.String(
        load_default="payment",
        validate=ma.validate.OneOf(["payment", "delivery"]),
        metadata={"description": "Earn when the invoice is paid in full, or on delivery"},
    )
    point_value = ma.fields.Decimal(
        load_default="100",
        as_string=True,
        places=2,
        validate=ma.validate.Range(min=0),
        metadata={"description": "What one point is worth, in rupiah"},
    )
    expiry_days = ma.fields.Integer(
        load_default=365,
        validate=ma.validate.Range(min=1, max=3650),
        metadata={"description": "Points expire this many days after they were received"},
    )
    tier_window_days = ma.fields.Integer(
        load_default=365,
        validate=ma.validate.Range(min=1, max=3650),
        metadata={"description": "Spend within this many days decides the tier"},
    )
    auto_apply_voucher = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Apply a member's oldest fitting voucher without a code"},
    )


def point_value(session: Session) -> Decimal:
    """Rupiah per point."""
    return to_decimal(str(settings.get(session, "loyalty.point_value")))


def earn_on(session: Session) -> str:
    return str(settings.get(session, "loyalty.earn_on"))


def expiry_days(session: Session) -> int:
    return int(settings.get(session, "loyalty.expiry_days"))


def tier_window_days(session: Session) -> int:
    return int(settings.get(session, "loyalty.tier_window_days"))


def auto_apply_voucher(session: Session) -> bool:
    return bool(settings.get(session, "loyalty.auto_apply_voucher"))
