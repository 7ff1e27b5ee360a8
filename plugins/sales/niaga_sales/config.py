"""The sales plugin's settings (``sales.<field>``) and the tax policy derived from them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import marshmallow as ma
from sqlalchemy.orm import Session

from niaga import settings

FRACTION = r"^\d{1,4}(/\d{1,4})?$"


class SalesSettings(ma.Schema):
    """Numbering, PPN and payment terms."""

    charge_ppn = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Charge PPN even when core.vat_registered (PKP) is off"},
    )
    ppn_rate = ma.fields.Decimal(
        load_default=Decimal("0.12"),
        as_string=True,
        places=4,
        validate=ma.validate.Range(0, 1),
        metadata={"description": "PPN rate, e.g. 0.12"},
    )
    ppn_base = ma.fields.String(
        load_default="11/12",
        validate=ma.validate.Regexp(FRACTION, error="Write the tax base as 11/12 or 1"),
        metadata={"description": "Tax base (DPP) as a fraction of the net price"},
    )
    prices_include_tax = ma.fields.Boolean(
        load_default=False, metadata={"description": "Prices are entered with PPN included"}
    )
    payment_terms_days = ma.fields.Integer(
        load_default=14, validate=ma.validate.Range(0, 365), metadata={"description": "Default"}
    )
    order_prefix = ma.fields.String(load_default="SO", validate=ma.validate.Length(1, 8))
    delivery_prefix = ma.fields.String(load_default="SJ", validate=ma.validate.Length(1, 8))
    invoice_prefix = ma.fields.String(load_default="INV", validate=ma.validate.Length(1, 8))
    credit_note_prefix = ma.fields.String(load_default="CN", validate=ma.validate.Length(1, 8))
    pos_prefix = ma.fields.String(load_default="POS", validate=ma.validate.Length(1, 8))


@dataclass(frozen=True)
class TaxPolicy:
    """PPN as charged on new lines: ``rate`` on a tax base of ``base`` (``"11/12"``)."""

    rate: Decimal
    base: str
    prices_include_tax: bool


NO_TAX = Decimal("0")


def setting(session: Session, name: str) -> object:
    """The value of ``sales.<name>``."""
    return settings.get(session, f"sales.{name}")


def tax_policy(session: Session) -> TaxPolicy:
    """PPN for new documents: none unless the shop is PKP or ``sales.charge_ppn`` is on."""
    charged = bool(settings.get(session, "core.vat_registered")) or bool(
        setting(session, "charge_ppn")
    )
    include = bool(setting(session, "prices_include_tax"))
    if not charged:
        return TaxPolicy(NO_TAX, "1", include)
    return TaxPolicy(
        Decimal(str(setting(session, "ppn_rate"))), str(setting(session, "ppn_base")), include
    )
