"""The value types that cross plugin boundaries through hooks.

Plugins never hand each other ORM objects: a hook receives or returns these frozen
dataclasses, so a listener does not need to import (or depend on) the plugin that raised
the event. All money and quantities are ``Decimal``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ProductInfo:
    """A product as other plugins see it; quantities and costs are per base unit."""

    id: int
    sku: str
    name: str
    base_unit: str
    units: dict[str, Decimal]
    price: Decimal
    cost: Decimal
    tax_class: str = "standard"
    barcode: str | None = None
    category: str | None = None
    track_stock: bool = True
    allow_negative: bool = False
    active: bool = True

    def to_base(self, quantity: Decimal, unit: str | None) -> Decimal:
        """``quantity`` of ``unit`` expressed in the base unit."""
        if unit is None or unit == self.base_unit:
            return quantity
        try:
            return quantity * self.units[unit]
        except KeyError:
            from niaga.errors import Invalid

            raise Invalid(
                "Unit {unit} is not defined for {product}", unit=unit, product=self.name
            ) from None


@dataclass(frozen=True)
class StockLine:
    """One product and quantity in a stock request; ``unit`` defaults to the base unit.

    ``cost`` is the cost per ``unit`` for receipts; issues go out at average cost.
    """

    product_id: int
    quantity: Decimal
    unit: str | None = None
    cost: Decimal | None = None
    warehouse_id: int | None = None


@dataclass(frozen=True)
class StockMove:
    """A stock move as recorded. ``quantity`` is in base units and signed (+ in, - out);
    ``value`` is quantity x unit cost, signed the same way.

    ``kind`` is one of: receipt, issue, transfer_in, transfer_out, adjustment, opening
    (opening stock, which bookkeeping puts against owner's capital), return_in, return_out,
    gift.
    """

    id: int
    product_id: int
    warehouse_id: int
    kind: str
    quantity: Decimal
    unit_cost: Decimal
    value: Decimal
    reference: str
    occurred_at: dt.datetime
    reason: str = ""


@dataclass(frozen=True)
class ReorderNeed:
    """A product to buy again: available stock fell to its reorder point."""

    product_id: int
    sku: str
    name: str
    available: Decimal
    reorder_point: Decimal
    suggested_quantity: Decimal
    unit: str


@dataclass(frozen=True)
class DocumentLine:
    """A line of a sales or purchasing document, money in the document's currency."""

    description: str
    quantity: Decimal
    unit: str
    unit_price: Decimal
    net: Decimal
    tax: Decimal
    total: Decimal
    product_id: int | None = None
    discount: Decimal = Decimal("0")
    cost: Decimal | None = None


@dataclass(frozen=True)
class Document:
    """A business document raised in an event: an order, invoice, receipt, bill, return.

    ``kind`` is ``"<plugin>.<type>"`` (``sales.invoice``, ``purchasing.bill``) and
    ``reference`` the kind and id joined by a colon, used to tie records together across
    plugins. ``subtotal`` is net of tax and discounts; ``total`` = ``subtotal`` + ``tax``.
    """

    kind: str
    id: int
    number: str
    date: dt.date
    party_id: int | None
    party_name: str
    lines: tuple[DocumentLine, ...]
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    discount: Decimal = Decimal("0")
    related: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class PaymentInfo:
    """Money that moved for a document.

    ``method`` is one of cash, bank_transfer, virtual_account, ewallet, qris, card, cod;
    ``account`` names the cash/bank account it went to, when known; ``fee`` is what the
    gateway kept. ``target`` is the ``reference`` of the document paid.
    """

    id: int
    target: str
    amount: Decimal
    method: str
    status: str
    occurred_at: dt.datetime
    fee: Decimal = Decimal("0")
    gateway: str = ""
    account: str | None = None


@dataclass(frozen=True)
class PointsMovement:
    """A change in a loyalty member's points.

    ``kind`` is earn, redeem, expire, adjust or reverse; ``points`` is signed; ``value`` is
    its worth in rupiah (signed the same way); ``redeemed_for`` is ``discount`` or ``gift``
    on a redemption.
    """

    id: int
    member_id: int
    kind: str
    points: Decimal
    value: Decimal
    reference: str
    occurred_at: dt.datetime
    redeemed_for: str | None = None
