"""The sales plugin's settings (``sales.<field>``) and the tax policy derived from them."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal

import marshmallow as ma
from sqlalchemy.orm import Session

from niaga import numbering, settings

FRACTION = r"^\d{1,4}(/\d{1,4})?$"
#: A prefix is the fixed start of a document number (``SO`` in ``SO/2026/12/0001``).
PREFIX = ma.validate.Regexp(
    r"^[^{}\s]{1,8}$", error="A prefix is 1 to 8 characters without spaces or braces"
)


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
    invoice_each_delivery = ma.fields.Boolean(
        load_default=False,
        metadata={
            "description": "Invoice each delivery when it is delivered (else once the whole "
            "order is delivered, or per delivery by hand)"
        },
    )
    # Retailer activity (niaga_sales.activity): the owner's thresholds
    activity_days = ma.fields.Integer(
        load_default=30,
        validate=ma.validate.Range(1, 366),
        metadata={
            "label": {
                "id": "Aktivitas pengecer: hari per periode",
                "en": "Retailer activity: days per period",
            },
            "description": "Compared with the same number of days before",
        },
    )
    declining_percent = ma.fields.Integer(
        load_default=50,
        validate=ma.validate.Range(1, 100),
        metadata={
            "label": {"id": "Pengecer menurun di bawah (%)", "en": "Retailer declining below (%)"},
            "description": "Declining: a retailer's sales below this percent of the period before",
        },
    )
    order_prefix = ma.fields.String(load_default="SO", validate=PREFIX)
    delivery_prefix = ma.fields.String(load_default="SJ", validate=PREFIX)
    invoice_prefix = ma.fields.String(load_default="INV", validate=PREFIX)
    credit_note_prefix = ma.fields.String(load_default="CN", validate=PREFIX)
    pos_prefix = ma.fields.String(load_default="POS", validate=PREFIX)


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


#: Document series drawn from :mod:`niaga.numbering`: kind -> (series, prefix setting,
#: gapless). Invoices, POS sales (invoices too) and credit notes are counted by the tax
#: office, so they have no gaps; orders and deliveries may skip a number on a rollback.
SERIES = {
    "order": ("sales.order", "order_prefix", False),
    "delivery": ("sales.delivery", "delivery_prefix", False),
    "invoice": ("sales.invoice", "invoice_prefix", True),
    "pos_sale": ("sales.pos_sale", "pos_prefix", True),
    "credit_note": ("sales.credit_note", "credit_note_prefix", True),
}


def number_pattern(prefix: str) -> str:
    """The numbering pattern of a prefix: ``SO`` numbers ``SO/2026/12/0001`` (counted per
    month), as sales always numbered its documents."""
    return prefix.replace("{", "{{").replace("}", "}}") + "/{yyyy}/{mm}/{seq:04}"


def document_number(session: Session, kind: str, day: dt.date) -> str:
    """The next number of a ``kind`` of document dated ``day``. Draw it as late as
    possible: a gapless series keeps its counter locked until the transaction ends.
    Drawing it writes nothing pending, so the document it is for is written with it."""
    series, prefix_setting, gapless = SERIES[kind]
    with session.no_autoflush:
        pattern = number_pattern(str(setting(session, prefix_setting)))
        return numbering.next_number(session, series, pattern, day, gapless=gapless)


def pending_number() -> str:
    """A unique stand-in number while a document's lines are written; the real number is
    drawn at the end (:func:`document_number`)."""
    return f"~{uuid.uuid4().hex}"
